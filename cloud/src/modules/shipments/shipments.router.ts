import { tables } from '@plantline/schema';
import { z } from 'zod';
import { idInput as id, instantInput, patchOf } from '../../platform/index.js';
import { permittedProcedure, permittedSubscription, router } from '../../trpc/procedures.js';
import { customValuesInput } from '../config/index.js';
import { cancelShipment, deliverShipment, shipShipment, startPicking } from './lifecycle.js';
import { liveShipment } from './live.js';
import { shipmentChoices } from './planning.js';
import { getShipment, listShipments } from './shipment-queries.js';
import { createShipment, updateShipment } from './shipments.js';

/*
 * Customer shipments (docs/logistics.md, "Shipments"): logistics.read sees them, logistics.manage plans,
 * edits and cancels them, logistics.pack (the people at the dock) starts picking, ships and records
 * the delivery.
 */
const read = permittedProcedure('logistics.read');
const manage = permittedProcedure('logistics.manage');
const pack = permittedProcedure('logistics.pack');

const quantity = z.number().positive('Must be above zero').max(1e9);
const lot = z.string().trim().max(64, 'At most 64 characters');
const statusInput = z.enum(tables.shipmentStatuses, {
  error: `Choose one of ${tables.shipmentStatuses.join(', ')}`,
});

export const requestLineInput = z.object({ requestId: id, quantity: quantity.optional() });
export const productLineInput = z.object({ productId: id, quantity, lot: lot.nullish() });
const requestLines = z.array(requestLineInput).max(200, 'At most 200 lines');
const productLines = z.array(productLineInput).max(200, 'At most 200 lines');

const headerFields = {
  carrierId: id.nullish(),
  plannedShipDate: z.iso.date('Use a date like 2026-11-25').nullish(),
  /** AI (400) on the labels holds at most 30 characters. */
  customerPo: z.string().trim().max(30, 'At most 30 characters (AI 400)').optional(),
  note: z.string().trim().max(2000, 'At most 2000 characters').optional(),
};

const trackingNumber = z.string().trim().max(64, 'At most 64 characters');

const move = { id, expectedVersion: z.number().int().min(1) };

export const shipmentsRouter = router({
  /** Newest first; pass the previous page's nextCursor for the next page. */
  list: read
    .input(
      z
        .object({
          plantId: id.optional(),
          status: z.array(statusInput).max(6).optional(),
          customerId: id.optional(),
          text: z.string().trim().max(100).optional(),
          limit: z.number().int().min(1).max(200).default(50),
          cursor: id.optional(),
        })
        .default({ limit: 50 }),
    )
    .query(({ ctx, input }) => listShipments(ctx.tx, input)),
  /** What a plant's new shipment is made of: customers with addresses, carriers, requests with what is left. */
  choices: read
    .input(z.object({ plantId: id }))
    .query(({ ctx, input }) => shipmentChoices(ctx.tx, input.plantId)),
  /** The shipment with its items, packages (with contents), latest scans and backorders. */
  get: read.input(z.object({ id })).query(({ ctx, input }) => getShipment(ctx.tx, input.id)),
  /** A draft numbered from the plant's `shipment` sequence, from open requests or products. */
  create: manage
    .input(
      z
        .object({
          plantId: id,
          customerId: id,
          shipToId: id,
          ...headerFields,
          requests: requestLines.optional(),
          products: productLines.optional(),
          custom: customValuesInput,
        })
        .refine(
          (input) => (input.requests?.length ?? 0) + (input.products?.length ?? 0) > 0,
          'Add a delivery request or a product',
        ),
    )
    .mutation(({ ctx, input }) => createShipment(ctx, input)),
  /** An edit of a draft or picking shipment against the `version` its editor saw. */
  update: manage
    .input(
      z
        .object({
          ...move,
          expectedVersion: move.expectedVersion,
          patch: patchOf({ ...headerFields, shipToId: id, trackingNumber }).optional(),
          addRequests: requestLines.optional(),
          addProducts: productLines.optional(),
          removeItemIds: z.array(id).max(200).optional(),
          quantities: z
            .array(z.object({ itemId: id, quantity }))
            .max(200)
            .optional(),
          custom: customValuesInput,
        })
        .refine(
          ({ id: _, expectedVersion: __, ...changes }) => Object.values(changes).some((v) => v !== undefined),
          'Nothing to change',
        ),
    )
    .mutation(({ ctx, input }) => updateShipment(ctx, input)),
  /** Draft → picking before the first scan. */
  startPicking: pack.input(z.object(move)).mutation(({ ctx, input }) => startPicking(ctx, input)),
  /** Ships what is packed; `backorder: true` puts what is not on a new draft shipment. */
  ship: pack
    .input(
      z.object({
        ...move,
        carrierId: id.optional(),
        trackingNumber: trackingNumber.optional(),
        backorder: z.boolean().optional(),
        lateReason: z.string().trim().max(1000, 'At most 1000 characters').optional(),
      }),
    )
    .mutation(({ ctx, input }) => shipShipment(ctx, input)),
  /** Shipped → delivered, at `deliveredAt` (now by default). */
  deliver: pack
    .input(z.object({ ...move, deliveredAt: instantInput.optional() }))
    .mutation(({ ctx, input }) => deliverShipment(ctx, input)),
  /** Cancels a shipment that has not left; the reason stays with it. */
  cancel: manage
    .input(
      z.object({
        ...move,
        reason: z.string().trim().min(1, 'Say why it is cancelled').max(1000, 'At most 1000 characters'),
      }),
    )
    .mutation(({ ctx, input }) => cancelShipment(ctx, input)),
  /** The shipment's packing progress: now, and again after every scan, package or move. */
  live: permittedSubscription('logistics.read')
    .input(z.object({ shipmentId: id }))
    .subscription(({ ctx, input, signal }) => liveShipment(ctx.deps, ctx.principal, input, signal)),
});

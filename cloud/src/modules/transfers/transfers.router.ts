import { tables } from '@plantline/schema';
import { z } from 'zod';
import { idInput as id, patchOf } from '../../platform/index.js';
import { permittedProcedure, permittedSubscription, router } from '../../trpc/procedures.js';
import { customValuesInput } from '../config/index.js';
import { SCAN_DATA_MAX_LENGTH } from '../shipments/index.js';
import { liveTransfer } from './live.js';
import { closeTransferPackage, openTransferPackage } from './packing.js';
import { tenantPlantNames } from './plant-names.js';
import { finishReceiving, receiveDamaged } from './receiving.js';
import { recordTransferScan } from './scans.js';
import { shipTransfer } from './shipping.js';
import { getTransfer, listTransfers } from './transfer-queries.js';
import { cancelTransfer, createTransfer, updateTransfer } from './transfers.js';

/*
 * Transfers between plants (docs/logistics.md, "Transfers"): logistics.read sees them (users of
 * either plant), logistics.manage plans, edits and cancels them at the sending plant, logistics.pack
 * packs and ships them there and receives them at the receiving plant.
 */
const read = permittedProcedure('logistics.read');
const manage = permittedProcedure('logistics.manage');
const pack = permittedProcedure('logistics.pack');

const quantity = z.number().positive('Must be above zero').max(1e9);
const counted = z.number().min(0, 'Cannot be below zero').max(1e9);
const lineInput = z.object({
  productId: id,
  quantity,
  lot: z.string().trim().max(64, 'At most 64 characters').nullish(),
});
const lines = z.array(lineInput).max(200, 'At most 200 lines');
const statusInput = z.enum(tables.transferStatuses, {
  error: `Choose one of ${tables.transferStatuses.join(', ')}`,
});
const reasonInput = z.enum(tables.discrepancyReasons, {
  error: `Choose one of ${tables.discrepancyReasons.join(', ')}`,
});
const note = z.string().trim().max(2000, 'At most 2000 characters');
const scanData = z
  .string()
  .max(SCAN_DATA_MAX_LENGTH, `Scan data is at most ${SCAN_DATA_MAX_LENGTH} characters`);
const move = { id, expectedVersion: z.number().int().min(1) };

export const transfersRouter = router({
  /** Newest first; `direction` with `plantId` (or the plants the caller reaches) picks outgoing or incoming. */
  list: read
    .input(
      z
        .object({
          plantId: id.optional(),
          direction: z.enum(['outgoing', 'incoming']).optional(),
          status: z.array(statusInput).max(5).optional(),
          text: z.string().trim().max(100).optional(),
          limit: z.number().int().min(1).max(200).default(50),
          cursor: id.optional(),
        })
        .default({ limit: 50 }),
    )
    .query(async ({ ctx, input }) =>
      listTransfers(ctx.tx, ctx.principal, await tenantPlantNames(ctx.tx), input),
    ),
  /** The tenant's plants by code and name: where a transfer may go. */
  plants: read.query(({ ctx }) => tenantPlantNames(ctx.tx)),
  /** The transfer with items, packages (with contents), scans, receipts, the caller's side and timeline. */
  get: read
    .input(z.object({ id }))
    .query(async ({ ctx, input }) =>
      getTransfer(ctx.tx, ctx.principal, await tenantPlantNames(ctx.tx), input.id),
    ),
  /** A draft numbered from the sending plant's `transfer_order` sequence. */
  create: manage
    .input(
      z.object({
        fromPlantId: id,
        toPlantId: id,
        items: lines.min(1, 'Add at least one product'),
        carrierId: id.nullish(),
        note: note.optional(),
        custom: customValuesInput,
      }),
    )
    .mutation(({ ctx, input }) => createTransfer(ctx, input)),
  /** An edit of a transfer that has not left, against the `version` its editor saw. */
  update: manage
    .input(
      z
        .object({
          ...move,
          patch: patchOf({ carrierId: id.nullish(), note }).optional(),
          addItems: lines.optional(),
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
    .mutation(({ ctx, input }) => updateTransfer(ctx, input)),
  /** Cancels a transfer that has not left. */
  cancel: manage
    .input(
      z.object({
        ...move,
        reason: z.string().trim().min(1, 'Say why it is cancelled').max(1000, 'At most 1000 characters'),
      }),
    )
    .mutation(({ ctx, input }) => cancelTransfer(ctx, input)),
  /** A pallet or carton of the transfer (a carton optionally on an open pallet), with the next SSCC. */
  openPackage: pack
    .input(z.object({ transferOrderId: id, kind: z.enum(['pallet', 'carton']), parentId: id.nullish() }))
    .mutation(({ ctx, input }) => openTransferPackage(ctx, input)),
  closePackage: pack
    .input(z.object({ transferOrderId: id, packageId: id }))
    .mutation(({ ctx, input }) => closeTransferPackage(ctx, input)),
  /** A packing scan (sending plant, into `packageId`) or a receiving scan of an SSCC (receiving plant). */
  scan: pack
    .input(
      z.object({
        transferOrderId: id,
        mode: z.enum(['pack', 'receive']),
        packageId: id.nullish(),
        data: scanData,
        stationId: id.nullish(),
      }),
    )
    .mutation(({ ctx, input }) => recordTransferScan(ctx, { ...input, source: 'browser' })),
  /** Picking → in transit with what is packed; `partial: true` when some items are not fully packed. */
  ship: pack
    .input(
      z.object({
        ...move,
        carrierId: id.nullish(),
        trackingNumber: z.string().trim().max(64, 'At most 64 characters').optional(),
        partial: z.boolean().optional(),
      }),
    )
    .mutation(({ ctx, input }) => shipTransfer(ctx, input)),
  /** A damaged package, received with what was counted in it. */
  receiveDamaged: pack
    .input(
      z.object({
        transferOrderId: id,
        packageId: id,
        counts: z.array(z.object({ itemId: id, quantity: counted })).max(200),
        note: note.optional(),
      }),
    )
    .mutation(({ ctx, input }) => receiveDamaged(ctx, input)),
  /** In transit → received, with a reason for every line whose count differs from what left. */
  finishReceiving: pack
    .input(
      z.object({
        ...move,
        lines: z
          .array(
            z.object({
              itemId: id,
              receivedQuantity: counted.optional(),
              reason: reasonInput.nullish(),
              note: note.optional(),
            }),
          )
          .max(200)
          .optional(),
      }),
    )
    .mutation(({ ctx, input }) => finishReceiving(ctx, input)),
  /** The transfer's packing and receiving progress: now, and again after every change. */
  live: permittedSubscription('logistics.read')
    .input(z.object({ transferOrderId: id }))
    .subscription(({ ctx, input, signal }) => liveTransfer(ctx.deps, ctx.principal, input, signal)),
});

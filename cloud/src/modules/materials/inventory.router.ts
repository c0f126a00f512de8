import { tables } from '@plantline/schema';
import { z } from 'zod';
import { catalogueCodeInput, idInput as id, instantInput } from '../../platform/index.js';
import { permittedProcedure, router } from '../../trpc/procedures.js';
import { balancesAsOf, balancesNow, listMovements } from './balances.js';
import { listConsumptionScans } from './consumption-scans.js';
import { listProductionBookings } from './count-bookings.js';
import { mergeLots, reworkLot, splitLot } from './genealogy-acts.js';
import { adjustStock, recordMovement, reverseMovement, transferStock } from './movements.js';
import { receiveByScan } from './receiving.js';
import { identifyScan, moveScanned } from './scan-moves.js';

/*
 * Stock (docs/materials.md, "Moving stock" and "Balances"): inventory.read sees balances and the
 * ledger, inventory.move records receipts, issues, transfers, adjustments and reversals. Quantities
 * are positive and in `unit` (the material's base unit when omitted); the act decides the sign.
 */
const read = permittedProcedure('inventory.read');
const move = permittedProcedure('inventory.move');

const quantity = z.number().positive('Must be above zero').max(1e12);
const note = z.string().trim().max(2000, 'At most 2000 characters');
const stock = {
  materialId: id,
  lotId: id.nullish(),
  locationId: id,
  unit: catalogueCodeInput.optional(),
  /** When the stock moved, if earlier than now: a movement booked after the fact. */
  time: instantInput.optional(),
  note: note.optional(),
  productionOrderId: id.nullish(),
  orderCode: z.string().trim().min(1).max(64, 'At most 64 characters').nullish(),
};
const filter = {
  plantId: id.optional(),
  materialId: id.optional(),
  lotId: id.optional(),
  locationId: id.optional(),
};
const saidWhy = note.min(1, 'Say why');
/** What a scanner typed (a keyboard wedge) or the camera read: GS1 data, a lot code, a location code. */
const scanned = z.string().min(1, 'Scan something').max(4096, 'At most 4096 characters');

export const inventoryRouter = router({
  receive: move
    .input(z.object({ ...stock, quantity, kind: z.enum(['receipt', 'production']).default('receipt') }))
    .mutation(({ ctx, input }) => recordMovement(ctx, input)),
  issue: move
    .input(z.object({ ...stock, quantity, kind: z.enum(['issue', 'consumption', 'scrap']).default('issue') }))
    .mutation(({ ctx, input }) => recordMovement(ctx, input)),
  transfer: move
    .input(z.object({ ...stock, toLocationId: id, quantity }))
    .mutation(({ ctx, input }) => transferStock(ctx, input)),
  /** A counted correction: positive adds, negative removes; the note says why. */
  adjust: move
    .input(
      z.object({
        ...stock,
        quantity: z
          .number()
          .refine((q) => q !== 0, 'Cannot be zero')
          .refine((q) => Math.abs(q) <= 1e12, 'Too large'),
        note: saidWhy,
      }),
    )
    .mutation(({ ctx, input }) => adjustStock(ctx, input)),
  /** Undoes a movement (with its whole group) by reversing rows; the note says why. */
  reverse: move
    .input(z.object({ movementId: id, note: saidWhy }))
    .mutation(({ ctx, input }) => reverseMovement(ctx, input)),
  /** Receives the stock a supplier's GS1 label marks (docs/materials.md, "Receiving by scanning"). */
  receiveScan: move
    .input(
      z.object({
        locationId: id,
        data: scanned,
        quantity: quantity.optional(),
        unit: catalogueCodeInput.optional(),
        supplier: z.string().trim().min(1).max(200, 'At most 200 characters').optional(),
        quarantine: z.boolean().optional(),
        note: note.optional(),
      }),
    )
    .mutation(({ ctx, input }) => receiveByScan(ctx, input)),
  /** What a scan names at a plant: one of its locations, or a material's lot. */
  identify: read
    .input(z.object({ plantId: id, data: scanned }))
    .query(({ ctx, input }) => identifyScan(ctx.tx, ctx.principal, input)),
  /** Moves scanned lots from one location to another (docs/materials.md, "Moving by scanning"). */
  moveScanned: move
    .input(
      z.object({
        fromLocationId: id,
        toLocationId: id,
        items: z
          .array(z.object({ materialId: id, lotId: id.nullable(), quantity: quantity.optional() }))
          .min(1, 'Scan at least one lot')
          .max(200, 'At most 200 lots at once'),
        note: note.optional(),
      }),
    )
    .mutation(({ ctx, input }) => moveScanned(ctx, input)),
  /** Scans with `action: consume` at machines, refused ones included. */
  consumptionScans: read
    .input(
      z
        .object({
          plantId: id.optional(),
          result: z.enum(tables.consumptionScanResults).optional(),
          limit: z.number().int().min(1).max(500).default(100),
        })
        .default({ limit: 100 }),
    )
    .query(({ ctx, input }) => listConsumptionScans(ctx.tx, input)),
  /** Counted parts booked into their order's lot, short and refused ones included, newest first. */
  productionBookings: read
    .input(
      z
        .object({
          plantId: id.optional(),
          orderId: id.optional(),
          result: z.enum(tables.productionBookingResults).optional(),
          limit: z.number().int().min(1).max(500).default(100),
        })
        .default({ limit: 100 }),
    )
    .query(({ ctx, input }) => listProductionBookings(ctx.tx, input)),
  /** One lot into new lots of the same material at one location (docs/materials.md, "Split, merge and rework"). */
  split: move
    .input(
      z.object({
        lotId: id,
        locationId: id,
        parts: z
          .array(z.object({ lotCode: catalogueCodeInput, quantity }))
          .min(2, 'At least two parts')
          .max(100),
        unit: catalogueCodeInput.optional(),
        time: instantInput.optional(),
        note: note.optional(),
      }),
    )
    .mutation(({ ctx, input }) => splitLot(ctx, input)),
  merge: move
    .input(
      z.object({
        parts: z
          .array(z.object({ lotId: id, quantity }))
          .min(2, 'At least two lots')
          .max(100),
        lotCode: catalogueCodeInput,
        locationId: id,
        unit: catalogueCodeInput.optional(),
        time: instantInput.optional(),
        note: note.optional(),
      }),
    )
    .mutation(({ ctx, input }) => mergeLots(ctx, input)),
  rework: move
    .input(
      z.object({
        lotId: id,
        locationId: id,
        quantity,
        lotCode: catalogueCodeInput,
        materialId: id.optional(),
        outputQuantity: quantity.optional(),
        time: instantInput.optional(),
        note: saidWhy,
      }),
    )
    .mutation(({ ctx, input }) => reworkLot(ctx, input)),
  /** Non-zero balances now, or as they stood at `at`. */
  balances: read
    .input(z.object({ ...filter, at: instantInput.optional() }).default({}))
    .query(({ ctx, input }) =>
      input.at === undefined ? balancesNow(ctx.tx, input) : balancesAsOf(ctx.tx, input, input.at),
    ),
  movements: read
    .input(
      z
        .object({
          ...filter,
          kind: z.enum(tables.movementKinds).optional(),
          from: instantInput.optional(),
          to: instantInput.optional(),
          limit: z.number().int().min(1).max(500).default(100),
          cursor: id.optional(),
        })
        .default({ limit: 100 }),
    )
    .query(({ ctx, input }) => listMovements(ctx.tx, input)),
});

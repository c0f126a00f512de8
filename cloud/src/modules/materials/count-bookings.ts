import { randomUUID } from 'node:crypto';
import { tables } from '@plantline/schema';
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { rows, type Sql } from '../../db/index.js';
import { audit, DomainError, type Principal, withSavepoint } from '../../platform/index.js';
import { type NotifyContext, notify } from '../notifications/index.js';
import { backflushRows, findLineSide, shortageText } from './backflush.js';
import { materialOfProduct } from './catalogue.js';
import { writeMovements } from './ledger.js';
import { getLocation, type Location } from './locations.js';
import { createLot, getLot } from './lots.js';
import { orderMaterials } from './order-materials.js';

/*
 * Counted production (docs/materials.md, "Counted production"): the good parts a machine counts for
 * an order in progress — a count event naming the order's number — go into the order's lot and
 * consume the order's backflushed components as they are counted, in the transaction that stores the
 * counts. The booking runs in a savepoint, so nothing the ledger refuses can cost the counts: they
 * are stored whatever happens, and every booking is recorded in production_bookings with what it
 * wrote. A component the line side cannot give is consumed as far as it goes and the rest stays due:
 * the next count takes it once stock arrives, and a shortage is recorded and announced.
 */

/** Good parts counted for an order, as ingest stored them. */
export interface CountedParts {
  eventId: string;
  plantId: string;
  machineId: string;
  /** The order's number, as the count named it. */
  order: string;
  good: number;
  /** When they were counted (ISO 8601). */
  time: string;
}

export const LINE_SHORT_KIND = 'materials.line-short';

type BookingCall = NotifyContext & { principal: Principal };

const po = tables.productionOrders;
const pb = tables.productionBookings;
const mv = tables.inventoryMovements;

interface Outcome {
  result: tables.ProductionBookingResult;
  message: string;
  lotId?: string | null;
  locationId?: string | null;
  groupId?: string | null;
  shortages?: tables.BookingShortage[] | null;
}

/** Books each order's counted parts, one act per order and machine. Counts of no open order book nothing. */
export async function bookCountedParts(call: BookingCall, counts: readonly CountedParts[]) {
  const counted = counts.filter((c) => c.good > 0);
  if (counted.length === 0) return;
  const orders = await call.tx
    .select({
      id: po.id,
      plantId: po.plantId,
      number: po.number,
      lineId: po.lineId,
      productId: po.productId,
      quantity: po.quantity,
      lineSideLocationId: po.lineSideLocationId,
    })
    .from(po)
    .where(and(inArray(po.number, [...new Set(counted.map((c) => c.order))]), eq(po.status, 'in_progress')));
  const byNumber = new Map(orders.map((o) => [o.number, o]));
  const groups = new Map<string, { order: (typeof orders)[number]; parts: CountedParts[] }>();
  for (const parts of counted) {
    const order = byNumber.get(parts.order);
    // A count names its order by number; one of another plant is not this machine's order.
    if (order === undefined || order.plantId !== parts.plantId) continue;
    const key = `${order.id}/${parts.machineId}`;
    const group = groups.get(key) ?? { order, parts: [] };
    group.parts.push(parts);
    groups.set(key, group);
  }
  for (const { order, parts } of groups.values()) await bookGroup(call, order, parts);
}

type OrderToBook = Parameters<typeof findLineSide>[1] & {
  id: string;
  number: string;
  productId: string;
  quantity: string;
};

async function bookGroup(call: BookingCall, order: OrderToBook, parts: readonly CountedParts[]) {
  const { tx } = call;
  const lineSide = await findLineSide(tx, order);
  // A plant with no production location keeps no stock at its lines: its counts book nothing.
  if (lineSide === null) return;
  const location = (await lastOutputLocation(tx, order)) ?? lineSide;
  const good = parts.reduce((sum, p) => sum + p.good, 0);
  const at = new Date(Math.max(...parts.map((p) => Date.parse(p.time))));
  const [machine] = await tx
    .select({ code: tables.machines.code })
    .from(tables.machines)
    .where(eq(tables.machines.id, parts[0]!.machineId));
  const [previous] = await tx
    .select({ result: pb.result })
    .from(pb)
    .where(eq(pb.productionOrderId, order.id))
    .orderBy(desc(pb.at), desc(pb.createdAt))
    .limit(1);
  const outcome = await withSavepoint(tx, () =>
    writeBooking(call, order, { output: location, lineSide }, { good, at, machine: machine?.code ?? '' }),
  ).catch((error: unknown): Outcome => {
    if (!refusesBooking(error)) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    return { result: 'refused', message: `${good} counted, nothing booked: ${reason}` };
  });
  await tx.insert(pb).values({
    tenantId: call.principal.tenantId,
    plantId: order.plantId,
    machineId: parts[0]!.machineId,
    productionOrderId: order.id,
    orderNumber: order.number,
    eventIds: parts.map((p) => p.eventId),
    good,
    at,
    locationId: location.id,
    ...outcome,
  });
  // Once per run of shortages: the first short booking after one that was not.
  if (outcome.result === 'short' && previous?.result !== 'short')
    await notify(call, {
      to: { permission: 'inventory.move', plantId: order.plantId },
      plantId: order.plantId,
      kind: LINE_SHORT_KIND,
      title: `${lineSide.code} is short for ${order.number}: ${(outcome.shortages ?? []).map((s) => s.code).join(', ')}`,
      body:
        `${(outcome.shortages ?? []).map(shortageText).join('\n')}\n` +
        'The counted parts are booked; what is missing is consumed with the next count once it is at the line.',
      link: `/orders/${order.id}/materials`,
      entity: { type: 'production_order', id: order.id },
    });
}

/** Where the order's output last went, while that location is active; its first goes to the line side. */
async function lastOutputLocation(tx: Sql, order: OrderToBook): Promise<Location | null> {
  const [last] = await tx
    .select({ locationId: mv.locationId })
    .from(mv)
    .where(and(eq(mv.productionOrderId, order.id), eq(mv.kind, 'production')))
    .orderBy(desc(mv.time), desc(mv.recordedAt))
    .limit(1);
  if (last === undefined) return null;
  const location = await getLocation(tx, last.locationId);
  return location.isActive ? location : null;
}

/** The counted parts into the order's lot, with the backflush from the line side they call for, as one act. */
async function writeBooking(
  call: BookingCall,
  order: OrderToBook,
  at: { output: Location; lineSide: Location },
  counted: { good: number; at: Date; machine: string },
): Promise<Outcome> {
  const location = at.output;
  const { tx } = call;
  const output = await materialOfProduct(tx, order.productId);
  const lot = output.lotTracked ? await orderLot(call, order, output.id, counted.at) : null;
  const view = await orderMaterials(tx, order.id);
  const [after] = await rows<{ produced: string }>(
    tx,
    sql`select trim_scale(${view.output.produced}::numeric + ${counted.good})::text as produced`,
  );
  const { movements, shortages } = await backflushRows(
    tx,
    view,
    at.lineSide,
    after!.produced,
    order.quantity,
    true,
  );
  const groupId = randomUUID();
  // A movement is never dated ahead of the cloud's clock (the ledger's rule); an edge clock may be.
  const time = new Date(Math.min(counted.at.getTime(), Date.now()));
  const written = await writeMovements(tx, call.principal, {
    time,
    rows: [
      { kind: 'production', material: output, lot, location, quantity: String(counted.good) },
      ...movements,
    ],
    groupId,
    productionOrderId: order.id,
    orderCode: order.number,
    note: `Counted at ${counted.machine}`,
  });
  const first = written[0]!;
  audit(tx, {
    action: 'inventory_movement.count',
    entityType: 'inventory_movement',
    entityId: first.id,
    entityLabel: order.number,
    plantId: first.plantId,
    before: null,
    after: {
      time: time.toISOString(),
      groupId,
      machine: counted.machine,
      rows: written.map((w) => ({ materialId: w.materialId, lotId: w.lotId, quantity: w.quantity })),
    },
  });
  const into = `${counted.good} ${output.baseUnit} into ${lot === null ? output.code : `lot ${lot.lotCode}`} at ${location.code}`;
  return {
    result: shortages.length === 0 ? 'booked' : 'short',
    message:
      shortages.length === 0
        ? `${into}; ${movements.length} component movement${movements.length === 1 ? '' : 's'}`
        : `${into}; short: ${shortages.map(shortageText).join('; ')}`,
    lotId: lot?.id ?? null,
    groupId,
    shortages: shortages.length === 0 ? null : shortages,
  };
}

/** The order's lot of its product, named after the order as recordOrderOutput names it; made when new. */
async function orderLot(call: BookingCall, order: OrderToBook, materialId: string, at: Date) {
  const lots = tables.materialLots;
  const [existing] = await call.tx
    .select({ id: lots.id })
    .from(lots)
    .where(and(eq(lots.materialId, materialId), eq(lots.lotCode, order.number)));
  if (existing !== undefined) return getLot(call.tx, existing.id);
  return createLot(call.tx, call.principal, {
    plantId: order.plantId,
    materialId,
    lotCode: order.number,
    producedAt: at,
  });
}

/**
 * What refuses a booking rather than the batch: the ledger's rules (a domain error) and a row the
 * database refuses (SQLSTATE classes 22 and 23, PostgreSQL manual appendix A). Anything else —
 * a lost connection, a serialization failure — fails the batch, and the edge sends it again.
 */
function refusesBooking(error: unknown): boolean {
  if (error instanceof DomainError) return true;
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause ?? error;
  const code = (cause as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('22') || code.startsWith('23'));
}

/** Bookings of counted parts, newest first, for an order or a plant (or all the caller reaches). */
export function listProductionBookings(
  tx: Sql,
  input: {
    plantId?: string | undefined;
    orderId?: string | undefined;
    result?: tables.ProductionBookingResult | undefined;
    limit: number;
  },
) {
  const lot = tables.materialLots;
  const loc = tables.inventoryLocations;
  return tx
    .select({
      id: pb.id,
      plantId: pb.plantId,
      at: pb.at,
      machineCode: tables.machines.code,
      productionOrderId: pb.productionOrderId,
      orderNumber: pb.orderNumber,
      good: pb.good,
      counts: sql<number>`cardinality(${pb.eventIds})`,
      result: pb.result,
      message: pb.message,
      lotId: pb.lotId,
      lotCode: lot.lotCode,
      locationCode: loc.code,
      groupId: pb.groupId,
      shortages: pb.shortages,
    })
    .from(pb)
    .innerJoin(
      tables.machines,
      and(eq(tables.machines.tenantId, pb.tenantId), eq(tables.machines.id, pb.machineId)),
    )
    .leftJoin(lot, and(eq(lot.tenantId, pb.tenantId), eq(lot.id, pb.lotId)))
    .leftJoin(loc, and(eq(loc.tenantId, pb.tenantId), eq(loc.id, pb.locationId)))
    .where(
      and(
        input.plantId === undefined ? undefined : eq(pb.plantId, input.plantId),
        input.orderId === undefined ? undefined : eq(pb.productionOrderId, input.orderId),
        input.result === undefined ? undefined : eq(pb.result, input.result),
      ),
    )
    .orderBy(desc(pb.at), desc(pb.createdAt))
    .limit(input.limit);
}

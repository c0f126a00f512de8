import { randomUUID } from 'node:crypto';
import { tables } from '@plantline/schema';
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Sql } from '../../db/index.js';
import { rows } from '../../db/index.js';
import { audit, DomainError, type Principal } from '../../platform/index.js';
import { getMaterial } from './catalogue.js';
import { type MovementRow, writeMovements } from './ledger.js';
import { getLocation } from './locations.js';
import { getLot } from './lots.js';
import { orderMaterials, orderRow } from './order-materials.js';

/*
 * Backflush on completion (docs/materials.md, "Backflush"): completing an order that backflushes
 * consumes, for each backflushed component, what the produced quantity requires minus what was already
 * consumed, from the line-side location, lots first-expiry-first-out. Every shortage is collected
 * before anything is written, and one refuses the completion with the whole list.
 */

const b = tables.inventoryBalances;
const l = tables.inventoryLocations;

/**
 * The order's line-side location; else its line's line side (the location consume scans take from,
 * `inventory_locations.line_id`); else the plant's first active production location by code; else
 * null: the plant keeps no stock at its lines.
 */
export async function findLineSide(
  tx: Sql,
  order: { plantId: string; lineId: string | null; lineSideLocationId: string | null },
) {
  if (order.lineSideLocationId !== null) return getLocation(tx, order.lineSideLocationId);
  const [found] = await tx
    .select({ id: l.id })
    .from(l)
    .where(and(eq(l.plantId, order.plantId), eq(l.kind, 'production'), eq(l.isActive, true)))
    .orderBy(sql`${l.lineId} is not distinct from ${order.lineId} desc`, asc(l.code))
    .limit(1);
  return found === undefined ? null : getLocation(tx, found.id);
}

async function lineSide(
  tx: Sql,
  order: { plantId: string; lineId: string | null; lineSideLocationId: string | null; number: string },
) {
  const found = await findLineSide(tx, order);
  if (found === null)
    throw new DomainError(
      'invalid',
      `Order ${order.number} backflushes, but its plant has no production location to take from; choose the line-side location on the order`,
      { lineSideLocationId: 'None' },
    );
  return found;
}

interface Take {
  lotId: string | null;
  quantity: string;
}

/**
 * `need` of a material at a location, taken from its released lots with stock, earliest expiry first
 * (no expiry last, then oldest lot), or from the stock without lot; `short` is what is missing.
 */
async function allocate(tx: Sql, materialId: string, locationId: string, need: string) {
  // Lock the balances first, so a consumption racing this one waits and the allocation stays true.
  await tx
    .select({ id: b.id })
    .from(b)
    .where(and(eq(b.materialId, materialId), eq(b.locationId, locationId)))
    .orderBy(asc(b.id))
    .for('update');
  const takes = await rows<Take & { available: string; short: string }>(
    tx,
    sql`with stock as (
          select ${b.lotId} as lot_id, ${b.quantity} as quantity,
                 sum(${b.quantity}) over (order by lot.expires_on nulls last, lot.created_at, lot.lot_code
                   rows unbounded preceding) as running
            from ${b} left join ${tables.materialLots} lot on lot.id = ${b.lotId}
           where ${b.materialId} = ${materialId} and ${b.locationId} = ${locationId} and ${b.quantity} > 0
             and (${b.lotId} is null or lot.status = 'released')
        )
        select lot_id as "lotId", least(quantity, ${need}::numeric - (running - quantity))::text as quantity,
               (select coalesce(sum(quantity), 0) from stock)::text as available,
               greatest(${need}::numeric - (select coalesce(sum(quantity), 0) from stock), 0)::text as short
          from stock where running - quantity < ${need}::numeric`,
  );
  if (takes.length > 0) return { takes, short: takes[0]!.short, available: takes[0]!.available };
  return { takes, short: need, available: '0' };
}

/** A backflushed component the line side cannot give in full. */
export interface Shortage {
  materialId: string;
  code: string;
  unit: string;
  location: string;
  needed: string;
  available: string;
}

export const shortageText = (s: Shortage) =>
  `${s.code}: ${s.needed} ${s.unit} needed at ${s.location}, ${s.available} available`;

type OrderMaterials = Awaited<ReturnType<typeof orderMaterials>>;

/**
 * The consumption rows that bring each backflushed component up to what `produced` requires, from
 * `location`, and the components it cannot give in full. With `partial`, a short component still
 * takes what there is (counted production, docs/materials.md, "Counted production"); without, it
 * takes nothing, since the caller refuses the whole act.
 */
export async function backflushRows(
  tx: Sql,
  view: OrderMaterials,
  location: Awaited<ReturnType<typeof getLocation>>,
  produced: string,
  quantity: string,
  partial: boolean,
) {
  const movements: MovementRow[] = [];
  const shortages: Shortage[] = [];
  if (!view.backflush) return { movements, shortages };
  for (const item of view.components.filter((c) => c.backflush === true)) {
    // What the produced quantity requires, less what was consumed already; never negative.
    const [due] = await rows<{ need: string; positive: boolean }>(
      tx,
      sql`select trim_scale(greatest(round(${produced}::numeric / ${quantity}::numeric
                 * ${item.planned}::numeric, 6) - ${item.consumed}::numeric, 0))::text as need,
               round(${produced}::numeric / ${quantity}::numeric * ${item.planned}::numeric, 6)
                 - ${item.consumed}::numeric > 0 as positive`,
    );
    if (due === undefined || !due.positive) continue;
    const material = await getMaterial(tx, item.materialId);
    const { takes, short, available } = await allocate(tx, material.id, location.id, due.need);
    const shortBy = Number(short) > 0;
    // A location that may go negative takes the rest of an untracked material without stock.
    const negativeRest = shortBy && location.allowNegative && !material.lotTracked;
    if (shortBy && !negativeRest) {
      shortages.push({
        materialId: material.id,
        code: material.code,
        unit: material.baseUnit,
        location: location.code,
        needed: due.need,
        available,
      });
      if (!partial) continue;
    }
    for (const take of takes) {
      const lot = take.lotId === null ? null : await getLot(tx, take.lotId);
      movements.push({ kind: 'consumption', material, lot, location, quantity: `-${take.quantity}` });
    }
    if (negativeRest)
      movements.push({ kind: 'consumption', material, lot: null, location, quantity: `-${short}` });
  }
  return { movements, shortages };
}

/**
 * Writes the backflush of a completing order as one act, or refuses with every shortage. Returns the
 * rows written (none when the order does not backflush or nothing is left to consume).
 */
export async function backflushOrder(
  tx: Sql,
  by: Pick<Principal, 'tenantId' | 'userId'>,
  orderId: string,
  time = new Date(),
) {
  const order = await orderRow(tx, orderId);
  const view = await orderMaterials(tx, orderId);
  if (!view.backflush || !view.components.some((c) => c.backflush === true)) return [];
  const location = await lineSide(tx, order);
  const { movements, shortages } = await backflushRows(
    tx,
    view,
    location,
    view.output.produced,
    order.quantity,
    false,
  );
  if (shortages.length > 0)
    throw new DomainError(
      'invalid',
      `Order ${order.number} cannot complete: not enough stock to backflush. ${shortages.map(shortageText).join('; ')}`,
      { shortages: shortages.map(shortageText).join('\n') },
    );
  if (movements.length === 0) return [];
  const written = await writeMovements(tx, by, {
    time,
    rows: movements,
    groupId: randomUUID(),
    productionOrderId: order.id,
    orderCode: order.number,
    note: 'Backflush on completion',
  });
  const first = written[0]!;
  audit(tx, {
    action: 'inventory_movement.backflush',
    entityType: 'inventory_movement',
    entityId: first.id,
    entityLabel: order.number,
    plantId: first.plantId,
    before: null,
    after: {
      time: time.toISOString(),
      groupId: first.groupId,
      rows: written.map((w) => ({ materialId: w.materialId, lotId: w.lotId, quantity: w.quantity })),
    },
  });
  return written;
}

import { tables } from '@plantline/schema';
import { and, eq, isNull, type SQL, sql } from 'drizzle-orm';
import type { Sql } from '../../db/index.js';
import { rows } from '../../db/index.js';
import { DomainError, type Principal, withConstraintErrors } from '../../platform/index.js';
import type { Material } from './catalogue.js';
import type { Location } from './locations.js';
import type { Lot } from './lots.js';
import { lotPresenceRefusal, lotRefusal, timeRefusal } from './stock-rules.js';

/*
 * Writing the stock ledger (docs/materials.md, "The ledger"). Every movement of one act is checked,
 * then written; the database trigger adds each row to its day bucket and to the current balance in
 * the same transaction. A movement first locks its balance row (inventory_balances), so two issues
 * of the same stock run one after the other and the second sees what the first left. Rows are
 * locked in one order (material, lot, location) so two acts touching the same stocks cannot deadlock.
 */

/** One (material, lot, location): what a balance is kept for. */
export interface StockKey {
  materialId: string;
  lotId: string | null;
  locationId: string;
}

/** A row to write, resolved and in the material's base unit (`quantity` signed, a numeric string). */
export interface MovementRow {
  kind: tables.MovementKind;
  material: Pick<Material, 'id' | 'code' | 'lotTracked'>;
  lot: Pick<Lot, 'id' | 'lotCode' | 'status' | 'materialId'> | null;
  location: Pick<Location, 'id' | 'plantId' | 'code' | 'allowNegative' | 'isActive'>;
  quantity: string;
  reversesId?: string | undefined;
}

export interface MovementAct {
  time: Date;
  rows: readonly MovementRow[];
  groupId?: string | null | undefined;
  productionOrderId?: string | null | undefined;
  orderCode?: string | null | undefined;
  note?: string | undefined;
}

const b = tables.inventoryBalances;
const mv = tables.inventoryMovements;
const days = tables.inventoryBalanceDays;

const sameLot = (column: typeof mv.lotId | typeof b.lotId | typeof days.lotId, lotId: string | null) =>
  lotId === null ? isNull(column) : eq(column, lotId);

/** The rows of `table` for one stock key. */
function keyOf(table: typeof mv | typeof b | typeof days, key: StockKey): SQL | undefined {
  return and(
    eq(table.materialId, key.materialId),
    sameLot(table.lotId, key.lotId),
    eq(table.locationId, key.locationId),
  );
}

/** The UTC day of an instant and the instant that day starts, as SQL over a timestamptz parameter. */
export const utcDay = (at: Date) => sql`(${at.toISOString()}::timestamptz at time zone 'UTC')::date`;
export const utcDayStart = (at: Date) =>
  sql`((${at.toISOString()}::timestamptz at time zone 'UTC')::date::timestamp at time zone 'UTC')`;

/** Creates the key's balance row if it has none and locks it until the transaction ends. */
async function lockBalance(tx: Sql, tenantId: string, plantId: string, key: StockKey) {
  await tx
    .insert(b)
    .values({ tenantId, plantId, ...key, quantity: '0' })
    .onConflictDoNothing();
  await tx.select({ id: b.id }).from(b).where(keyOf(b, key)).for('update');
}

/**
 * The lowest the key's stock stands at any instant from `time` on: its balance as of `time`, lowered
 * by every later dip. A movement taking `q` out at `time` leaves no instant negative when this ≥ q.
 * The balance as of `time` is the day buckets before its day plus the raw movements of that day.
 */
export async function lowestBalanceFrom(tx: Sql, key: StockKey, time: Date): Promise<string> {
  const [row] = await rows<{ lowest: string }>(
    tx,
    sql`with at as (
          select coalesce((select sum(${days.quantity}) from ${days} where ${keyOf(days, key)} and ${days.day} < ${utcDay(time)}), 0)
            + coalesce((select sum(${mv.quantity}) from ${mv}
                where ${keyOf(mv, key)} and ${mv.time} >= ${utcDayStart(time)} and ${mv.time} <= ${time.toISOString()}::timestamptz), 0)
            as balance
        ), later as (
          select sum(sum(${mv.quantity})) over (order by ${mv.time}) as running
          from ${mv} where ${keyOf(mv, key)} and ${mv.time} > ${time.toISOString()}::timestamptz
          group by ${mv.time}
        )
        select ((select balance from at) + least(0, coalesce((select min(running) from later), 0)))::text as lowest`,
  );
  return row?.lowest ?? '0';
}

/** Why `row` may not be written, or null: its lot, its location, and the stock it would leave. */
async function refusal(tx: Sql, row: MovementRow, time: Date): Promise<string | null> {
  const presence = lotPresenceRefusal(row.material, row.lot?.id ?? null);
  if (presence !== null) return presence;
  if (row.lot !== null && row.lot.materialId !== row.material.id)
    return `Lot ${row.lot.lotCode} is not a lot of ${row.material.code}`;
  if (row.lot !== null) {
    const lotRule = lotRefusal(row.kind, row.lot.status, row.lot.lotCode);
    if (lotRule !== null) return lotRule;
  }
  if (!row.location.isActive) return `Location ${row.location.code} is inactive`;
  if (!row.quantity.startsWith('-') || row.location.allowNegative) return null;
  const key = { materialId: row.material.id, lotId: row.lot?.id ?? null, locationId: row.location.id };
  const lowest = await lowestBalanceFrom(tx, key, time);
  const [check] = await rows<{ short: boolean; left: string }>(
    tx,
    sql`select (${lowest}::numeric + ${row.quantity}::numeric) < 0 as short, ${lowest}::numeric::text as left`,
  );
  if (check?.short !== true) return null;
  const what = row.lot === null ? row.material.code : `${row.material.code} lot ${row.lot.lotCode}`;
  return `Not enough ${what} at ${row.location.code}: ${check.left} available, ${row.quantity.slice(1)} asked`;
}

const keyOrder = (r: MovementRow) => `${r.material.id}/${r.lot?.id ?? ''}/${r.location.id}`;

const movementConstraints = {
  inventory_movements_order_fk: () =>
    new DomainError('invalid', 'Production order not found', { productionOrderId: 'Not found' }),
  // Two reversals of one row racing: the second meets the first in the unique index.
  inventory_movements_reverses_key: () => new DomainError('conflict', 'This movement is already reversed'),
};

/**
 * Checks and writes the rows of one act at `act.time`, returning them as written. Refusals are
 * invalid-input errors naming the first rule broken; nothing is written then.
 */
export async function writeMovements(
  tx: Sql,
  principal: Pick<Principal, 'tenantId' | 'userId'>,
  act: MovementAct,
) {
  const now = new Date();
  const future = timeRefusal(act.time, now);
  if (future !== null) throw new DomainError('invalid', future, { time: 'In the future' });
  const ordered = [...act.rows].sort((x, y) => keyOrder(x).localeCompare(keyOrder(y)));
  for (const row of ordered)
    await lockBalance(tx, principal.tenantId, row.location.plantId, {
      materialId: row.material.id,
      lotId: row.lot?.id ?? null,
      locationId: row.location.id,
    });
  for (const row of act.rows) {
    const refused = await refusal(tx, row, act.time);
    if (refused !== null) throw new DomainError('invalid', refused);
  }
  const insert = tx
    .insert(mv)
    .values(
      act.rows.map((row) => ({
        tenantId: principal.tenantId,
        plantId: row.location.plantId,
        time: act.time,
        kind: row.kind,
        materialId: row.material.id,
        lotId: row.lot?.id ?? null,
        locationId: row.location.id,
        quantity: row.quantity,
        groupId: act.groupId ?? null,
        reversesId: row.reversesId ?? null,
        productionOrderId: act.productionOrderId ?? null,
        orderCode: act.orderCode ?? null,
        note: act.note ?? '',
        recordedBy: principal.userId,
      })),
    )
    .returning();
  return withConstraintErrors(insert, movementConstraints);
}

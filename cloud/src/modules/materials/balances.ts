import { tables } from '@plantline/schema';
import { and, desc, eq, gte, lt, lte, ne, or, type SQL, sql } from 'drizzle-orm';
import type { Sql } from '../../db/index.js';
import { rows } from '../../db/index.js';
import { notFound } from '../../platform/index.js';
import { utcDay, utcDayStart } from './ledger.js';

/*
 * Reading stock (docs/materials.md, "Balances"): now, from the maintained balance rows; as of any
 * past instant, in one query over the day buckets before that instant's UTC day and the raw
 * movements of the day up to the instant — nothing reposted when a movement is dated back.
 */

export interface StockFilter {
  plantId?: string | undefined;
  materialId?: string | undefined;
  lotId?: string | undefined;
  locationId?: string | undefined;
}

type Keyed =
  | typeof tables.inventoryBalances
  | typeof tables.inventoryBalanceDays
  | typeof tables.inventoryMovements;

function filtered(table: Keyed, filter: StockFilter): SQL[] {
  return [
    filter.plantId === undefined ? undefined : eq(table.plantId, filter.plantId),
    filter.materialId === undefined ? undefined : eq(table.materialId, filter.materialId),
    filter.lotId === undefined ? undefined : eq(table.lotId, filter.lotId),
    filter.locationId === undefined ? undefined : eq(table.locationId, filter.locationId),
  ].filter((c): c is SQL => c !== undefined);
}

export interface Balance {
  plantId: string;
  materialId: string;
  materialCode: string;
  baseUnit: string;
  lotId: string | null;
  lotCode: string | null;
  locationId: string;
  locationCode: string;
  /** In the material's base unit, as an exact decimal string. */
  quantity: string;
}

/** Names the stock keys of `stock` (a subquery with plant, material, lot, location and quantity). */
async function named(tx: Sql, stock: SQL): Promise<Balance[]> {
  const found = await rows<{
    plant_id: string;
    material_id: string;
    material_code: string;
    base_unit: string;
    lot_id: string | null;
    lot_code: string | null;
    location_id: string;
    location_code: string;
    quantity: string;
  }>(
    tx,
    sql`select s.plant_id, s.material_id, m.code as material_code, m.base_unit, s.lot_id, l.lot_code,
          s.location_id, loc.code as location_code, s.quantity::text as quantity
        from (${stock}) s
        join materials m on m.tenant_id = (select plantline.current_tenant_id()) and m.id = s.material_id
        join inventory_locations loc on loc.tenant_id = m.tenant_id and loc.id = s.location_id
        left join material_lots l on l.tenant_id = m.tenant_id and l.id = s.lot_id
        order by m.code, loc.code, l.lot_code nulls first`,
  );
  return found.map((r) => ({
    plantId: r.plant_id,
    materialId: r.material_id,
    materialCode: r.material_code,
    baseUnit: r.base_unit,
    lotId: r.lot_id,
    lotCode: r.lot_code,
    locationId: r.location_id,
    locationCode: r.location_code,
    quantity: r.quantity,
  }));
}

/** Every non-zero balance the filter selects, now. */
export function balancesNow(tx: Sql, filter: StockFilter) {
  const b = tables.inventoryBalances;
  return named(
    tx,
    tx
      .select({
        plant_id: b.plantId,
        material_id: b.materialId,
        lot_id: b.lotId,
        location_id: b.locationId,
        quantity: b.quantity,
      })
      .from(b)
      .where(and(...filtered(b, filter), ne(b.quantity, '0')))
      .getSQL(),
  );
}

/** Every non-zero balance the filter selects as it stood at `at` (movements dated up to and at `at`). */
export function balancesAsOf(tx: Sql, filter: StockFilter, at: Date) {
  const d = tables.inventoryBalanceDays;
  const mv = tables.inventoryMovements;
  const dayFilter = and(...filtered(d, filter), lt(d.day, utcDay(at)));
  const rawFilter = and(...filtered(mv, filter), gte(mv.time, utcDayStart(at)), lte(mv.time, at));
  return named(
    tx,
    sql`select plant_id, material_id, lot_id, location_id, sum(quantity) as quantity from (
          select ${d.plantId} as plant_id, ${d.materialId} as material_id, ${d.lotId} as lot_id,
            ${d.locationId} as location_id, ${d.quantity} as quantity from ${d} where ${dayFilter}
          union all
          select ${mv.plantId}, ${mv.materialId}, ${mv.lotId}, ${mv.locationId}, ${mv.quantity}
            from ${mv} where ${rawFilter}
        ) parts group by plant_id, material_id, lot_id, location_id having sum(quantity) <> 0`,
  );
}

const mv = tables.inventoryMovements;
const movementColumns = {
  id: mv.id,
  plantId: mv.plantId,
  time: mv.time,
  recordedAt: mv.recordedAt,
  kind: mv.kind,
  materialId: mv.materialId,
  lotId: mv.lotId,
  locationId: mv.locationId,
  quantity: mv.quantity,
  groupId: mv.groupId,
  reversesId: mv.reversesId,
  productionOrderId: mv.productionOrderId,
  orderCode: mv.orderCode,
  note: mv.note,
  recordedBy: mv.recordedBy,
};

/**
 * The ledger's rows the filter selects, latest effective time first, a page at a time: `cursor` is
 * the last row of the previous page, and rows dated back after it was read land where they belong.
 */
export async function listMovements(
  tx: Sql,
  input: StockFilter & {
    kind?: tables.MovementKind | undefined;
    from?: Date | undefined;
    to?: Date | undefined;
    limit: number;
    cursor?: string | undefined;
  },
) {
  let after: SQL | undefined;
  if (input.cursor !== undefined) {
    const [last] = await tx.select({ time: mv.time, id: mv.id }).from(mv).where(eq(mv.id, input.cursor));
    if (last === undefined) throw notFound('Movement');
    after = or(lt(mv.time, last.time), and(eq(mv.time, last.time), lt(mv.id, last.id)));
  }
  const { materials: m, materialLots: lot, inventoryLocations: loc } = tables;
  return (
    tx
      .select({
        ...movementColumns,
        materialCode: m.code,
        baseUnit: m.baseUnit,
        lotCode: lot.lotCode,
        locationCode: loc.code,
      })
      .from(mv)
      // Named for the pages that list the ledger (docs/materials.md, "Stock pages").
      .innerJoin(m, and(eq(m.tenantId, mv.tenantId), eq(m.id, mv.materialId)))
      .leftJoin(lot, and(eq(lot.tenantId, mv.tenantId), eq(lot.id, mv.lotId)))
      .innerJoin(loc, and(eq(loc.tenantId, mv.tenantId), eq(loc.id, mv.locationId)))
      .where(
        and(
          ...filtered(mv, input),
          input.kind === undefined ? undefined : eq(mv.kind, input.kind),
          input.from === undefined ? undefined : gte(mv.time, input.from),
          input.to === undefined ? undefined : lt(mv.time, input.to),
          after,
        ),
      )
      .orderBy(desc(mv.time), desc(mv.id))
      .limit(input.limit)
  );
}

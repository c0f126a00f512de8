import { type SQL, sql } from 'drizzle-orm';
import { rows, type Sql } from '../../db/index.js';
import { DomainError, notFound } from '../../platform/index.js';
import { depths, holds, type TraceDirection } from './trace-graph.js';

/*
 * Trace (docs/materials.md, "Trace"): forward — where did a lot go: the lots made from it, the orders
 * that made them, the shipments and customers and the other plants they reached — or backward — what
 * went into a lot or serial. One recursive statement finds every edge of the graph; its UNION keeps
 * one row per lot, so each lot is visited once however many paths lead to it (no path enumeration).
 * Shipments are linked through what was packed: package contents record the product and lot code of
 * every packing, and a lot is its material's product with that code.
 */

export type TraceStart = { lotId: string } | { serialId: string } | { supplierLot: string };

export interface TraceNode {
  lotId: string;
  lotCode: string;
  materialId: string;
  materialCode: string;
  materialName: string;
  baseUnit: string;
  status: string;
  plantId: string;
  depth: number;
  /** Stock of the lot now, in the plants the caller reaches, in the base unit. */
  onHand: string;
  /** The blocked lot this one is held by: itself, or one it was made from; null when none. */
  heldBy: string | null;
}

export interface TraceEdge {
  parentLotId: string;
  childLotId: string;
  kind: string;
  quantity: string;
  productionOrderId: string | null;
  plantId: string;
}

export interface TraceShipment {
  shipmentId: string;
  number: string;
  status: string;
  shippedAt: string | null;
  plantId: string;
  customerId: string;
  customerCode: string;
  customerName: string;
  lotId: string;
  quantity: string;
}

export interface TraceTransfer {
  transferOrderId: string;
  number: string;
  status: string;
  fromPlantId: string;
  toPlantId: string;
  shippedAt: string | null;
  lotId: string;
  quantity: string;
}

export interface Trace {
  direction: TraceDirection;
  rootLotIds: string[];
  /** The lots, nearest first: the rows of the trace's table and the nodes of its graph. */
  nodes: TraceNode[];
  edges: TraceEdge[];
  orders: { id: string; number: string; plantId: string }[];
  /** Forward only: what was packed from the traced lots for customers and for other plants. */
  shipments: TraceShipment[];
  transfers: TraceTransfer[];
  plants: { id: string; code: string; name: string }[];
}

const tenant = sql`(select plantline.current_tenant_id())`;

/** The lots a trace starts from: the lot, the serial's lot, or every lot with the supplier's lot code. */
export async function traceRoots(tx: Sql, start: TraceStart): Promise<string[]> {
  if ('lotId' in start) {
    const found = await rows<{ id: string }>(
      tx,
      sql`select id from material_lots where id = ${start.lotId}::uuid`,
    );
    if (found.length === 0) throw notFound('Lot');
    return [start.lotId];
  }
  if ('serialId' in start) {
    const [serial] = await rows<{ serial: string; lot_id: string | null }>(
      tx,
      sql`select serial, lot_id from serial_numbers where id = ${start.serialId}::uuid`,
    );
    if (serial === undefined) throw notFound('Serial number');
    if (serial.lot_id === null)
      throw new DomainError(
        'invalid',
        `Serial ${serial.serial} belongs to no lot: there is nothing to trace`,
      );
    return [serial.lot_id];
  }
  const found = await rows<{ id: string }>(
    tx,
    sql`select id from material_lots where tenant_id = ${tenant} and supplier_lot = ${start.supplierLot} order by id`,
  );
  if (found.length === 0) throw new DomainError('not_found', `No lot has supplier lot ${start.supplierLot}`);
  return found.map((r) => r.id);
}

/**
 * Every edge reachable from `roots` in `direction`, in one statement. `reach` holds lot ids only and
 * grows by UNION, so a lot already reached is not walked again: each lot and edge is visited once,
 * and a cycle (two orders each consuming what the other made) ends the walk instead of looping.
 */
function reachedEdges(roots: readonly string[], direction: TraceDirection): SQL {
  const [from, to] =
    direction === 'forward'
      ? [sql`parent_lot_id`, sql`child_lot_id`]
      : [sql`child_lot_id`, sql`parent_lot_id`];
  return sql`with recursive reach(lot_id) as (
      select unnest(${sql.param(roots)}::uuid[])
      union
      select g.${to} from lot_genealogy g join reach r on g.tenant_id = ${tenant} and g.${from} = r.lot_id
    )
    select g.parent_lot_id, g.child_lot_id, g.kind, g.quantity::text as quantity, g.production_order_id, g.plant_id
      from reach r join lot_genealogy g on g.tenant_id = ${tenant} and g.${from} = r.lot_id`;
}

/** Blocked lots upstream of `roots` (outside a forward trace), each with the roots it holds. */
async function blocksAbove(tx: Sql, roots: readonly string[]): Promise<Map<string, string>> {
  const found = await rows<{ lot_code: string }>(
    tx,
    sql`with recursive up(lot_id) as (
          select unnest(${sql.param(roots)}::uuid[])
          union
          select g.parent_lot_id from lot_genealogy g join up on g.tenant_id = ${tenant} and g.child_lot_id = up.lot_id
        )
        select l.lot_code from up join material_lots l on l.tenant_id = ${tenant} and l.id = up.lot_id
         where l.status = 'blocked' and not (l.id = any(${sql.param(roots)}::uuid[]))
         order by l.lot_code limit 1`,
  );
  const by = found[0]?.lot_code;
  return new Map(by === undefined ? [] : roots.map((r) => [r, by]));
}

/**
 * The trace from `start`. `withShipments` says whether the caller may see customers and shipments
 * (logistics.read); without it, a forward trace stops at lots, orders and plants.
 */
export async function traceLots(
  tx: Sql,
  input: { start: TraceStart; direction: TraceDirection; withShipments: boolean },
): Promise<Trace> {
  const { start, direction } = input;
  const rootLotIds = await traceRoots(tx, start);
  const edges = (
    await rows<{
      parent_lot_id: string;
      child_lot_id: string;
      kind: string;
      quantity: string;
      production_order_id: string | null;
      plant_id: string;
    }>(tx, reachedEdges(rootLotIds, direction))
  ).map((e) => ({
    parentLotId: e.parent_lot_id,
    childLotId: e.child_lot_id,
    kind: e.kind,
    quantity: e.quantity,
    productionOrderId: e.production_order_id,
    plantId: e.plant_id,
  }));
  const depth = depths(rootLotIds, edges, direction);
  const ids = [...depth.keys()];
  const lots = await rows<{
    id: string;
    lot_code: string;
    material_id: string;
    material_code: string;
    material_name: string;
    base_unit: string;
    status: string;
    plant_id: string;
    on_hand: string;
  }>(
    tx,
    sql`select l.id, l.lot_code, l.material_id, m.code as material_code, m.name as material_name, m.base_unit,
          l.status, l.plant_id, coalesce(b.on_hand, 0)::text as on_hand
        from material_lots l
        join materials m on m.tenant_id = l.tenant_id and m.id = l.material_id
        left join (select lot_id, sum(quantity) as on_hand from inventory_balances
                    where tenant_id = ${tenant} and lot_id = any(${sql.param(ids)}::uuid[]) group by lot_id) b
          on b.lot_id = l.id
        where l.tenant_id = ${tenant} and l.id = any(${sql.param(ids)}::uuid[])`,
  );
  const above = direction === 'forward' ? await blocksAbove(tx, rootLotIds) : new Map<string, string>();
  const held = holds(
    lots.map((l) => ({ lotId: l.id, lotCode: l.lot_code, status: l.status })),
    edges,
    above,
  );
  const nodes: TraceNode[] = lots
    .map((l) => ({
      lotId: l.id,
      lotCode: l.lot_code,
      materialId: l.material_id,
      materialCode: l.material_code,
      materialName: l.material_name,
      baseUnit: l.base_unit,
      status: l.status,
      plantId: l.plant_id,
      depth: depth.get(l.id) ?? 0,
      onHand: l.on_hand,
      heldBy: held.get(l.id) ?? null,
    }))
    .sort(
      (a, b) =>
        a.depth - b.depth ||
        a.materialCode.localeCompare(b.materialCode) ||
        a.lotCode.localeCompare(b.lotCode),
    );
  const orderIds = [
    ...new Set(edges.map((e) => e.productionOrderId).filter((id): id is string => id !== null)),
  ];
  const orders = await rows<{ id: string; number: string; plant_id: string }>(
    tx,
    sql`select id, number, plant_id from production_orders
         where tenant_id = ${tenant} and id = any(${sql.param(orderIds)}::uuid[]) order by number`,
  );
  const shipped =
    direction === 'forward' && input.withShipments
      ? await packedFrom(tx, ids)
      : { shipments: [], transfers: [] };
  const plantIds = new Set([
    ...nodes.map((n) => n.plantId),
    ...edges.map((e) => e.plantId),
    ...shipped.shipments.map((s) => s.plantId),
    ...shipped.transfers.map((t) => t.toPlantId),
  ]);
  const plants = await rows<{ id: string; code: string; name: string }>(
    tx,
    sql`select id, code, name from plants where tenant_id = ${tenant} and id = any(${sql.param([...plantIds])}::uuid[]) order by code`,
  );
  return {
    direction,
    rootLotIds,
    nodes,
    edges,
    orders: orders.map((o) => ({ id: o.id, number: o.number, plantId: o.plant_id })),
    ...shipped,
    plants,
  };
}

/** What was packed from `lotIds` into shipments (not cancelled) and into transfers to other plants. */
async function packedFrom(tx: Sql, lotIds: readonly string[]) {
  const packed = sql`material_lots l
    join materials m on m.tenant_id = l.tenant_id and m.id = l.material_id and m.product_id is not null
    join package_contents pc on pc.tenant_id = l.tenant_id and pc.product_id = m.product_id and pc.lot = l.lot_code`;
  const lots = sql`l.tenant_id = ${tenant} and l.id = any(${sql.param(lotIds)}::uuid[])`;
  const shipments = await rows<{
    shipment_id: string;
    number: string;
    status: string;
    shipped_at: Date | string | null;
    plant_id: string;
    customer_id: string;
    customer_code: string;
    customer_name: string;
    lot_id: string;
    quantity: string;
  }>(
    tx,
    sql`select s.id as shipment_id, s.number, s.status, s.shipped_at, s.plant_id, c.id as customer_id,
          c.code as customer_code, c.name as customer_name, l.id as lot_id, sum(pc.quantity)::text as quantity
        from ${packed}
        join shipment_items si on si.tenant_id = pc.tenant_id and si.id = pc.shipment_item_id
        join shipments s on s.tenant_id = si.tenant_id and s.id = si.shipment_id and s.status <> 'cancelled'
        join customers c on c.tenant_id = s.tenant_id and c.id = s.customer_id
        where ${lots}
        group by s.id, c.id, l.id
        order by c.code, s.number, l.id`,
  );
  const transfers = await rows<{
    transfer_order_id: string;
    number: string;
    status: string;
    from_plant_id: string;
    to_plant_id: string;
    shipped_at: Date | string | null;
    lot_id: string;
    quantity: string;
  }>(
    tx,
    sql`select t.id as transfer_order_id, t.number, t.status, t.from_plant_id, t.to_plant_id, t.shipped_at, l.id as lot_id,
          sum(pc.quantity)::text as quantity
        from ${packed}
        join transfer_items ti on ti.tenant_id = pc.tenant_id and ti.id = pc.transfer_item_id
        join transfer_orders t on t.tenant_id = ti.tenant_id and t.id = ti.transfer_order_id and t.status <> 'cancelled'
        where ${lots}
        group by t.id, l.id
        order by t.number, l.id`,
  );
  return {
    shipments: shipments.map((s) => ({
      shipmentId: s.shipment_id,
      number: s.number,
      status: s.status,
      shippedAt: s.shipped_at === null ? null : new Date(s.shipped_at).toISOString(),
      plantId: s.plant_id,
      customerId: s.customer_id,
      customerCode: s.customer_code,
      customerName: s.customer_name,
      lotId: s.lot_id,
      quantity: s.quantity,
    })),
    transfers: transfers.map((t) => ({
      transferOrderId: t.transfer_order_id,
      number: t.number,
      status: t.status,
      fromPlantId: t.from_plant_id,
      toPlantId: t.to_plant_id,
      shippedAt: t.shipped_at === null ? null : new Date(t.shipped_at).toISOString(),
      lotId: t.lot_id,
      quantity: t.quantity,
    })),
  };
}

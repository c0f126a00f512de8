import { type SQL, sql } from 'drizzle-orm';
import type { TraceDirection } from './trace-graph.js';

/*
 * The trace in two statements (docs/materials.md, "Trace"), which a reading transaction runs side by
 * side on two connections over one snapshot (db/parallel-reads.ts): the lots and their edges, and what
 * was packed of them. In each, `reach` holds lot ids only and grows by UNION, so a lot already reached
 * is not walked again: each lot and edge is visited once, whatever the diamonds, and a cycle (two
 * orders each consuming what the other made) ends the walk instead of looping. Both walk the graph —
 * a few hundredths of a second that buys running the rest in parallel. The lots, edges, orders,
 * shipments, transfers and plants come back as compact JSON arrays in one row per statement, so the
 * reached set never travels to the application and back between queries. Shipments are found through
 * what was packed: package contents record the product and lot code of every packing, and a lot is
 * its material's product with that code.
 */

type Id = string;
type Instant = string | null;

/** The row of `traceLotsStatement`; each list is null when empty. */
export interface TraceLotsFound {
  edges: [Id, Id, string, string, Id | null, Id][] | null;
  lots: [Id, string, Id, string, string, string, string, Id, string][] | null;
  orders: [Id, string, Id][] | null;
  plants: [Id, string, string][] | null;
  /** The code of a blocked lot upstream of the start (forward traces only). */
  blocked_above: string | null;
}

/** The row of `tracePackingsStatement`; each list is null when empty. */
export interface TracePackingsFound {
  shipments: [Id, string, string, Instant, Id, Id, string, string, Id, string][] | null;
  transfers: [Id, string, string, Id, Id, Instant, Id, string][] | null;
  plants: [Id, string, string][] | null;
}

const tenant = sql`(select plantline.current_tenant_id())`;

/** The walk from `roots` in `direction`, as the recursive CTE `reach(lot_id)`. */
function reach(roots: readonly string[], direction: TraceDirection): SQL {
  const [from, to] =
    direction === 'forward'
      ? [sql`parent_lot_id`, sql`child_lot_id`]
      : [sql`child_lot_id`, sql`parent_lot_id`];
  return sql`reach(lot_id) as (
      select unnest(${sql.param(roots)}::uuid[])
      union
      select g.${to} from lot_genealogy g join reach r on g.tenant_id = ${tenant} and g.${from} = r.lot_id
    )`;
}

/** The reached lots, the edges between them, their orders and plants, and a block upstream. */
export function traceLotsStatement(roots: readonly string[], direction: TraceDirection): SQL {
  const forward = direction === 'forward';
  const from = forward ? sql`parent_lot_id` : sql`child_lot_id`;
  return sql`with recursive ${reach(roots, direction)}, upstream(lot_id) as (
      select unnest(${sql.param(roots)}::uuid[]) where ${forward}
      union
      select g.parent_lot_id from lot_genealogy g join upstream u on g.tenant_id = ${tenant} and g.child_lot_id = u.lot_id
    ), edges as materialized (
      select g.parent_lot_id, g.child_lot_id, g.kind, g.quantity, g.production_order_id, g.plant_id
        from reach r join lot_genealogy g on g.tenant_id = ${tenant} and g.${from} = r.lot_id
    ), lots as materialized (
      select l.id, l.lot_code, l.material_id, m.code, m.name, m.base_unit, l.status, l.plant_id,
             coalesce((select sum(b.quantity) from inventory_balances b
                        where b.tenant_id = ${tenant} and b.lot_id = l.id
                          and not exists (select 1 from inventory_locations t where t.tenant_id = ${tenant}
                                          and t.id = b.location_id and t.kind = 'transit')), 0) as on_hand
        from reach r
        join material_lots l on l.tenant_id = ${tenant} and l.id = r.lot_id
        cross join lateral (select m.code, m.name, m.base_unit from materials m
          where m.tenant_id = ${tenant} and m.id = l.material_id offset 0) m
    )
    select
      (select json_agg(json_build_array(parent_lot_id, child_lot_id, kind, quantity::text, production_order_id, plant_id))
         from edges) as edges,
      (select json_agg(json_build_array(id, lot_code, material_id, code, name, base_unit, status, plant_id, on_hand::text))
         from lots) as lots,
      (select json_agg(json_build_array(o.id, o.number, o.plant_id) order by o.number)
         from production_orders o
        where o.tenant_id = ${tenant} and o.id in (select production_order_id from edges)) as orders,
      (select json_agg(json_build_array(p.id, p.code, p.name) order by p.code)
         from plants p
        where p.tenant_id = ${tenant} and p.id in (select plant_id from lots union select plant_id from edges)) as plants,
      (select min(l.lot_code) from upstream u join material_lots l on l.tenant_id = ${tenant} and l.id = u.lot_id
        where l.status = 'blocked' and not (u.lot_id = any(${sql.param(roots)}::uuid[]))) as blocked_above`;
}

/** What was packed of the lots a forward walk reaches: the shipments and transfers, and their plants. */
export function tracePackingsStatement(roots: readonly string[]): SQL {
  // From each reached lot to its packings, and on by key: lateral joins keep that order whatever the
  // planner guesses of the reached set's size (a guess too small once read every packing per lot, and
  // joined every lot to every material); `offset 0` keeps each subquery from being flattened back into
  // a join the planner may reorder. The packings are read once, for shipments and transfers alike.
  return sql`with recursive ${reach(roots, 'forward')}, lots as materialized (
      select l.id, l.lot_code, m.product_id
        from reach r
        join material_lots l on l.tenant_id = ${tenant} and l.id = r.lot_id
        cross join lateral (select m.product_id from materials m
          where m.tenant_id = ${tenant} and m.id = l.material_id offset 0) m
    ), packings as materialized (
      select l.id as lot_id, pc.shipment_item_id, pc.transfer_item_id, pc.quantity
        from lots l
        cross join lateral (select pc.shipment_item_id, pc.transfer_item_id, pc.quantity from package_contents pc
          where pc.tenant_id = ${tenant} and pc.product_id = l.product_id and pc.lot = l.lot_code offset 0) pc
    ), shipped as materialized (
      select s.id, s.number, s.status, s.shipped_at, s.plant_id, c.id as customer_id, c.code, c.name,
             pc.lot_id, sum(pc.quantity) as quantity
        from packings pc
        cross join lateral (select si.shipment_id from shipment_items si
          where si.tenant_id = ${tenant} and si.id = pc.shipment_item_id offset 0) si
        cross join lateral (select s.* from shipments s
          where s.tenant_id = ${tenant} and s.id = si.shipment_id and s.status <> 'cancelled' offset 0) s
        cross join lateral (select c.id, c.code, c.name from customers c
          where c.tenant_id = ${tenant} and c.id = s.customer_id offset 0) c
       group by s.id, s.number, s.status, s.shipped_at, s.plant_id, c.id, c.code, c.name, pc.lot_id
    ), transferred as materialized (
      select t.id, t.number, t.status, t.from_plant_id, t.to_plant_id, t.shipped_at, pc.lot_id,
             sum(pc.quantity) as quantity
        from packings pc
        cross join lateral (select ti.transfer_order_id from transfer_items ti
          where ti.tenant_id = ${tenant} and ti.id = pc.transfer_item_id offset 0) ti
        cross join lateral (select t.* from transfer_orders t
          where t.tenant_id = ${tenant} and t.id = ti.transfer_order_id and t.status <> 'cancelled' offset 0) t
       group by t.id, t.number, t.status, t.from_plant_id, t.to_plant_id, t.shipped_at, pc.lot_id
    )
    select
      (select json_agg(json_build_array(id, number, status, shipped_at, plant_id, customer_id, code, name, lot_id,
                                        quantity::text) order by code, number, lot_id)
         from shipped) as shipments,
      (select json_agg(json_build_array(id, number, status, from_plant_id, to_plant_id, shipped_at, lot_id,
                                        quantity::text) order by number, lot_id)
         from transferred) as transfers,
      (select json_agg(json_build_array(p.id, p.code, p.name) order by p.code)
         from plants p
        where p.tenant_id = ${tenant} and p.id in (
          select plant_id from shipped union select to_plant_id from transferred)) as plants`;
}

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import type { Database } from '../../db/index.js';
import { rows } from '../../db/index.js';

/*
 * What each demo line is making (docs/demo.md, "Materials and stock"): on every start the cloud
 * writes the demo tenant's orders in progress, per plant and line, with what is left to make, and
 * `pnpm start` hands them to the simulators (stack/main.ts), whose line ends then count for these
 * orders. So the simulated counts name real orders, and the ledger books them into the orders' lots
 * (docs/materials.md, "Counted production").
 */

export const DEMO_LINE_ORDERS_FILE = 'demo-line-orders.json';

/** Per plant code, per line code: the order in progress there and the good parts still to make. */
export type DemoLineOrders = Record<
  string,
  Record<string, { number: string; product: string; quantity: number }>
>;

interface Row {
  plant: string;
  line: string;
  number: string;
  product: string;
  left: string;
}

/**
 * The demo tenant's orders in progress, the latest started on each line; left to make is the order's
 * quantity less the more of what the ledger says it produced and what its line's counts say it made.
 * Returns what it wrote, or null without a demo tenant.
 */
export async function writeDemoLineOrders(db: Database, dataDir: string): Promise<DemoLineOrders | null> {
  const [demo] = await db.ownerTransact(null, (tx) =>
    rows<{ id: string }>(tx, sql`select id from tenants where slug = 'demo'`),
  );
  if (demo === undefined) return null;
  const found = await db.ownerTransact({ tenantId: demo.id, plantIds: 'all' }, (tx) =>
    rows<Row>(
      tx,
      sql`select distinct on (o.line_id) p.code as plant, l.code as line, o.number, pr.code as product,
                 greatest(o.quantity - greatest(
                   (select coalesce(sum(mv.quantity), 0) from inventory_movements mv
                     join materials m on m.tenant_id = mv.tenant_id and m.id = mv.material_id
                    where mv.tenant_id = o.tenant_id and mv.production_order_id = o.id
                      and m.product_id = o.product_id and mv.kind in ('production', 'reversal')),
                   (select coalesce(sum(c.good), 0) from production_counts c
                     where c.machine_id in (select id from machines where tenant_id = o.tenant_id and line_id = o.line_id)
                       and c.time >= coalesce(o.planned_start, o.created_at) and c.order_code = o.number)
                 ), 0)::int::text as left
            from production_orders o
            join lines l on l.tenant_id = o.tenant_id and l.id = o.line_id
            join plants p on p.tenant_id = o.tenant_id and p.id = o.plant_id
            join products pr on pr.tenant_id = o.tenant_id and pr.id = o.product_id
           where o.tenant_id = ${demo.id}::uuid and o.status = 'in_progress'
           order by o.line_id, o.updated_at desc`,
    ),
  );
  const orders: DemoLineOrders = {};
  for (const row of found) {
    const left = Number(row.left);
    if (left <= 0) continue;
    orders[row.plant] ??= {};
    orders[row.plant]![row.line] = { number: row.number, product: row.product, quantity: left };
  }
  writeFileSync(join(dataDir, DEMO_LINE_ORDERS_FILE), JSON.stringify(orders), { mode: 0o600 });
  return orders;
}

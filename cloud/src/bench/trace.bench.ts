import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { type SQL, sql } from 'drizzle-orm';
import type { Database } from '../db/index.js';
import { rows } from '../db/index.js';
import { balancesAsOf, recallRows } from '../modules/materials/index.js';
import { createTenant } from '../modules/tenancy/index.js';
import type { Scope } from '../platform/index.js';
import { openBenchServer, percentile } from './bench-support.js';

/*
 * `pnpm bench trace` (docs/benchmarks.md, docs/materials.md "Trace"): on a PostgreSQL server,
 * BENCH_LOTS (1 000 000) lots in BENCH_LEVELS (10) levels, about 3 000 000 genealogy edges between
 * consecutive levels — each lot feeds 3 or 4 lots of the next level at strides that grow per level, so
 * paths rejoin (diamonds) and a supplier lot reaches about 10 000 lots — the last level shipped to
 * customers, and BENCH_MOVEMENTS (10 000 000) ledger movements spread over a year. Then, as the
 * application role through the module's own functions:
 * 1. forward trace + recall (recallRows: the trace, its lots and edges, the shipments) from
 *    BENCH_SAMPLES (30) random supplier lots: p50_ms, p99_ms, lots_reached;
 * 2. a lot's balance as of a random past instant (balancesAsOf): balance_p50_ms.
 * The data is loaded set-based by the server (generate_series, as the owner) with
 * session_replication_role = replica, so neither the ledger's per-row rollup trigger nor foreign-key
 * checks run for 10 M rows (the rows are consistent by construction); the rollups are then computed
 * set-based from the movements, as the trigger would have left them.
 */

const LOTS = Number(process.env.BENCH_LOTS ?? 1_000_000);
const LEVELS = Number(process.env.BENCH_LEVELS ?? 10);
const MOVEMENTS = Number(process.env.BENCH_MOVEMENTS ?? 10_000_000);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 30);
const ORDERS = 10_000;
const CUSTOMERS = 100;
const SHIPMENTS = 1_000;
const LOCATIONS = 20;
/** Strides from one level to the next: paths spread and rejoin, ~10 000 lots from one start. */
const STRIDES = [1, 3, 7, 17, 41, 97, 229, 541, 1277, 3001];

/** 0: the trace's two statements one after the other on one connection, to compare. */
const PARALLEL_READS = process.env.BENCH_PARALLEL_READS !== '0';
const log = (line: string) => process.stderr.write(`trace: ${line}\n`);
const perLevel = Math.floor(LOTS / LEVELS);
const movementsPerLot = Math.max(1, Math.floor(MOVEMENTS / (perLevel * LEVELS)));
const prefix = randomBytes(4).toString('hex');

/** A deterministic uuid for (kind, level, index), unique to this run. */
const uid = (kind: number | SQL, level: number | SQL, i: SQL) =>
  sql`(${prefix} || '-' || lpad(to_hex((${kind})::int), 4, '0') || '-4000-8' || lpad((${level})::text, 3, '0') || '-' || lpad(to_hex(${i}), 12, '0'))::uuid`;

async function load(db: Database) {
  const stamp = `${process.pid}-${Date.now()}`;
  const tenant = await createTenant(db, {
    name: 'Trace benchmark',
    slug: `bench-trace-${stamp}`,
    plants: [{ code: 'TRC', name: 'Trace plant', timezone: 'UTC' }],
    admin: {
      email: `bench-trace-${stamp}@bench.plantline.local`,
      displayName: 'Bench',
      password: 'benchmark-password-1',
    },
  });
  const tenantId = tenant.tenantId;
  const plantId = tenant.plantIds[0] as string;
  const t = sql`${tenantId}::uuid`;
  const p = sql`${plantId}::uuid`;
  const scope: Scope = { tenantId, plantIds: 'all' };
  const step = async (what: string, query: SQL) => {
    const started = performance.now();
    await db.ownerTransact(scope, async (tx) => {
      await tx.execute(sql`set local session_replication_role = replica`);
      await tx.execute(query);
    });
    log(`${what} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  };
  const level = sql`g.level`;
  await step(
    'materials, locations, orders, customers',
    sql`with unit as (insert into units (tenant_id, code, name, dimension) values (${t}, 'kg', 'Kilogram', 'mass')),
      product as (insert into products (id, tenant_id, code, name, unit) values (${uid(3, 0, sql`0`)}, ${t}, 'FG', 'Finished', 'kg')),
      mats as (insert into materials (id, tenant_id, code, name, kind, base_unit, lot_tracked, product_id)
        select ${uid(1, sql`l`, sql`0`)}, ${t}, 'MAT-' || l, 'Level ' || l,
               case when l = 0 then 'raw' when l = ${LEVELS - 1} then 'finished' else 'semi_finished' end, 'kg', true,
               case when l = ${LEVELS - 1} then ${uid(3, 0, sql`0`)} end
          from generate_series(0, ${LEVELS - 1}) l),
      locs as (insert into inventory_locations (id, tenant_id, plant_id, code, name, kind)
        select ${uid(2, 0, sql`n`)}, ${t}, ${p}, 'LOC-' || n, 'Location ' || n, 'warehouse' from generate_series(0, ${LOCATIONS - 1}) n),
      orders as (insert into production_orders (id, tenant_id, plant_id, number, product_id, quantity)
        select ${uid(4, 0, sql`n`)}, ${t}, ${p}, 'PO-' || n, ${uid(3, 0, sql`0`)}, 100 from generate_series(0, ${ORDERS - 1}) n),
      customers as (insert into customers (id, tenant_id, code, name)
        select ${uid(5, 0, sql`n`)}, ${t}, 'C-' || n, 'Customer ' || n from generate_series(0, ${CUSTOMERS - 1}) n)
      insert into customer_addresses (id, tenant_id, customer_id, label, name, country)
        select ${uid(6, 0, sql`n`)}, ${t}, ${uid(5, 0, sql`n`)}, 'Main', 'Customer ' || n, 'DE' from generate_series(0, ${CUSTOMERS - 1}) n`,
  );
  await step(
    `${perLevel * LEVELS} lots`,
    sql`insert into material_lots (id, tenant_id, plant_id, material_id, lot_code, supplier_lot, supplier)
      select ${uid(7, level, sql`g.i`)}, ${t}, ${p}, ${uid(1, level, sql`0`)}, 'L' || g.level || '-' || g.i,
             case when g.level = 0 then 'SUP-' || g.i end, case when g.level = 0 then 'Supplier' end
        from generate_series(0, ${LEVELS - 1}) as lv(level) cross join lateral
             (select lv.level, i from generate_series(0, ${perLevel - 1}) i) g`,
  );
  for (let k = 1; k < LEVELS; k++) {
    const stride = STRIDES[k - 1] ?? 1;
    await step(
      `edges into level ${k}`,
      sql`insert into lot_genealogy (tenant_id, plant_id, parent_lot_id, child_lot_id, kind, quantity, production_order_id, group_id, movement_id)
        select ${t}, ${p}, ${uid(7, k - 1, sql`i`)}, ${uid(7, k, sql`((i + ${stride} * d) % ${perLevel})`)}, 'production', 1,
               ${uid(4, 0, sql`((${k * perLevel} + (i + ${stride} * d) % ${perLevel}) % ${ORDERS})`)}, null,
               ${uid(16, k, sql`((i + ${stride} * d) % ${perLevel})`)}
          from generate_series(0, ${perLevel - 1}) i cross join generate_series(0, 3) d
         where d < 3 or i % 3 = 0`,
    );
  }
  const start = Date.now() - 365 * 86_400_000;
  for (let l = 0; l < LEVELS; l++) {
    await step(
      `${perLevel * movementsPerLot} movements of level ${l}`,
      sql`insert into inventory_movements (id, tenant_id, plant_id, time, recorded_at, kind, material_id, lot_id, location_id, quantity)
        select ${uid(sql`16 + m`, l, sql`i`)}, ${t}, ${p},
               ${new Date(start).toISOString()}::timestamptz + ((i * 7919 + ${l * 104_729}) % 500000) * interval '1 minute' + m * interval '6 hours',
               now(), case when m = 0 then ${l === 0 ? 'receipt' : 'production'} when m % 2 = 1 then 'consumption' else 'transfer_in' end,
               ${uid(1, l, sql`0`)}, ${uid(7, l, sql`i`)}, ${uid(2, 0, sql`(i % ${LOCATIONS})`)},
               case when m = 0 then 1000 when m % 2 = 1 then -50 else 10 end
          from generate_series(0, ${perLevel - 1}) i cross join generate_series(0, ${movementsPerLot - 1}) m`,
    );
  }
  await step(
    'balance rollups, set-based',
    sql`with days as (insert into inventory_balance_days (tenant_id, plant_id, material_id, lot_id, location_id, day, quantity)
        select tenant_id, plant_id, material_id, lot_id, location_id, (time at time zone 'UTC')::date, sum(quantity)
          from inventory_movements where tenant_id = ${t} group by 1, 2, 3, 4, 5, 6)
      insert into inventory_balances (tenant_id, plant_id, material_id, lot_id, location_id, quantity)
        select tenant_id, plant_id, material_id, lot_id, location_id, sum(quantity)
          from inventory_movements where tenant_id = ${t} group by 1, 2, 3, 4, 5`,
  );
  const last = LEVELS - 1;
  await step(
    'shipments of the last level',
    sql`with s as (insert into shipments (id, tenant_id, plant_id, number, customer_id, ship_to_id, status, shipped_at)
        select ${uid(8, 0, sql`n`)}, ${t}, ${p}, 'SHP-' || n, ${uid(5, 0, sql`(n % ${CUSTOMERS})`)}, ${uid(6, 0, sql`(n % ${CUSTOMERS})`)},
               'shipped', now() - (n % 300) * interval '1 day' from generate_series(0, ${SHIPMENTS - 1}) n),
      si as (insert into shipment_items (id, tenant_id, plant_id, shipment_id, line_no, product_id, quantity)
        select ${uid(9, 0, sql`n`)}, ${t}, ${p}, ${uid(8, 0, sql`n`)}, 1, ${uid(3, 0, sql`0`)}, 100000 from generate_series(0, ${SHIPMENTS - 1}) n),
      pk as (insert into packages (id, tenant_id, plant_id, shipment_id, kind)
        select ${uid(10, 0, sql`n`)}, ${t}, ${p}, ${uid(8, 0, sql`n`)}, 'pallet' from generate_series(0, ${SHIPMENTS - 1}) n)
      insert into package_contents (tenant_id, plant_id, package_id, shipment_item_id, product_id, lot, quantity)
        select ${t}, ${p}, ${uid(10, 0, sql`(i % ${SHIPMENTS})`)}, ${uid(9, 0, sql`(i % ${SHIPMENTS})`)}, ${uid(3, 0, sql`0`)},
               'L${sql.raw(String(last))}-' || i, 10
          from generate_series(0, ${perLevel - 1}) i`,
  );
  for (const table of [
    'material_lots',
    'lot_genealogy',
    'inventory_movements',
    'inventory_balance_days',
    'inventory_balances',
    'package_contents',
  ]) {
    const started = performance.now();
    await db.owner.execute(sql`vacuum analyze ${sql.identifier(table)}`);
    log(`vacuum analyze ${table} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  return { tenantId, plantId, scope, start };
}

export async function traceBenchmark(): Promise<Record<string, unknown>> {
  const server = await openBenchServer('trace');
  const { db } = server;
  try {
    const loadStarted = performance.now();
    const bench = await load(db);
    const loadS = (performance.now() - loadStarted) / 1000;
    const [edges] = await db.ownerTransact(bench.scope, (tx) =>
      rows<{ n: number }>(
        tx,
        sql`select count(*)::int as n from lot_genealogy where tenant_id = ${bench.tenantId}::uuid`,
      ),
    );
    const times: number[] = [];
    const reached: number[] = [];
    let recalled = 0;
    for (let s = 0; s <= SAMPLES; s++) {
      const supplierLot = `SUP-${Math.floor(Math.random() * perLevel)}`;
      const started = performance.now();
      // In a reading transaction, as the API's trace and a report run read it (trace.ts): the lots and
      // what was packed of them side by side. BENCH_PARALLEL_READS=0: one after the other, to compare.
      const reading = (PARALLEL_READS ? db.transactReading : undefined) ?? db.transact;
      const recall = await reading(bench.scope, async (tx) => ({
        rows: await recallRows(tx, { supplierLot }),
      }));
      const ms = performance.now() - started;
      // The first sample warms the connection's plans and caches; it is not counted.
      if (s > 0) {
        times.push(ms);
        recalled += recall.rows.length;
      }
      const reach = await db.transact(bench.scope, (tx) =>
        rows<{ n: number }>(
          tx,
          sql`with recursive reach(lot_id) as (
                select id from material_lots where tenant_id = ${bench.tenantId}::uuid and supplier_lot = ${supplierLot}
                union select g.child_lot_id from lot_genealogy g join reach r on g.tenant_id = ${bench.tenantId}::uuid and g.parent_lot_id = r.lot_id)
              select count(*)::int as n from reach`,
        ),
      );
      if (s > 0) reached.push(reach[0]?.n ?? 0);
      log(
        `trace + recall from ${supplierLot}: ${ms.toFixed(1)} ms, ${reach[0]?.n} lots, ${recall.rows.length} shipments`,
      );
    }
    const balanceTimes: number[] = [];
    for (let s = 0; s <= SAMPLES; s++) {
      const level = Math.floor(Math.random() * LEVELS);
      const i = Math.floor(Math.random() * perLevel);
      const [lot] = await db.transact(bench.scope, (tx) =>
        rows<{ id: string }>(tx, sql`select id from material_lots where lot_code = ${`L${level}-${i}`}`),
      );
      const at = new Date(bench.start + Math.random() * 365 * 86_400_000);
      const started = performance.now();
      await db.transact(bench.scope, (tx) => balancesAsOf(tx, { lotId: lot?.id }, at));
      if (s > 0) balanceTimes.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    balanceTimes.sort((a, b) => a - b);
    reached.sort((a, b) => a - b);
    const round = (n: number) => Math.round(n * 10) / 10;
    return {
      p50_ms: round(percentile(times, 50)),
      p99_ms: round(percentile(times, 99)),
      lots_reached: percentile(reached, 50),
      recall_rows_mean: Math.round(recalled / Math.max(1, times.length)),
      balance_p50_ms: round(percentile(balanceTimes, 50)),
      balance_p99_ms: round(percentile(balanceTimes, 99)),
      lots: perLevel * LEVELS,
      edges: edges?.n ?? 0,
      movements: perLevel * LEVELS * movementsPerLot,
      load_s: round(loadS),
      database: 'postgresql',
      load_1m: round(loadavg()[0] ?? 0),
    };
  } finally {
    await server.drop();
  }
}

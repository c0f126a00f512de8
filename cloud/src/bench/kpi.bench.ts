import { loadavg } from 'node:os';
import { sql } from 'drizzle-orm';
import { type Database, rows } from '../db/index.js';
import { loadKpiSources, oeeReport, refreshCountRollup } from '../modules/kpi/index.js';
import { createLine, createMachine } from '../modules/masterdata/index.js';
import { seedDemoProduction } from '../modules/production/index.js';
import { createTenant } from '../modules/tenancy/index.js';
import { testLog } from '../testing/engines.js';
import { openBenchDatabase, percentile } from './bench-support.js';

const DAYS = Number(process.env.BENCH_DAYS ?? 30);
const MACHINES = Number(process.env.BENCH_MACHINES ?? 50);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 500);
/** 1: time the queries again over the data a previous run left in this database (no generation). */
const REUSE = process.env.BENCH_REUSE === '1';
const MACHINES_PER_LINE = 10;
const DAY_MS = 86_400_000;

const log = (line: string) => process.stderr.write(`kpi: ${line}\n`);

/** A demo-like tenant: one UTC plant, lines of ten machines, the demo's products, mapping, three shifts a day. */
async function prepare(db: Database, now: Date) {
  const stamp = `${process.pid}-${Date.now()}`;
  const tenant = await createTenant(db, {
    name: 'KPI benchmark',
    slug: `bench-kpi-${stamp}`,
    plants: [{ code: 'BEN', name: 'Bench plant', timezone: 'UTC' }],
    admin: {
      email: `bench-kpi-${stamp}@bench.plantline.local`,
      displayName: 'Bench',
      password: 'benchmark-password-1',
    },
  });
  const plantId = tenant.plantIds[0]!;
  const machines: { id: string; lineId: string }[] = [];
  await db.ownerTransact({ tenantId: tenant.tenantId, plantIds: 'all' }, async (tx) => {
    for (let l = 0; l * MACHINES_PER_LINE < MACHINES; l++) {
      const line = await createLine(tx, tenant.tenantId, {
        plantId,
        code: `L${l + 1}`,
        name: `Line ${l + 1}`,
      });
      for (let m = 0; m < MACHINES_PER_LINE && l * MACHINES_PER_LINE + m < MACHINES; m++) {
        const machine = await createMachine(tx, tenant.tenantId, {
          lineId: line.id,
          code: `M${m + 1}`,
          name: `M${m + 1}`,
        });
        machines.push({ id: machine.id, lineId: line.id });
      }
    }
    // Products, reasons, the demo cycle times (L1/L2 machines), 3 × 8 h shifts with breaks (30 days back).
    await seedDemoProduction(tx, tenant.tenantId, [plantId], now);
    // Every machine's default ideal cycle matches the generated rate (a unit a second, 0.9 s ideal:
    // P ≈ 90 %), replacing the demo's simulator-paced 25–59 s on L1/L2, which would put P far above 100 %.
    await tx.execute(sql`
      insert into ideal_cycle_times (tenant_id, plant_id, machine_id, product_id, seconds_per_unit)
      select ${tenant.tenantId}::uuid, ${plantId}::uuid, m.id, null, 0.9 from unnest(${sql.param(machines.map((m) => m.id))}::uuid[]) as m(id)
      on conflict on constraint ideal_cycle_times_machine_product_key
      do update set seconds_per_unit = excluded.seconds_per_unit`);
  });
  return { tenantId: tenant.tenantId, plantId, machines };
}

/** The tenant, plant and machines a previous run generated, and the end of its data. */
async function previousRun(db: Database) {
  const [tenant] = await db.ownerTransact(null, (tx) =>
    rows<{ id: string }>(tx, sql`select id::text as id from tenants where slug like 'bench-kpi-%'`),
  );
  if (tenant === undefined) throw new Error('BENCH_REUSE=1 but no previous kpi run in this database');
  return db.ownerTransact({ tenantId: tenant.id, plantIds: 'all' }, async (tx) => {
    const machines = await rows<{ id: string; lineId: string; plantId: string }>(
      tx,
      sql`select m.id::text as id, m.line_id::text as "lineId", m.plant_id::text as "plantId"
            from machines m where m.tenant_id = ${tenant.id}::uuid order by m.line_id, m.code`,
    );
    // The newest event by the (machine_id, time) index, machine by machine: no scan of the table.
    const [last] = await rows<{ ms: number }>(
      tx,
      sql`select (extract(epoch from max(e.time)) * 1000)::float8 as ms
            from unnest(${sql.param(machines.map((m) => m.id))}::uuid[]) as m(id)
            cross join lateral (select time from machine_state_events
                                 where machine_id = m.id order by time desc limit 1) e`,
    );
    return {
      tenantId: tenant.id,
      plantId: machines[0]!.plantId,
      machines: machines.map((m) => ({ id: m.id, lineId: m.lineId })),
      end: new Date(Math.ceil((last!.ms + 1) / 3_600_000) * 3_600_000),
    };
  });
}

/**
 * One day of every machine at one event per second: a state event on each whole minute (mostly
 * RUNNING; a 3-minute stop every 20 minutes, a microstop now and then), a count on each of the
 * other 59 seconds (1 good or, one time in 97, 1 scrap; one of four products per hour). Generated
 * by the server, in time order across machines, with time-ordered (UUIDv7-like) event ids as the
 * edge assigns them.
 */
async function generateDay(
  db: Database,
  tenantId: string,
  plantId: string,
  machines: { id: string; lineId: string }[],
  from: Date,
  to: Date,
) {
  const ids = sql.param(machines.map((m) => m.id));
  const lines = sql.param(machines.map((m) => m.lineId));
  const eventId = sql`(lpad(to_hex((extract(epoch from g.t) * 1000)::bigint), 12, '0') || '7' ||
      lpad(to_hex(m.n::int), 3, '0') || '8' || lpad(to_hex(m.n::int), 15, '0'))::uuid`;
  const source = sql`generate_series(${from.toISOString()}::timestamptz, ${to.toISOString()}::timestamptz - interval '1 second', interval '1 second') as g(t)
      cross join unnest(${ids}::uuid[], ${lines}::uuid[]) with ordinality as m(id, line, n)`;
  const minute = sql`(extract(epoch from g.t)::bigint / 60 + m.n)`;
  await db.ownerTransact({ tenantId, plantIds: 'all' }, async (tx) => {
    await tx.execute(sql`
      insert into machine_state_events (time, tenant_id, plant_id, line_id, machine_id, event_id, received_at, state, reason)
      select g.t, ${tenantId}::uuid, ${plantId}::uuid, m.line, m.id, ${eventId}, g.t,
             case when ${minute} % 20 in (0, 1, 2) then 'DOWN' when ${minute} % 31 = 5 then 'MICROSTOP' else 'RUNNING' end,
             case when ${minute} % 20 in (0, 1, 2) then 'JAM' end
        from ${source}
       where extract(epoch from g.t)::bigint % 60 = 0`);
    await tx.execute(sql`
      insert into production_counts (time, tenant_id, plant_id, line_id, machine_id, event_id, received_at, good, scrap, product_code)
      select g.t, ${tenantId}::uuid, ${plantId}::uuid, m.line, m.id, ${eventId}, g.t,
             case when (extract(epoch from g.t)::bigint / 2 + m.n) % 97 = 0 then 0 else 1 end,
             case when (extract(epoch from g.t)::bigint / 2 + m.n) % 97 = 0 then 1 else 0 end,
             (array['BRK-100', 'BRK-200', 'HSG-310', 'SHF-020'])[1 + (extract(epoch from g.t)::bigint / 3600 + m.n) % 4]
        from ${source}
       where extract(epoch from g.t)::bigint % 60 <> 0`);
  });
}

/**
 * `pnpm bench kpi` (docs/benchmarks.md): BENCH_DAYS (30) days of BENCH_MACHINES (50) machines at
 * one event per second each into the real hypertables, the rollups refreshed, then OEE per machine
 * per shift as the API computes it (oeeReport, machine scope, shift window, as the application
 * role) for BENCH_SAMPLES random (machine, shift) pairs. Also, to show what the rollup is for: one
 * machine over all the days through it, and one machine over one day through it and from raw rows
 * only. BENCH_REUSE=1 times the queries again over the data of a previous run in the same database.
 */
export async function kpiBenchmark() {
  const db = await openBenchDatabase();
  try {
    const now = new Date();
    let generateS: number | null = null;
    let prepared: {
      tenantId: string;
      plantId: string;
      machines: { id: string; lineId: string }[];
      end: Date;
    };
    if (REUSE) {
      prepared = await previousRun(db);
      log(`reusing ${prepared.machines.length} machines' data up to ${prepared.end.toISOString()}`);
    } else {
      const end = new Date(Math.floor(now.getTime() / 3_600_000) * 3_600_000);
      prepared = { ...(await prepare(db, now)), end };
      const { tenantId, plantId, machines } = prepared;
      const start = new Date(end.getTime() - DAYS * DAY_MS);
      log(`${DAYS} days × ${machines.length} machines at 1 event/s against ${db.mode}`);
      const generateStarted = performance.now();
      for (let d = 0; d < DAYS; d++) {
        const from = new Date(start.getTime() + d * DAY_MS);
        const dayStarted = performance.now();
        await generateDay(db, tenantId, plantId, machines, from, new Date(from.getTime() + DAY_MS));
        const took = (performance.now() - dayStarted) / 1000;
        log(`day ${d + 1}/${DAYS}: ${Math.round((86_400 * machines.length) / took)} rows/s`);
      }
      generateS = (performance.now() - generateStarted) / 1000;
      log(`generated in ${generateS.toFixed(1)} s; analyze, refresh rollups`);
    }
    const { tenantId, plantId, machines, end } = prepared;
    const start = new Date(end.getTime() - DAYS * DAY_MS);
    await db.owner.execute(sql`analyze machine_state_events`);
    await db.owner.execute(sql`analyze production_counts`);
    const refreshStarted = performance.now();
    const refresh = await refreshCountRollup(db, { log: testLog });
    const refreshS = (performance.now() - refreshStarted) / 1000;
    await db.owner.execute(sql`analyze production_counts_15m`);
    log(`rollup: ${refresh.buckets} buckets in ${refreshS.toFixed(1)} s`);
    // Counted from the rollup (every count row is in it by now) and the state index: a count(*) of
    // 130 M rows would take minutes.
    const [counted] = await db.ownerTransact(null, (tx) =>
      rows<{ n: string }>(
        tx,
        sql`select ((select count(*) from machine_state_events where tenant_id = ${tenantId}::uuid) +
                    (select sum(n) from production_counts_15m where tenant_id = ${tenantId}::uuid))::text as n`,
      ),
    );
    const rowCount = Number(counted?.n ?? 0);
    const scope = { tenantId, userId: null, plantIds: 'all' as const };
    const shifts = await db.transact(scope, (tx) =>
      rows<{ id: string }>(
        tx,
        sql`select id::text as id from shifts
             where plant_id = ${plantId}::uuid and starts_at >= ${start.toISOString()}::timestamptz
               and ends_at <= ${end.toISOString()}::timestamptz order by starts_at`,
      ),
    );
    if (shifts.length === 0) throw new Error('no shift inside the generated days');
    // A fixed pseudo-random sample (LCG), so runs compare the same pairs.
    let seed = 42;
    const next = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed % n;
    };
    const pairs = Array.from({ length: SAMPLES }, () => ({
      machine: machines[next(machines.length)]!,
      shift: shifts[next(shifts.length)]!,
    }));
    const oee = (p: (typeof pairs)[number]) =>
      db.transact(scope, (tx) =>
        oeeReport(
          tx,
          { scope: { kind: 'machine', id: p.machine.id }, window: { shiftId: p.shift.id } },
          now.getTime(),
        ),
      );
    for (const p of pairs.slice(0, 10)) await oee(p);
    const latencies: number[] = [];
    let checksum = 0;
    for (const p of pairs) {
      const started = performance.now();
      const report = await oee(p);
      latencies.push(performance.now() - started);
      checksum += report.total.components.producedQuantity;
    }
    latencies.sort((a, b) => a - b);
    log(`${pairs.length} machine shifts: p50 ${percentile(latencies, 50).toFixed(1)} ms`);

    // What the rollup is for: one machine over every generated day; and one machine over one day
    // with and without it (raw over all days reads most of the table: the rows of 50 machines
    // share pages, so one machine's month touches nearly every page).
    const sources = async (
      machine: { id: string; lineId: string },
      range: { start: number; end: number },
      rollup: boolean,
    ) => {
      const started = performance.now();
      await db.transact(scope, (tx) =>
        loadKpiSources(tx, { plantId, machines: [machine], range, now: now.getTime(), rollup }),
      );
      return performance.now() - started;
    };
    const all = { start: start.getTime() + 1234, end: end.getTime() - 4321 };
    const monthTimes: number[] = [];
    for (const m of machines.slice(0, 5)) monthTimes.push(await sources(m, all, true));
    const monthRollup = percentile(
      monthTimes.sort((a, b) => a - b),
      50,
    );
    const dayStart = end.getTime() - Math.ceil(DAYS / 2) * DAY_MS + 1234;
    const day = { start: dayStart, end: dayStart + DAY_MS };
    const dayRollup = await sources(machines[1]!, day, true);
    const dayRaw = await sources(machines[1]!, day, false);
    log(
      `one machine: ${DAYS} days ${monthRollup.toFixed(0)} ms via rollup; one day ${dayRollup.toFixed(0)} ms via rollup, ${dayRaw.toFixed(0)} ms raw`,
    );
    return {
      database: db.mode,
      days: DAYS,
      machines: machines.length,
      rows: rowCount,
      generate_s: generateS === null ? null : Number(generateS.toFixed(1)),
      refresh_s: Number(refreshS.toFixed(1)),
      samples: latencies.length,
      p50_ms: Number(percentile(latencies, 50).toFixed(2)),
      p99_ms: Number(percentile(latencies, 99).toFixed(2)),
      all_days_rollup_ms: Number(monthRollup.toFixed(1)),
      one_day_rollup_ms: Number(dayRollup.toFixed(1)),
      one_day_raw_ms: Number(dayRaw.toFixed(1)),
      produced_checksum: checksum,
      load_avg_1m: Number(loadavg()[0]?.toFixed(2)),
    };
  } finally {
    await db.close();
  }
}

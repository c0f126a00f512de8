import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Permission } from '@plantline/schema';
import { sql } from 'drizzle-orm';
import type { Database } from '../db/index.js';
import { refreshCountRollup } from '../modules/kpi/index.js';
import { createLine, createMachine } from '../modules/masterdata/index.js';
import { prepareRun, ReportRunner, requestRun } from '../modules/reports/index.js';
import { createTenant } from '../modules/tenancy/index.js';
import { InProcessJobQueue, type Principal } from '../platform/index.js';
import { testLog } from '../testing/engines.js';
import { openBenchServer, percentile } from './bench-support.js';

/*
 * `pnpm bench reports` (docs/benchmarks.md, docs/reports.md): on a PostgreSQL server,
 * 1. the audit extract of BENCH_EXPORT_ROWS (5 000 000) entries to CSV by the runner's own job, which
 *    has the server write it (csv-copy.ts; BENCH_SERVER_CSV=0: the application writes it, to compare):
 *    rows per second, and the process's peak RSS sampled every 100 ms while it runs;
 * 2. the OEE report (per machine per day) over BENCH_MACHINES (50) machines × BENCH_DAYS (30) days,
 *    read as a run reads it, BENCH_SAMPLES (9) times (p50). Its data: a state change every 10
 *    minutes on average (a 3-minute JAM every 20 minutes) and a count every minute per machine, the
 *    count rollup refreshed, three 8-hour shifts a day.
 * The audit entries are generated straight into the table by the server (their hashes do not form a
 * valid chain: the extract reads the trail, it does not verify it).
 */

const EXPORT_ROWS = Number(process.env.BENCH_EXPORT_ROWS ?? 5_000_000);
const MACHINES = Number(process.env.BENCH_MACHINES ?? 50);
const DAYS = Number(process.env.BENCH_DAYS ?? 30);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 9);
/** 0: read the OEE report's sums one after the other on one connection, to compare. */
const PARALLEL_READS = process.env.BENCH_PARALLEL_READS !== '0';
const MACHINES_PER_LINE = 10;
const DAY_MS = 86_400_000;

const log = (line: string) => process.stderr.write(`reports: ${line}\n`);
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`;

async function prepare(db: Database, now: Date) {
  const stamp = `${process.pid}-${Date.now()}`;
  const tenant = await createTenant(db, {
    name: 'Reports benchmark',
    slug: `bench-reports-${stamp}`,
    plants: [{ code: 'BEN', name: 'Bench plant', timezone: 'UTC' }],
    admin: {
      email: `bench-reports-${stamp}@bench.plantline.local`,
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
    // Three 8-hour shifts a day over the days of data, and an ideal cycle (1 s: P ≈ 92 %) per machine.
    await tx.execute(sql`
      insert into shifts (tenant_id, plant_id, name, business_date, starts_at, ends_at)
      select ${tenant.tenantId}::uuid, ${plantId}::uuid, s.name, d::date, d + s.start, d + s.start + interval '8 hours'
        from generate_series(${now.toISOString()}::timestamptz - ${DAYS} * interval '1 day',
                             ${now.toISOString()}::timestamptz - interval '1 day', interval '1 day') as d
       cross join (values ('Early', interval '6 hours'), ('Late', interval '14 hours'), ('Night', interval '22 hours')) as s(name, start)`);
    await tx.execute(sql`
      insert into ideal_cycle_times (tenant_id, plant_id, machine_id, product_id, seconds_per_unit)
      select ${tenant.tenantId}::uuid, ${plantId}::uuid, m.id, null, 1
        from unnest(${sql.param(machines.map((m) => m.id))}::uuid[]) as m(id)`);
  });
  return { tenantId: tenant.tenantId, userId: tenant.adminUserId, plantId, machines };
}

type Bench = Awaited<ReturnType<typeof prepare>>;

async function generateAudit(db: Database, bench: Bench) {
  const batch = 500_000;
  for (let from = 0; from < EXPORT_ROWS; from += batch) {
    const to = Math.min(EXPORT_ROWS, from + batch);
    await db.ownerTransact({ tenantId: bench.tenantId, plantIds: 'all' }, (tx) =>
      tx.execute(sql`
        insert into audit_log (tenant_id, seq, recorded_at, actor_kind, actor_user_id, actor_name, action,
                               entity_type, entity_id, entity_label, plant_id, old_values, new_values,
                               reason, request_id, client_address, prev_hash, hash)
        select ${bench.tenantId}::uuid, g, now() - interval '1 hour' + g * interval '1 millisecond', 'user',
               ${bench.userId}::uuid, 'Bench', 'machine.update', 'machine', 'm-' || (g % 500), 'M' || (g % 500),
               case when g % 3 = 0 then ${bench.plantId}::uuid end,
               jsonb_build_object('name', 'Machine ' || g, 'idealCycleS', 12.5),
               jsonb_build_object('name', 'Machine ' || (g + 1), 'idealCycleS', 12.25),
               case when g % 10 = 0 then 'Cycle time re-measured' end, 'req-' || g, '10.0.0.' || (g % 250),
               md5(g::text) || md5((g + 1)::text), md5((g + 2)::text) || md5((g + 3)::text)
          from generate_series(${from + 1000}::bigint, ${to + 999}::bigint) as g`),
    );
    log(`audit entries ${to}/${EXPORT_ROWS}`);
  }
}

async function generateProduction(db: Database, bench: Bench, from: Date, to: Date) {
  const ids = sql.param(bench.machines.map((m) => m.id));
  const lines = sql.param(bench.machines.map((m) => m.lineId));
  const source = sql`generate_series(${from.toISOString()}::timestamptz, ${to.toISOString()}::timestamptz - interval '1 minute', interval '1 minute') as g(t)
      cross join unnest(${ids}::uuid[], ${lines}::uuid[]) with ordinality as m(id, line, n)`;
  const minute = sql`(extract(epoch from g.t)::bigint / 60 + m.n)`;
  const eventId = sql`(lpad(to_hex((extract(epoch from g.t) * 1000)::bigint), 12, '0') || '7' ||
      lpad(to_hex(m.n::int), 3, '0') || '8' || lpad(to_hex(m.n::int), 15, '0'))::uuid`;
  await db.ownerTransact({ tenantId: bench.tenantId, plantIds: 'all' }, async (tx) => {
    await tx.execute(sql`
      insert into machine_state_events (time, tenant_id, plant_id, line_id, machine_id, event_id, received_at, state, reason)
      select g.t, ${bench.tenantId}::uuid, ${bench.plantId}::uuid, m.line, m.id, ${eventId}, g.t,
             case when ${minute} % 20 = 0 then 'DOWN' else 'RUNNING' end,
             case when ${minute} % 20 = 0 then 'JAM' end
        from ${source}
       where ${minute} % 20 in (0, 3)`);
    await tx.execute(sql`
      insert into production_counts (time, tenant_id, plant_id, line_id, machine_id, event_id, received_at, good, scrap, product_code)
      select g.t + interval '30 seconds', ${bench.tenantId}::uuid, ${bench.plantId}::uuid, m.line, m.id, ${eventId}, g.t,
             case when ${minute} % 20 between 0 and 2 then 0 else 55 end,
             case when ${minute} % 97 = 0 then 1 else 0 end, 'BRK-100'
        from ${source}`);
  });
}

function principalOf(bench: Bench, permissions: Permission[]): Principal {
  return {
    kind: 'user',
    tenantId: bench.tenantId,
    userId: bench.userId,
    apiKeyId: null,
    sessionId: null,
    permissions: new Set(permissions),
    plantIds: 'all',
  };
}

export async function reportsBenchmark() {
  const { db, drop } = await openBenchServer('reports');
  const dir = await mkdtemp(join(tmpdir(), 'plantline-bench-reports-'));
  try {
    const now = new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS);
    const bench = await prepare(db, now);
    let started = Date.now();
    await generateAudit(db, bench);
    log(`${EXPORT_ROWS} audit entries in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const from = new Date(now.getTime() - DAYS * DAY_MS);
    started = Date.now();
    await generateProduction(db, bench, from, now);
    await refreshCountRollup(db, { log: testLog });
    // Statistics, as a server's autovacuum would have them for tables this size (kpi.bench.ts does the
    // same): without them the planner expects one row and sorts a month of state events on disk.
    for (const table of ['audit_log', 'machine_state_events', 'production_counts', 'production_counts_15m']) {
      await db.owner.execute(sql.raw(`analyze ${table}`));
    }
    log(`${MACHINES} machines × ${DAYS} days generated in ${((Date.now() - started) / 1000).toFixed(1)} s`);

    const runner = new ReportRunner({
      db,
      log: testLog,
      queue: new InProcessJobQueue(testLog),
      dir,
      retentionDays: 1,
      serverCsv: process.env.BENCH_SERVER_CSV !== '0',
    });
    const principal = principalOf(bench, ['audit.read', 'kpi.read']);
    const { id } = await db.transact(
      { tenantId: bench.tenantId, userId: bench.userId, plantIds: 'all' },
      (tx) =>
        requestRun(tx, principal, {
          reportKey: 'audit-extract',
          parameters: {
            period: {
              preset: 'range',
              from: new Date(now.getTime() - 30 * DAY_MS),
              to: new Date(Date.now() + DAY_MS),
            },
          },
          format: 'csv',
        }),
    );
    let peak = process.memoryUsage().rss;
    let samples = 0;
    const sampler = setInterval(() => {
      const memory = process.memoryUsage();
      peak = Math.max(peak, memory.rss);
      // Every second: where the memory is (V8's heap, or buffers outside it).
      if (++samples % 10 === 0) {
        log(
          `export ${samples / 10} s: RSS ${mb(memory.rss)}, heap ${mb(memory.heapUsed)} of ${mb(memory.heapTotal)}, external ${mb(memory.external)}`,
        );
      }
    }, 100);
    const baseline = process.memoryUsage().rss;
    const cpuBefore = process.cpuUsage();
    started = performance.now();
    await runner.execute({ tenantId: bench.tenantId, executionId: id }, new AbortController().signal);
    const exportMs = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    clearInterval(sampler);
    const result = await db.transact({ tenantId: bench.tenantId, plantIds: 'all' }, async (tx) => {
      const found = (await tx.execute(
        sql`select status, rows::float8 as rows, output_bytes::float8 as bytes, error from report_executions where id = ${id}::uuid`,
      )) as unknown as { rows: { status: string; rows: number; bytes: number; error: string | null }[] };
      return found.rows[0];
    });
    if (result?.status !== 'succeeded') throw new Error(`the export failed: ${result?.error}`);
    const rowsPerS = Math.round(result.rows / (exportMs / 1000));
    // The process's own CPU per row (user + system), less sensitive to other work on the machine than
    // the rate: the database server produces the rows on the other core meanwhile.
    const cpuUsPerRow = (cpu.user + cpu.system) / result.rows;
    log(
      `CSV export: ${result.rows} rows, ${(result.bytes / 1e6).toFixed(0)} MB in ${(exportMs / 1000).toFixed(1)} s: ${rowsPerS} rows/s, peak RSS ${(peak / 1e6).toFixed(0)} MB (baseline ${(baseline / 1e6).toFixed(0)} MB), ${cpuUsPerRow.toFixed(1)} µs of CPU per row`,
    );

    const times: number[] = [];
    let reportRows = 0;
    for (let i = 0; i < SAMPLES; i++) {
      const t0 = performance.now();
      // What a run does before it writes: prepare, then the source's rows, in the transaction a run
      // reads in (runner.ts).
      const reading = (PARALLEL_READS ? db.transactReading : undefined) ?? db.transact;
      const shown = await reading(
        { tenantId: bench.tenantId, userId: bench.userId, plantIds: 'all' },
        async (tx) => {
          const prepared = await prepareRun(
            tx,
            principal,
            { reportKey: 'oee-by-day' },
            { plantId: bench.plantId, period: { preset: 'range', from, to: now } },
            Date.now(),
          );
          const { source } = prepared.report;
          if (source.kind !== 'computed') throw new Error('the OEE report is computed');
          return source.load(tx, { ...prepared.context, grouping: { time: 'day', level: 'machine' } });
        },
      );
      times.push(performance.now() - t0);
      reportRows = shown.length;
    }
    times.sort((a, b) => a - b);
    log(`OEE by day per machine: ${reportRows} rows, p50 ${percentile(times, 50).toFixed(0)} ms`);
    return {
      rows_per_s: rowsPerS,
      peak_rss_mb: Math.round(peak / 1e6),
      baseline_rss_mb: Math.round(baseline / 1e6),
      cpu_us_per_row: Number(cpuUsPerRow.toFixed(2)),
      export_rows: result.rows,
      export_mb: Math.round(result.bytes / 1e6),
      oee_p50_ms: Math.round(percentile(times, 50)),
      p50_ms: Math.round(percentile(times, 50)),
      oee_rows: reportRows,
      database: 'server',
      load_1m: Number(loadavg()[0]?.toFixed(2)),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
    await drop();
  }
}

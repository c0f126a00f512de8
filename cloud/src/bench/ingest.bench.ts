import { loadavg } from 'node:os';
import { sql } from 'drizzle-orm';
import type { Database, Sql } from '../db/index.js';
import { createCodeCache, ingestEvents } from '../modules/ingest/index.js';
import { createLine, createMachine } from '../modules/masterdata/index.js';
import { createTenant } from '../modules/tenancy/index.js';
import { EventBus } from '../platform/index.js';
import { envelope } from '../testing/events.js';
import { openBenchDatabase } from './bench-support.js';

const TOTAL_EVENTS = Number(process.env.BENCH_EVENTS ?? 200_000);
const BATCH = Number(process.env.BENCH_BATCH ?? 5000);
const LINES = ['L1', 'L2'];
const MACHINES = ['M1', 'M2', 'M3', 'M4', 'M5', 'M6', 'M7', 'M8', 'M9', 'M10'];

type Envelope = ReturnType<typeof envelope>;

/**
 * A plant's traffic: mostly counts and telemetry (two values each, so two sensor_readings rows),
 * some state changes and scans, spread over 20 machines, one second of device time per batch.
 */
function makeBatch(start: number): Envelope[] {
  const at = new Date(Date.now() - 3_600_000 + start);
  return Array.from({ length: BATCH }, (_, i) => {
    const n = start + i;
    const address = {
      plant: 'BEN',
      line: LINES[n % LINES.length]!,
      machine: MACHINES[Math.floor(n / LINES.length) % MACHINES.length]!,
    };
    const when = new Date(at.getTime() + i);
    switch (n % 20) {
      case 0:
      case 1:
        return envelope(address, 'state', { state: n % 40 === 0 ? 'DOWN' : 'RUNNING', reason: 'JAM' }, when);
      case 2:
        return envelope(address, 'scan', { code: `LOT-${n}`, action: 'consume', station: 'S1' }, when);
      default:
        return n % 2 === 0
          ? envelope(
              address,
              'count',
              { good: 1 + (n % 5), scrap: n % 7 === 0 ? 1 : 0, product: 'P-100' },
              when,
            )
          : envelope(
              address,
              'telemetry',
              { values: { temp_c: 40 + (n % 30) / 10, rpm: 1200 + (n % 50) } },
              when,
            );
    }
  });
}

/** The ceiling: the same rows as plain column arrays, already resolved — no validation, no lookups. */
interface Columns {
  table: string;
  columns: string[];
  types: string[];
  values: unknown[][];
}

function ceilingColumns(
  events: Envelope[],
  ids: { plant: string; machines: Map<string, { line: string; machine: string }> },
): Columns[] {
  const base = ['time', 'plant_id', 'line_id', 'machine_id', 'event_id', 'received_at'];
  const baseTypes = ['timestamptz', 'uuid', 'uuid', 'uuid', 'uuid', 'timestamptz'];
  const tables: Record<string, Columns> = {
    state: {
      table: 'machine_state_events',
      columns: [...base, 'state', 'reason'],
      types: [...baseTypes, 'text', 'text'],
      values: [],
    },
    count: {
      table: 'production_counts',
      columns: [...base, 'good', 'scrap', 'product_code'],
      types: [...baseTypes, 'int4', 'int4', 'text'],
      values: [],
    },
    scan: {
      table: 'qr_code_scans',
      columns: [...base, 'code', 'symbology', 'action', 'station_code'],
      types: [...baseTypes, 'text', 'text', 'text', 'text'],
      values: [],
    },
    telemetry: {
      table: 'sensor_readings',
      columns: [...base, 'name', 'value'],
      types: [...baseTypes, 'text', 'float8'],
      values: [],
    },
  };
  for (const t of Object.values(tables)) t.values = t.columns.map(() => []);
  const add = (t: Columns, row: unknown[]) => {
    row.forEach((v, i) => {
      t.values[i]!.push(v);
    });
  };
  for (const e of events) {
    const m = ids.machines.get(`${e.line}/${e.machine}`)!;
    const head = [e.ts, ids.plant, m.line, m.machine, e.id, e.receivedAt];
    const p = e.payload as Record<string, unknown>;
    if (e.kind === 'state') add(tables.state!, [...head, p.state, p.reason ?? null]);
    else if (e.kind === 'count') add(tables.count!, [...head, p.good ?? 0, p.scrap ?? 0, p.product ?? null]);
    else if (e.kind === 'scan') add(tables.scan!, [...head, p.code, 'qr', p.action, p.station ?? null]);
    else
      for (const [name, value] of Object.entries(p.values as Record<string, number>))
        add(tables.telemetry!, [...head, name, value]);
  }
  return Object.values(tables).filter((t) => t.values[0]!.length > 0);
}

async function insertCeiling(tx: Sql, tenantId: string, batch: Columns[]) {
  for (const t of batch) {
    const arrays = sql.join(
      t.values.map((v, i) => sql`${sql.param(v)}::${sql.raw(t.types[i]!)}[]`),
      sql`, `,
    );
    const cols = sql.raw(t.columns.join(', '));
    await tx.execute(
      sql`insert into ${sql.identifier(t.table)} (tenant_id, ${cols})
          select ${tenantId}::uuid, u.* from unnest(${arrays}) as u
          on conflict do nothing`,
    );
  }
}

async function prepare(db: Database) {
  const tenant = await createTenant(db, {
    name: 'Benchmark',
    slug: `bench-${process.pid}-${Date.now()}`,
    plants: [{ code: 'BEN', name: 'Bench plant', timezone: 'UTC' }],
    admin: {
      email: `bench-${process.pid}-${Date.now()}@bench.plantline.local`,
      displayName: 'Bench',
      password: 'benchmark-password-1',
    },
  });
  const plantId = tenant.plantIds[0]!;
  const machines = new Map<string, { line: string; machine: string }>();
  await db.ownerTransact({ tenantId: tenant.tenantId, plantIds: 'all' }, async (tx) => {
    for (const code of LINES) {
      const line = await createLine(tx, tenant.tenantId, { plantId, code, name: code });
      for (const m of MACHINES) {
        const machine = await createMachine(tx, tenant.tenantId, { lineId: line.id, code: m, name: m });
        machines.set(`${code}/${m}`, { line: line.id, machine: machine.id });
      }
    }
  });
  return { tenantId: tenant.tenantId, plantId, machines };
}

/**
 * `pnpm bench ingest` (docs/benchmarks.md): the cloud's ingest function alone — validation, code
 * resolution, one scoped transaction per batch, set-based idempotent inserts — against a plain bulk
 * INSERT … SELECT FROM unnest of the same rows into the same tables, batches interleaved so both see
 * the same table sizes.
 */
export async function ingestBenchmark() {
  const db = await openBenchDatabase();
  try {
    const { tenantId, plantId, machines } = await prepare(db);
    const scope = { tenantId, userId: null, plantIds: [plantId] };
    const caller = { tenantId, plantIds: [plantId] };
    const codeCache = createCodeCache(new EventBus(() => {}));
    const batches = Math.max(1, Math.round(TOTAL_EVENTS / BATCH));
    process.stderr.write(`ingest: ${batches} batches of ${BATCH} events against ${db.mode}\n`);
    let ingestMs = 0;
    let ceilingMs = 0;
    let accepted = 0;
    let rowsWritten = 0;
    for (let b = -1; b < batches; b++) {
      // Batch -1 warms both paths up and is not counted.
      const events = makeBatch((b + 1) * BATCH);
      const payload = JSON.parse(JSON.stringify(events)) as unknown[];
      const ceiling = ceilingColumns(makeBatch((b + 1) * BATCH), { plant: plantId, machines });
      // Alternate which path goes first, so neither always pays for the other's garbage.
      const runIngest = async () => {
        const started = performance.now();
        const outcome = await db.transact(scope, async (tx) =>
          ingestEvents(tx, caller, await codeCache.get(tx, scope), payload),
        );
        return { outcome, took: performance.now() - started };
      };
      const runCeiling = async () => {
        const started = performance.now();
        await db.transact(scope, (tx) => insertCeiling(tx, tenantId, ceiling));
        return performance.now() - started;
      };
      let ingested: Awaited<ReturnType<typeof runIngest>>;
      let ceilingTook: number;
      if (b % 2 === 0) {
        ingested = await runIngest();
        ceilingTook = await runCeiling();
      } else {
        ceilingTook = await runCeiling();
        ingested = await runIngest();
      }
      const { outcome, took: ingestTook } = ingested;
      if (b < 0) continue;
      ingestMs += ingestTook;
      ceilingMs += ceilingTook;
      accepted += outcome.results.filter((r) => r.status === 'accepted').length;
      rowsWritten += ceiling.reduce((n, t) => n + (t.values[0]?.length ?? 0), 0);
    }
    const events = batches * BATCH;
    if (accepted !== events) throw new Error(`only ${accepted} of ${events} events were accepted`);
    const eventsPerS = events / (ingestMs / 1000);
    const ceilingPerS = events / (ceilingMs / 1000);
    return {
      database: db.mode,
      events,
      rows: rowsWritten,
      batch: BATCH,
      events_per_s: Math.round(eventsPerS),
      ceiling_events_per_s: Math.round(ceilingPerS),
      ratio: Number((eventsPerS / ceilingPerS).toFixed(3)),
      load_avg_1m: Number(loadavg()[0]?.toFixed(2)),
    };
  } finally {
    await db.close();
  }
}

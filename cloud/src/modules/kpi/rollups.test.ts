import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../db/index.js';
import { type ApiClient, apiClient, signIn } from '../../testing/api.js';
import { type Tenants, type TestServer, useTestApp } from '../../testing/app.js';
import { type TestDatabase, testEngines, testLog } from '../../testing/engines.js';
import { envelope } from '../../testing/events.js';
import { type Interval, type KpiSources, loadKpiSources, oeeInputFor } from './index.js';
import { computeOee } from './oee.js';
import { refreshCountRollup } from './rollups.js';

const SEC = 1000;
const MIN = 60 * SEC;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/** Sums per machine in a stable order (two products can share an earliest time). */
function countsOf(sources: KpiSources) {
  return [...sources.machines.values()].map((m) => ({
    machineId: m.machineId,
    counts: [...m.counts].sort(
      (a, b) => a.time - b.time || String(a.productCode).localeCompare(String(b.productCode)),
    ),
  }));
}

/*
 * The count rollup (rollups.ts) must change nothing but speed: OEE over a multi-day window, its
 * shifts and windows whose edges cut buckets, computed from raw rows only and through the rollup, are
 * identical — before a refresh, after it, and with late events committed into buckets already
 * rolled up. And the rollup, a table the application role only reads, shows a tenant nothing of another.
 *
 * Data, plant A1 (UTC), line L1, machines M1 and M2, days D0..D3 (D0 = midnight five days ago):
 * shifts 06–14, 14–22, 22–06 each day; a break 10:20–10:50 each day; states cycling every 13 min
 * (RUNNING, MICROSTOP, RUNNING, DOWN/JAM) with a silent hour on M2 each day (a gap); counts every
 * 7 min 11 s over three products, plus counts exactly on shift and break edges and in the current
 * bucket (after any watermark). Tenant B gets counts of its own on the same days.
 */
describe.each(testEngines)('count rollup ($name engine)', (engine) => {
  const app = useTestApp(engine);
  let database: TestDatabase;
  let tenants: Tenants;
  let server: TestServer;
  let admin: ApiClient;
  let edgeA: ApiClient;
  let edgeB: ApiClient;
  const ids = {} as { plant: string; plant2: string; line: string; m1: string; m2: string; bMachine: string };
  const D0 = Math.floor(Date.now() / DAY) * DAY - 5 * DAY;
  const at = (day: number, hh: number, mm = 0, ss = 0) => D0 + day * DAY + hh * HOUR + mm * MIN + ss * SEC;
  const A1M1 = { plant: 'A1', line: 'L1', machine: 'M1' };
  const A1M2 = { plant: 'A1', line: 'L1', machine: 'M2' };
  const A2M9 = { plant: 'A2', line: 'L2', machine: 'M9' };
  const B1M1 = { plant: 'B1', line: 'L1', machine: 'M1' };
  const products = ['P-A', null, 'P-B'];
  const scopeA = () => ({ tenantId: tenants.a.tenantId, plantIds: 'all' as const });

  const push = async (client: ApiClient, events: ReturnType<typeof envelope>[]) => {
    for (let i = 0; i < events.length; i += 2000) {
      const { results } = await client.trpc.ingest.push.mutate({ events: events.slice(i, i + 2000) });
      expect(results.filter((r) => r.status !== 'accepted')).toEqual([]);
    }
  };
  const count = (address: typeof A1M1, t: number, good: number, scrap: number, product: string | null) =>
    envelope(address, 'count', { good, scrap, ...(product ? { product } : {}) }, new Date(t));
  const state = (address: typeof A1M1, t: number, s: string, reason?: string) =>
    envelope(address, 'state', reason === undefined ? { state: s } : { state: s, reason }, new Date(t));

  /**
   * OEE inputs of A1's machines over `range`, with `cuts`, through the rollup or from raw rows, with
   * the state events as they are or as each stretch's durations (state-durations.ts).
   */
  const load = (
    range: Interval,
    now: number,
    rollup: boolean,
    cuts?: number[],
    states: 'events' | 'durations' = 'events',
  ) =>
    // Durations as a report run reads them: on a server, the counts on a second connection at the
    // same instant (db/parallel-reads.ts); events as the API reads them, on one.
    (states === 'durations' ? (database.db.transactReading ?? database.db.transact) : database.db.transact)(
      scopeA(),
      (tx) =>
        loadKpiSources(tx, {
          plantId: ids.plant,
          machines: [
            { id: ids.m1, lineId: ids.line },
            { id: ids.m2, lineId: ids.line },
          ],
          range,
          now,
          rollup,
          states,
          ...(cuts === undefined ? {} : { cuts }),
        }),
    );

  /**
   * Asserts every path gives the same count sums and the same OEE for the range and each window:
   * raw rows and state events (the reference), the rollup, and the rollup with state durations.
   */
  async function expectIdentical(range: Interval, windows: readonly Interval[], now = Date.now()) {
    const cuts = windows.flatMap((w) => [w.start, w.end]);
    const viaRollup = await load(range, now, true, cuts);
    const raw = await load(range, now, false, cuts);
    const summed = await load(range, now, true, cuts, 'durations');
    expect(countsOf(viaRollup)).toEqual(countsOf(raw));
    expect(countsOf(summed)).toEqual(countsOf(raw));
    for (const window of [range, ...windows]) {
      for (const machine of [ids.m1, ids.m2]) {
        const reference = computeOee(oeeInputFor(raw, machine, window));
        expect(computeOee(oeeInputFor(viaRollup, machine, window))).toEqual(reference);
        expect(computeOee(oeeInputFor(summed, machine, window))).toEqual(reference);
      }
    }
    // Fewer rows is the point: a stretch holds at most one event per state and reason.
    const events = (s: KpiSources) => [...s.machines.values()].reduce((n, m) => n + m.events.length, 0);
    expect(events(summed)).toBeLessThanOrEqual(events(raw) + 2 * cuts.length * 4);
    return { viaRollup, raw };
  }

  const produced = (sources: KpiSources) =>
    [...sources.machines.values()].reduce(
      (sum, m) => sum + m.counts.reduce((s, c) => s + c.good + c.scrap, 0),
      0,
    );

  beforeAll(async () => {
    ({ database, tenants, server, admin } = app);
    const [plant, plant2] = tenants.a.plantIds as [string, string];
    ids.plant = plant;
    ids.plant2 = plant2;
    const md = admin.trpc.masterdata;
    ids.line = (await md.lines.create.mutate({ plantId: plant, code: 'L1', name: 'Line 1' })).id;
    ids.m1 = (await md.machines.create.mutate({ lineId: ids.line, code: 'M1', name: 'Press 1' })).id;
    ids.m2 = (await md.machines.create.mutate({ lineId: ids.line, code: 'M2', name: 'Press 2' })).id;
    const line2 = (await md.lines.create.mutate({ plantId: plant2, code: 'L2', name: 'Line 2' })).id;
    await md.machines.create.mutate({ lineId: line2, code: 'M9', name: 'Press 9' });
    const pr = admin.trpc.production;
    await pr.downtimeReasons.create.mutate({
      code: 'JAM',
      name: 'Jam',
      bucket: 'availability_loss',
      category: 'mechanical',
    });
    const pa = await pr.products.create.mutate({ code: 'P-A', name: 'Part A' });
    await pr.idealCycleTimes.set.mutate({ machineId: ids.m1, productId: pa.id, secondsPerUnit: 30 });
    await pr.idealCycleTimes.set.mutate({ machineId: ids.m1, productId: null, secondsPerUnit: 45 });
    await pr.idealCycleTimes.set.mutate({ machineId: ids.m2, productId: null, secondsPerUnit: 40 });
    for (let day = 0; day < 5; day++) {
      for (const [name, hh] of [
        ['Night', -2],
        ['Early', 6],
        ['Late', 14],
      ] as const) {
        await pr.shifts.create.mutate({
          plantId: plant,
          name,
          startsAt: new Date(at(day, hh)),
          endsAt: new Date(at(day, hh + 8)),
        });
      }
      await pr.plannedDowntimes.create.mutate({
        plantId: plant,
        kind: 'break',
        startsAt: new Date(at(day, 10, 20)),
        endsAt: new Date(at(day, 10, 50)),
      });
    }
    const keyA = await admin.trpc.apiKeys.create.mutate({
      name: 'edge',
      scopes: ['ingest.write'],
      plantIds: [plant, plant2],
    });
    edgeA = apiClient(server.url, { apiKey: keyA.key });

    const adminB = await signIn(server.url, tenants.b.adminEmail);
    const lineB = (
      await adminB.trpc.masterdata.lines.create.mutate({
        plantId: tenants.b.plantIds[0]!,
        code: 'L1',
        name: 'B',
      })
    ).id;
    ids.bMachine = (
      await adminB.trpc.masterdata.machines.create.mutate({ lineId: lineB, code: 'M1', name: 'B press' })
    ).id;
    const keyB = await adminB.trpc.apiKeys.create.mutate({
      name: 'edge',
      scopes: ['ingest.write'],
      plantIds: [tenants.b.plantIds[0]!],
    });
    edgeB = apiClient(server.url, { apiKey: keyB.key });

    const cycle = ['RUNNING', 'MICROSTOP', 'RUNNING', 'DOWN'];
    const events: ReturnType<typeof envelope>[] = [];
    const now = Date.now();
    for (const [m, address] of [A1M1, A1M2].entries()) {
      for (let k = 0, t = at(0, 0, 5); t < now - 5 * MIN; k++, t += 13 * MIN) {
        // M2 falls silent for an hour each day from 03:00: its last state is inherited, then a gap.
        if (m === 1 && ((t - D0) % DAY) / HOUR >= 3 && ((t - D0) % DAY) / HOUR < 4) continue;
        const s = cycle[k % 4]!;
        events.push(state(address, t, s, s === 'DOWN' ? 'JAM' : undefined));
      }
      for (let k = 0, t = at(0, 0, 1, 7); t < now - 2 * MIN; k++, t += 7 * MIN + 11 * SEC) {
        events.push(count(address, t, 1 + ((k + m) % 6), k % 4 === 0 ? 1 : 0, products[k % 3]!));
      }
      for (let day = 0; day < 5; day++) {
        for (const t of [at(day, 6), at(day, 6) - 1, at(day, 10, 20), at(day, 10, 50), at(day, 14) - 1]) {
          if (t < now) events.push(count(address, t, 3, 1, 'P-A'));
        }
      }
    }
    // After any watermark: the current hour.
    events.push(count(A1M1, now - 60 * SEC, 5, 0, 'P-B'));
    events.push(count(A2M9, at(1, 9, 30), 11, 0, null));
    await push(edgeA, events);
    await push(edgeB, [count(B1M1, at(1, 9, 30), 99, 1, null), count(B1M1, at(2, 15, 5), 42, 0, null)]);
  }, 240_000);

  // Windows whose edges cut buckets: a multi-day range starting and ending mid-hour, and inside it
  // the shifts, a window from 07:17:23.456 to 12:41:07.001 and a one-hour window across an hour edge.
  const windowsOf = () => {
    const range = { start: at(0, 5, 17, 23) + 456, end: at(4, 19, 41, 7) + 1 };
    const windows: Interval[] = [];
    for (let day = 0; day < 5; day++) {
      for (const hh of [-2, 6, 14]) {
        const w = { start: Math.max(range.start, at(day, hh)), end: Math.min(range.end, at(day, hh + 8)) };
        if (w.start < w.end) windows.push(w);
      }
    }
    windows.push({ start: at(1, 7, 17, 23) + 456, end: at(1, 12, 41, 7) + 1 });
    windows.push({ start: at(2, 9, 30), end: at(2, 10, 30) });
    return { range, windows };
  };

  it('gives the same counts and OEE as the raw rows before any refresh (everything raw)', async () => {
    const { range, windows } = windowsOf();
    await expectIdentical(range, windows);
    // A range that starts 90 s into a DOWN/JAM (day 1, 00:08): the inherited state is a stop with a
    // reason, carried into the first stretch.
    await expectIdentical({ start: at(1, 0, 9, 30), end: at(2, 13) }, [
      { start: at(1, 0, 9, 30), end: at(1, 6) },
      { start: at(1, 6), end: at(1, 14) },
    ]);
  });

  it('gives the same counts and OEE through the rollup after a refresh, and really reads it', async () => {
    const summary = await refreshCountRollup(database.db, { log: testLog });
    expect(summary.buckets).toBeGreaterThan(4 * 96);
    const { range, windows } = windowsOf();
    const now = Date.now();
    const { viaRollup } = await expectIdentical(range, windows, now);
    // Up to now: the buckets after the watermark (the current one) come from raw rows.
    await expectIdentical({ start: at(3, 22, 10), end: now + HOUR }, [{ start: at(4, 6), end: now }], now);

    // Proof that whole buckets come from the rollup: change one rolled-up bucket behind the
    // application's back (as the owner) and the rollup path, only it, sees the change.
    const hour = new Date(at(2, 3)).toISOString();
    const tamper = (delta: number) =>
      database.db.ownerTransact(scopeA(), (tx) =>
        tx.execute(
          sql`update production_counts_15m set good = good + ${delta}
               where machine_id = ${ids.m1}::uuid and bucket = ${hour}::timestamptz
                 and product_code is not distinct from 'P-A'`,
        ),
      );
    await tamper(1000);
    try {
      const tampered = await load(
        range,
        now,
        true,
        windows.flatMap((w) => [w.start, w.end]),
      );
      expect(produced(tampered)).toBe(produced(viaRollup) + 1000);
    } finally {
      await tamper(-1000);
    }
  });

  it('stays identical when late events arrive in rolled-up buckets after a refresh, and after the next', async () => {
    const { range, windows } = windowsOf();
    await push(edgeA, [
      count(A1M1, at(1, 8, 0, 1), 17, 2, 'P-A'),
      count(A1M2, at(3, 20, 59, 59) + 999, 4, 0, 'P-B'),
      count(A1M1, at(2, 9, 30), 6, 0, null),
      state(A1M1, at(2, 9, 31), 'DOWN', 'JAM'),
      state(A1M1, at(2, 9, 47), 'RUNNING'),
    ]);
    const before = await expectIdentical(range, windows);
    const [stale] = await database.db.transact(scopeA(), (tx) =>
      rows<{ good: string }>(
        tx,
        sql`select coalesce(sum(good), 0)::text as good from production_counts_15m
             where machine_id = ${ids.m1}::uuid and bucket = ${new Date(at(1, 8)).toISOString()}::timestamptz`,
      ),
    );
    const summary = await refreshCountRollup(database.db, { log: testLog });
    // The buckets the late commit touched were rebuilt (and whatever whole buckets passed meanwhile).
    expect(summary.buckets).toBeGreaterThanOrEqual(3);
    const after = await expectIdentical(range, windows);
    expect(produced(after.viaRollup)).toBe(produced(before.raw));
    const [fresh] = await database.db.transact(scopeA(), (tx) =>
      rows<{ good: string }>(
        tx,
        sql`select coalesce(sum(good), 0)::text as good from production_counts_15m
             where machine_id = ${ids.m1}::uuid and bucket = ${new Date(at(1, 8)).toISOString()}::timestamptz`,
      ),
    );
    expect(Number(fresh!.good)).toBe(Number(stale!.good) + 17);
  });

  it("shows the application role none of tenant B's rollup rows, only the plants in scope, and lets it write none", async () => {
    await refreshCountRollup(database.db, { log: testLog });
    // The rows exist: the refresh rolled tenant B's two buckets up too.
    const [owner] = await database.db.ownerTransact(null, (tx) =>
      rows<{ n: number }>(
        tx,
        sql`select count(*)::int as n from production_counts_15m where tenant_id = ${tenants.b.tenantId}::uuid`,
      ),
    );
    expect(owner!.n).toBe(2);
    const seen = await database.db.transact(scopeA(), (tx) =>
      rows<{ own: number; other: number; plant2: number }>(
        tx,
        sql`select count(*) filter (where tenant_id = ${tenants.a.tenantId}::uuid)::int as own,
                   count(*) filter (where tenant_id = ${tenants.b.tenantId}::uuid)::int as other,
                   count(*) filter (where plant_id = ${ids.plant2}::uuid)::int as plant2
              from production_counts_15m`,
      ),
    );
    expect(seen[0]!.own).toBeGreaterThan(0);
    expect(seen[0]!.other).toBe(0);
    expect(seen[0]!.plant2).toBe(1);
    // Even asked for tenant B's machine by id, through the query path.
    const bOnly = await database.db.transact(scopeA(), (tx) =>
      rows<{ n: number }>(
        tx,
        sql`select count(*)::int as n from production_counts_15m where machine_id = ${ids.bMachine}::uuid`,
      ),
    );
    expect(bOnly[0]!.n).toBe(0);
    const onePlant = await database.db.transact(
      { tenantId: tenants.a.tenantId, plantIds: [ids.plant] },
      (tx) =>
        rows<{ n: number }>(
          tx,
          sql`select count(*)::int as n from production_counts_15m where plant_id <> ${ids.plant}::uuid`,
        ),
    );
    expect(onePlant[0]!.n).toBe(0);
    const [state] = await database.db.transact(scopeA(), (tx) =>
      rows<{ n: number }>(tx, sql`select count(*)::int as n from rollup_state`),
    );
    expect(state!.n).toBe(1);
    await expect(
      database.db.transact(scopeA(), (tx) =>
        tx.execute(
          sql`insert into production_counts_15m (tenant_id, plant_id, machine_id, bucket, good, scrap, n, first_time)
              values (${tenants.a.tenantId}::uuid, ${ids.plant}::uuid, ${ids.m1}::uuid, now(), 1, 0, 1, now())`,
        ),
      ),
    ).rejects.toThrow();
    await expect(
      database.db.transact(scopeA(), (tx) => tx.execute(sql`delete from production_counts_15m`)),
    ).rejects.toThrow();
  });
});

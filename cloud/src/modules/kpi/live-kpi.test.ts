import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, addUser, signIn, wsClient } from '../../testing/api.js';
import { type SignedIn, type Tenants, type TestServer, useTestApp } from '../../testing/app.js';
import { testEngines } from '../../testing/engines.js';
import { envelope } from '../../testing/events.js';
import { until } from '../../testing/until.js';
import type { LiveKpiMessage, LiveKpiSnapshot } from './index.js';

const MIN = 60_000;
const HOUR = 60 * MIN;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/*
 * kpi.live (docs/kpis.md, "API") over a real WebSocket on each engine. Plant A1 works a shift that
 * started an hour ago (so "current shift" is deterministic); events go in through the real ingest
 * path:
 *   L1: M1 RUNNING from shift start + 10 min, 120 good + 6 scrap of P-A (PRI 20 s) at + 20 min;
 *       M2 RUNNING from the start, DOWN/JAM from + 30 min, 60 good at + 15 min (machine PRI 30 s).
 *   L2: M3 never reported anything (state null, every figure "no data" or 0).
 * The snapshot must carry what kpi.oee 'currentShift' computes from the database for the same data.
 */
describe.each(testEngines)('kpi.live over WebSocket ($name engine)', (engine) => {
  const app = useTestApp(engine);
  let tenants: Tenants;
  let server: TestServer;
  let admin: SignedIn;
  let edge: ApiClient;
  const ids = {} as {
    plant: string;
    otherPlant: string;
    l1: string;
    l2: string;
    m1: string;
    m2: string;
    m3: string;
  };
  const A1M1 = { plant: 'A1', line: 'L1', machine: 'M1' };
  const A1M2 = { plant: 'A1', line: 'L1', machine: 'M2' };
  let shiftStart = 0;
  const open: (() => void)[] = [];

  beforeAll(async () => {
    ({ tenants, server, admin } = app);
    const [plant, otherPlant] = tenants.a.plantIds as [string, string];
    Object.assign(ids, { plant, otherPlant });
    ids.l1 = await app.line(plant, 'L1', { name: 'Line 1' });
    ids.l2 = await app.line(plant, 'L2', { name: 'Line 2' });
    ids.m1 = await app.machine(ids.l1, 'M1', { name: 'Press 1' });
    ids.m2 = await app.machine(ids.l1, 'M2', { name: 'Press 2' });
    ids.m3 = await app.machine(ids.l2, 'M3', { name: 'Lathe 3' });
    const pr = admin.trpc.production;
    await pr.downtimeReasons.create.mutate({
      code: 'JAM',
      name: 'Jam',
      bucket: 'availability_loss',
      category: 'mechanical',
    });
    const product = await pr.products.create.mutate({ code: 'P-A', name: 'Part A' });
    await pr.idealCycleTimes.set.mutate({ machineId: ids.m1, productId: product.id, secondsPerUnit: 20 });
    await pr.idealCycleTimes.set.mutate({ machineId: ids.m2, productId: null, secondsPerUnit: 30 });
    await pr.idealCycleTimes.set.mutate({ machineId: ids.m3, productId: null, secondsPerUnit: 30 });
    shiftStart = Math.floor(Date.now() / MIN) * MIN - HOUR;
    await pr.shifts.create.mutate({
      plantId: plant,
      name: 'Now',
      startsAt: new Date(shiftStart),
      endsAt: new Date(shiftStart + 3 * HOUR),
    });
    edge = await app.edge([plant, otherPlant]);
    await push(
      envelope(A1M1, 'state', { state: 'RUNNING' }, new Date(shiftStart + 10 * MIN)),
      envelope(A1M1, 'count', { good: 120, scrap: 6, product: 'P-A' }, new Date(shiftStart + 20 * MIN)),
      envelope(A1M2, 'state', { state: 'RUNNING' }, new Date(shiftStart)),
      envelope(A1M2, 'count', { good: 60, scrap: 0 }, new Date(shiftStart + 15 * MIN)),
      envelope(A1M2, 'state', { state: 'DOWN', reason: 'JAM' }, new Date(shiftStart + 30 * MIN)),
    );
  });

  // Runs before the test app closes the server (after hooks run last-registered first).
  afterAll(() => {
    for (const close of open) close();
  });

  async function push(...events: ReturnType<typeof envelope>[]) {
    const { results } = await edge.trpc.ingest.push.mutate({ events });
    expect(results.filter((r) => r.status !== 'accepted')).toEqual([]);
  }

  /** A subscriber on its own connection, recording every message with its receipt time. */
  function listen(token: string, input: { plantId: string; lineIds?: string[]; machineIds?: string[] }) {
    const client = wsClient(server.url, { token });
    const messages: { at: number; message: LiveKpiMessage }[] = [];
    const errors: { data?: { code?: string } | null; message: string }[] = [];
    const subscription = client.trpc.kpi.live.subscribe(input, {
      onData: (message) => messages.push({ at: Date.now(), message }),
      onError: (error) => errors.push(error),
    });
    const close = () => {
      subscription.unsubscribe();
      client.close();
    };
    open.push(close);
    return {
      messages,
      errors,
      close,
      snapshot: async () => {
        await until(() => messages.length > 0 || errors.length > 0, 'the first message');
        expect(errors.map((e) => `${e.data?.code}: ${e.message}`)).toEqual([]);
        const first = messages[0]!.message;
        expect(first.type).toBe('snapshot');
        return first as LiveKpiSnapshot;
      },
      /** The latest figures of a machine after applying every message received so far. */
      machine: (id: string) => {
        let latest: unknown = null;
        for (const { message } of messages) {
          const m = message.machines.find((x) => x.machineId === id);
          if (m !== undefined) latest = message.type === 'snapshot' ? m : { ...(latest as object), ...m };
        }
        return latest as LiveKpiSnapshot['machines'][number] | null;
      },
      line: (id: string) => {
        let latest: unknown = null;
        for (const { message } of messages) {
          const l = message.lines.find((x) => x.lineId === id);
          if (l !== undefined) latest = message.type === 'snapshot' ? l : { ...(latest as object), ...l };
        }
        return latest as LiveKpiSnapshot['lines'][number] | null;
      },
    };
  }

  it('starts with a snapshot that matches kpi.oee for the current shift, machine by machine and line by line', async () => {
    const sub = listen(admin.token, { plantId: ids.plant });
    const snapshot = await sub.snapshot();
    const report = await admin.trpc.kpi.oee.query({
      scope: { kind: 'plant', id: ids.plant },
      window: 'currentShift',
    });
    expect(snapshot.shift).toMatchObject({ name: 'Now', start: shiftStart, end: shiftStart + 3 * HOUR });
    expect(snapshot.shift?.id).toBe(report.window?.shift?.id);
    // The snapshot and the query are evaluated a moment apart: time-based figures move by that much.
    const drift = report.machines[0]!.evaluated.end - snapshot.asOf;
    expect(drift).toBeGreaterThanOrEqual(0);
    expect(drift).toBeLessThan(5000);
    const close = (a: number | null, b: number | null) => {
      if (a === null || b === null) return expect(a).toBe(b);
      expect(Math.abs(a - b)).toBeLessThan(0.002);
    };
    expect(snapshot.machines.map((m) => m.code)).toEqual(['M1', 'M2', 'M3']);
    for (const m of snapshot.machines) {
      const r = report.machines.find((x) => x.machineId === m.machineId)!;
      expect(m).toMatchObject({
        lineId: r.lineId,
        name: r.name,
        producedQuantity: r.components.producedQuantity,
        goodQuantity: r.components.goodQuantity,
        scrapQuantity: r.components.scrapQuantity,
        idealTimeMs: r.components.idealTimeMs,
        missingIdealCycleTime: r.flags.missingIdealCycleTime,
      });
      expect(Math.abs(r.components.pbtMs - m.pbtMs)).toBeLessThanOrEqual(drift);
      for (const k of ['oee', 'availability', 'performance', 'quality'] as const) {
        close(m[k].value, r[k].value);
        expect(m[k].reason).toBe(r[k].reason);
      }
    }
    for (const l of snapshot.lines) {
      const r = report.lines.find((x) => x.lineId === l.lineId)!;
      expect(l).toMatchObject({
        code: r.code,
        goodQuantity: r.components.goodQuantity,
        idealTimeMs: r.components.idealTimeMs,
      });
      for (const k of ['oee', 'availability', 'performance', 'quality'] as const)
        close(l[k].value, r[k].value);
    }
    close(snapshot.plant.oee.value, report.total.oee.value);
    // Hand check of M1: 120 + 6 of P-A at 20 s = 2520 s ideal; Q = 120 / 126.
    const m1 = snapshot.machines[0]!;
    expect(m1).toMatchObject({
      producedQuantity: 126,
      goodQuantity: 120,
      scrapQuantity: 6,
      idealTimeMs: 2_520_000,
    });
    expect(m1.quality.value).toBeCloseTo(120 / 126, 12);
    // M1's A: running since + 10 min, nothing before it (a gap, excluded) → APT = PBT → A = 1.
    expect(m1.availability.value).toBe(1);
    expect(m1.state).toMatchObject({
      code: 'RUNNING',
      bucket: 'running',
      mapped: true,
      since: shiftStart + 10 * MIN,
    });
    expect(m1.state?.colour).toMatch(/^#/);
    const m2 = snapshot.machines[1]!;
    expect(m2.state).toMatchObject({
      code: 'DOWN',
      reason: 'JAM',
      bucket: 'availability_loss',
      since: shiftStart + 30 * MIN,
    });
    // M2 has been down since + 30 min: A = 30 min / (now − start).
    expect(m2.availability.value).toBeCloseTo((30 * MIN) / (snapshot.asOf - shiftStart), 9);
    const m3 = snapshot.machines[2]!;
    expect(m3.state).toBeNull();
    expect(m3.oee).toEqual({ value: null, reason: 'no_planned_busy_time' });
    expect(snapshot.lines.map((l) => [l.code, l.machineCount])).toEqual([
      ['L1', 2],
      ['L2', 1],
    ]);
    sub.close();
  });

  /** A line's trend against kpi.oee: each closed point is the OEE of [shift start, point]. */
  async function expectTrendLikeTheDatabase(snapshot: LiveKpiSnapshot, lineId: string) {
    const trend = snapshot.trends.find((t) => t.lineId === lineId)!;
    const line = snapshot.lines.find((l) => l.lineId === lineId)!;
    expect(trend.points.at(-1)!.t).toBe(snapshot.asOf);
    expect(trend.points.at(-1)!.oee).toBe(line.oee.value);
    expect(trend.points.reduce((sum, p) => sum + p.throughput, 0)).toBe(line.producedQuantity);
    let made = 0;
    for (const point of trend.points.slice(0, -1)) {
      made += point.throughput;
      const report = await admin.trpc.kpi.oee.query({
        scope: { kind: 'line', id: lineId },
        window: { from: new Date(shiftStart), to: new Date(point.t) },
      });
      if (point.oee === null) expect(report.total.oee.value).toBeNull();
      else expect(report.total.oee.value).toBeCloseTo(point.oee, 12);
      expect(report.total.components.producedQuantity).toBe(made);
    }
    return trend;
  }

  it("sends each line's shift trend whose every closed point is kpi.oee for [shift start, point], kept exact by late events and reloads", async () => {
    const sub = listen(admin.token, { plantId: ids.plant });
    const snapshot = await sub.snapshot();
    const trend = await expectTrendLikeTheDatabase(snapshot, ids.l1);
    expect(trend.bucketMs).toBe(15 * MIN);
    // The shift started an hour ago (a whole minute): points at + 15, 30, 45, 60 min, then now.
    expect(trend.points.map((p) => p.t - shiftStart).slice(0, 4)).toEqual(
      [15, 30, 45, 60].map((m) => m * MIN),
    );
    // M2's 60 at + 15 min belongs to the bucket that starts there, M1's 126 at + 20 min too.
    expect(trend.points[0]!.throughput).toBe(0);
    expect(trend.points[1]!.throughput).toBe(186);
    // L2's only machine never reported: a trend without OEE and without pieces.
    const empty = snapshot.trends.find((t) => t.lineId === ids.l2)!;
    expect(empty.points.every((p) => p.oee === null && p.throughput === 0)).toBe(true);

    // In a running shift the point at now moves every second, and an update carries only it.
    const updates = () => sub.messages.flatMap(({ message }) => (message.type === 'update' ? [message] : []));
    await until(() => updates().some((u) => u.trends.length > 0), 'a trend update', 3000);
    const patch = updates()
      .find((u) => u.trends.length > 0)!
      .trends.find((t) => t.lineId === ids.l1)!;
    expect(patch.from).toBe(trend.points.length - 1);
    expect(patch.points).toHaveLength(1);

    // A late count in the first bucket rewrites the trend from its first point on.
    await push(envelope(A1M2, 'count', { good: 4, scrap: 0 }, new Date(shiftStart + 12 * MIN)));
    const rewritten = () =>
      updates()
        .flatMap((u) => u.trends)
        .find((t) => t.lineId === ids.l1 && t.from === 0);
    await until(() => rewritten() !== undefined, 'the rewritten trend', 3000);
    const first = rewritten()!.points[0]!;
    expect(first.throughput).toBe(4);

    // Reloaded (master data changed), the hub reads the same history from the database: the counts
    // of different buckets must not be summed together there either.
    const before = sub.messages.length;
    await admin.trpc.production.products.create.mutate({ code: 'P-TREND', name: 'Trend reload' });
    await until(
      () => sub.messages.slice(before).some((m) => m.message.type === 'snapshot'),
      'the reload',
      5000,
    );
    const reloaded = sub.messages.slice(before).find((m) => m.message.type === 'snapshot')!
      .message as LiveKpiSnapshot;
    const again = await expectTrendLikeTheDatabase(reloaded, ids.l1);
    expect(again.points.slice(0, 2).map((p) => p.throughput)).toEqual([4, 186]);
    sub.close();
  });

  it("pushes an ingested count into the machine's and the line's numbers within 1.5 s", async () => {
    const sub = listen(admin.token, { plantId: ids.plant });
    const snapshot = await sub.snapshot();
    const before = snapshot.machines.find((m) => m.machineId === ids.m1)!.goodQuantity;
    const lineBefore = snapshot.lines.find((l) => l.lineId === ids.l1)!.goodQuantity;
    await push(envelope(A1M1, 'count', { good: 7, scrap: 1, product: 'P-A' }));
    const sent = Date.now();
    await until(() => sub.machine(ids.m1)?.goodQuantity === before + 7, 'the count in the machine', 3000);
    const machineAt = sub.messages.find((x) =>
      x.message.machines.some((m) => m.machineId === ids.m1 && m.goodQuantity === before + 7),
    )!.at;
    expect(machineAt - sent).toBeLessThan(1500);
    await until(() => sub.line(ids.l1)?.goodQuantity === lineBefore + 7, 'the count in the line', 3000);
    const lineAt = sub.messages.find((x) =>
      x.message.lines.some((l) => l.lineId === ids.l1 && l.goodQuantity === lineBefore + 7),
    )!.at;
    expect(lineAt - sent).toBeLessThan(1500);
    expect(sub.machine(ids.m1)).toMatchObject({ scrapQuantity: 7, lastEventAt: expect.any(Number) });
    sub.close();
  });

  it('moves the availability of a machine that stays down every second, without any event', async () => {
    const sub = listen(admin.token, { plantId: ids.plant, machineIds: [ids.m2] });
    const snapshot = await sub.snapshot();
    const before = snapshot.machines[0]!.availability.value!;
    await until(
      () => sub.messages.some((x) => x.message.type === 'update' && x.message.machines.length > 0),
      'a time-only update',
      3000,
    );
    const update = sub.messages.find((x) => x.message.type === 'update')!.message;
    const m2 = update.machines[0]!;
    // Down since + 30 min, running before: A = 30 min / (asOf − shift start), recomputed from memory.
    expect(m2.availability?.value).toBeCloseTo((30 * MIN) / (update.asOf - shiftStart), 9);
    expect(m2.availability!.value!).toBeLessThan(before);
    expect(update.asOf - snapshot.asOf).toBeGreaterThanOrEqual(999);
    // Only what moved is sent: the counts and the state did not change.
    expect(m2).not.toHaveProperty('goodQuantity');
    expect(m2).not.toHaveProperty('state');
    sub.close();
  });

  it('coalesces a burst of 200 events to at most one update per entity per second, and loses none', async () => {
    const sub = listen(admin.token, { plantId: ids.plant });
    const snapshot = await sub.snapshot();
    const good = (id: string) => snapshot.machines.find((m) => m.machineId === id)!.goodQuantity;
    const [g1, g2] = [good(ids.m1), good(ids.m2)];
    const started = Date.now();
    // 200 events in 20 commits over about a second: counts on M1 and M2, state flips on M1.
    for (let k = 0; k < 20; k++) {
      const batch = [];
      for (let j = 0; j < 10; j++) {
        const n = k * 10 + j;
        if (n % 10 === 9)
          batch.push(envelope(A1M1, 'state', { state: n % 20 === 9 ? 'MICROSTOP' : 'RUNNING' }));
        else batch.push(envelope(n % 2 === 0 ? A1M1 : A1M2, 'count', { good: 1, scrap: 0, product: 'P-A' }));
      }
      await push(...batch);
      await sleep(50);
    }
    // Counts: M1 at even n, M2 at odd n, except the state events at n ≡ 9 (mod 10): 100 and 80.
    // M1's last state event (n = 199) is RUNNING.
    await until(
      () => sub.machine(ids.m1)?.goodQuantity === g1 + 100 && sub.machine(ids.m2)?.goodQuantity === g2 + 80,
      'all 180 counts',
      5000,
    );
    await sleep(1500);
    const windowMs = Date.now() - started;
    const updates = sub.messages.filter((x) => x.message.type === 'update' && x.at >= started);
    // When the hub sent each entity (asOf), not when it arrived: delivery jitter on a busy machine
    // can bring two arrivals closer than the sends were.
    const perEntity = new Map<string, number[]>();
    for (const { message } of updates) {
      const at = message.asOf;
      for (const m of message.machines)
        perEntity.set(m.machineId, [...(perEntity.get(m.machineId) ?? []), at]);
      for (const l of message.lines) perEntity.set(l.lineId, [...(perEntity.get(l.lineId) ?? []), at]);
      if (message.plant !== null) perEntity.set('plant', [...(perEntity.get('plant') ?? []), at]);
    }
    expect(perEntity.get(ids.m1)?.length).toBeGreaterThan(0);
    for (const [entity, times] of perEntity) {
      // At most one per second (+1 for the window's two ends), measured over the whole window.
      expect(times.length, entity).toBeLessThanOrEqual(Math.ceil(windowMs / 1000) + 1);
      for (let k = 1; k < times.length; k++) expect(times[k]! - times[k - 1]!, entity).toBeGreaterThan(900);
    }
    expect(sub.machine(ids.m1)?.state?.code).toBe('RUNNING');
    sub.close();
  });

  it('reloads while counts keep arriving without losing or doubling one (the load/bus seam)', async () => {
    const sub = listen(admin.token, { plantId: ids.plant });
    const snapshot = await sub.snapshot();
    const g1 = snapshot.machines.find((m) => m.machineId === ids.m1)!.goodQuantity;
    let reload: Promise<unknown> = Promise.resolve();
    for (let k = 0; k < 20; k++) {
      // Master data of the tenant changes mid-stream: the hub reloads while commits go on.
      if (k === 5 || k === 12)
        reload = admin.trpc.masterdata.lines.create.mutate({
          plantId: ids.otherPlant,
          code: `R${k}`,
          name: `R${k}`,
        });
      await push(
        ...Array.from({ length: 5 }, () => envelope(A1M1, 'count', { good: 1, scrap: 0, product: 'P-A' })),
      );
      await sleep(25);
    }
    await reload;
    await until(() => sub.messages.filter((x) => x.message.type === 'snapshot').length >= 3, 'two reloads');
    await until(() => sub.machine(ids.m1)?.goodQuantity === g1 + 100, 'all 100 counts', 5000);
    // Nothing arrives twice: it stays at the database's figure.
    await sleep(1200);
    expect(sub.machine(ids.m1)?.goodQuantity).toBe(g1 + 100);
    const report = await admin.trpc.kpi.oee.query({
      scope: { kind: 'machine', id: ids.m1 },
      window: 'currentShift',
    });
    expect(report.machines[0]!.components.goodQuantity).toBe(g1 + 100);
    sub.close();
  });

  it("keeps a user to their plants: another plant or tenant is not found, another plant's line too", async () => {
    const user = await addUser(admin, { roleIds: [tenants.a.roleIds.operator!], plantIds: [ids.plant] });
    const operator = await signIn(server.url, user.email);
    const own = listen(operator.token, { plantId: ids.plant, lineIds: [ids.l1] });
    const snapshot = await own.snapshot();
    expect(snapshot.plantId).toBe(ids.plant);
    expect(snapshot.lines.map((l) => l.lineId)).toEqual([ids.l1]);
    expect(snapshot.machines.map((m) => m.machineId)).toEqual([ids.m1, ids.m2]);
    own.close();

    const refused = async (
      token: string,
      input: { plantId: string; lineIds?: string[] },
      message: string,
    ) => {
      const sub = listen(token, input);
      await until(() => sub.errors.length > 0 || sub.messages.length > 0, 'an answer');
      expect(sub.messages).toEqual([]);
      expect(sub.errors[0]).toMatchObject({ message, data: { code: 'NOT_FOUND' } });
      sub.close();
    };
    await refused(operator.token, { plantId: ids.otherPlant }, 'Plant not found');
    await refused(operator.token, { plantId: tenants.b.plantIds[0]! }, 'Plant not found');
    const adminB = await signIn(server.url, tenants.b.adminEmail);
    await refused(adminB.token, { plantId: ids.plant }, 'Plant not found');
    // A line of another plant named in the filter.
    const otherLine = (
      await admin.trpc.masterdata.lines.create.mutate({ plantId: ids.otherPlant, code: 'L9', name: 'Line 9' })
    ).id;
    await refused(admin.token, { plantId: ids.plant, lineIds: [otherLine] }, 'Line not found');
    // A machine filter narrows to that machine and its line.
    const narrow = listen(admin.token, { plantId: ids.plant, machineIds: [ids.m2] });
    const narrowed = await narrow.snapshot();
    expect(narrowed.machines.map((m) => m.machineId)).toEqual([ids.m2]);
    expect(narrowed.lines.map((l) => l.lineId)).toEqual([ids.l1]);
    narrow.close();
  });

  it('sends a new snapshot when the next shift starts, with the new shift and its figures from zero', async () => {
    const md = admin.trpc.masterdata;
    const line = (await md.lines.create.mutate({ plantId: ids.otherPlant, code: 'S1', name: 'Shift line' }))
      .id;
    const machine = (await md.machines.create.mutate({ lineId: line, code: 'S1M1', name: 'Shift press' })).id;
    const change = Date.now() + 2500;
    const pr = admin.trpc.production;
    const ending = await pr.shifts.create.mutate({
      plantId: ids.otherPlant,
      name: 'Ending',
      startsAt: new Date(change - HOUR),
      endsAt: new Date(change),
    });
    const next = await pr.shifts.create.mutate({
      plantId: ids.otherPlant,
      name: 'Next',
      startsAt: new Date(change),
      endsAt: new Date(change + HOUR),
    });
    const address = { plant: 'A2', line: 'S1', machine: 'S1M1' };
    await push(
      envelope(address, 'state', { state: 'RUNNING' }, new Date(change - 30 * MIN)),
      envelope(address, 'count', { good: 5, scrap: 0 }, new Date(change - 20 * MIN)),
    );
    const sub = listen(admin.token, { plantId: ids.otherPlant });
    const first = await sub.snapshot();
    expect(first.shift?.id).toBe(ending.id);
    expect(first.machines.find((m) => m.machineId === machine)).toMatchObject({ goodQuantity: 5 });
    const snapshotOf = (id: string) =>
      sub.messages.find((x) => x.message.type === 'snapshot' && x.message.shift?.id === id);
    await until(() => snapshotOf(next.id) !== undefined, 'the next shift', 6000);
    const { at, message } = snapshotOf(next.id)!;
    expect(message.asOf).toBeGreaterThanOrEqual(change);
    expect(at - change).toBeLessThan(1500);
    // The new shift starts from zero; the machine keeps the state it carried over.
    expect((message as LiveKpiSnapshot).machines.find((m) => m.machineId === machine)).toMatchObject({
      goodQuantity: 0,
      state: { code: 'RUNNING', since: change - 30 * MIN },
    });
    sub.close();
  });

  it('shares one hub per plant, reloads it when master data changes, and drops it when the last subscriber leaves', async () => {
    await until(() => server.deps.liveKpi.stats().hubs === 0, 'earlier hubs to go');
    const a = listen(admin.token, { plantId: ids.plant });
    const b = listen(admin.token, { plantId: ids.plant });
    await a.snapshot();
    await b.snapshot();
    expect(server.deps.liveKpi.stats()).toEqual({ hubs: 1, subscribers: 2 });
    // A new machine: 'masterdata.changed' reloads the hub, which sends everyone a new snapshot.
    const m4 = (
      await admin.trpc.masterdata.machines.create.mutate({ lineId: ids.l2, code: 'M4', name: 'Lathe 4' })
    ).id;
    await until(
      () =>
        a.messages.some(
          (x) => x.message.type === 'snapshot' && x.message.machines.some((m) => m.machineId === m4),
        ),
      'a snapshot with the new machine',
    );
    const reloaded = a.messages.findLast((x) => x.message.type === 'snapshot')!.message as LiveKpiSnapshot;
    expect(reloaded.lines.find((l) => l.lineId === ids.l2)?.machineCount).toBe(2);
    a.close();
    await until(() => server.deps.liveKpi.stats().subscribers === 1, 'the first to leave');
    expect(server.deps.liveKpi.stats().hubs).toBe(1);
    b.close();
    await until(() => server.deps.liveKpi.stats().hubs === 0, 'the hub to be dropped');
    expect(server.deps.liveKpi.stats()).toEqual({ hubs: 0, subscribers: 0 });
  });
});

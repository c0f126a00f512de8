import { beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, addUser, apiClient, signIn } from '../../testing/api.js';
import { expectApiError } from '../../testing/api-assertions.js';
import { type Tenants, type TestServer, useTestApp } from '../../testing/app.js';
import { testEngines } from '../../testing/engines.js';
import { envelope } from '../../testing/events.js';
import { DEFAULT_STATE_CODES } from '../production/index.js';
import { computeOee, type OeeInput, type StateEvent } from './index.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
/** Shares are sums of ratios: compare them to 9 decimals, not to the last bit. */
const round = (x: number) => Math.round(x * 1e9) / 1e9;

/**
 * An irregular day for the differential test: a gap before the first state, two events at one
 * instant, repeats, an unmapped code, changes inside planned downtimes, and counts on every edge
 * (shift, planned downtime, gap) and every 7 minutes with three products, one without its own PRI.
 */
function irregularDay(at: (hh: number, mm?: number) => number) {
  const states: (StateEvent & { time: number })[] = [
    { time: at(6, 10), state: 'RUNNING', reason: null },
    { time: at(7), state: 'DOWN', reason: 'JAM' },
    { time: at(7), state: 'RUNNING', reason: null },
    { time: at(7, 30), state: 'REDUCED_SPEED', reason: null },
    { time: at(8, 15), state: 'RUNNING', reason: null },
    { time: at(8, 15) + 30_000, state: 'RUNNING', reason: null },
    { time: at(9, 10), state: 'DOWN', reason: 'TOOL' },
    { time: at(9, 40), state: 'CHANGEOVER', reason: null },
    { time: at(10), state: 'RUNNING', reason: null },
    { time: at(12), state: 'WEIRD', reason: null },
    { time: at(12, 5), state: 'RUNNING', reason: null },
    { time: at(13, 30), state: 'PLANNED_STOP', reason: null },
    { time: at(13, 45), state: 'RUNNING', reason: null },
    { time: at(14, 30), state: 'DOWN', reason: null },
  ];
  const products = ['P-A', null, 'P-B'];
  const counts: { time: number; good: number; scrap: number; productCode: string | null }[] = [];
  for (let k = 0, t = at(5, 59); t < at(14, 20); k++, t += 7 * MIN) {
    counts.push({ time: t, good: 1 + (k % 5), scrap: k % 3 === 0 ? 1 : 0, productCode: products[k % 3]! });
  }
  for (const t of [at(6), at(6, 10), at(9), at(9, 20), at(11), at(11, 10), at(14) - 1, at(14)]) {
    counts.push({ time: t, good: 2, scrap: 1, productCode: 'P-A' });
  }
  return { states, counts };
}

/*
 * The database path of the OEE engine (docs/kpis.md) through the API, on each engine: events go in
 * through the real ingest path with explicit past times, master data through the production
 * procedures, and every figure is the one computed by hand below — identical on both engines.
 *
 * Scenario, plant A1 (UTC), line L1, day D = three days ago, all times D hh:mm UTC:
 *   shift "Early" 06:00–14:00 (POT 480 min); planned downtime (plant-wide break) 10:00–10:30 (30 min).
 *   Mapping: the tenant defaults (RUNNING running, MICROSTOP performance loss, DOWN availability loss,
 *   PLANNED_STOP planned stop). PRI: M1 product P-A 30 s, M1 default 60 s; M2 default 40 s.
 *
 *   M1 states: 05:00 RUNNING (inherited into the shift), 07:00 DOWN/JAM, 08:00 RUNNING,
 *              09:00 MICROSTOP, 09:30 RUNNING, 09:45 RUNNING (a repeat), 12:00 PLANNED_STOP, 12:30 RUNNING.
 *      in the shift, break removed: running 60 + 60 + (150 − 30) + 90 = 330, microstop 30 → APT 360;
 *      DOWN/JAM 60; planned stop 30; PBT = 480 − 30 − 30 = 420 (= 360 + 60).
 *      counts: 06:30 P-A 100 good; 08:30 P-A 200 good 10 scrap; 12:45 no product 50 good 5 scrap;
 *              15:00 7 good (after the shift: not counted, reported as outside planned operation).
 *      PQ = 100 + 210 + 55 = 365, GQ = 350; Σ PRI×PQ = 310 × 30 s + 55 × 60 s = 12 600 s = 210 min.
 *      A = 360/420, P = 210/360, Q = 350/365, OEE = 210/420 × 350/365 = 0.479452…
 *
 *   M2 states: 07:00 RUNNING (nothing before: 06:00–07:00 is a gap), 11:00 DOWN (no reason), 11:30 RUNNING.
 *      running (240 − 30) + 150 = 360 = APT; DOWN 30; gap 60; PBT = 480 − 30 − 60 = 390 (= 360 + 30).
 *      counts: 06:30 10 good (in the gap: counted, flagged); 09:00 300 good; 12:00 180 good 20 scrap.
 *      PQ = 510, GQ = 490; Σ PRI×PQ = 510 × 40 s = 340 min.
 *      A = 360/390, P = 340/360, Q = 490/510, OEE = 340/390 × 490/510 = 0.837607…
 *
 *   Line L1 (sum, then divide): PBT 810, APT 720, ideal 550 min, PQ 875, GQ 840.
 *      A = 720/810, P = 550/720, Q = 840/875 = 0.96, OEE = 550/810 × 0.96 = 0.651852…
 */
describe.each(testEngines)('KPI procedures over stored events ($name engine)', (engine) => {
  const app = useTestApp(engine);
  let tenants: Tenants;
  let server: TestServer;
  let admin: ApiClient;
  let edge: ApiClient;
  const ids = {} as {
    plant: string;
    otherPlant: string;
    line: string;
    m1: string;
    m2: string;
    otherLine: string;
    otherM1: string;
    otherM2: string;
    otherM3: string;
    otherShift: string;
    shift: string;
    currentShift: string;
  };
  /** Midnight UTC of day D, three days ago: inside the ingest's accepted past, before any "now". */
  const D = Math.floor(Date.now() / DAY) * DAY - 3 * DAY;
  const at = (hh: number, mm = 0) => D + hh * HOUR + mm * MIN;
  const A1 = { plant: 'A1', line: 'L1', machine: 'M1' };
  const A1M2 = { plant: 'A1', line: 'L1', machine: 'M2' };
  const A2M1 = { plant: 'A2', line: 'L9', machine: 'M1' };
  const A2M3 = { plant: 'A2', line: 'L9', machine: 'M3' };
  const irregular = irregularDay(at);
  const shiftWindow = () => ({ shiftId: ids.shift });
  let currentShiftStart = 0;

  beforeAll(async () => {
    ({ tenants, server, admin } = app);
    const [plant, otherPlant] = tenants.a.plantIds as [string, string];
    ids.plant = plant;
    ids.otherPlant = otherPlant;
    const md = admin.trpc.masterdata;
    ids.line = (await md.lines.create.mutate({ plantId: plant, code: 'L1', name: 'Line 1' })).id;
    ids.m1 = (await md.machines.create.mutate({ lineId: ids.line, code: 'M1', name: 'Press 1' })).id;
    ids.m2 = (await md.machines.create.mutate({ lineId: ids.line, code: 'M2', name: 'Press 2' })).id;
    ids.otherLine = (await md.lines.create.mutate({ plantId: otherPlant, code: 'L9', name: 'Line 9' })).id;
    ids.otherM1 = (
      await md.machines.create.mutate({ lineId: ids.otherLine, code: 'M1', name: 'Other 1' })
    ).id;
    ids.otherM2 = (
      await md.machines.create.mutate({ lineId: ids.otherLine, code: 'M2', name: 'Other 2' })
    ).id;

    ids.otherM3 = (
      await md.machines.create.mutate({ lineId: ids.otherLine, code: 'M3', name: 'Other 3' })
    ).id;

    const pr = admin.trpc.production;
    await pr.downtimeReasons.create.mutate({
      code: 'JAM',
      name: 'Jam',
      bucket: 'availability_loss',
      category: 'mechanical',
    });
    const product = await pr.products.create.mutate({ code: 'P-A', name: 'Part A' });
    await pr.idealCycleTimes.set.mutate({ machineId: ids.m1, productId: product.id, secondsPerUnit: 30 });
    await pr.idealCycleTimes.set.mutate({ machineId: ids.m1, productId: null, secondsPerUnit: 60 });
    await pr.idealCycleTimes.set.mutate({ machineId: ids.m2, productId: null, secondsPerUnit: 40 });
    await pr.idealCycleTimes.set.mutate({
      machineId: ids.otherM3,
      productId: product.id,
      secondsPerUnit: 15,
    });
    await pr.idealCycleTimes.set.mutate({ machineId: ids.otherM3, productId: null, secondsPerUnit: 20 });
    ids.shift = (
      await pr.shifts.create.mutate({
        plantId: plant,
        name: 'Early',
        startsAt: new Date(at(6)),
        endsAt: new Date(at(14)),
      })
    ).id;
    await pr.plannedDowntimes.create.mutate({
      plantId: plant,
      kind: 'break',
      startsAt: new Date(at(10)),
      endsAt: new Date(at(10, 30)),
    });
    ids.otherShift = (
      await pr.shifts.create.mutate({
        plantId: otherPlant,
        name: 'Early',
        startsAt: new Date(at(6)),
        endsAt: new Date(at(14)),
      })
    ).id;
    await pr.plannedDowntimes.create.mutate({
      machineId: ids.otherM3,
      kind: 'maintenance',
      startsAt: new Date(at(9)),
      endsAt: new Date(at(9, 20)),
    });
    await pr.plannedDowntimes.create.mutate({
      lineId: ids.otherLine,
      kind: 'break',
      startsAt: new Date(at(11)),
      endsAt: new Date(at(11, 10)),
    });
    // The other plant works now: a shift around the present for the live "current shift".
    currentShiftStart = Math.floor(Date.now() / MIN) * MIN - HOUR;
    ids.currentShift = (
      await pr.shifts.create.mutate({
        plantId: otherPlant,
        name: 'Now',
        startsAt: new Date(currentShiftStart),
        endsAt: new Date(currentShiftStart + 2 * HOUR),
      })
    ).id;

    const key = await admin.trpc.apiKeys.create.mutate({
      name: 'edge',
      scopes: ['ingest.write'],
      plantIds: [plant, otherPlant],
    });
    edge = apiClient(server.url, { apiKey: key.key });
    const state = (address: typeof A1, t: number, s: string, reason?: string) =>
      envelope(address, 'state', reason === undefined ? { state: s } : { state: s, reason }, new Date(t));
    const count = (address: typeof A1, t: number, good: number, scrap = 0, product?: string) =>
      envelope(address, 'count', { good, scrap, ...(product ? { product } : {}) }, new Date(t));
    const { results } = await edge.trpc.ingest.push.mutate({
      events: [
        state(A1, at(5), 'RUNNING'),
        state(A1, at(7), 'DOWN', 'JAM'),
        state(A1, at(8), 'RUNNING'),
        state(A1, at(9), 'MICROSTOP'),
        state(A1, at(9, 30), 'RUNNING'),
        state(A1, at(9, 45), 'RUNNING'),
        state(A1, at(12), 'PLANNED_STOP'),
        state(A1, at(12, 30), 'RUNNING'),
        count(A1, at(6, 30), 100, 0, 'P-A'),
        count(A1, at(8, 30), 200, 10, 'P-A'),
        count(A1, at(12, 45), 50, 5),
        count(A1, at(15), 7),
        state(A1M2, at(7), 'RUNNING'),
        state(A1M2, at(11), 'DOWN'),
        state(A1M2, at(11, 30), 'RUNNING'),
        count(A1M2, at(6, 30), 10),
        count(A1M2, at(9), 300),
        count(A1M2, at(12), 180, 20),
        state(A2M1, currentShiftStart + 30 * MIN, 'RUNNING'),
        count(A2M1, currentShiftStart + 40 * MIN, 5),
      ],
    });
    expect(results.filter((r) => r.status !== 'accepted')).toEqual([]);
    const more = await edge.trpc.ingest.push.mutate({
      events: [
        ...irregular.states.map((e) => state(A2M3, e.time, e.state, e.reason ?? undefined)),
        ...irregular.counts.map((c) => count(A2M3, c.time, c.good, c.scrap, c.productCode ?? undefined)),
      ],
    });
    expect(more.results.filter((r) => r.status !== 'accepted')).toEqual([]);
  });

  it("computes a machine's shift OEE exactly as by hand (inherited state, planned downtime, planned stop, two PRIs)", async () => {
    const report = await admin.trpc.kpi.oee.query({
      scope: { kind: 'machine', id: ids.m1 },
      window: shiftWindow(),
    });
    expect(report.window).toMatchObject({
      kind: 'shift',
      start: at(6),
      end: at(14),
      live: false,
      label: expect.stringContaining('Early'),
    });
    const m1 = report.machines[0]!;
    expect(m1.components).toMatchObject({
      plannedOperationMs: 480 * MIN,
      plannedDowntimeMs: 30 * MIN,
      plannedStopMs: 30 * MIN,
      gapMs: 0,
      pbtMs: 420 * MIN,
      aptMs: 360 * MIN,
      runningMs: 330 * MIN,
      performanceLossMs: 30 * MIN,
      availabilityLossMs: 60 * MIN,
      idealTimeMs: 210 * MIN,
      producedQuantity: 365,
      goodQuantity: 350,
      scrapQuantity: 15,
      quantityOutsidePlannedOperation: 0,
    });
    expect(m1.availability.value).toBeCloseTo(360 / 420, 12);
    expect(m1.performance.value).toBeCloseTo(210 / 360, 12);
    expect(m1.quality.value).toBeCloseTo(350 / 365, 12);
    expect(m1.oee.value).toBeCloseTo((210 / 420) * (350 / 365), 12);
    // Counts without a product use the machine default (and sort first); P-A has its own PRI.
    expect(m1.byProduct).toEqual([
      { productCode: null, produced: 55, good: 50, scrap: 5, idealCycleSeconds: 60, idealTimeMs: 3300_000 },
      {
        productCode: 'P-A',
        produced: 310,
        good: 300,
        scrap: 10,
        idealCycleSeconds: 30,
        idealTimeMs: 9300_000,
      },
    ]);
    expect(m1.downtimeByReason).toEqual([
      { bucket: 'availability_loss', state: 'DOWN', reason: 'JAM', durationMs: 60 * MIN },
      { bucket: 'performance_loss', state: 'MICROSTOP', reason: null, durationMs: 30 * MIN },
      { bucket: 'planned_stop', state: 'PLANNED_STOP', reason: null, durationMs: 30 * MIN },
    ]);
    expect(m1.flags).toMatchObject({ live: false, hasGaps: false, performanceAboveIdeal: false });
    // A machine scope's total is that machine's own figures.
    expect(report.total.oee.value).toBeCloseTo(m1.oee.value!, 12);
  });

  it('sums the line before dividing; a gap at the start is excluded and the counts in it flagged', async () => {
    const report = await admin.trpc.kpi.oee.query({
      scope: { kind: 'line', id: ids.line },
      window: shiftWindow(),
    });
    const [m1, m2] = report.machines;
    expect(report.machines.map((m) => m.code)).toEqual(['M1', 'M2']);
    expect(m2!.components).toMatchObject({
      gapMs: 60 * MIN,
      pbtMs: 390 * MIN,
      aptMs: 360 * MIN,
      availabilityLossMs: 30 * MIN,
      idealTimeMs: 340 * MIN,
      producedQuantity: 510,
      goodQuantity: 490,
      quantityInGaps: 10,
    });
    expect(m2!.gaps.intervals).toEqual([
      { kind: 'gap', cause: 'no_initial_state', state: null, start: at(6), end: at(7) },
    ]);
    expect(m2!.flags).toMatchObject({ hasGaps: true, countsInGaps: true });
    expect(m2!.oee.value).toBeCloseTo((340 / 390) * (490 / 510), 12);
    expect(m1!.oee.value).toBeCloseTo((210 / 420) * (350 / 365), 12);

    const line = report.lines[0]!;
    expect(line.components).toMatchObject({
      pbtMs: 810 * MIN,
      aptMs: 720 * MIN,
      idealTimeMs: 550 * MIN,
      producedQuantity: 875,
      goodQuantity: 840,
    });
    expect(line.availability.value).toBeCloseTo(720 / 810, 12);
    expect(line.performance.value).toBeCloseTo(550 / 720, 12);
    expect(line.quality.value).toBeCloseTo(0.96, 12);
    expect(line.oee.value).toBeCloseTo((550 / 810) * 0.96, 12);
    // Not the average of the machines' OEE (0.4795 and 0.8376 → 0.6585).
    expect(line.oee.value).not.toBeCloseTo((m1!.oee.value! + m2!.oee.value!) / 2, 3);

    const plant = await admin.trpc.kpi.oee.query({
      scope: { kind: 'plant', id: ids.plant },
      window: shiftWindow(),
    });
    expect(plant.total.components).toEqual(line.components);
    expect(plant.lines.map((l) => l.code)).toEqual(['L1']);
  });

  it('takes a local day, clips a range at its edges, and flags P above 100 % as measured', async () => {
    const day = await admin.trpc.kpi.oee.query({
      scope: { kind: 'machine', id: ids.m1 },
      window: { day: new Date(D).toISOString().slice(0, 10) },
    });
    expect(day.window).toMatchObject({ kind: 'day', start: D, end: D + DAY });
    // The same planned time as the shift; the 15:00 count is outside the shift and only reported.
    expect(day.machines[0]!.components).toMatchObject({
      pbtMs: 420 * MIN,
      producedQuantity: 365,
      quantityOutsidePlannedOperation: 7,
    });

    // 06:30–07:30: RUNNING 30 min (inherited from 05:00), DOWN 30 min → A = 30/60 = 0.5.
    // The 06:30 count (100 × 30 s = 50 min ideal) lies at the start, inside: P = 50/30 = 1.667, not capped.
    const range = await admin.trpc.kpi.oee.query({
      scope: { kind: 'machine', id: ids.m1 },
      window: { from: new Date(at(6, 30)), to: new Date(at(7, 30)) },
    });
    const m1 = range.machines[0]!;
    expect(m1.components).toMatchObject({
      pbtMs: 60 * MIN,
      aptMs: 30 * MIN,
      availabilityLossMs: 30 * MIN,
      producedQuantity: 100,
    });
    expect(m1.availability.value).toBeCloseTo(0.5, 12);
    expect(m1.performance.value).toBeCloseTo(50 / 30, 12);
    expect(m1.flags.performanceAboveIdeal).toBe(true);
    expect(m1.oee.value).toBeCloseTo(0.5 * (50 / 30), 12);
  });

  it('gives "no data", not 0, where nothing was planned or nothing is known', async () => {
    const dayBefore = await admin.trpc.kpi.oee.query({
      scope: { kind: 'line', id: ids.line },
      window: { day: new Date(D - DAY).toISOString().slice(0, 10) },
    });
    expect(dayBefore.total.availability).toEqual({ value: null, reason: 'no_planned_busy_time' });
    expect(dayBefore.total.oee).toEqual({ value: null, reason: 'no_planned_busy_time' });
    expect(dayBefore.total.components.pbtMs).toBe(0);

    // A shift is running at the other plant, but its M2 never reported: all gap, no availability.
    const silent = await admin.trpc.kpi.oee.query({
      scope: { kind: 'machine', id: ids.otherM2 },
      window: 'currentShift',
    });
    expect(silent.machines[0]!.components.pbtMs).toBe(0);
    expect(silent.machines[0]!.components.gapMs).toBeGreaterThan(0);
    expect(silent.total.availability).toEqual({ value: null, reason: 'no_planned_busy_time' });
  });

  it('evaluates the current shift live, up to now', async () => {
    const before = Date.now();
    const report = await admin.trpc.kpi.oee.query({
      scope: { kind: 'machine', id: ids.otherM1 },
      window: 'currentShift',
    });
    const after = Date.now();
    expect(report.window).toMatchObject({
      kind: 'shift',
      start: currentShiftStart,
      end: currentShiftStart + 2 * HOUR,
      live: true,
    });
    const m = report.machines[0]!;
    expect(m.flags.live).toBe(true);
    expect(m.evaluated.end).toBeGreaterThanOrEqual(before);
    expect(m.evaluated.end).toBeLessThanOrEqual(after);
    // 30 min without a known state, then RUNNING until now: A = 1 over the known part.
    expect(m.components.gapMs).toBe(30 * MIN);
    expect(m.components.aptMs).toBe(m.evaluated.end - currentShiftStart - 30 * MIN);
    expect(m.availability.value).toBe(1);
    expect(m.components.producedQuantity).toBe(5);

    // Plant A1 has no shift now: no window, every figure "no data".
    const idle = await admin.trpc.kpi.oee.query({
      scope: { kind: 'plant', id: ids.plant },
      window: 'currentShift',
    });
    expect(idle.window).toBeNull();
    expect(idle.total.oee).toEqual({ value: null, reason: 'no_planned_busy_time' });
  });

  it('gives a series per shift and per day with the same figures as the single windows', async () => {
    const byShift = await admin.trpc.kpi.oeeSeries.query({
      scope: { kind: 'line', id: ids.line },
      from: new Date(D - DAY),
      to: new Date(D + DAY),
      by: 'shift',
    });
    expect(byShift.points.map((p) => [p.label, p.start, p.end])).toEqual([
      [`${new Date(D).toISOString().slice(0, 10)} Early`, at(6), at(14)],
    ]);
    expect(byShift.points[0]!.total.oee.value).toBeCloseTo((550 / 810) * 0.96, 12);

    const byDay = await admin.trpc.kpi.oeeSeries.query({
      scope: { kind: 'line', id: ids.line },
      from: new Date(D - DAY),
      to: new Date(D + DAY),
      by: 'day',
    });
    expect(byDay.points.map((p) => p.start)).toEqual([D - DAY, D]);
    expect(byDay.points[0]!.total.oee).toEqual({ value: null, reason: 'no_planned_busy_time' });
    expect(byDay.points[1]!.total.components).toMatchObject({
      pbtMs: 810 * MIN,
      producedQuantity: 875,
      quantityOutsidePlannedOperation: 7,
    });
    expect(byDay.points[1]!.total.oee.value).toBeCloseTo((550 / 810) * 0.96, 12);
  });

  it('ranks downtime by reason and bucket with cumulative shares', async () => {
    // Line, shift: JAM 60 min, then three of 30 min — DOWN without reason (M2), MICROSTOP, PLANNED_STOP —
    // ordered by bucket on the tie. Total 150 min: 40 %, 60 %, 80 %, 100 %.
    const pareto = await admin.trpc.kpi.downtimePareto.query({
      scope: { kind: 'line', id: ids.line },
      window: shiftWindow(),
    });
    expect(pareto.totalMs).toBe(150 * MIN);
    expect(
      pareto.byReason.map((e) => [
        e.bucket,
        e.cause,
        e.causeKind,
        e.name,
        e.durationMs / MIN,
        round(e.share),
        round(e.cumulativeShare),
      ]),
    ).toEqual([
      ['availability_loss', 'JAM', 'reason', 'Jam', 60, 0.4, 0.4],
      ['availability_loss', 'DOWN', 'state', 'Down', 30, 0.2, 0.6],
      ['performance_loss', 'MICROSTOP', 'state', 'Microstop', 30, 0.2, 0.8],
      ['planned_stop', 'PLANNED_STOP', 'state', 'Planned stop', 30, 0.2, 1],
    ]);
    expect(pareto.byReason[0]).toMatchObject({ category: 'mechanical', states: ['DOWN'] });
    expect(pareto.byBucket.map((b) => [b.bucket, b.durationMs / MIN, round(b.cumulativeShare)])).toEqual([
      ['availability_loss', 90, 0.6],
      ['performance_loss', 30, 0.8],
      ['planned_stop', 30, 1],
    ]);

    const unplanned = await admin.trpc.kpi.downtimePareto.query({
      scope: { kind: 'line', id: ids.line },
      window: shiftWindow(),
      buckets: ['availability_loss'],
    });
    expect(unplanned.byReason.map((e) => [e.cause, round(e.cumulativeShare)])).toEqual([
      ['JAM', round(60 / 90)],
      ['DOWN', 1],
    ]);
  });

  it("draws a machine's timeline clipped to the window, with mapping colours and gaps", async () => {
    const m1 = await admin.trpc.kpi.stateTimeline.query({ machineId: ids.m1, window: shiftWindow() });
    expect(
      m1.segments.map((s) => [
        s.kind === 'state' ? s.state : s.cause,
        (s.start - D) / MIN,
        (s.end - D) / MIN,
      ]),
    ).toEqual([
      ['RUNNING', 360, 420],
      ['DOWN', 420, 480],
      ['RUNNING', 480, 540],
      ['MICROSTOP', 540, 570],
      ['RUNNING', 570, 720],
      ['PLANNED_STOP', 720, 750],
      ['RUNNING', 750, 840],
    ]);
    expect(m1.segments[1]).toMatchObject({
      reason: 'JAM',
      bucket: 'availability_loss',
      colour: '#ef4444',
      name: 'Down',
      mapped: true,
    });
    expect(m1.segments[0]).toMatchObject({ bucket: 'running', colour: '#22c55e' });
    expect(m1.plannedDowntimes).toEqual([{ start: at(10), end: at(10, 30), reason: 'break' }]);
    expect(m1.shifts.map((s) => [s.start, s.end])).toEqual([[at(6), at(14)]]);

    const m2 = await admin.trpc.kpi.stateTimeline.query({ machineId: ids.m2, window: shiftWindow() });
    expect(m2.segments[0]).toEqual({
      kind: 'gap',
      cause: 'no_initial_state',
      state: null,
      start: at(6),
      end: at(7),
    });
    expect(m2.gapMs).toBe(HOUR);
  });

  it('counts good and scrap per local hour for a line, zeros where nothing was counted', async () => {
    const hourly = await admin.trpc.kpi.countsPerHour.query({
      scope: { kind: 'line', id: ids.line },
      window: { day: new Date(D).toISOString().slice(0, 10) },
    });
    expect(hourly.hours).toHaveLength(24);
    expect(hourly.hours[0]).toBe(D);
    const nonZero = (values: number[]) =>
      Object.fromEntries(values.flatMap((v, h) => (v === 0 ? [] : [[h, v]])));
    expect(nonZero(hourly.total.good)).toEqual({ 6: 110, 8: 200, 9: 300, 12: 230, 15: 7 });
    expect(nonZero(hourly.total.scrap)).toEqual({ 8: 10, 12: 25 });
    expect(hourly.machines.map((m) => [m.code, nonZero(m.good)])).toEqual([
      ['M1', { 6: 100, 8: 200, 12: 50, 15: 7 }],
      ['M2', { 6: 10, 9: 300, 12: 180 }],
    ]);
  });

  it("refuses other tenants' and other plants' entities as not found, and callers without kpi.read", async () => {
    const adminB = await signIn(server.url, tenants.b.adminEmail);
    await expectApiError(
      adminB.trpc.kpi.oee.query({ scope: { kind: 'line', id: ids.line }, window: shiftWindow() }),
      'NOT_FOUND',
      'Line not found',
    );
    await expectApiError(
      adminB.trpc.kpi.stateTimeline.query({ machineId: ids.m1, window: { day: '2026-01-01' } }),
      'NOT_FOUND',
      'Machine not found',
    );
    const user = await addUser(admin, { roleIds: [tenants.a.roleIds.operator!], plantIds: [ids.otherPlant] });
    const operator = await signIn(server.url, user.email);
    await expectApiError(
      operator.trpc.kpi.oee.query({ scope: { kind: 'plant', id: ids.plant }, window: shiftWindow() }),
      'NOT_FOUND',
      'Plant not found',
    );
    await expectApiError(
      operator.trpc.kpi.countsPerHour.query({
        scope: { kind: 'machine', id: ids.m1 },
        window: shiftWindow(),
      }),
      'NOT_FOUND',
    );
    // Its own plant works, but not with a shift of another plant.
    await expectApiError(
      operator.trpc.kpi.oee.query({ scope: { kind: 'line', id: ids.otherLine }, window: shiftWindow() }),
      'NOT_FOUND',
      'Shift not found',
    );
    await expectApiError(
      admin.trpc.kpi.oee.query({ scope: { kind: 'line', id: ids.otherLine }, window: shiftWindow() }),
      'BAD_REQUEST',
      'The shift belongs to another plant',
    );
    await expectApiError(
      edge.trpc.kpi.oee.query({ scope: { kind: 'line', id: ids.line }, window: shiftWindow() }),
      'FORBIDDEN',
    );
  });

  it('lists the plants with lines the caller sees for the board, those that have reported first', async () => {
    const quiet = await admin.trpc.tenancy.plants.create.mutate({
      code: 'A0',
      name: 'Quiet',
      timezone: 'UTC',
    });
    await admin.trpc.masterdata.lines.create.mutate({ plantId: quiet.id, code: 'LQ', name: 'Quiet line' });
    const empty = await admin.trpc.tenancy.plants.create.mutate({
      code: 'A00',
      name: 'Empty',
      timezone: 'UTC',
    });
    const all = await admin.trpc.kpi.boardPlants.query();
    // A1 has events; A0 comes before it by code but has never reported; A00 has no lines.
    expect(all[0]).toBe(ids.plant);
    expect(all.indexOf(quiet.id)).toBeGreaterThan(0);
    expect(all).toContain(ids.otherPlant);
    expect(all).not.toContain(empty.id);
    const user = await addUser(admin, { roleIds: [tenants.a.roleIds.operator!], plantIds: [ids.otherPlant] });
    const operator = await signIn(server.url, user.email);
    expect(await operator.trpc.kpi.boardPlants.query()).toEqual([ids.otherPlant]);
    const adminB = await signIn(server.url, tenants.b.adminEmail);
    expect(await adminB.trpc.kpi.boardPlants.query()).not.toContain(ids.plant);
  });

  it('refuses windows that are reversed, too long or malformed', async () => {
    const scope = { kind: 'line' as const, id: ids.line };
    await expectApiError(
      admin.trpc.kpi.oee.query({ scope, window: { from: new Date(at(8)), to: new Date(at(7)) } }),
      'BAD_REQUEST',
      /ends before it starts/,
    );
    await expectApiError(
      admin.trpc.kpi.oee.query({ scope, window: { from: new Date(D - 401 * DAY), to: new Date(D) } }),
      'BAD_REQUEST',
      /at most 400 days/,
    );
    await expectApiError(
      admin.trpc.kpi.oee.query({ scope, window: { week: '2026-W54' } }),
      'BAD_REQUEST',
      /ISO week/,
    );
    await expectApiError(
      admin.trpc.kpi.stateTimeline.query({
        machineId: ids.m1,
        window: { from: new Date(D - 40 * DAY), to: new Date(D) },
      }),
      'BAD_REQUEST',
      /at most 31 days/,
    );
    const week = await admin.trpc.kpi.oee.query({ scope, window: { week: '2026-W01' } });
    // ISO week 1 of 2026 starts on Monday 29 December 2025.
    expect(week.window).toMatchObject({
      kind: 'week',
      start: Date.UTC(2025, 11, 29),
      end: Date.UTC(2026, 0, 5),
    });
  });

  it("cuts days and weeks at the plant's local midnight, across a daylight-saving change", async () => {
    const berlin = await admin.trpc.tenancy.plants.create.mutate({
      code: 'A3',
      name: 'Berlin',
      timezone: 'Europe/Berlin',
    });
    const line = await admin.trpc.masterdata.lines.create.mutate({
      plantId: berlin.id,
      code: 'LB',
      name: 'LB',
    });
    const machine = await admin.trpc.masterdata.machines.create.mutate({
      lineId: line.id,
      code: 'MB',
      name: 'MB',
    });
    // 29 March 2026: clocks go from 02:00 CET to 03:00 CEST, so the local day is 23 hours long.
    const day = await admin.trpc.kpi.oee.query({
      scope: { kind: 'plant', id: berlin.id },
      window: { day: '2026-03-29' },
    });
    expect(day.window).toMatchObject({ start: Date.UTC(2026, 2, 28, 23), end: Date.UTC(2026, 2, 29, 22) });
    expect(day.scope).toEqual({
      kind: 'plant',
      id: berlin.id,
      plantId: berlin.id,
      timezone: 'Europe/Berlin',
    });
    const hourly = await admin.trpc.kpi.countsPerHour.query({
      scope: { kind: 'machine', id: machine.id },
      window: { day: '2026-03-29' },
    });
    expect(hourly.hours).toHaveLength(23);
    expect(hourly.hours[0]).toBe(Date.UTC(2026, 2, 28, 23));
    expect(hourly.total.good.every((g) => g === 0)).toBe(true);
    // ISO week 14 of 2026: Monday 30 March 00:00 CEST to Monday 6 April 00:00 CEST.
    const week = await admin.trpc.kpi.oee.query({
      scope: { kind: 'machine', id: machine.id },
      window: { week: '2026-W14' },
    });
    expect(week.window).toMatchObject({
      kind: 'week',
      start: Date.UTC(2026, 2, 29, 22),
      end: Date.UTC(2026, 3, 5, 22),
    });
  });

  it('gives exactly what the pure core computes from the raw events, for any window (counts summed in SQL per stretch)', async () => {
    const shifts = [
      { start: at(6), end: at(14) },
      { start: currentShiftStart, end: currentShiftStart + 2 * HOUR },
    ];
    const reference = (window: { start: number; end: number }, now: number) => {
      const before = irregular.states.filter((e) => e.time < window.start);
      const input: OeeInput = {
        window,
        now,
        mapping: new Map(DEFAULT_STATE_CODES.map((c) => [c.code, c.bucket])),
        inherited: before.at(-1) ?? null,
        events: irregular.states.filter((e) => e.time >= window.start && e.time < window.end),
        shifts,
        plannedDowntimes: [
          { start: at(9), end: at(9, 20), reason: 'maintenance' },
          { start: at(11), end: at(11, 10), reason: 'break' },
        ],
        counts: irregular.counts,
        idealCycleTimes: { byProduct: new Map([['P-A', 15]]), machineDefaultSeconds: 20 },
      };
      return computeOee(input);
    };
    // Deterministic "random" windows over 05:00–15:00 at millisecond resolution.
    let seed = 7;
    const next = () => {
      seed = (seed * 48_271) % 2_147_483_647;
      return seed / 2_147_483_647;
    };
    const windows: ({ shiftId: string } | { day: string } | { from: Date; to: Date })[] = [
      { shiftId: ids.otherShift },
      { day: new Date(D).toISOString().slice(0, 10) },
      { from: new Date(at(6, 5)), to: new Date(at(6, 15)) },
      { from: new Date(at(7) - 1), to: new Date(at(7) + 1) },
      { from: new Date(at(9, 10)), to: new Date(at(11, 5)) },
      { from: new Date(at(13, 59)), to: new Date(at(14, 1)) },
    ];
    for (let k = 0; k < 8; k++) {
      const a = at(5) + Math.floor(next() * 10 * HOUR);
      const b = at(5) + Math.floor(next() * 10 * HOUR);
      if (a !== b) windows.push({ from: new Date(Math.min(a, b)), to: new Date(Math.max(a, b)) });
    }
    for (const window of windows) {
      const report = await admin.trpc.kpi.oee.query({ scope: { kind: 'machine', id: ids.otherM3 }, window });
      const { machineId, lineId, code, name, ...result } = report.machines[0]!;
      expect({ machineId, code }).toEqual({ machineId: ids.otherM3, code: 'M3' });
      expect(lineId).toBe(ids.otherLine);
      expect(name).toBe('Other 3');
      const w = report.window!;
      expect(result, JSON.stringify(window)).toEqual(
        reference({ start: w.start, end: w.end }, result.evaluated.end),
      );
    }
    // The windows exercise what they should: a gap, an unmapped code, both planned downtimes, P by product.
    const shift = reference({ start: at(6), end: at(14) }, Date.now());
    expect(shift.flags).toMatchObject({ hasGaps: true, hasUnmappedStates: true, countsInGaps: true });
    expect(shift.components.plannedDowntimeMs).toBe(30 * MIN);
    expect(shift.byProduct.map((p) => p.productCode)).toEqual([null, 'P-A', 'P-B']);

    // A series cut from one load gives the same totals as each window on its own.
    const series = await admin.trpc.kpi.oeeSeries.query({
      scope: { kind: 'machine', id: ids.otherM3 },
      from: new Date(at(5)),
      to: new Date(at(15)),
      by: 'shift',
    });
    expect(series.points).toHaveLength(1);
    expect(series.points[0]!.total.components).toEqual(shift.components);
  });
});

import { describe, expect, it } from 'vitest';
import { computeOee, type OeeInput, type OeeResult } from './oee.js';
import type { StateBucket } from './timeline.js';

const at = (hh: number, mm = 0) => Date.UTC(2026, 10, 24, hh, mm);
const H = 3_600_000;
const M = 60_000;
const S = 1000;

const mapping = new Map<string, StateBucket>([
  ['RUNNING', 'running'],
  ['RUNNING_AUTO', 'running'],
  ['RUNNING_MANUAL', 'running'],
  ['REDUCED_SPEED', 'performance_loss'],
  ['MICROSTOP', 'performance_loss'],
  ['DOWN', 'availability_loss'],
  ['CLEANING', 'planned_stop'],
]);

/** One 8 h shift 06:00–14:00, running since 05:00, no counts; each test overrides what it needs. */
function oee(overrides: Partial<OeeInput>): OeeResult {
  return computeOee({
    window: { start: at(6), end: at(14) },
    shifts: [{ start: at(6), end: at(14) }],
    mapping,
    inherited: { time: at(5), state: 'RUNNING' },
    events: [],
    counts: [],
    idealCycleTimes: { machineDefaultSeconds: 60 },
    ...overrides,
  });
}

/** POT = PDOT + planned stop + gaps + APT + availability loss: every planned second is in one place. */
function expectPartition(r: OeeResult) {
  const c = r.components;
  expect(c.plannedDowntimeMs + c.plannedStopMs + c.gapMs + c.aptMs + c.availabilityLossMs).toBe(
    c.plannedOperationMs,
  );
  expect(c.pbtMs).toBe(c.aptMs + c.availabilityLossMs);
  expect(c.aptMs).toBe(c.runningMs + c.performanceLossMs);
}

describe('OEE of one machine', () => {
  it('computes a full shift: clipping, break, two running codes, speed loss, microstop, two products', () => {
    const r = oee({
      plannedDowntimes: [{ start: at(10), end: at(10, 30), reason: 'BREAK' }],
      events: [
        { time: at(8), state: 'DOWN', reason: 'JAM' },
        { time: at(9), state: 'RUNNING_AUTO' },
        { time: at(11), state: 'REDUCED_SPEED', reason: 'MATERIAL' },
        { time: at(12), state: 'MICROSTOP' },
        { time: at(12, 15), state: 'RUNNING' },
      ],
      counts: [
        { time: at(7), good: 300, scrap: 10, productCode: 'P1' },
        { time: at(12, 30), good: 180, scrap: 10, productCode: 'P1' },
        { time: at(13), good: 100, scrap: 0, productCode: 'P2' },
      ],
      idealCycleTimes: {
        byProduct: new Map([
          ['P1', 30],
          ['P2', 60],
        ]),
        machineDefaultSeconds: 45,
      },
    });
    const c = r.components;
    // POT 06:00–14:00 = 8 h; planned downtime 10:00–10:30 = 30 m
    expect(c.plannedOperationMs).toBe(8 * H);
    expect(c.plannedDowntimeMs).toBe(30 * M);
    // PBT = 8 h − 30 m = 7 h 30 m
    expect(c.pbtMs).toBe(7.5 * H);
    // running: 06–08 RUNNING 2 h + 09–11 RUNNING_AUTO 2 h − break 30 m = 1 h 30 m + 12:15–14 RUNNING 1 h 45 m
    //        = 5 h 15 m; performance loss: 11–12 REDUCED_SPEED 1 h + 12:00–12:15 MICROSTOP 15 m = 1 h 15 m
    expect(c.runningMs).toBe(2 * H + 1.5 * H + 1.75 * H);
    expect(c.performanceLossMs).toBe(1.25 * H);
    // APT = 5 h 15 m + 1 h 15 m = 6 h 30 m; availability loss: 08–09 DOWN = 1 h
    expect(c.aptMs).toBe(6.5 * H);
    expect(c.availabilityLossMs).toBe(1 * H);
    // A = 6 h 30 m / 7 h 30 m = 0.8667
    expect(r.availability.value).toBeCloseTo(6.5 / 7.5, 12);
    // PQ = (300 + 10) + (180 + 10) + 100 = 600; GQ = 300 + 180 + 100 = 580; scrap 20
    expect([c.producedQuantity, c.goodQuantity, c.scrapQuantity]).toEqual([600, 580, 20]);
    // Σ PRI × PQ = P1 500 × 30 s + P2 100 × 60 s = 15 000 s + 6 000 s = 21 000 s (the default 45 s is unused)
    expect(c.idealTimeMs).toBe(21_000 * S);
    // P = 21 000 s / 23 400 s = 0.8974 — a time-only P would have said 1.0 for these 6 h 30 m
    expect(r.performance.value).toBeCloseTo(21_000 / 23_400, 12);
    // Q = 580 / 600 = 0.9667
    expect(r.quality.value).toBeCloseTo(580 / 600, 12);
    // OEE = 0.8667 × 0.8974 × 0.9667 = (21 000 s × 580/600) / 27 000 s = 0.7519
    expect(r.oee.value).toBeCloseTo((6.5 / 7.5) * (21_000 / 23_400) * (580 / 600), 12);
    expect(r.oee.value).toBeCloseTo((21_000 * (580 / 600)) / 27_000, 12);
    expect(r.timeByBucket).toEqual({
      running: 5.25 * H,
      performance_loss: 1.25 * H,
      availability_loss: 1 * H,
      planned_stop: 0,
    });
    expect(r.downtimeByReason).toEqual([
      { bucket: 'availability_loss', state: 'DOWN', reason: 'JAM', durationMs: 1 * H },
      { bucket: 'performance_loss', state: 'REDUCED_SPEED', reason: 'MATERIAL', durationMs: 1 * H },
      { bucket: 'performance_loss', state: 'MICROSTOP', reason: null, durationMs: 15 * M },
    ]);
    expect(r.byProduct.map((p) => [p.productCode, p.produced, p.idealCycleSeconds])).toEqual([
      ['P1', 500, 30],
      ['P2', 100, 60],
    ]);
    expect(r.flags).toEqual({
      performanceAboveIdeal: false,
      live: false,
      hasGaps: false,
      hasUnmappedStates: false,
      missingIdealCycleTime: false,
      countsInGaps: false,
    });
    expectPartition(r);
  });

  it('counts every running code in APT', () => {
    const r = oee({
      events: [
        { time: at(10), state: 'RUNNING_AUTO' },
        { time: at(12), state: 'RUNNING_MANUAL' },
      ],
    });
    // 06–10 RUNNING 4 h + 10–12 RUNNING_AUTO 2 h + 12–14 RUNNING_MANUAL 2 h = 8 h = PBT → A = 1
    expect(r.components.runningMs).toBe(8 * H);
    expect(r.availability.value).toBe(1);
  });

  it('keeps reduced speed and microstops in APT so that P, not A, carries them', () => {
    const r = oee({
      events: [
        { time: at(6), state: 'REDUCED_SPEED' },
        { time: at(10), state: 'MICROSTOP' },
        { time: at(10, 30), state: 'RUNNING' },
      ],
      // at 60 s PRI: 4 h at half speed = 120 units; 30 m of microstops = 0 units; 3 h 30 m full = 210 units
      counts: [
        { time: at(9), good: 120, scrap: 0 },
        { time: at(13), good: 210, scrap: 0 },
      ],
    });
    // APT = 4 h + 30 m + 3 h 30 m = 8 h; A = 8 h / 8 h = 1
    expect(r.components.aptMs).toBe(8 * H);
    expect(r.components.performanceLossMs).toBe(4.5 * H);
    expect(r.availability.value).toBe(1);
    // P = 330 × 60 s / 28 800 s = 19 800 / 28 800 = 0.6875
    expect(r.performance.value).toBeCloseTo(19_800 / 28_800, 12);
    expect(r.oee.value).toBeCloseTo(0.6875, 12);
  });

  it('excludes planned downtime and planned_stop states from PBT, counting an overlap once', () => {
    const r = oee({
      events: [
        { time: at(10), state: 'CLEANING' },
        { time: at(11, 30), state: 'RUNNING' },
        { time: at(13), state: 'DOWN' },
        { time: at(13, 30), state: 'RUNNING' },
      ],
      // 10:30–11:30 overlaps CLEANING 10:30–11:30; 13:45–15:00 reaches past the shift end 14:00.
      plannedDowntimes: [
        { start: at(10, 30), end: at(11, 30) },
        { start: at(13, 45), end: at(15) },
      ],
    });
    const c = r.components;
    // PDOT = 10:30–11:30 1 h + 13:45–14:00 15 m (the part after the shift is not counted) = 1 h 15 m
    expect(c.plannedDowntimeMs).toBe(1.25 * H);
    // planned stop = CLEANING 10:00–11:30 minus the planned downtime from 10:30 = 30 m
    expect(c.plannedStopMs).toBe(30 * M);
    // PBT = 8 h − 1 h 15 m − 30 m = 6 h 15 m
    expect(c.pbtMs).toBe(6.25 * H);
    // APT = 06–10 4 h + 11:30–13 1 h 30 m + 13:30–13:45 15 m = 5 h 45 m; down 13:00–13:30 = 30 m
    expect(c.aptMs).toBe(5.75 * H);
    expect(c.availabilityLossMs).toBe(30 * M);
    // A = 5 h 45 m / 6 h 15 m = 0.92
    expect(r.availability.value).toBeCloseTo(5.75 / 6.25, 12);
    expect(r.downtimeByReason).toEqual([
      { bucket: 'availability_loss', state: 'DOWN', reason: null, durationMs: 30 * M },
      { bucket: 'planned_stop', state: 'CLEANING', reason: null, durationMs: 30 * M },
    ]);
    expectPartition(r);
  });

  it('does not count time outside the shifts, nor counts made there', () => {
    const r = oee({
      window: { start: at(0), end: at(24) },
      shifts: [
        { start: at(6), end: at(14) },
        // overlapping calendar entries are merged, not counted twice: 13–16 adds 14–16 = 2 h
        { start: at(13), end: at(16) },
      ],
      counts: [
        { time: at(8), good: 480, scrap: 0 },
        { time: at(20), good: 99, scrap: 1 },
      ],
    });
    // POT = 06–16 = 10 h; APT = 10 h (running all day, but only shift time counts)
    expect(r.components.plannedOperationMs).toBe(10 * H);
    expect(r.components.aptMs).toBe(10 * H);
    // PQ = 480 (the 100 at 20:00 are outside the shifts); P = 480 × 60 s / 36 000 s = 0.8
    expect(r.components.producedQuantity).toBe(480);
    expect(r.components.quantityOutsidePlannedOperation).toBe(100);
    expect(r.performance.value).toBeCloseTo(0.8, 12);
  });

  it('excludes a gap before the first data and flags counts made in it', () => {
    const r = oee({
      inherited: null,
      events: [{ time: at(7), state: 'RUNNING' }],
      counts: [
        { time: at(6, 30), good: 10, scrap: 0 },
        { time: at(10), good: 410, scrap: 0 },
      ],
    });
    // gap 06–07 = 1 h; PBT = 8 h − 1 h = 7 h; APT = 07–14 = 7 h → A = 1
    expect(r.gaps).toEqual({
      totalMs: 1 * H,
      intervals: [{ kind: 'gap', start: at(6), end: at(7), cause: 'no_initial_state', state: null }],
    });
    expect(r.components.pbtMs).toBe(7 * H);
    expect(r.availability.value).toBe(1);
    // PQ = 10 + 410 = 420; P = 420 × 60 s / 25 200 s = 1.0 (the 10 made in the gap are flagged)
    expect(r.performance.value).toBeCloseTo(1, 12);
    expect(r.components.quantityInGaps).toBe(10);
    expect(r.flags).toMatchObject({ hasGaps: true, countsInGaps: true, performanceAboveIdeal: false });
    expectPartition(r);
  });

  it('excludes silence longer than maxSilenceMs, and a no-data state', () => {
    const minutes = (from: number, to: number) =>
      Array.from({ length: (to - from) / M + 1 }, (_, k) => from + k * M);
    const r = oee({
      maxSilenceMs: 5 * M,
      noDataStates: ['OFFLINE'],
      events: [
        { time: at(12), state: 'OFFLINE' },
        { time: at(12, 30), state: 'RUNNING' },
      ],
      // a heartbeat every minute, except 09:00–10:00
      activity: [...minutes(at(5), at(9)), ...minutes(at(10), at(14))],
    });
    // silence gap 09:05–10:00 = 55 m; OFFLINE 12:00–12:30 = 30 m
    expect(r.gaps.intervals.map((g) => [g.start, g.end, g.cause])).toEqual([
      [at(9, 5), at(10), 'silence'],
      [at(12), at(12, 30), 'no_data_state'],
    ]);
    expect(r.gaps.totalMs).toBe(85 * M);
    // PBT = 480 m − 85 m = 395 m = APT → A = 1
    expect(r.components.pbtMs).toBe(395 * M);
    expect(r.availability.value).toBe(1);
    expectPartition(r);
  });

  it('evaluates the current shift up to now', () => {
    const r = oee({
      now: at(10),
      events: [{ time: at(9), state: 'DOWN' }],
      counts: [{ time: at(8), good: 180, scrap: 0 }],
    });
    // evaluated 06:00–10:00: PBT = 4 h, APT = 06–09 = 3 h → A = 3/4 = 0.75
    expect(r.evaluated).toEqual({ start: at(6), end: at(10) });
    expect(r.components.pbtMs).toBe(4 * H);
    expect(r.availability.value).toBe(0.75);
    // P = 180 × 60 s / 10 800 s = 1; OEE = 0.75 × 1 × 1 = 0.75
    expect(r.performance.value).toBeCloseTo(1, 12);
    expect(r.oee.value).toBeCloseTo(0.75, 12);
    expect(r.flags.live).toBe(true);
  });

  it('gives no data for a shift that has not started', () => {
    const r = oee({ now: at(5) });
    expect(r.components.plannedOperationMs).toBe(0);
    expect(r.availability).toEqual({ value: null, reason: 'no_planned_busy_time' });
    expect(r.oee).toEqual({ value: null, reason: 'no_planned_busy_time' });
    expect(r.flags.live).toBe(true);
  });

  it('returns P above 100 % as measured and flags it', () => {
    const r = oee({
      now: at(7),
      counts: [{ time: at(6, 30), good: 66, scrap: 0 }],
    });
    // APT = 1 h; P = 66 × 60 s / 3 600 s = 1.1, not capped at 1; OEE = 1 × 1.1 × 1 = 1.1
    expect(r.performance.value).toBeCloseTo(1.1, 12);
    expect(r.oee.value).toBeCloseTo(1.1, 12);
    expect(r.performanceAboveIdeal).toBe(true);
    expect(r.flags.performanceAboveIdeal).toBe(true);
  });

  it('gives no data for zero PQ, zero APT and zero PBT, and OEE 0 only when nothing was produced', () => {
    // PQ = 0 with APT = 8 h: P = 0 s / 28 800 s = 0, Q = no data, OEE = 0 (nothing produced in PBT)
    const idle = oee({});
    expect(idle.performance).toEqual({ value: 0, reason: null });
    expect(idle.quality).toEqual({ value: null, reason: 'no_produced_quantity' });
    expect(idle.oee).toEqual({ value: 0, reason: null });

    // APT = 0, PQ = 0: A = 0 h / 8 h = 0, P = no data, Q = no data, OEE = 0
    const down = oee({ inherited: { time: at(5), state: 'DOWN' } });
    expect(down.availability).toEqual({ value: 0, reason: null });
    expect(down.performance).toEqual({ value: null, reason: 'no_production_time' });
    expect(down.oee).toEqual({ value: 0, reason: null });

    // APT = 0 but PQ = 5 (contradictory data): P = no data, so OEE = no data, not 0 or NaN
    const contradictory = oee({
      inherited: { time: at(5), state: 'DOWN' },
      counts: [{ time: at(7), good: 5, scrap: 0 }],
    });
    expect(contradictory.quality.value).toBe(1);
    expect(contradictory.oee).toEqual({ value: null, reason: 'no_production_time' });

    // PBT = 0: the whole shift is planned downtime
    const planned = oee({ plannedDowntimes: [{ start: at(0), end: at(23) }] });
    expect(planned.components.pbtMs).toBe(0);
    expect(planned.availability).toEqual({ value: null, reason: 'no_planned_busy_time' });
    expect(planned.oee).toEqual({ value: null, reason: 'no_planned_busy_time' });
    for (const r of [idle, down, contradictory, planned]) {
      for (const k of [r.availability, r.performance, r.quality, r.oee])
        expect(Number.isNaN(k.value)).toBe(false);
    }
  });

  it('counts unknown state codes as availability loss and reports them', () => {
    const r = oee({
      events: [
        { time: at(8), state: 'E-STOP-42', reason: 'GUARD' },
        { time: at(9), state: 'RUNNING' },
      ],
    });
    // E-STOP-42 08–09 = 1 h of availability loss; A = 7 h / 8 h = 0.875
    expect(r.availability.value).toBe(0.875);
    expect(r.components.unmappedMs).toBe(1 * H);
    expect(r.unmappedStates).toEqual([{ state: 'E-STOP-42', durationMs: 1 * H }]);
    expect(r.downtimeByReason).toEqual([
      { bucket: 'availability_loss', state: 'E-STOP-42', reason: 'GUARD', durationMs: 1 * H },
    ]);
    expect(r.flags.hasUnmappedStates).toBe(true);
  });

  it('gives P no data when a produced product has no ideal cycle time, and uses the machine default', () => {
    const times = { byProduct: new Map([['P1', 30]]) };
    const counts = [
      { time: at(7), good: 100, scrap: 0, productCode: 'P1' },
      { time: at(8), good: 50, scrap: 0, productCode: 'P3' },
    ];
    const missing = oee({ counts, idealCycleTimes: times });
    expect(missing.performance).toEqual({ value: null, reason: 'missing_ideal_cycle_time' });
    expect(missing.oee).toEqual({ value: null, reason: 'missing_ideal_cycle_time' });
    expect(missing.productsWithoutIdealCycleTime).toEqual(['P3']);
    expect(missing.components.quantityWithoutIdealCycleTime).toBe(50);
    expect(missing.availability.value).toBe(1);
    expect(missing.quality.value).toBe(1);
    expect(missing.flags.missingIdealCycleTime).toBe(true);

    // with a machine default of 48 s for P3 (and for counts without a product):
    // Σ = 100 × 30 s + 50 × 48 s + 25 × 48 s = 3 000 + 2 400 + 1 200 = 6 600 s; P = 6 600 / 28 800
    const withDefault = oee({
      counts: [...counts, { time: at(9), good: 25, scrap: 0 }],
      idealCycleTimes: { ...times, machineDefaultSeconds: 48 },
    });
    expect(withDefault.performance.value).toBeCloseTo(6_600 / 28_800, 12);
  });
});

import { describe, expect, it } from 'vitest';
import { computeOee, type OeeInput } from './oee.js';
import { aggregateOee } from './oee-aggregate.js';
import type { StateBucket } from './timeline.js';

const at = (hh: number, mm = 0) => Date.UTC(2026, 10, 24, hh, mm);
const H = 3_600_000;
const mapping = new Map<string, StateBucket>([
  ['RUNNING', 'running'],
  ['DOWN', 'availability_loss'],
]);

function machine(overrides: Partial<OeeInput>) {
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

// M1 is planned for 1 h only (06–07): down 30 m, then 30 units at 60 s PRI, all good.
const m1 = machine({
  shifts: [{ start: at(6), end: at(7) }],
  events: [{ time: at(6, 30), state: 'DOWN', reason: 'JAM' }],
  counts: [{ time: at(6, 15), good: 30, scrap: 0 }],
});
// M2 is planned for 8 h: running 8 h but only 240 units at 60 s PRI (half speed), 40 of them scrap.
const m2 = machine({ counts: [{ time: at(10), good: 200, scrap: 40 }] });

describe('line and plant OEE', () => {
  it('sums components, then divides — which differs from averaging the ratios', () => {
    // M1: A = 0.5 h / 1 h = 0.5, P = 1 800 s / 1 800 s = 1, Q = 30/30 = 1, OEE = 0.5
    expect([m1.availability.value, m1.performance.value, m1.quality.value]).toEqual([0.5, 1, 1]);
    // M2: A = 8 h / 8 h = 1, P = 14 400 s / 28 800 s = 0.5, Q = 200/240 = 0.8333, OEE = 0.4167
    expect(m2.performance.value).toBe(0.5);
    const line = aggregateOee([m1, m2]);
    // PBT = 1 h + 8 h = 9 h; APT = 0.5 h + 8 h = 8.5 h → A = 8.5/9 = 0.9444
    expect(line.components.pbtMs).toBe(9 * H);
    expect(line.availability.value).toBeCloseTo(8.5 / 9, 12);
    // Σ PRI × PQ = 1 800 s + 14 400 s = 16 200 s; P = 16 200 / 30 600 = 0.5294
    expect(line.performance.value).toBeCloseTo(16_200 / 30_600, 12);
    // GQ / PQ = 230 / 270 = 0.8519
    expect(line.quality.value).toBeCloseTo(230 / 270, 12);
    // OEE = 0.9444 × 0.5294 × 0.8519 = (16 200 s / 32 400 s) × 230/270 = 0.4259
    expect(line.oee.value).toBeCloseTo(0.5 * (230 / 270), 12);
    // Averaging would say A = (0.5 + 1)/2 = 0.75, P = (1 + 0.5)/2 = 0.75, OEE = (0.5 + 0.4167)/2 = 0.4583
    const averageOee = ((m1.oee.value ?? 0) + (m2.oee.value ?? 0)) / 2;
    expect(averageOee).toBeCloseTo((0.5 + 200 / 480) / 2, 12);
    expect(Math.abs((line.oee.value ?? 0) - averageOee)).toBeGreaterThan(0.03);
    expect(line.count).toBe(2);
    expect(line.downtimeByReason).toEqual([
      { bucket: 'availability_loss', state: 'DOWN', reason: 'JAM', durationMs: 0.5 * H },
    ]);
  });

  it('gives the same plant figures whether lines are added first or machines directly', () => {
    const m3 = machine({
      events: [{ time: at(12), state: 'DOWN' }],
      counts: [{ time: at(7), good: 300, scrap: 0 }],
    });
    const plant = aggregateOee([aggregateOee([m1, m2]), aggregateOee([m3])]);
    const flat = aggregateOee([m1, m2, m3]);
    expect(plant.components).toEqual(flat.components);
    expect(plant.oee).toEqual(flat.oee);
    expect(plant.count).toBe(3);
  });

  it('propagates no data and flags from members', () => {
    const missing = machine({
      counts: [{ time: at(7), good: 10, scrap: 0, productCode: 'NEW' }],
      idealCycleTimes: {},
    });
    const fast = machine({ now: at(7), counts: [{ time: at(6, 30), good: 66, scrap: 0 }] });
    const line = aggregateOee([m2, missing]);
    expect(line.performance).toEqual({ value: null, reason: 'missing_ideal_cycle_time' });
    expect(line.productsWithoutIdealCycleTime).toEqual(['NEW']);
    // fast: P = 66 × 60 / 3 600 = 1.1 alone; with M2: (3 960 + 14 400) / (3 600 + 28 800) = 0.5667
    const mixed = aggregateOee([m2, fast]);
    expect(mixed.performance.value).toBeCloseTo(18_360 / 32_400, 12);
    expect(mixed.flags).toMatchObject({
      performanceAboveIdeal: false,
      memberPerformanceAboveIdeal: true,
      live: true,
    });
    expect(aggregateOee([]).oee).toEqual({ value: null, reason: 'no_planned_busy_time' });
  });
});

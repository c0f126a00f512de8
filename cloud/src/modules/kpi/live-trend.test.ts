import { describe, expect, it } from 'vitest';
import { addToSums, cutsOf, type MachineEntry } from './live-machine.js';
import {
  applyTrendPatch,
  closedPoint,
  mergeTrendPatches,
  openPoint,
  TREND_BUCKET_MS,
  trendBoundaries,
  trendPatch,
} from './live-trend.js';
import type { LiveTrendPoint } from './live-types.js';
import { computeOee } from './oee.js';
import type { StateBucket } from './timeline.js';

const MIN = 60_000;
const START = Date.UTC(2026, 0, 5, 6);
const window = { start: START, end: START + 8 * 60 * MIN };
const mapping = new Map<string, StateBucket>([
  ['RUNNING', 'running'],
  ['DOWN', 'availability_loss'],
]);

function machine(events: { time: number; state: string }[]): MachineEntry {
  const m: MachineEntry = {
    id: 'm',
    lineId: 'l',
    code: 'M',
    name: 'M',
    inherited: null,
    events: events.map((e) => ({ ...e, reason: null })),
    lastDroppedRepeatAt: Number.NEGATIVE_INFINITY,
    plannedDowntimes: [],
    idealCycleTimes: { machineDefaultSeconds: 30 },
    cuts: [],
    sums: new Map(),
    future: [],
    lastEventAt: null,
    result: null,
    figures: {} as MachineEntry['figures'],
    view: {} as MachineEntry['view'],
    delta: { machineId: 'm' },
    computed: false,
    dirty: false,
    sentAt: 0,
  };
  m.cuts = cutsOf(window, [window], m);
  return m;
}

const point = (t: number, oee: number | null, throughput: number): LiveTrendPoint => ({ t, oee, throughput });

describe('trendBoundaries', () => {
  it('lists start + k·bucket before now, none at or after now or the end', () => {
    expect(trendBoundaries(window, START + 10 * MIN)).toEqual([]);
    expect(trendBoundaries(window, START + 30 * MIN)).toEqual([START + 15 * MIN]);
    expect(trendBoundaries(window, START + 31 * MIN)).toEqual([START + 15 * MIN, START + 30 * MIN]);
    expect(trendBoundaries(window, window.end + 60 * MIN)).toHaveLength(8 * 4 - 1);
  });

  it('cuts count sums at every bucket boundary, so a sum never straddles one', () => {
    const m = machine([]);
    for (let t = START + TREND_BUCKET_MS; t < window.end; t += TREND_BUCKET_MS) expect(m.cuts).toContain(t);
  });
});

describe('closedPoint and openPoint', () => {
  it('give the OEE from the shift start up to the boundary and the pieces of each bucket', () => {
    const m = machine([
      { time: START, state: 'RUNNING' },
      { time: START + 20 * MIN, state: 'DOWN' },
    ]);
    // 30 pieces at 30 s ideal = 15 min of ideal time, in the first bucket; 10 more in the second,
    // one exactly on the 15-minute boundary (it belongs to the bucket that starts there).
    addToSums(m, { time: START + 5 * MIN, good: 28, scrap: 2, productCode: null });
    addToSums(m, { time: START + 15 * MIN, good: 10, scrap: 0, productCode: null });
    const ctx = { window, shifts: [window], mapping };
    const first = closedPoint(ctx, [m], START, START + 15 * MIN);
    // A = 15/15, P = 15 min ideal / 15 min running = 1, Q = 28/30.
    expect(first.t).toBe(START + 15 * MIN);
    expect(first.throughput).toBe(30);
    expect(first.oee).toBeCloseTo(28 / 30, 12);
    const second = closedPoint(ctx, [m], START + 15 * MIN, START + 30 * MIN);
    expect(second.throughput).toBe(10);
    const direct = computeOee({
      window: { start: START, end: START + 30 * MIN },
      now: START + 60 * MIN,
      mapping,
      inherited: null,
      events: m.events,
      shifts: [window],
      counts: [
        { time: START + 5 * MIN, good: 28, scrap: 2 },
        { time: START + 15 * MIN, good: 10, scrap: 0 },
      ],
      idealCycleTimes: { machineDefaultSeconds: 30 },
    });
    expect(second.oee).toBeCloseTo(direct.oee.value!, 12);
    const open = openPoint([m], 0.5, START + 30 * MIN, START + 31 * MIN);
    expect(open).toEqual({ t: START + 31 * MIN, oee: 0.5, throughput: 0 });
  });

  it('has no OEE before anything was planned or reported', () => {
    const m = machine([]);
    const p = closedPoint({ window, shifts: [window], mapping }, [m], START, START + 15 * MIN);
    expect(p).toEqual({ t: START + 15 * MIN, oee: null, throughput: 0 });
  });
});

describe('trend patches', () => {
  const a = [point(1, 0.5, 3), point(2, 0.6, 4)];

  it('carry the changed tail only, or nothing', () => {
    expect(trendPatch('l', a, a)).toBeNull();
    expect(trendPatch('l', a, [point(1, 0.5, 3), point(3, 0.61, 5)])).toEqual({
      lineId: 'l',
      from: 1,
      points: [point(3, 0.61, 5)],
    });
    expect(trendPatch('l', a, [])).toEqual({ lineId: 'l', from: 0, points: [] });
    const grown = [point(1, 0.5, 3), point(2, 0.6, 4), point(3, 0.7, 1)];
    expect(applyTrendPatch(a, trendPatch('l', a, grown)!)).toEqual(grown);
  });

  it('merge two in a row into one that gives the same points', () => {
    const b = [point(1, 0.5, 3), point(2, 0.6, 4), point(3, 0.7, 1)];
    const c = [point(1, 0.5, 3), point(2, 0.6, 4), point(3, 0.7, 2), point(4, 0.71, 0)];
    const first = trendPatch('l', a, b)!;
    const second = trendPatch('l', b, c)!;
    expect(applyTrendPatch(a, mergeTrendPatches(first, second))).toEqual(c);
    // A late event rewrote an earlier point: the later patch starts before the earlier one.
    const d = [point(1, 0.4, 4), point(4, 0.7, 0)];
    expect(applyTrendPatch(a, mergeTrendPatches(first, trendPatch('l', b, d)!))).toEqual(d);
  });
});

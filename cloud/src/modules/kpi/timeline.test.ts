import { describe, expect, it } from 'vitest';
import { buildTimeline, type StateBucket } from './timeline.js';

const at = (hh: number, mm = 0) => Date.UTC(2026, 10, 24, hh, mm);
const H = 3_600_000;
const M = 60_000;
const mapping = new Map<string, StateBucket>([
  ['RUNNING', 'running'],
  ['DOWN', 'availability_loss'],
]);
const window = { start: at(6), end: at(14) };

describe('the state timeline', () => {
  it('clips at both edges and inherits the last state before the window', () => {
    const t = buildTimeline({
      window,
      mapping,
      inherited: { time: at(5), state: 'RUNNING' },
      events: [
        { time: new Date(at(11)), state: 'RUNNING' },
        { time: at(10), state: 'DOWN', reason: 'JAM' },
        { time: at(15), state: 'DOWN' },
      ],
    });
    // RUNNING inherited from 05:00 → clipped to 06:00; RUNNING from 11:00 ends at the window end 14:00,
    // not at the 15:00 event.
    expect(t.segments.map((s) => [s.start, s.end, s.kind === 'state' ? s.state : s.cause])).toEqual([
      [at(6), at(10), 'RUNNING'],
      [at(10), at(11), 'DOWN'],
      [at(11), at(14), 'RUNNING'],
    ]);
    expect(t.segments[1]).toMatchObject({ reason: 'JAM', bucket: 'availability_loss', mapped: true });
    expect(t.gaps.totalMs).toBe(0);
    expect(t.live).toBe(false);
  });

  it('takes the latest event before the start from the events too, and the later of two at one instant', () => {
    const t = buildTimeline({
      window,
      mapping,
      inherited: { time: at(4), state: 'DOWN' },
      events: [
        { time: at(5), state: 'RUNNING' },
        { time: at(9), state: 'RUNNING' },
        { time: at(9), state: 'DOWN' },
      ],
    });
    // 06–09 RUNNING (from 05:00, newer than the inherited 04:00 DOWN); at 09:00 DOWN supersedes RUNNING.
    expect(t.segments.map((s) => [s.start, s.end])).toEqual([
      [at(6), at(9)],
      [at(9), at(14)],
    ]);
    expect(t.segments.map((s) => (s.kind === 'state' ? s.state : ''))).toEqual(['RUNNING', 'DOWN']);
  });

  it('reports the time before the first known state as a gap when nothing is inherited', () => {
    const t = buildTimeline({ window, mapping, events: [{ time: at(7, 30), state: 'RUNNING' }] });
    // gap 06:00–07:30 = 1 h 30 m
    expect(t.gaps.totalMs).toBe(1.5 * H);
    expect(t.gaps.intervals).toEqual([
      { kind: 'gap', start: at(6), end: at(7, 30), cause: 'no_initial_state', state: null },
    ]);
    const empty = buildTimeline({ window, mapping, events: [] });
    expect(empty.gaps.totalMs).toBe(8 * H);
  });

  it('turns no-data state codes into gaps', () => {
    const t = buildTimeline({
      window,
      mapping,
      noDataStates: ['OFFLINE'],
      inherited: { time: at(5), state: 'RUNNING' },
      events: [
        { time: at(9), state: 'OFFLINE' },
        { time: at(10), state: 'RUNNING' },
      ],
    });
    expect(t.gaps.intervals).toEqual([
      { kind: 'gap', start: at(9), end: at(10), cause: 'no_data_state', state: 'OFFLINE' },
    ]);
    expect(t.unmappedStates).toEqual([]);
  });

  it('turns silence longer than maxSilenceMs into gaps, from the last event + the limit to the next', () => {
    const t = buildTimeline({
      window,
      mapping,
      maxSilenceMs: 10 * M,
      inherited: { time: at(5, 58), state: 'RUNNING' },
      events: [{ time: at(12), state: 'DOWN' }],
      activity: [at(6, 5), at(7), at(7, 5), at(13)],
    });
    // Activity: 05:58, 06:05, 07:00, 07:05, 12:00, 13:00 (limit 10 m):
    //   06:05 → 07:00 silent 55 m > 10 m → gap 06:15–07:00
    //   07:05 → 12:00 → gap 07:15–12:00
    //   12:00 → 13:00 → gap 12:10–13:00
    //   13:00 → window end 14:00 → gap 13:10–14:00
    expect(t.gaps.intervals.map((g) => [g.start, g.end, g.cause])).toEqual([
      [at(6, 15), at(7), 'silence'],
      [at(7, 15), at(12), 'silence'],
      [at(12, 10), at(13), 'silence'],
      [at(13, 10), at(14), 'silence'],
    ]);
    // 45 m + 4 h 45 m + 50 m + 50 m = 7 h 10 m
    expect(t.gaps.totalMs).toBe(45 * M + 4 * H + 45 * M + 50 * M + 50 * M);
    // What is left of the states: 06:00–06:15, 07:00–07:15 RUNNING, 12:00–12:10, 13:00–13:10 DOWN
    const states = t.segments.filter((s) => s.kind === 'state');
    expect(states.map((s) => [s.start, s.end])).toEqual([
      [at(6), at(6, 15)],
      [at(7), at(7, 15)],
      [at(12), at(12, 10)],
      [at(13), at(13, 10)],
    ]);
  });

  it('evaluates a live window up to now, and nothing of a window that has not started', () => {
    const live = buildTimeline({
      window,
      now: at(10, 30),
      mapping,
      inherited: { time: at(5), state: 'RUNNING' },
      events: [],
    });
    // RUNNING from 06:00 until now 10:30, not until the window end 14:00
    expect(live.evaluated).toEqual({ start: at(6), end: at(10, 30) });
    expect(live.segments).toEqual([
      expect.objectContaining({ start: at(6), end: at(10, 30), state: 'RUNNING' }),
    ]);
    expect(live.live).toBe(true);
    const future = buildTimeline({ window, now: at(5), mapping, events: [] });
    expect(future.evaluated).toEqual({ start: at(6), end: at(6) });
    expect(future.segments).toEqual([]);
    expect(future.gaps.totalMs).toBe(0);
  });

  it('counts unknown codes as availability loss and reports them as unmapped', () => {
    const t = buildTimeline({
      window,
      mapping,
      inherited: { time: at(5), state: 'RUNNING' },
      events: [
        { time: at(8), state: 'E-STOP-42' },
        { time: at(9), state: 'RUNNING' },
      ],
    });
    expect(t.segments[1]).toMatchObject({ state: 'E-STOP-42', bucket: 'availability_loss', mapped: false });
    expect(t.unmappedStates).toEqual(['E-STOP-42']);
  });

  it('reads repeated events of the same state as one interval', () => {
    const t = buildTimeline({
      window,
      mapping,
      inherited: { time: at(5), state: 'RUNNING' },
      events: [7, 8, 9].map((h) => ({ time: at(h), state: 'RUNNING' })),
    });
    expect(t.segments).toHaveLength(1);
  });
});

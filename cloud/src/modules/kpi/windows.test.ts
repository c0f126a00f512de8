import { describe, expect, it } from 'vitest';
import { computeOee } from './oee.js';
import type { StateBucket } from './timeline.js';
import { type ShiftDefinition, shiftAt, splitByDay, splitByIsoWeek, splitByShift } from './windows.js';
import { timeZone } from './zone.js';

const H = 3_600_000;
const utc = (y: number, mo: number, d: number, h = 0, mi = 0) => Date.UTC(y, mo - 1, d, h, mi);
const BERLIN = 'Europe/Berlin';
const lengths = (ws: readonly { start: number; end: number }[]) => ws.map((w) => (w.end - w.start) / H);
const shifts: ShiftDefinition[] = [
  { name: 'A', start: '06:00', end: '14:00' },
  { name: 'B', start: '14:00', end: '22:00' },
  { name: 'N', start: '22:00', end: '06:00' },
];

describe('time zone conversion', () => {
  it('resolves skipped and repeated wall-clock times like Temporal compatible', () => {
    const tz = timeZone(BERLIN);
    // 2026-03-29 02:30 does not exist (02:00 CET → 03:00 CEST): moved forward to 03:30 CEST = 01:30Z
    expect(tz.instantOf({ year: 2026, month: 3, day: 29, hour: 2, minute: 30 })).toBe(
      utc(2026, 3, 29, 1, 30),
    );
    // 2026-10-25 02:30 happens twice (03:00 CEST → 02:00 CET): the earlier, 02:30 CEST = 00:30Z
    expect(tz.instantOf({ year: 2026, month: 10, day: 25, hour: 2, minute: 30 })).toBe(
      utc(2026, 10, 25, 0, 30),
    );
    // Asia/Kolkata is UTC+05:30 all year
    expect(timeZone('Asia/Kolkata').offsetAt(utc(2026, 6, 1))).toBe(5.5 * H);
    expect(() => timeZone('Europe/Berlln')).toThrow(RangeError);
  });
});

describe('KPI windows', () => {
  it('splits days at local midnight: 23 h on the spring-forward day, 25 h on the fall-back day', () => {
    // 2026-03-28 00:00 CET = 03-27 23:00Z … 2026-03-31 00:00 CEST = 03-30 22:00Z
    const spring = splitByDay({ start: utc(2026, 3, 27, 23), end: utc(2026, 3, 30, 22) }, BERLIN);
    expect(spring.map((w) => w.label)).toEqual(['2026-03-28', '2026-03-29', '2026-03-30']);
    // 03-29 00:00 CET = 03-28 23:00Z → 03-30 00:00 CEST = 03-29 22:00Z: 23 h
    expect(lengths(spring)).toEqual([24, 23, 24]);
    const autumn = splitByDay({ start: utc(2026, 10, 24, 22), end: utc(2026, 10, 25, 23) }, BERLIN);
    // 10-25 00:00 CEST = 10-24 22:00Z → 10-26 00:00 CET = 10-25 23:00Z: 25 h
    expect(autumn.map((w) => [w.label, (w.end - w.start) / H])).toEqual([['2026-10-25', 25]]);
  });

  it('clips the first and last day to the range', () => {
    // 10:00Z = 11:00 CET on 2026-01-10 until 2026-01-11 05:00Z = 06:00 CET: 13 h + 6 h
    const days = splitByDay({ start: utc(2026, 1, 10, 10), end: utc(2026, 1, 11, 5) }, BERLIN);
    expect(days.map((d) => [d.label, (d.end - d.start) / H])).toEqual([
      ['2026-01-10', 13],
      ['2026-01-11', 6],
    ]);
  });

  it('splits ISO weeks from Monday 00:00 local, across the year boundary of a 53-week year', () => {
    // 2026 starts on a Thursday, so it has a week 53: Mon 2026-12-28 … Sun 2027-01-03
    const weeks = splitByIsoWeek({ start: utc(2026, 12, 28), end: utc(2027, 1, 11) }, 'UTC');
    expect(weeks.map((w) => [w.label, (w.end - w.start) / H])).toEqual([
      ['2026-W53', 168],
      ['2027-W01', 168],
    ]);
    // The week of the spring-forward Sunday is 7 × 24 − 1 = 167 h long in Berlin
    const dst = splitByIsoWeek({ start: utc(2026, 3, 22, 23), end: utc(2026, 3, 29, 22) }, BERLIN);
    expect(dst.map((w) => [w.label, (w.end - w.start) / H])).toEqual([['2026-W13', 167]]);
  });

  it('splits shifts by local wall clock: the night shift over the DST change is 7 h or 9 h', () => {
    // 2026-03-28 22:00 CET (21:00Z) → 03-29 06:00 CEST (04:00Z) = 7 h
    const spring = splitByShift({ start: utc(2026, 3, 28, 21), end: utc(2026, 3, 29, 12) }, BERLIN, shifts);
    expect(spring.map((w) => [w.label, w.start, (w.end - w.start) / H])).toEqual([
      ['2026-03-28 N', utc(2026, 3, 28, 21), 7],
      // 06:00 CEST = 04:00Z, clipped at the range end 12:00Z (14:00 CEST)
      ['2026-03-29 A', utc(2026, 3, 29, 4), 8],
    ]);
    // a 480-minute night shift from 22:00 also ends at 06:00 local: 7 h of real time
    const byDuration = splitByShift({ start: utc(2026, 3, 28, 21), end: utc(2026, 3, 29, 4) }, BERLIN, [
      { name: 'N', start: '22:00', durationMinutes: 480 },
    ]);
    expect(lengths(byDuration)).toEqual([7]);
    // 2026-10-24 22:00 CEST (20:00Z) → 10-25 06:00 CET (05:00Z) = 9 h
    const autumn = splitByShift({ start: utc(2026, 10, 24, 20), end: utc(2026, 10, 25, 5) }, BERLIN, shifts);
    expect(autumn.map((w) => [w.label, (w.end - w.start) / H])).toEqual([['2026-10-24 N', 9]]);
  });

  it('clips shifts to the range and keeps their full bounds, and honours weekdays', () => {
    const weekdays: ShiftDefinition[] = [
      { name: 'A', start: '06:00', end: '14:00', weekdays: [1, 2, 3, 4, 5] },
    ];
    // Fri 2026-11-20 … Mon 2026-11-23 in UTC: Friday and Monday only
    const ws = splitByShift({ start: utc(2026, 11, 20, 10), end: utc(2026, 11, 24) }, 'UTC', weekdays);
    expect(ws.map((w) => [w.date, w.start, w.end, w.shiftStart])).toEqual([
      ['2026-11-20', utc(2026, 11, 20, 10), utc(2026, 11, 20, 14), utc(2026, 11, 20, 6)],
      ['2026-11-23', utc(2026, 11, 23, 6), utc(2026, 11, 23, 14), utc(2026, 11, 23, 6)],
    ]);
    // the same shift as stored in the pattern tables: start + wall-clock duration
    const byDuration = splitByShift({ start: utc(2026, 11, 20, 10), end: utc(2026, 11, 24) }, 'UTC', [
      { name: 'A', start: '06:00', durationMinutes: 480, weekdays: [1, 2, 3, 4, 5] },
    ]);
    expect(byDuration).toEqual(ws);
    expect(() => splitByShift({ start: 0, end: 1 }, 'UTC', [{ name: 'X', start: '06:00' }])).toThrow(
      RangeError,
    );
    expect(() =>
      splitByShift({ start: 0, end: 1 }, 'UTC', [{ name: 'X', start: '6:00', end: '14:00' }]),
    ).toThrow(RangeError);
  });

  it('finds the live shift, and the OEE of the short night counts 7 h of PBT', () => {
    // 2026-03-29 03:00Z = 05:00 CEST: inside the night shift that started 03-28 22:00 CET
    const live = shiftAt(utc(2026, 3, 29, 3), BERLIN, shifts);
    expect(live).toMatchObject({
      label: '2026-03-28 N',
      start: utc(2026, 3, 28, 21),
      end: utc(2026, 3, 29, 4),
    });
    if (!live) throw new Error('expected a shift');
    const r = computeOee({
      window: live,
      shifts: [live],
      now: utc(2026, 3, 29, 12),
      mapping: new Map<string, StateBucket>([['RUNNING', 'running']]),
      inherited: { time: utc(2026, 3, 28, 20), state: 'RUNNING' },
      events: [],
      counts: [{ time: utc(2026, 3, 29, 1), good: 420, scrap: 0 }],
      idealCycleTimes: { machineDefaultSeconds: 60 },
    });
    // PBT = 7 h (not 8 h); P = 420 × 60 s / 25 200 s = 1
    expect(r.components.pbtMs).toBe(7 * H);
    expect(r.performance.value).toBeCloseTo(1, 12);
    expect(shiftAt(utc(2026, 3, 29, 3), BERLIN, [shifts[0]!])).toBeNull();
  });
});

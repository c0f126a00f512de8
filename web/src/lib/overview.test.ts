import { describe, expect, it } from 'vitest';
import type { LiveLine, LiveMachine } from './live-board';
import {
  dayTickLabel,
  downMachines,
  plantDate,
  type SeriesPoint,
  todayFigures,
  trendData,
  trendRange,
} from './overview';

describe('trendRange', () => {
  it('starts at the plant’s local midnight six days before today', () => {
    // 2026-03-29 10:00 UTC is 12:00 in Berlin (summer time since 01:00 UTC that day).
    const now = Date.UTC(2026, 2, 29, 10, 0);
    expect(trendRange(now, 'Europe/Berlin')).toEqual({
      from: '2026-03-22T23:00:00.000Z',
      to: '2026-03-29T10:00:00.000Z',
    });
  });

  it('uses the plant’s day, not UTC’s, west of Greenwich', () => {
    // 03:00 UTC on Dec 4 is still Dec 3 in Chicago.
    const now = Date.UTC(2026, 11, 4, 3, 0);
    expect(trendRange(now, 'America/Chicago', 2).from).toBe('2026-12-02T06:00:00.000Z');
    expect(plantDate(now, 'America/Chicago')).toBe('2026-12-03');
  });
});

const kpi = (value: number | null) =>
  value === null ? { value: null, reason: 'no_planned_busy_time' as const } : { value, reason: null };

function point(label: string, start: number, oee: number | null): SeriesPoint {
  return {
    label,
    start,
    end: start + 86_400_000,
    shift: null,
    total: {
      oee: kpi(oee),
      availability: kpi(oee === null ? null : 0.9),
      performance: kpi(oee === null ? null : 0.8),
      quality: kpi(oee === null ? null : 0.95),
      flags: { performanceAboveIdeal: false },
    },
  } as unknown as SeriesPoint;
}

describe('todayFigures and trendData', () => {
  const points = [point('2026-12-02', 1_000_000, null), point('2026-12-03', 87_400_000, 0.684)];

  it('takes today’s figures from the series, or none before it has today', () => {
    expect(todayFigures(points, '2026-12-03')).toMatchObject({
      oee: { value: 0.684 },
      availability: { value: 0.9 },
      performanceAboveIdeal: false,
    });
    expect(todayFigures(points, '2026-12-04')).toBeNull();
  });

  it('charts OEE in percent per day start, a day without data as a gap', () => {
    expect(trendData(points)).toEqual([
      [1_000, 87_400],
      [null, 68.4],
    ]);
  });
});

describe('downMachines', () => {
  const lines = [{ lineId: 'l1', code: 'L1' }] as LiveLine[];
  const machine = (code: string, state: { bucket: string; since: number } | null, lineId = 'l1') =>
    ({
      machineId: `id-${code}`,
      lineId,
      code,
      name: `machine ${code}`,
      state: state && { code: 'X', name: 'X', colour: null, mapped: true, reason: null, ...state },
    }) as LiveMachine;

  it('lists the machines in unplanned down time, longest down first, with their line', () => {
    const down = downMachines(
      [
        machine('M1', { bucket: 'running', since: 1 }),
        machine('M2', { bucket: 'availability_loss', since: 500 }),
        machine('M3', null),
        machine('M4', { bucket: 'availability_loss', since: 100 }, 'gone'),
        machine('M5', { bucket: 'planned_stop', since: 1 }),
        machine('M6', { bucket: 'performance_loss', since: 1 }),
      ],
      lines,
    );
    expect(down.map((m) => [m.code, m.lineCode, m.state.since])).toEqual([
      ['M4', null, 100],
      ['M2', 'L1', 500],
    ]);
  });
});

describe('dayTickLabel', () => {
  it('puts the weekday over the day of month, in the plant zone', () => {
    // 2026-11-29 03:00 UTC is still Saturday the 28th in Chicago, already Sunday the 29th in Berlin.
    const instant = Date.UTC(2026, 10, 29, 3, 0);
    expect(dayTickLabel(instant, 'America/Chicago')).toBe('Sat\n28');
    expect(dayTickLabel(instant, 'Europe/Berlin')).toBe('Sun\n29');
  });
});

import { describe, expect, it } from 'vitest';
import {
  categoryChars,
  countsData,
  fitAxisLabel,
  formatSpan,
  hasCounts,
  paretoData,
  parseWindowChoice,
  timelineBars,
  timelineClock,
  timelineTicks,
  UNMAPPED_COLOUR,
  windowInput,
} from './machine-charts';

describe('window choice', () => {
  it('defaults to the current shift', () => {
    expect(parseWindowChoice(null)).toBe('shift');
    expect(parseWindowChoice('bogus')).toBe('shift');
    expect(parseWindowChoice('week')).toBe('week');
  });

  it('maps to the cloud window inputs', () => {
    const now = Date.UTC(2026, 10, 25, 23, 30);
    expect(windowInput('shift', now)).toBe('currentShift');
    expect(windowInput('today', now, 'UTC')).toEqual({ day: '2026-11-25' });
    // The plant's zone decides the day, not the browser's.
    expect(windowInput('today', now, 'Europe/Berlin')).toEqual({ day: '2026-11-26' });
    expect(windowInput('week', now)).toEqual({
      from: '2026-11-18T23:30:00.000Z',
      to: '2026-11-25T23:30:00.000Z',
    });
  });
});

describe('timelineBars', () => {
  it('places segments in percent of the window, clips them, and builds a legend', () => {
    const { bars, legend } = timelineBars(
      [
        { kind: 'state', start: -50, end: 50, state: 'RUNNING', colour: '#0a0', name: 'Running' },
        { kind: 'gap', start: 50, end: 60, state: null, cause: 'no_data' },
        { kind: 'state', start: 60, end: 80, state: 'JAM', reason: 'R1', colour: null, name: null },
        { kind: 'state', start: 80, end: 200, state: 'RUNNING', colour: '#0a0', name: 'Running' },
      ],
      { start: 0, end: 100 },
    );
    expect(bars.map((b) => [b.kind, b.left, b.width])).toEqual([
      ['state', 0, 50],
      ['gap', 50, 10],
      ['state', 60, 20],
      ['state', 80, 20],
    ]);
    expect(bars[2]).toMatchObject({ colour: UNMAPPED_COLOUR, label: 'JAM · R1' });
    expect(legend.map((l) => l.label)).toEqual(['Running', 'JAM', 'No data']);
  });

  it('is empty for an empty window', () => {
    expect(timelineBars([], { start: 5, end: 5 })).toEqual({ bars: [], legend: [] });
  });
});

describe('timeline axis', () => {
  const end = Date.parse('2026-12-04T09:20:00Z'); // a Friday, 10:20 in Berlin
  const week = { start: end - 7 * 86_400_000, end };

  it('keeps clock times for a window of a day or less', () => {
    const shift = { start: end - 8 * 3_600_000, end };
    expect(timelineTicks(shift, 'Europe/Berlin', 800)).toEqual({
      ticks: [
        { left: 0, label: '02:20', align: 'start' },
        { left: 100, label: '10:20', align: 'end' },
      ],
      midnights: [],
    });
    expect(timelineClock(shift, 'Europe/Berlin')(end)).toBe('10:20');
  });

  it('names the dates of a week in the plant’s zone, with a label per midnight that has room', () => {
    const { ticks, midnights } = timelineTicks(week, 'Europe/Berlin', 900);
    expect(ticks[0]).toEqual({ left: 0, label: 'Fri 27 Nov, 10:20', align: 'start' });
    expect(ticks.at(-1)).toEqual({ left: 100, label: 'Fri 4 Dec, 10:20', align: 'end' });
    // Seven local midnights; the first (13 h 40 min in) is too close to the start's label.
    expect(midnights).toHaveLength(7);
    expect(midnights[0]).toBeCloseTo(((13 * 60 + 40) / (7 * 24 * 60)) * 100);
    expect(ticks.slice(1, -1).map((t) => t.label)).toEqual([
      'Sun 29 Nov',
      'Mon 30 Nov',
      'Tue 1 Dec',
      'Wed 2 Dec',
      'Thu 3 Dec',
    ]);
    expect(ticks.slice(1, -1).every((t) => t.align === 'middle')).toBe(true);
    // The same instants on the other side of the world are other dates and times.
    expect(timelineTicks(week, 'America/Chicago', 900).ticks[0]?.label).toBe('Fri 27 Nov, 03:20');
  });

  it('shows fewer days on a narrow axis, and none where only the ends fit', () => {
    expect(timelineTicks(week, 'Europe/Berlin', 420).ticks.map((t) => t.label)).toEqual([
      'Fri 27 Nov, 10:20',
      'Tue 1 Dec',
      'Fri 4 Dec, 10:20',
    ]);
    expect(timelineTicks(week, 'Europe/Berlin', 0).ticks).toHaveLength(2);
  });

  it('places midnights by the local day across a DST change', () => {
    // Europe/Berlin leaves summer time on 25 October 2026: that day has 25 hours.
    const start = Date.parse('2026-10-23T22:00:00Z'); // Saturday 24 Oct, 00:00 local
    const { midnights } = timelineTicks({ start, end: start + 3 * 86_400_000 }, 'Europe/Berlin', 900);
    const hours = midnights.map((left) => Math.round(((left / 100) * 3 * 86_400_000) / 3_600_000));
    expect(hours).toEqual([24, 49]);
  });
});

describe('Pareto axis labels', () => {
  it('wraps a reason name onto two lines of its slot', () => {
    expect(fitAxisLabel('Product changeover', 10)).toBe('Product\nchangeover');
    expect(fitAxisLabel('Reduced speed', 20)).toBe('Reduced speed');
    expect(fitAxisLabel('Material shortage', 10)).toBe('Material\nshortage');
  });

  it('cuts what does not fit with an ellipsis', () => {
    expect(fitAxisLabel('Electrical fault', 6)).toBe('Elect…\nfault');
    expect(fitAxisLabel('Reduced speed at line start', 10)).toBe('Reduced\nspeed at…');
    expect(fitAxisLabel('Tool breakage', 10, 1)).toBe('Tool brea…');
  });

  it('gives each category its share of the plot width in characters', () => {
    expect(categoryChars(800, 8)).toBe(14);
    expect(categoryChars(800, 1)).toBe(121);
    expect(categoryChars(800, 0)).toBe(0);
  });
});

describe('paretoData', () => {
  it('gives ranks, minutes and cumulative percent', () => {
    const { data, labels } = paretoData([
      { name: 'Jam', cause: 'J', durationMs: 90_000, cumulativeShare: 0.75 },
      { name: '', cause: 'STOP', durationMs: 30_000, cumulativeShare: 1 },
    ]);
    expect(data).toEqual([
      [0, 1],
      [1.5, 0.5],
      [75, 100],
    ]);
    expect(labels).toEqual(['Jam', 'STOP']);
  });
});

describe('countsData', () => {
  it('aligns hours in seconds with good and scrap totals', () => {
    const data = countsData({ hours: [3_600_000, 7_200_000], total: { good: [5, 0], scrap: [1] } });
    expect(data).toEqual([
      [3600, 7200],
      [5, 0],
      [1, 0],
    ]);
    expect(hasCounts(data)).toBe(true);
    expect(hasCounts([[1], [0], [0]])).toBe(false);
  });
});

describe('formatSpan', () => {
  it('reads as seconds, minutes or hours', () => {
    expect(formatSpan(45_000)).toBe('45 s');
    expect(formatSpan(12 * 60_000)).toBe('12 min');
    expect(formatSpan(65 * 60_000)).toBe('1 h 05 min');
  });
});

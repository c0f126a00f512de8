import { describe, expect, it } from 'vitest';
import { calendarPeriod } from './periods.js';

/*
 * Calendar presets in the plant's time zone (docs/reports.md, "Parameters and periods"): local
 * midnights, so days and weeks that hold a DST change are an hour shorter or longer. Shift presets
 * read the shift calendar and are tested through the API (reports-kpi.test.ts).
 */

const at = (iso: string) => Date.parse(iso);
const hours = (p: { start: number; end: number }) => (p.end - p.start) / 3_600_000;

describe('calendar periods', () => {
  it("gives yesterday as the plant's local day, 23 hours on the spring-forward Sunday", () => {
    // Monday 30 March 2026, 10:00 UTC; Europe/Berlin went from +01:00 to +02:00 on Sunday 29 March.
    const p = calendarPeriod('yesterday', 'Europe/Berlin', at('2026-03-30T10:00:00Z'));
    expect(p).toEqual({
      start: at('2026-03-28T23:00:00Z'),
      end: at('2026-03-29T22:00:00Z'),
      label: '2026-03-29',
    });
    expect(hours(p)).toBe(23);
  });

  it('gives 25 hours for the autumn Sunday and follows the zone, not UTC, near midnight', () => {
    const autumn = calendarPeriod('yesterday', 'Europe/Berlin', at('2026-10-26T08:00:00Z'));
    expect(autumn.label).toBe('2026-10-25');
    expect(hours(autumn)).toBe(25);
    // 02:00 UTC on 5 March is still 4 March in New York (21:00 local): today is 4 March there.
    const today = calendarPeriod('today', 'America/New_York', at('2026-03-05T02:00:00Z'));
    expect(today).toEqual({
      start: at('2026-03-04T05:00:00Z'),
      end: at('2026-03-05T05:00:00Z'),
      label: '2026-03-04',
    });
  });

  it('gives the last ISO week Monday to Monday, one hour short across the change', () => {
    const p = calendarPeriod('lastIsoWeek', 'Europe/Berlin', at('2026-03-30T10:00:00Z'));
    expect(p).toEqual({
      start: at('2026-03-22T23:00:00Z'),
      end: at('2026-03-29T22:00:00Z'),
      label: '2026-W13',
    });
    expect(hours(p)).toBe(7 * 24 - 1);
    // On a Sunday evening the last week is still the one before the current.
    expect(calendarPeriod('lastIsoWeek', 'UTC', at('2026-03-29T23:59:00Z')).label).toBe('2026-W12');
    // ISO week years: 1 January 2027 (a Friday) is in 2026-W53, so the week before the one holding
    // Monday 4 January 2027 is 2026-W53.
    expect(calendarPeriod('lastIsoWeek', 'UTC', at('2027-01-06T12:00:00Z')).label).toBe('2026-W53');
  });

  it('gives the last month across a year end and in the zone', () => {
    expect(calendarPeriod('lastMonth', 'UTC', at('2026-01-15T00:00:00Z'))).toEqual({
      start: at('2025-12-01T00:00:00Z'),
      end: at('2026-01-01T00:00:00Z'),
      label: '2025-12',
    });
    // 1 April 00:30 in Berlin is still 31 March in UTC: the last month in Berlin is March.
    const march = calendarPeriod('lastMonth', 'Europe/Berlin', at('2026-04-30T22:30:00Z'));
    expect(march.label).toBe('2026-04');
    const p = calendarPeriod('lastMonth', 'Europe/Berlin', at('2026-04-01T00:30:00Z'));
    expect(p).toEqual({
      start: at('2026-02-28T23:00:00Z'),
      end: at('2026-03-31T22:00:00Z'),
      label: '2026-03',
    });
  });
});

import { describe, expect, it } from 'vitest';
import {
  addDays,
  bucketLabel,
  countLabel,
  daysLateLabel,
  formatShare,
  headline,
  localDate,
  OTD_PRESETS,
  type OtdAnswer,
  otdInput,
  otdSearch,
  parseOtdFilter,
  promiseLabel,
  tickSplits,
  tilePeriod,
  trendData,
} from './otd';

const PLANT = '0b5c9a70-4a4f-4f43-9d55-1b2e3c4d5e6f';
const CUSTOMER = '6f1d2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b';

describe('the filter in the URL', () => {
  // Thursday 5 March 2026.
  const today = '2026-03-05';

  it('defaults to the last 13 whole ISO weeks, by week', () => {
    expect(parseOtdFilter(new URLSearchParams(), today)).toEqual({
      plantId: null,
      customerId: null,
      from: '2025-12-08',
      to: '2026-03-05',
      bucket: 'week',
    });
  });

  it('reads back what it wrote, and ignores what is malformed', () => {
    const filter = {
      plantId: PLANT,
      customerId: CUSTOMER,
      from: '2026-01-01',
      to: '2026-02-28',
      bucket: 'day' as const,
    };
    expect(parseOtdFilter(new URLSearchParams(otdSearch(filter)), today)).toEqual(filter);
    const bad = new URLSearchParams('plant=RIV&customer=x&from=2026-02-30x&to=2026-01-01&bucket=year');
    expect(parseOtdFilter(bad, today)).toEqual(parseOtdFilter(new URLSearchParams(), today));
    // A period that ends before it starts is not sent to the API.
    const backwards = new URLSearchParams('from=2026-03-01&to=2026-02-01&bucket=month');
    expect(parseOtdFilter(backwards, today)).toMatchObject({ from: '2025-12-08', bucket: 'month' });
  });

  it('is sent to the API without what it does not set, and without the customer when asked', () => {
    const filter = {
      plantId: null,
      customerId: CUSTOMER,
      from: '2026-01-01',
      to: '2026-01-31',
      bucket: 'week' as const,
    };
    expect(otdInput(filter)).toEqual({
      customerId: CUSTOMER,
      from: '2026-01-01',
      to: '2026-01-31',
      bucket: 'week',
    });
    expect(otdInput(filter, false)).toEqual({ from: '2026-01-01', to: '2026-01-31', bucket: 'week' });
  });

  it('offers periods of whole buckets', () => {
    expect(OTD_PRESETS.map((p) => [p.label, p.period(today)])).toEqual([
      ['Last 13 weeks', { from: '2025-12-08', to: '2026-03-05', bucket: 'week' }],
      ['Last 28 days', { from: '2026-02-06', to: '2026-03-05', bucket: 'day' }],
      ['Last 12 months', { from: '2025-04-01', to: '2026-03-05', bucket: 'month' }],
    ]);
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
  });
});

describe('the figures as shown', () => {
  it('are shares with one decimal, or a dash when nothing was due', () => {
    expect(formatShare(0.625)).toBe('62.5 %');
    expect(formatShare(1)).toBe('100.0 %');
    expect(formatShare(2 / 3)).toBe('66.7 %');
    expect(formatShare(0)).toBe('0.0 %');
    expect(formatShare(null)).toBe('—');
  });

  it('name the headline and the promise the policy measures to', () => {
    expect(headline({ reference: 'requested' })).toBe('toRequest');
    expect(headline({ reference: 'first_promised' })).toBe('toPromise');
    expect(headline({ reference: 'latest_promised' })).toBe('toPromise');
    expect(promiseLabel({ reference: 'requested' })).toBe('to the first promise');
    expect(promiseLabel({ reference: 'latest_promised' })).toBe('to the latest promise');
  });

  it('count in the unit, and say how late', () => {
    expect(countLabel(1, 'line')).toBe('1 line');
    expect(countLabel(8, 'shipment')).toBe('8 shipments');
    expect(countLabel(49.5, 'quantity')).toBe('49.5 pieces');
    expect(daysLateLabel(2)).toBe('2 days late');
    expect(daysLateLabel(1)).toBe('1 day late');
    expect(daysLateLabel(-3)).toBe('3 days early');
    expect(daysLateLabel(0)).toBe('on the day');
  });
});

describe('the trend', () => {
  const figures = (otd: number | null, otif: number | null) => ({
    due: 8,
    onTime: 5,
    inFull: 4,
    onTimeInFull: 4,
    otd,
    otif,
    pendingLines: 0,
  });
  const series: OtdAnswer['series'] = [
    { start: '2026-03-02', toRequest: figures(2 / 3, 1 / 3), toPromise: figures(1, 0.75) },
    { start: '2026-03-09', toRequest: figures(null, null), toPromise: figures(0.6, 0.6) },
  ];

  it('is OTD and OTIF to request and to promise in percent per bucket start, with gaps for no data', () => {
    expect(trendData(series)).toEqual([
      [Date.UTC(2026, 2, 2) / 1000, Date.UTC(2026, 2, 9) / 1000],
      [66.7, null],
      [33.3, null],
      [100, 60],
      [75, 60],
    ]);
  });

  it('labels buckets as days, ISO weeks or months, with at most a few ticks', () => {
    const at = (date: string) => Date.parse(`${date}T00:00:00Z`) / 1000;
    expect(bucketLabel(at('2026-03-02'), 'day')).toBe('2 Mar');
    expect(bucketLabel(at('2026-03-02'), 'week')).toBe('W10');
    // The Monday of ISO week 1 of 2026 lies in 2025.
    expect(bucketLabel(at('2025-12-29'), 'week')).toBe('W1');
    expect(bucketLabel(at('2026-03-01'), 'month')).toBe('Mar 2026');
    expect(tickSplits([1, 2, 3, 4, 5], 12)).toEqual([1, 2, 3, 4, 5]);
    expect(tickSplits([1, 2, 3, 4, 5, 6, 7], 3)).toEqual([1, 4, 7]);
  });
});

describe('the tiles', () => {
  it("cover the last 28 days of the plant's calendar", () => {
    // 23:30 UTC on 5 March is already the 6th in Berlin.
    const now = Date.parse('2026-03-05T23:30:00Z');
    expect(localDate(now, 'Europe/Berlin')).toBe('2026-03-06');
    expect(tilePeriod(now, 'Europe/Berlin')).toEqual({
      from: '2026-02-07',
      to: '2026-03-06',
      bucket: 'week',
    });
    expect(tilePeriod(now, 'UTC')).toEqual({ from: '2026-02-06', to: '2026-03-05', bucket: 'week' });
  });
});

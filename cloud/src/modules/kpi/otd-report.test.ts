import { describe, expect, it } from 'vitest';
import { dayNumber } from './otd.js';
import { ACME, BOLT, line, MARCH_SCENARIO, shipped } from './otd-fixtures.js';
import { bucketStarts, type OtdReportInput, otdFigures, otdReport } from './otd-report.js';

/*
 * OTD and OTIF over a period (docs/kpis.md, "OTD and OTIF"): the March scenario of otd-fixtures.ts,
 * every figure by hand there and below. Now is 15 March noon UTC, so DR-11 is still pending.
 */
const scenario = MARCH_SCENARIO.map(line);

const input: OtdReportInput = {
  lines: scenario,
  from: '2026-03-02',
  to: '2026-03-15',
  bucket: 'week',
  now: Date.parse('2026-03-15T12:00:00Z'),
  unit: 'line',
  lateLimit: 100,
};

const figures = (due: number, onTime: number, inFull: number, onTimeInFull: number, pendingLines = 0) => ({
  due,
  onTime,
  inFull,
  onTimeInFull,
  otd: due > 0 ? onTime / due : null,
  otif: due > 0 ? onTimeInFull / due : null,
  pendingLines,
});

describe('OTD and OTIF over a period', () => {
  it('counts lines', () => {
    const report = otdReport(input);
    // tr: DR-01,02,03,04,06,07,08,09 decided; on time 01,03,06,08,09; in full 01,06,08,09.
    expect(report.totals.toRequest).toEqual(figures(8, 5, 4, 4, 1));
    // tp: DR-01,02,03,06,07,08,09,10 decided, all on time; DR-03 short.
    expect(report.totals.toPromise).toEqual(figures(8, 8, 7, 7, 1));
    expect(report.unit).toBe('line');
  });

  it('counts quantity: on time as far as it arrived in the window', () => {
    const { totals } = otdReport({ ...input, unit: 'quantity' });
    // due 10+10+10+5+20+30+10+5 = 100; on time 10+0+4+0+20+0+10+5 = 49; in full 10+20+10+5 = 45.
    expect(totals.toRequest).toEqual(figures(100, 49, 45, 45, 1));
    // due 10+10+10+20+30+10+5+8 = 103; on time 103 − 6 (DR-03's late part) = 97; in full 103 − 10.
    expect(totals.toPromise).toEqual(figures(103, 97, 93, 93, 1));
  });

  it('counts shipments, and a line nothing carried as a missed one', () => {
    const { totals } = otdReport({ ...input, unit: 'shipment' });
    // tr: S1 ✓✓, S2 ✗✗, S3 on time not in full, S4 ✗✗, S5 ✓✓, S6 ✗✗, S7 ✓✓ (both lines), DR-04 missed.
    expect(totals.toRequest).toEqual(figures(8, 4, 3, 3, 1));
    // tp: S1..S8 on time but S4 (DR-03 is due 03-05 to promise too: nothing was promised); S3 and S4
    // carry the short DR-03.
    expect(totals.toPromise).toEqual(figures(8, 7, 6, 6, 1));
  });

  it('gives a series per ISO week of the reference date', () => {
    const { series } = otdReport(input);
    expect(series).toEqual([
      { start: '2026-03-02', toRequest: figures(3, 2, 1, 1), toPromise: figures(4, 4, 3, 3) },
      { start: '2026-03-09', toRequest: figures(5, 3, 3, 3, 1), toPromise: figures(4, 4, 4, 4, 1) },
    ]);
  });

  it("gives each customer's figures in that customer's unit, the exceptions winning", () => {
    const { customers } = otdReport(input);
    expect(customers).toEqual([
      { customer: ACME, unit: 'line', toRequest: figures(6, 4, 3, 3, 1), toPromise: figures(6, 6, 5, 5, 1) },
      // DR-07 left a day after the request: on time by the tenant's lateDays 1, late by BOLT's 0.
      {
        customer: BOLT,
        unit: 'quantity',
        toRequest: figures(50, 20, 20, 20),
        toPromise: figures(50, 50, 50, 50),
      },
    ]);
  });

  it('lists the lines that missed, with the reason recorded', () => {
    const { lateLines, lateLineCount } = otdReport(input);
    const brief = lateLines.toRequest.map((l) => [
      l.number,
      l.status,
      l.referenceDate,
      l.actualDate,
      l.daysLate,
      l.reason,
    ]);
    expect(brief).toEqual([
      ['DR-02', 'late', '2026-03-04', '2026-03-06', 2, 'tooling'],
      ['DR-03', 'short', '2026-03-05', '2026-03-05', 0, 'carrier no-show'],
      ['DR-04', 'not_shipped', '2026-03-10', null, 5, 'rescheduled'],
      ['DR-07', 'late', '2026-03-11', '2026-03-12', 1, 'resin shortage'],
    ]);
    expect(lateLines.toRequest[1]).toMatchObject({
      customer: ACME,
      quantity: 10,
      deliveredQuantity: 10,
      onTimeQuantity: 4,
    });
    expect(lateLines.toPromise.map((l) => l.number)).toEqual(['DR-03']);
    expect(lateLineCount).toEqual({ toRequest: 4, toPromise: 1 });
    const capped = otdReport({ ...input, lateLimit: 2 });
    expect(capped.lateLines.toRequest.map((l) => l.number)).toEqual(['DR-02', 'DR-03']);
    expect(capped.lateLineCount.toRequest).toBe(4);
  });

  it("judges each line in its own plant's time zone", () => {
    // DR-01 left 3 March 23:30 UTC: the 4th in Berlin, a day late there by its lateDays 0.
    const berlin = line({
      number: 'DR-01',
      requested: '2026-03-03',
      shipments: [shipped('S1', '2026-03-03T23:30:00Z')],
      timeZone: 'Europe/Berlin',
    });
    const report = otdReport({ ...input, lines: [berlin, { ...berlin, number: 'DR-01b', timeZone: 'UTC' }] });
    expect(report.lateLines.toRequest.map((l) => [l.number, l.actualDate])).toEqual([
      ['DR-01', '2026-03-04'],
    ]);
  });

  it('has no data, not 0 %, when nothing is due', () => {
    const empty = otdReport({ ...input, from: '2026-04-01', to: '2026-04-30', bucket: 'month' });
    expect(empty.totals.toRequest).toEqual(figures(0, 0, 0, 0));
    expect(empty.totals.toRequest.otd).toBeNull();
    expect(empty.series).toEqual([
      { start: '2026-04-01', toRequest: figures(0, 0, 0, 0), toPromise: figures(0, 0, 0, 0) },
    ]);
    expect(empty.customers).toEqual([]);
    // Only pending lines: still no data, with the pending count said.
    const pending = otdReport({ ...input, from: '2026-03-15', to: '2026-03-15' });
    expect(pending.totals.toRequest).toEqual(figures(0, 0, 0, 0, 1));
    expect(otdFigures([], 'shipment').otif).toBeNull();
  });
});

describe('buckets', () => {
  const starts = (from: string, to: string, bucket: 'day' | 'week' | 'month') =>
    bucketStarts(dayNumber(from), dayNumber(to), bucket).map(({ start, end }) => [
      new Date(start * 86_400_000).toISOString().slice(0, 10),
      end - start,
    ]);

  it('are days, ISO weeks from Monday, or calendar months, covering the period', () => {
    expect(starts('2026-02-27', '2026-03-01', 'day')).toEqual([
      ['2026-02-27', 1],
      ['2026-02-28', 1],
      ['2026-03-01', 1],
    ]);
    // Wednesday 4 March to Monday 16 March: the weeks of 2, 9 and 16 March.
    expect(starts('2026-03-04', '2026-03-16', 'week')).toEqual([
      ['2026-03-02', 7],
      ['2026-03-09', 7],
      ['2026-03-16', 7],
    ]);
    // 2028 is a leap year.
    expect(starts('2028-01-15', '2028-03-01', 'month')).toEqual([
      ['2028-01-01', 31],
      ['2028-02-01', 29],
      ['2028-03-01', 31],
    ]);
  });
});

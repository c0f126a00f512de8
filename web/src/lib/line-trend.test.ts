import { describe, expect, it } from 'vitest';
import { applyTrendPatches, trendChartData, trendSummary, trendsOf } from './line-trend';

const MIN = 60_000;
const START = Date.UTC(2026, 10, 25, 5);
const p = (minutes: number, oee: number | null, throughput: number) => ({
  t: START + minutes * MIN,
  oee,
  throughput,
});

describe('applyTrendPatches', () => {
  const trends = trendsOf({
    trends: [
      { lineId: 'a', bucketMs: 15 * MIN, points: [p(15, 0.5, 10), p(20, 0.55, 3)] },
      { lineId: 'b', bucketMs: 15 * MIN, points: [] },
    ],
  });

  it('replaces the tail from the patch on and keeps other lines as they were', () => {
    const next = applyTrendPatches(trends, [{ lineId: 'a', from: 1, points: [p(21, 0.56, 4)] }]);
    expect(next.a).toEqual([p(15, 0.5, 10), p(21, 0.56, 4)]);
    expect(next.b).toBe(trends.b);
  });

  it('grows by a point when a bucket closes, and rewrites from an early point after a late event', () => {
    const grown = applyTrendPatches(trends, [
      { lineId: 'a', from: 1, points: [p(30, 0.6, 5), p(31, 0.6, 0)] },
    ]);
    expect(grown.a).toHaveLength(3);
    const rewritten = applyTrendPatches(grown, [
      { lineId: 'a', from: 0, points: [p(15, 0.4, 12), p(32, 0.6, 1)] },
    ]);
    expect(rewritten.a).toEqual([p(15, 0.4, 12), p(32, 0.6, 1)]);
  });

  it('returns the same trends for no patches, and ignores a line it does not know', () => {
    expect(applyTrendPatches(trends, [])).toBe(trends);
    expect(applyTrendPatches(trends, [{ lineId: 'x', from: 0, points: [p(1, 1, 1)] }]).x).toBeUndefined();
  });
});

describe('trendChartData', () => {
  it('gives seconds, OEE in percent with gaps for no data, and pieces per bucket, from the shift start', () => {
    const data = trendChartData([p(15, null, 0), p(30, 0.8567, 12), p(37, 0.8, 4)], { start: START });
    expect(data).toEqual([
      [START / 1000, (START + 15 * MIN) / 1000, (START + 30 * MIN) / 1000, (START + 37 * MIN) / 1000],
      [null, null, 85.7, 80],
      [0, 0, 12, 4],
    ]);
  });

  it('draws an empty shift as its start alone', () => {
    expect(trendChartData([], { start: START })).toEqual([[START / 1000], [null], [0]]);
  });
});

describe('trendSummary', () => {
  it('says the OEE so far and the pieces made', () => {
    expect(trendSummary([p(15, 0.5, 10), p(20, 0.55, 3)], 15)).toBe(
      'Shift trend: OEE so far 55.0 %, 13 pieces made, per 15 min',
    );
    expect(trendSummary([p(15, null, 0)], 15)).toBe('Shift trend: no OEE yet, 0 pieces made, per 15 min');
    expect(trendSummary([], 15)).toBe('No trend yet');
  });
});

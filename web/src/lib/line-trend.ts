import type uPlot from 'uplot';
import type { LiveKpiSnapshot, LiveKpiUpdate, LiveShift } from './live-board';

/*
 * A line's shift trend on the board: the cloud sends every point in the snapshot and
 * then only the changed tail (cloud/src/modules/kpi/live-trend.ts). These fold the tails in and
 * shape the points for uPlot; pure, so the chart only draws.
 */
export type LiveTrendPoint = LiveKpiSnapshot['trends'][number]['points'][number];
export type LiveTrendPatch = LiveKpiUpdate['trends'][number];

/** Points per line id. */
export type LineTrends = Readonly<Record<string, readonly LiveTrendPoint[]>>;

export function trendsOf(snapshot: Pick<LiveKpiSnapshot, 'trends'>): LineTrends {
  return Object.fromEntries(snapshot.trends.map((t) => [t.lineId, t.points]));
}

/**
 * The trends after an update's patches: the points before a patch's `from` kept, the rest replaced.
 * A line without a patch keeps its array, so its chart is not fed again.
 */
export function applyTrendPatches(trends: LineTrends, patches: readonly LiveTrendPatch[]): LineTrends {
  if (patches.length === 0) return trends;
  const next: Record<string, readonly LiveTrendPoint[]> = { ...trends };
  for (const patch of patches) {
    const points = next[patch.lineId];
    // A line the snapshot did not have: its trend comes with the next snapshot.
    if (points === undefined) continue;
    next[patch.lineId] = [...points.slice(0, patch.from), ...patch.points];
  }
  return next;
}

/**
 * uPlot's columns: time in seconds, OEE in percent (a gap where there is no data yet) and pieces per
 * bucket (the bucket that ends at the point). The shift's start goes first, so the pieces of the
 * first bucket have a left edge.
 */
export function trendChartData(
  points: readonly LiveTrendPoint[],
  shift: Pick<LiveShift, 'start'>,
): uPlot.AlignedData {
  const t: number[] = [shift.start / 1000];
  const oee: (number | null)[] = [null];
  // Drawn as steps that end at their point: the value at the start is drawn over nothing.
  const made: number[] = [0];
  for (const p of points) {
    if (p.t <= shift.start) continue;
    t.push(p.t / 1000);
    oee.push(p.oee === null ? null : Math.round(p.oee * 1000) / 10);
    made.push(p.throughput);
  }
  return [t, oee, made];
}

/** What the chart says in words, for its accessible label and a screen reader. */
export function trendSummary(points: readonly LiveTrendPoint[], bucketMinutes: number): string {
  const last = points.at(-1);
  if (last === undefined) return 'No trend yet';
  const oee = last.oee === null ? 'no OEE yet' : `OEE so far ${(last.oee * 100).toFixed(1)} %`;
  const made = points.reduce((sum, p) => sum + p.throughput, 0);
  return `Shift trend: ${oee}, ${made} pieces made, per ${bucketMinutes} min`;
}

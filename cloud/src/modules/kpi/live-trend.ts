import type { Interval } from './intervals.js';
import type { MachineEntry } from './live-machine.js';
import type { LiveTrendPatch, LiveTrendPoint } from './live-types.js';
import type { OeeResult } from './oee.js';
import { computeOee } from './oee.js';
import { aggregateOee } from './oee-aggregate.js';
import type { StateBucket } from './timeline.js';

/*
 * A line's shift trend on the live board (docs/architecture.md, "The web UI": a uPlot trend of
 * OEE and pieces over the shift, per line). Points sit at fixed boundaries from the shift start,
 * plus one at now: each says the OEE from the shift start up to its instant (what kpi.oee gives for
 * [shift start, t]) and how many pieces (good + scrap) were made in the bucket that ends there. A
 * closed bucket never changes unless a late event lands in it, so the hub computes it once and an
 * update carries only the changed tail of the points — in a running shift, the point at now.
 */

/** A shift of 8 h has 32 points: fine enough to see a stoppage, few enough for a small chart. */
export const TREND_BUCKET_MS = 15 * 60_000;

/** The closed bucket boundaries of the window up to now: start + k·bucket, k ≥ 1, before now and the end. */
export function trendBoundaries(window: Interval, now: number, bucketMs = TREND_BUCKET_MS): number[] {
  const out: number[] = [];
  const until = Math.min(now, window.end);
  for (let t = window.start + bucketMs; t < until; t += bucketMs) out.push(t);
  return out;
}

/** Every bucket boundary inside the window: count sums must not straddle one (live-machine cutsOf). */
export function allBoundaries(window: Interval, bucketMs = TREND_BUCKET_MS): number[] {
  return trendBoundaries(window, window.end, bucketMs);
}

export interface TrendContext {
  readonly window: Interval;
  readonly shifts: readonly Interval[];
  readonly mapping: ReadonlyMap<string, StateBucket>;
}

/** Pieces (good + scrap) a machine recorded in [from, to). Sums never straddle a boundary. */
function madeBetween(m: MachineEntry, from: number, to: number): number {
  let total = 0;
  for (const s of m.sums.values()) if (s.time >= from && s.time < to) total += s.good + s.scrap;
  for (const c of m.future) if (c.time >= from && c.time < to) total += c.good + c.scrap;
  return total;
}

/**
 * The point at a closed boundary `at`: every machine's OEE evaluated up to `at` (the classification
 * of a count is by its timestamp, and sums are stamped with their stretch's start, so a sum stamped
 * before `at` holds only counts before it), aggregated like the line's own figures.
 */
export function closedPoint(
  ctx: TrendContext,
  machines: readonly MachineEntry[],
  from: number,
  at: number,
): LiveTrendPoint {
  const results: OeeResult[] = machines.map((m) =>
    computeOee({
      window: ctx.window,
      now: at,
      mapping: ctx.mapping,
      inherited: m.inherited,
      events: m.events,
      shifts: ctx.shifts,
      plannedDowntimes: m.plannedDowntimes,
      counts: [...m.sums.values(), ...m.future].filter((c) => c.time < at),
      idealCycleTimes: m.idealCycleTimes,
    }),
  );
  return { t: at, oee: aggregateOee(results).oee.value, throughput: made(machines, from, at) };
}

/** The point at now: the line's current OEE (already computed) and the open bucket's pieces so far. */
export function openPoint(
  machines: readonly MachineEntry[],
  oee: number | null,
  from: number,
  now: number,
): LiveTrendPoint {
  // Counts dated after now (a device clock ahead) are not in the OEE yet, so not here either.
  return { t: now, oee, throughput: made(machines, from, now + 1) };
}

function made(machines: readonly MachineEntry[], from: number, to: number): number {
  let total = 0;
  for (const m of machines) total += madeBetween(m, from, to);
  return total;
}

/** A line's shift trend as the hub keeps it. */
export interface LineTrend {
  readonly machines: readonly MachineEntry[];
  /** Points at the closed bucket boundaries; from `staleFrom` on, a late event changed them. */
  readonly closed: LiveTrendPoint[];
  staleFrom: number;
  /** What subscribers have: the closed points and the one at now. */
  sent: readonly LiveTrendPoint[];
}

/** An event at `time` changes the trend points after it: a late one, those already closed. */
export function trendChangedAt(trend: LineTrend, time: number): void {
  const k = trend.closed.findIndex((p) => p.t > time);
  if (k !== -1) trend.staleFrom = Math.min(trend.staleFrom, k);
}

/**
 * Brings a line's trend up to now: closed points computed once (again from the first a late event
 * changed), the point at now from the line's current OEE. Returns the changed tail, if any.
 */
export function advanceTrend(
  lineId: string,
  trend: LineTrend,
  ctx: Omit<TrendContext, 'window'> & { readonly window: Interval | null },
  lineOee: number | null,
  now: number,
): LiveTrendPatch | null {
  const w = ctx.window;
  let points: LiveTrendPoint[] = [];
  if (w !== null && now >= w.start) {
    const boundaries = trendBoundaries(w, now);
    trend.closed.length = Math.min(trend.closed.length, trend.staleFrom, boundaries.length);
    const closed = { window: w, shifts: ctx.shifts, mapping: ctx.mapping };
    for (let k = trend.closed.length; k < boundaries.length; k++) {
      trend.closed.push(closedPoint(closed, trend.machines, boundaries[k - 1] ?? w.start, boundaries[k]!));
    }
    trend.staleFrom = Number.POSITIVE_INFINITY;
    const open = openPoint(trend.machines, lineOee, boundaries.at(-1) ?? w.start, Math.min(now, w.end));
    points = [...trend.closed, open];
  }
  const patch = trendPatch(lineId, trend.sent, points);
  trend.sent = points;
  return patch;
}

/** The changed tail of a trend: from the first point that differs, or null when nothing did. */
export function trendPatch(
  lineId: string,
  previous: readonly LiveTrendPoint[],
  next: readonly LiveTrendPoint[],
): LiveTrendPatch | null {
  let from = 0;
  while (from < previous.length && from < next.length && samePoint(previous[from]!, next[from]!)) from++;
  if (from === previous.length && from === next.length) return null;
  return { lineId, from, points: next.slice(from) };
}

const samePoint = (a: LiveTrendPoint, b: LiveTrendPoint) =>
  a.t === b.t && a.oee === b.oee && a.throughput === b.throughput;

/** A trend with a patch applied: the points before `from` kept, the rest replaced. */
export function applyTrendPatch(
  points: readonly LiveTrendPoint[],
  patch: Pick<LiveTrendPatch, 'from' | 'points'>,
): LiveTrendPoint[] {
  return [...points.slice(0, patch.from), ...patch.points];
}

/** Two patches of one line as one: the later one's points over the earlier one's. */
export function mergeTrendPatches(earlier: LiveTrendPatch, later: LiveTrendPatch): LiveTrendPatch {
  if (later.from <= earlier.from) return later;
  return {
    lineId: later.lineId,
    from: earlier.from,
    points: applyTrendPatch(earlier.points, { from: later.from - earlier.from, points: later.points }),
  };
}

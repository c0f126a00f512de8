import {
  clipEach,
  type InstantRange,
  type Interval,
  intersect,
  overlapEach,
  subtract,
  toInterval,
  totalLength,
  union,
} from './intervals.js';
import { type OeeComponents, type OeeFactors, oeeFactors } from './oee-factors.js';
import { type CountRecord, type IdealCycleTimes, type ProductQuantity, sumQuantities } from './quantities.js';
import {
  buildTimeline,
  type GapSegment,
  type Gaps,
  type StateBucket,
  stateBuckets,
  type TimelineInput,
} from './timeline.js';

/*
 * OEE of one machine over one window (ISO 22400-2, docs/kpis.md), as a pure function of rows a query
 * can fill. The rules, in order of precedence for every instant of the evaluated window:
 *
 * 1. Outside the shifts: not counted at all (not planned operation time).
 * 2. Inside a planned downtime: planned downtime, whatever the machine reported.
 * 3. In a gap (no initial state, no-data state code, silence): excluded from every time component.
 * 4. In a planned_stop state: excluded from PBT.
 * 5. Otherwise it is PBT, and APT when the state's bucket is running or performance_loss.
 *
 * Performance-loss states (reduced speed, microstop) count in APT. ISO 22400-2 defines APT as the time
 * the work unit is producing, and P = PRI × PQ / APT is the measure of how well that time was used.
 * Reduced speed is production at a lower rate, so it is APT by definition and P shows the loss.
 * Microstops are too short to be handled as down time (in the six-big-losses model they are
 * performance losses, like reduced speed); counting them in APT keeps one consistent rule — each
 * second is lost in exactly one factor, A or P — and P catches them because no parts come out. Their
 * time is still reported separately (performanceLossMs, downtime by reason) so it stays visible.
 *
 * Counts are attributed by their timestamp: a count inside planned operation time counts in PQ/GQ
 * (the parts exist, even if made during a break or a gap), a count outside the shifts does not count
 * and is reported in quantityOutsidePlannedOperation.
 */

export interface PlannedDowntime extends InstantRange {
  readonly reason?: string | null;
}

export interface OeeInput extends TimelineInput {
  /** Shift calendar intervals overlapping the window; overlaps are merged, not double-counted. */
  readonly shifts: readonly InstantRange[];
  /** Planned downtimes (breaks, planned maintenance); only their part inside shifts counts. */
  readonly plannedDowntimes?: readonly PlannedDowntime[];
  /** The machine's count records in the window, in any order. */
  readonly counts: readonly CountRecord[];
  readonly idealCycleTimes: IdealCycleTimes;
}

export interface DowntimeEntry {
  readonly bucket: Exclude<StateBucket, 'running'>;
  readonly state: string;
  readonly reason: string | null;
  readonly durationMs: number;
}

export interface UnmappedState {
  readonly state: string;
  /** Time inside PBT counted as availability loss for lack of a mapping; 0 if only seen outside PBT. */
  readonly durationMs: number;
}

export interface OeeFlags {
  readonly performanceAboveIdeal: boolean;
  /** The window is still open (now < end): the result covers the window up to now. */
  readonly live: boolean;
  readonly hasGaps: boolean;
  readonly hasUnmappedStates: boolean;
  readonly missingIdealCycleTime: boolean;
  readonly countsInGaps: boolean;
}

export interface OeeResult extends OeeFactors {
  readonly window: Interval;
  readonly evaluated: Interval;
  readonly components: OeeComponents;
  /** State time per bucket inside planned operation time, outside planned downtime and gaps. */
  readonly timeByBucket: Readonly<Record<StateBucket, number>>;
  /** Non-running state time per (bucket, state, reason), longest first: the Pareto's input. */
  readonly downtimeByReason: readonly DowntimeEntry[];
  readonly unmappedStates: readonly UnmappedState[];
  /** The gaps that were excluded (inside planned operation time, outside planned downtime). */
  readonly gaps: Gaps;
  readonly byProduct: readonly ProductQuantity[];
  readonly productsWithoutIdealCycleTime: readonly (string | null)[];
  readonly flags: OeeFlags;
}

export function computeOee(input: OeeInput): OeeResult {
  const timeline = buildTimeline(input);
  const window = toInterval(input.window);
  const plannedOperation = intersect(union(input.shifts.map(toInterval)), [timeline.evaluated]);
  const plannedDowntime = intersect(union((input.plannedDowntimes ?? []).map(toInterval)), plannedOperation);
  const open = subtract(plannedOperation, plannedDowntime);

  const timeByBucket = Object.fromEntries(stateBuckets.map((b) => [b, 0])) as Record<StateBucket, number>;
  const byReason = new Map<string, DowntimeEntry>();
  const unmapped = new Map<string, number>();
  const gapIntervals: GapSegment[] = [];
  const overlaps = overlapEach(timeline.segments, open);
  const pieces = clipEach(timeline.segments, open);
  timeline.segments.forEach((seg, k) => {
    const ms = overlaps[k] ?? 0;
    if (ms === 0) return;
    if (seg.kind === 'gap') {
      for (const piece of pieces[k] ?? []) gapIntervals.push({ ...seg, ...piece });
      return;
    }
    timeByBucket[seg.bucket] += ms;
    if (!seg.mapped) unmapped.set(seg.state, (unmapped.get(seg.state) ?? 0) + ms);
    if (seg.bucket !== 'running') {
      const key = downtimeKey(seg.bucket, seg.state, seg.reason);
      const prev = byReason.get(key)?.durationMs ?? 0;
      byReason.set(key, { bucket: seg.bucket, state: seg.state, reason: seg.reason, durationMs: prev + ms });
    }
  });

  const gapMs = totalLength(gapIntervals);
  const quantities = sumQuantities(input.counts, plannedOperation, input.idealCycleTimes);
  const inGaps = sumQuantities(input.counts, gapIntervals, input.idealCycleTimes);
  const inWindow = sumQuantities(input.counts, [timeline.evaluated], input.idealCycleTimes);
  const plannedOperationMs = totalLength(plannedOperation);
  const plannedDowntimeMs = totalLength(plannedDowntime);
  const components: OeeComponents = {
    plannedOperationMs,
    plannedDowntimeMs,
    plannedStopMs: timeByBucket.planned_stop,
    gapMs,
    pbtMs: plannedOperationMs - plannedDowntimeMs - timeByBucket.planned_stop - gapMs,
    aptMs: timeByBucket.running + timeByBucket.performance_loss,
    runningMs: timeByBucket.running,
    performanceLossMs: timeByBucket.performance_loss,
    availabilityLossMs: timeByBucket.availability_loss,
    unmappedMs: [...unmapped.values()].reduce((a, b) => a + b, 0),
    idealTimeMs: quantities.idealTimeMs,
    producedQuantity: quantities.producedQuantity,
    goodQuantity: quantities.goodQuantity,
    scrapQuantity: quantities.scrapQuantity,
    quantityWithoutIdealCycleTime: quantities.quantityWithoutIdealCycleTime,
    quantityInGaps: inGaps.producedQuantity,
    quantityOutsidePlannedOperation: inWindow.producedQuantity - quantities.producedQuantity,
  };
  const factors = oeeFactors(components);
  return {
    ...factors,
    window,
    evaluated: timeline.evaluated,
    components,
    timeByBucket,
    downtimeByReason: sortDowntime([...byReason.values()]),
    unmappedStates: timeline.unmappedStates
      .map((state) => ({ state, durationMs: unmapped.get(state) ?? 0 }))
      .sort((a, b) => b.durationMs - a.durationMs || a.state.localeCompare(b.state)),
    gaps: { totalMs: gapMs, intervals: gapIntervals },
    byProduct: quantities.byProduct,
    productsWithoutIdealCycleTime: quantities.productsWithoutIdealCycleTime,
    flags: {
      performanceAboveIdeal: factors.performanceAboveIdeal,
      live: timeline.live,
      hasGaps: gapMs > 0,
      hasUnmappedStates: timeline.unmappedStates.length > 0,
      missingIdealCycleTime: quantities.quantityWithoutIdealCycleTime > 0,
      countsInGaps: inGaps.producedQuantity > 0,
    },
  };
}

/** Map key of a (bucket, state, reason) triple; \u0000 cannot occur in codes, \u0001 marks "no reason". */
export function downtimeKey(bucket: string, state: string, reason: string | null): string {
  return `${bucket}\u0000${state}\u0000${reason ?? '\u0001'}`;
}

export function sortDowntime(entries: DowntimeEntry[]): DowntimeEntry[] {
  return entries.sort(
    (a, b) =>
      b.durationMs - a.durationMs ||
      a.bucket.localeCompare(b.bucket) ||
      a.state.localeCompare(b.state) ||
      (a.reason ?? '').localeCompare(b.reason ?? ''),
  );
}

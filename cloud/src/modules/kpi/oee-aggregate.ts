import { type DowntimeEntry, downtimeKey, type OeeResult, sortDowntime, type UnmappedState } from './oee.js';
import {
  addComponents,
  type OeeComponents,
  type OeeFactors,
  oeeFactors,
  zeroComponents,
} from './oee-factors.js';
import { type StateBucket, stateBuckets } from './timeline.js';

/*
 * A line or plant OEE (docs/kpis.md, "Definitions"): add the machines' time and quantity components
 * — including Σ PRI × PQ, since PRI differs per product and machine — then divide once. Averaging
 * the machines' ratios would weight a machine planned for 1 h like one planned for 8 h, and the
 * product of averaged A, P and Q is not the OEE of anything.
 */

export interface OeeAggregate extends OeeFactors {
  /** How many results were added. */
  readonly count: number;
  readonly components: OeeComponents;
  readonly timeByBucket: Readonly<Record<StateBucket, number>>;
  readonly downtimeByReason: readonly DowntimeEntry[];
  readonly unmappedStates: readonly UnmappedState[];
  readonly gapMs: number;
  readonly productsWithoutIdealCycleTime: readonly (string | null)[];
  readonly flags: {
    readonly performanceAboveIdeal: boolean;
    /** Some member's own P was above 100 %, even if the sum is not. */
    readonly memberPerformanceAboveIdeal: boolean;
    readonly live: boolean;
    readonly hasGaps: boolean;
    readonly hasUnmappedStates: boolean;
    readonly missingIdealCycleTime: boolean;
    readonly countsInGaps: boolean;
  };
}

/** Accepts machine results or earlier aggregates (machines → lines → plant give the same sums). */
export function aggregateOee(results: readonly (OeeResult | OeeAggregate)[]): OeeAggregate {
  let components = zeroComponents;
  const timeByBucket = Object.fromEntries(stateBuckets.map((b) => [b, 0])) as Record<StateBucket, number>;
  const byReason = new Map<string, DowntimeEntry>();
  const unmapped = new Map<string, number>();
  const missingProducts = new Set<string | null>();
  let count = 0;
  for (const r of results) {
    count += 'count' in r ? r.count : 1;
    components = addComponents(components, r.components);
    for (const b of stateBuckets) timeByBucket[b] += r.timeByBucket[b];
    for (const d of r.downtimeByReason) {
      const key = downtimeKey(d.bucket, d.state, d.reason);
      const prev = byReason.get(key)?.durationMs ?? 0;
      byReason.set(key, { ...d, durationMs: prev + d.durationMs });
    }
    for (const u of r.unmappedStates) unmapped.set(u.state, (unmapped.get(u.state) ?? 0) + u.durationMs);
    for (const p of r.productsWithoutIdealCycleTime) missingProducts.add(p);
  }
  const factors = oeeFactors(components);
  return {
    ...factors,
    count,
    components,
    timeByBucket,
    downtimeByReason: sortDowntime([...byReason.values()]),
    unmappedStates: [...unmapped.entries()]
      .map(([state, durationMs]) => ({ state, durationMs }))
      .sort((a, b) => b.durationMs - a.durationMs || a.state.localeCompare(b.state)),
    gapMs: components.gapMs,
    productsWithoutIdealCycleTime: [...missingProducts],
    flags: {
      performanceAboveIdeal: factors.performanceAboveIdeal,
      memberPerformanceAboveIdeal: results.some((r) =>
        'memberPerformanceAboveIdeal' in r.flags
          ? r.flags.memberPerformanceAboveIdeal
          : r.performanceAboveIdeal,
      ),
      live: results.some((r) => r.flags.live),
      hasGaps: components.gapMs > 0,
      hasUnmappedStates: unmapped.size > 0,
      missingIdealCycleTime: components.quantityWithoutIdealCycleTime > 0,
      countsInGaps: components.quantityInGaps > 0,
    },
  };
}

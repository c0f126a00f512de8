import { type Kpi, measured, noData, ratio } from './ratio.js';

/*
 * The additive components of OEE (ISO 22400-2 terms) and the factors computed from them. Lines and
 * plants add components and divide once (docs/kpis.md), so everything a factor needs is a sum here.
 *
 * Within the evaluated part of the window, restricted to planned operation time (the shifts):
 *   plannedOperationMs = plannedDowntimeMs + plannedStopMs + gapMs + pbtMs
 *   pbtMs              = aptMs + availabilityLossMs
 *   aptMs              = runningMs + performanceLossMs
 */
export interface OeeComponents {
  /** Shift time inside the evaluated window (ISO 22400-2 POT). */
  readonly plannedOperationMs: number;
  /** Planned downtime (ISO 22400-2 PDOT) inside planned operation time; wins over any state. */
  readonly plannedDowntimeMs: number;
  /** Time in planned_stop states outside planned downtime: excluded from PBT (docs/kpis.md). */
  readonly plannedStopMs: number;
  /** Time without data outside planned downtime: excluded, not guessed. */
  readonly gapMs: number;
  /** PBT = POT − PDOT − planned stop states − gaps. */
  readonly pbtMs: number;
  /** APT = running + performance-loss states (see oee.ts for why performance loss is inside APT). */
  readonly aptMs: number;
  readonly runningMs: number;
  readonly performanceLossMs: number;
  /** Unplanned down time inside PBT (ISO 22400-2 ADOT), unmapped codes included. */
  readonly availabilityLossMs: number;
  /** The part of availabilityLossMs in codes without a mapping. */
  readonly unmappedMs: number;
  /** Σ PRI × PQ over products with a PRI. */
  readonly idealTimeMs: number;
  /** PQ = good + scrap, counted in planned operation time. */
  readonly producedQuantity: number;
  /** GQ. */
  readonly goodQuantity: number;
  readonly scrapQuantity: number;
  /** PQ of products without any PRI; while above 0, P is "no data". */
  readonly quantityWithoutIdealCycleTime: number;
  /** PQ counted while the timeline had a gap: P may be overstated there. */
  readonly quantityInGaps: number;
  /** PQ in the evaluated window but outside shifts: not counted anywhere (time outside shifts is not counted). */
  readonly quantityOutsidePlannedOperation: number;
}

export const zeroComponents: OeeComponents = {
  plannedOperationMs: 0,
  plannedDowntimeMs: 0,
  plannedStopMs: 0,
  gapMs: 0,
  pbtMs: 0,
  aptMs: 0,
  runningMs: 0,
  performanceLossMs: 0,
  availabilityLossMs: 0,
  unmappedMs: 0,
  idealTimeMs: 0,
  producedQuantity: 0,
  goodQuantity: 0,
  scrapQuantity: 0,
  quantityWithoutIdealCycleTime: 0,
  quantityInGaps: 0,
  quantityOutsidePlannedOperation: 0,
};

export function addComponents(a: OeeComponents, b: OeeComponents): OeeComponents {
  const out: Record<keyof OeeComponents, number> = { ...a };
  for (const key of Object.keys(zeroComponents) as (keyof OeeComponents)[]) out[key] = a[key] + b[key];
  return out;
}

export interface OeeFactors {
  /** A = APT / PBT. */
  readonly availability: Kpi;
  /** P = Σ(PRI × PQ) / APT, as measured (may exceed 1). */
  readonly performance: Kpi;
  /** Q = GQ / PQ. */
  readonly quality: Kpi;
  /** OEE = A × P × Q. */
  readonly oee: Kpi;
  /** P > 100 %: the ideal cycle time is too slow for what the machine did (flagged, not capped). */
  readonly performanceAboveIdeal: boolean;
}

/** Floating-point slack so P = 1 computed from decimal seconds is not flagged. */
const ABOVE_IDEAL_EPSILON = 1e-9;

export function oeeFactors(c: OeeComponents): OeeFactors {
  const availability = ratio(c.aptMs, c.pbtMs, 'no_planned_busy_time');
  const performance =
    c.quantityWithoutIdealCycleTime > 0
      ? noData('missing_ideal_cycle_time')
      : ratio(c.idealTimeMs, c.aptMs, 'no_production_time');
  const quality = ratio(c.goodQuantity, c.producedQuantity, 'no_produced_quantity');
  return {
    availability,
    performance,
    quality,
    oee: overall(c, availability, performance, quality),
    performanceAboveIdeal: performance.value != null && performance.value > 1 + ABOVE_IDEAL_EPSILON,
  };
}

/*
 * OEE is A × P × Q when all three are measured. One case is a measurement although P or Q is not:
 * planned busy time passed and nothing at all was produced. ISO 22400-2's OEE is then 0 — the fully
 * productive time (GQ × PRI) is 0 out of a non-zero PBT — and reporting "no data" would hide a machine
 * that stood still all shift. Every other missing factor makes OEE "no data" with the factor's reason.
 */
function overall(c: OeeComponents, a: Kpi, p: Kpi, q: Kpi): Kpi {
  if (a.value == null) return a;
  if (p.value != null && q.value != null) return measured(a.value * p.value * q.value);
  if (c.producedQuantity === 0) return measured(0);
  return p.value == null ? p : q;
}

import type { LiveKpiFigures } from './live-types.js';
import type { OeeAggregate } from './oee-aggregate.js';
import { type OeeComponents, type OeeFactors, oeeFactors, zeroComponents } from './oee-factors.js';

/* What the live hub sends per entity, and the field-level diff that makes an update small. */

export interface GroupEntry<F, V extends F = F> {
  figures: F;
  view: V;
  delta: Partial<F>;
  computed: boolean;
  dirty: boolean;
  sentAt: number;
  result: OeeAggregate | null;
}

export function group<F, V extends F>(figures: F, view: V): GroupEntry<F, V> {
  return {
    figures,
    view,
    delta: {},
    computed: false,
    dirty: true,
    sentAt: Number.NEGATIVE_INFINITY,
    result: null,
  };
}

/** The fields of `next` that differ from `previous` (values compared, not references), or null. */
export function diff<F extends object>(previous: F, next: F, idKey: keyof F | null): Partial<F> | null {
  const out: Partial<F> = {};
  let any = false;
  for (const key of Object.keys(next) as (keyof F)[]) {
    const a = previous[key];
    const b = next[key];
    const same =
      a === b ||
      (typeof a === 'object' && typeof b === 'object' && a !== null && b !== null && sameFields(a, b));
    if (!same) {
      out[key] = b;
      any = true;
    }
  }
  if (!any) return null;
  if (idKey !== null) out[idKey] = next[idKey];
  return out;
}

/** Kpi values and machine states: flat objects of primitives. */
function sameFields(a: object, b: object): boolean {
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  for (const key of Object.keys(y)) if (x[key] !== y[key]) return false;
  return Object.keys(x).length === Object.keys(y).length;
}

export function figuresOf(r: OeeFactors & { readonly components: OeeComponents }): LiveKpiFigures {
  const c = r.components;
  return {
    oee: r.oee,
    availability: r.availability,
    performance: r.performance,
    quality: r.quality,
    pbtMs: c.pbtMs,
    aptMs: c.aptMs,
    idealTimeMs: c.idealTimeMs,
    producedQuantity: c.producedQuantity,
    goodQuantity: c.goodQuantity,
    scrapQuantity: c.scrapQuantity,
    performanceAboveIdeal: r.performanceAboveIdeal,
    hasGaps: c.gapMs > 0,
    missingIdealCycleTime: c.quantityWithoutIdealCycleTime > 0,
  };
}

/** Every figure of an entity with no current shift: "no data", and zero quantities. */
export const NO_SHIFT_FIGURES: LiveKpiFigures = figuresOf({
  ...oeeFactors(zeroComponents),
  components: zeroComponents,
});

import { contains, type Instant, type Interval, toMs } from './intervals.js';

/*
 * Produced quantities and the ideal time they are worth. ISO 22400-2: PQ (produced quantity) is good
 * plus scrap, GQ (good quantity) the good part, and PRI (planned run time per item) the ideal cycle
 * time of the product on this machine. Σ(PRI × PQ) per product is what makes performance speed-aware:
 * a machine "running" at half speed has full APT but only half the ideal time.
 */

export interface CountRecord {
  readonly time: Instant;
  readonly good: number;
  readonly scrap: number;
  /** The product made; null or absent uses the machine's default ideal cycle time. */
  readonly productCode?: string | null;
}

/** PRI for this machine: per product, with a machine default. Seconds per unit, above zero. */
export interface IdealCycleTimes {
  readonly byProduct?: ReadonlyMap<string, number>;
  readonly machineDefaultSeconds?: number | null;
}

export interface ProductQuantity {
  readonly productCode: string | null;
  readonly produced: number;
  readonly good: number;
  readonly scrap: number;
  /** The PRI used, or null when the product has none and the machine has no default. */
  readonly idealCycleSeconds: number | null;
  /** PRI × PQ in milliseconds; 0 when the PRI is missing. */
  readonly idealTimeMs: number;
}

export interface Quantities {
  readonly producedQuantity: number;
  readonly goodQuantity: number;
  readonly scrapQuantity: number;
  /** Σ PRI × PQ over the products that have a PRI. */
  readonly idealTimeMs: number;
  /** PQ of products without a PRI: P cannot be rated while it is above 0. */
  readonly quantityWithoutIdealCycleTime: number;
  readonly productsWithoutIdealCycleTime: readonly (string | null)[];
  readonly byProduct: readonly ProductQuantity[];
}

export function idealCycleSeconds(times: IdealCycleTimes, productCode: string | null): number | null {
  const own = productCode == null ? undefined : times.byProduct?.get(productCode);
  if (isUsable(own)) return own;
  const fallback = times.machineDefaultSeconds;
  return isUsable(fallback) ? fallback : null;
}

/** A zero or negative PRI would make any output look infinitely fast: treat it as missing. */
function isUsable(seconds: number | null | undefined): seconds is number {
  return seconds != null && Number.isFinite(seconds) && seconds > 0;
}

/** Sums the counts whose time lies in `within` (sorted, disjoint), per product. */
export function sumQuantities(
  counts: readonly CountRecord[],
  within: readonly Interval[],
  times: IdealCycleTimes,
): Quantities {
  const perProduct = new Map<string | null, { good: number; scrap: number }>();
  for (const c of counts) {
    if (!contains(within, toMs(c.time))) continue;
    if (c.good < 0 || c.scrap < 0) throw new RangeError('count quantities must not be negative');
    const key = c.productCode ?? null;
    const acc = perProduct.get(key) ?? { good: 0, scrap: 0 };
    acc.good += c.good;
    acc.scrap += c.scrap;
    perProduct.set(key, acc);
  }
  const byProduct: ProductQuantity[] = [...perProduct.entries()]
    .sort(([a], [b]) => (a ?? '').localeCompare(b ?? ''))
    .map(([productCode, q]) => {
      const pri = idealCycleSeconds(times, productCode);
      const produced = q.good + q.scrap;
      return {
        productCode,
        produced,
        good: q.good,
        scrap: q.scrap,
        idealCycleSeconds: pri,
        idealTimeMs: pri == null ? 0 : pri * 1000 * produced,
      };
    });
  const missing = byProduct.filter((p) => p.idealCycleSeconds == null && p.produced > 0);
  return {
    producedQuantity: sum(byProduct, (p) => p.produced),
    goodQuantity: sum(byProduct, (p) => p.good),
    scrapQuantity: sum(byProduct, (p) => p.scrap),
    idealTimeMs: sum(byProduct, (p) => p.idealTimeMs),
    quantityWithoutIdealCycleTime: sum(missing, (p) => p.produced),
    productsWithoutIdealCycleTime: missing.map((p) => p.productCode),
    byProduct,
  };
}

function sum<T>(items: readonly T[], of: (item: T) => number): number {
  let total = 0;
  for (const item of items) total += of(item);
  return total;
}

/*
 * Where a shipment's goods issue takes its stock from (docs/materials.md, "Goods issue on
 * shipping"), free of the database so the choice reads and tests on its own. Quantities are numeric
 * strings as the ledger keeps them; they are added and compared as scaled integers, never as floats.
 */

/** One balance of the plant that may give stock: a material, its lot if any, a location. */
export interface StockOnHand {
  materialId: string;
  lotId: string | null;
  /** Released lots only are taken when the content names no lot. */
  lotReleased: boolean;
  lotExpiresOn: string | null;
  /** When the lot was made, as an ISO string; the older goes first among lots of one expiry. */
  lotCreatedAt: string | null;
  lotCode: string | null;
  locationId: string;
  locationCode: string;
  /** A location of kind `shipping`: the dock, where packed goods wait. */
  atShipping: boolean;
  quantity: string;
}

/** A location that may go below zero, and whether it is a shipping location. */
export interface NegativeLocation {
  locationId: string;
  locationCode: string;
  atShipping: boolean;
}

/** What left, per material and lot, in the material's base unit. */
export interface GoodsNeed {
  materialId: string;
  code: string;
  lotTracked: boolean;
  /** The lot packed, when the material is lot-tracked and the packing named one. */
  lotCode: string | null;
  /** That lot's id, or null when the material has no lot of that code. */
  lotId: string | null;
  quantity: string;
}

export interface GoodsTake {
  materialId: string;
  lotId: string | null;
  locationId: string;
  quantity: string;
}

export interface GoodsShortage {
  need: GoodsNeed;
  inStock: string;
}

const SCALE = 20;
const ONE = 10n ** BigInt(SCALE);

export function toUnits(quantity: string): bigint {
  const negative = quantity.startsWith('-');
  const [whole = '0', fraction = ''] = (negative ? quantity.slice(1) : quantity).split('.');
  const units = BigInt(whole || '0') * ONE + BigInt(fraction.padEnd(SCALE, '0').slice(0, SCALE) || '0');
  return negative ? -units : units;
}

export function fromUnits(units: bigint): string {
  const negative = units < 0n;
  const magnitude = negative ? -units : units;
  const whole = (magnitude / ONE).toString();
  const fraction = (magnitude % ONE).toString().padStart(SCALE, '0').replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${fraction === '' ? '' : `.${fraction}`}`;
}

const byText = (a: string | null, b: string | null) => (a ?? '').localeCompare(b ?? '');

/** Shipping locations first, then the largest balance, then the location's code. */
export function locationOrder(a: StockOnHand, b: StockOnHand): number {
  if (a.atShipping !== b.atShipping) return a.atShipping ? -1 : 1;
  const more = toUnits(b.quantity) - toUnits(a.quantity);
  if (more !== 0n) return more > 0n ? 1 : -1;
  return a.locationCode.localeCompare(b.locationCode);
}

/**
 * Lots first-expiry-first-out, as the backflush takes them: the earliest expiry, lots without one
 * last, then the oldest lot, then its code; within a lot, by location.
 */
export function lotOrder(a: StockOnHand, b: StockOnHand): number {
  if (a.lotId !== b.lotId) {
    if (a.lotExpiresOn !== b.lotExpiresOn) {
      if (a.lotExpiresOn === null) return 1;
      if (b.lotExpiresOn === null) return -1;
      return a.lotExpiresOn.localeCompare(b.lotExpiresOn);
    }
    return byText(a.lotCreatedAt, b.lotCreatedAt) || byText(a.lotCode, b.lotCode) || byText(a.lotId, b.lotId);
  }
  return locationOrder(a, b);
}

/** The stock a need may take from, in the order it takes it. */
function candidates(need: GoodsNeed, stock: readonly StockOnHand[]): StockOnHand[] {
  const own = stock.filter((s) => s.materialId === need.materialId);
  if (!need.lotTracked) return own.filter((s) => s.lotId === null).sort(locationOrder);
  if (need.lotCode !== null)
    return own.filter((s) => s.lotId !== null && s.lotId === need.lotId).sort(locationOrder);
  return own.filter((s) => s.lotId !== null && s.lotReleased).sort(lotOrder);
}

/**
 * The takes that issue every need, and the needs the stock cannot cover. Needs naming a lot are
 * served before those that take any lot, so a lot's stock goes first to the content packed from it.
 * A material that is not lot-tracked may take the rest from the first location that allows negative
 * stock (shipping locations first), as the backflush does. A short need takes nothing: the caller
 * refuses the whole shipment.
 */
export function allocateGoods(
  needs: readonly GoodsNeed[],
  stock: readonly StockOnHand[],
  negative: readonly NegativeLocation[],
): { takes: GoodsTake[]; shortages: GoodsShortage[] } {
  const left = new Map(stock.map((s) => [s, toUnits(s.quantity)]));
  const takes: GoodsTake[] = [];
  const shortages: GoodsShortage[] = [];
  const ordered = [...needs].sort((a, b) => Number(a.lotCode === null) - Number(b.lotCode === null));
  const rest = [...negative].sort(
    (a, b) => Number(b.atShipping) - Number(a.atShipping) || a.locationCode.localeCompare(b.locationCode),
  )[0];
  for (const need of ordered) {
    const from = candidates(need, stock);
    const available = from.reduce((sum, s) => sum + (left.get(s) ?? 0n), 0n);
    let due = toUnits(need.quantity);
    const short = available < due;
    if (short && (need.lotTracked || rest === undefined)) {
      shortages.push({ need, inStock: fromUnits(available) });
      continue;
    }
    for (const s of from) {
      const has = left.get(s) ?? 0n;
      if (due <= 0n) break;
      if (has <= 0n) continue;
      const take = has < due ? has : due;
      left.set(s, has - take);
      due -= take;
      takes.push({
        materialId: s.materialId,
        lotId: s.lotId,
        locationId: s.locationId,
        quantity: fromUnits(take),
      });
    }
    if (due > 0n && rest !== undefined)
      takes.push({
        materialId: need.materialId,
        lotId: null,
        locationId: rest.locationId,
        quantity: fromUnits(due),
      });
  }
  return { takes, shortages };
}

/** "Lot L-123 of BRK-100: 40 in stock at plant P1, 50 packed". */
export function shortageSentence(shortage: GoodsShortage, plantCode: string): string {
  const { need, inStock } = shortage;
  const what = need.lotCode === null ? need.code : `Lot ${need.lotCode} of ${need.code}`;
  const which = need.lotTracked && need.lotCode === null ? ' in released lots' : ' in stock';
  return `${what}: ${inStock}${which} at plant ${plantCode}, ${need.quantity} packed`;
}

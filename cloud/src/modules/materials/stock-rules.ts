import type { tables } from '@plantline/schema';

/*
 * The rules a movement is checked against before it is written (docs/materials.md, "Ledger rules"),
 * kept free of the database so they read and test on their own.
 */

/** Movements that take stock out of a location for use: what a blocked or quarantined lot may not do. */
const USE_KINDS: ReadonlySet<tables.MovementKind> = new Set(['issue', 'consumption']);

/**
 * Why a lot in `status` may not take part in a `kind` movement, or null. A quarantined lot may be
 * moved and counted but not used; a blocked one may not leave its location either, except as scrap;
 * a consumed lot takes no more stock.
 */
export function lotRefusal(
  kind: tables.MovementKind,
  status: tables.LotStatus,
  lotCode: string,
): string | null {
  if (status === 'blocked' && (USE_KINDS.has(kind) || kind === 'transfer_out'))
    return `Lot ${lotCode} is blocked`;
  if (status === 'quarantine' && USE_KINDS.has(kind)) return `Lot ${lotCode} is in quarantine`;
  if (status === 'consumed' && (kind === 'receipt' || kind === 'production' || kind === 'transfer_in'))
    return `Lot ${lotCode} is consumed`;
  return null;
}

/** Whether `kind` adds to (+1) or takes from (−1) its location; an adjustment or reversal is either. */
export function directionOf(kind: tables.MovementKind): 1 | -1 | 0 {
  switch (kind) {
    case 'receipt':
    case 'transfer_in':
    case 'production':
      return 1;
    case 'issue':
    case 'transfer_out':
    case 'consumption':
    case 'scrap':
      return -1;
    case 'adjustment':
    case 'reversal':
      return 0;
  }
}

/** Why a material's movement names or omits a lot wrongly, or null. */
export function lotPresenceRefusal(material: { code: string; lotTracked: boolean }, lotId: string | null) {
  if (material.lotTracked && lotId === null) return `${material.code} is lot-tracked: name the lot`;
  if (!material.lotTracked && lotId !== null) return `${material.code} is not lot-tracked: name no lot`;
  return null;
}

/*
 * A movement may be dated back (booked after the fact) but not ahead: the balance "now" would
 * otherwise change later on its own. A few minutes allow for clocks of scanners and browsers.
 */
export const FUTURE_TOLERANCE_MS = 5 * 60_000;

export function timeRefusal(time: Date, now: Date): string | null {
  return time.getTime() > now.getTime() + FUTURE_TOLERANCE_MS
    ? 'A movement cannot be dated in the future'
    : null;
}

/** What a consume scan at a machine is checked against, read before anything is written. */
export interface ConsumeCheck {
  material: { id: string; code: string };
  orderNumber: string;
  /** The material is the order's own product: an order does not consume what it makes. */
  ordersProduct: boolean;
  /** The materials the order may consume, or null when it does not say. */
  allowed: ReadonlySet<string> | null;
  lot: { lotCode: string; status: tables.LotStatus; expiresOn: string | null } | null;
  expired: boolean;
}

/**
 * Why a scanned lot may not be consumed for the order, with the station answer's result, or null
 * (docs/materials.md, "Consuming at a machine"): the wrong material first, then the lot's status,
 * then its expiry. The ledger still checks the stock at the line side when it writes.
 */
export function consumeRefusal(
  check: ConsumeCheck,
): { result: 'wrong_item' | 'wrong_lot' | 'expired'; message: string } | null {
  const { material, orderNumber, lot } = check;
  if (check.ordersProduct)
    return { result: 'wrong_item', message: `${orderNumber} makes ${material.code}; it does not consume it` };
  if (check.allowed !== null && !check.allowed.has(material.id))
    return { result: 'wrong_item', message: `${material.code} is not a material of ${orderNumber}` };
  if (lot !== null) {
    const status =
      lot.status === 'consumed'
        ? `Lot ${lot.lotCode} is consumed`
        : lotRefusal('consumption', lot.status, lot.lotCode);
    if (status !== null) return { result: 'wrong_lot', message: status };
    if (check.expired)
      return { result: 'expired', message: `Lot ${lot.lotCode} expired on ${lot.expiresOn}` };
  }
  return null;
}

import type { tables } from '@plantline/schema';

/*
 * The shipment life cycle as data (docs/logistics.md, "Shipments"): draft → picking → packed →
 * shipped → delivered, or cancelled before it leaves. Scans move draft → picking and picking →
 * packed by themselves; people start picking, ship, record the delivery and cancel. No I/O.
 */

export type ShipmentStatus = tables.ShipmentStatus;

export type ShipmentAction = 'startPicking' | 'ship' | 'deliver' | 'cancel' | 'edit' | 'pack';

const allowedFrom: Record<ShipmentAction, readonly ShipmentStatus[]> = {
  startPicking: ['draft'],
  ship: ['picking', 'packed'],
  deliver: ['shipped'],
  cancel: ['draft', 'picking', 'packed'],
  edit: ['draft', 'picking'],
  // Cartons may still go onto a pallet once every item is packed.
  pack: ['draft', 'picking', 'packed'],
};

/** What may be done, said for the refusal. */
const onlyWhen: Record<ShipmentAction, string> = {
  startPicking: 'only a draft can start picking',
  ship: 'only a shipment being picked or packed can be shipped',
  deliver: 'only a shipped shipment can be delivered',
  cancel: 'only a shipment that has not left can be cancelled',
  edit: 'only a draft or a shipment being picked can be changed',
  pack: 'only a shipment that has not left can be packed',
};

const statusWords: Record<ShipmentStatus, string> = {
  draft: 'a draft',
  picking: 'being picked',
  packed: 'packed',
  shipped: 'shipped',
  delivered: 'delivered',
  cancelled: 'cancelled',
};

/** Why `action` cannot be taken on a shipment in `status`, or null when it can. */
export function transitionRefusal(
  number: string,
  status: ShipmentStatus,
  action: ShipmentAction,
): string | null {
  if (allowedFrom[action].includes(status)) return null;
  return `${number} is ${statusWords[status]}: ${onlyWhen[action]}`;
}

export interface ItemProgress {
  id: string;
  quantity: number;
  packed: number;
}

export const isComplete = (items: readonly ItemProgress[]) =>
  items.length > 0 && items.every((i) => i.packed >= i.quantity);

/**
 * The status a scan or an edit of the lines leaves: the first scan starts picking (whatever the
 * station answered, someone is picking), and the shipment is packed once every item is complete.
 */
export function statusAfterPacking(
  status: ShipmentStatus,
  items: readonly ItemProgress[],
  scanned: boolean,
): ShipmentStatus {
  if (status !== 'draft' && status !== 'picking') return status;
  if (isComplete(items)) return 'packed';
  return scanned || status === 'picking' ? 'picking' : 'draft';
}

/** What is left of each item after shipping what is packed: the lines of a backorder. */
export function remainders<T extends ItemProgress>(items: readonly T[]): (T & { remainder: number })[] {
  return items
    .map((item) => ({ ...item, remainder: item.quantity - item.packed }))
    .filter((item) => item.remainder > 0);
}

/**
 * Why shipping now is refused, or null: nothing packed leaves nothing to ship, and a shipment with
 * items not fully packed ships only with an explicit backorder for the rest, never dropping it.
 */
export function shipRefusal(items: readonly ItemProgress[], backorder: boolean): string | null {
  if (!items.some((i) => i.packed > 0)) return 'Nothing is packed yet: pack the items before shipping';
  const short = remainders(items).length;
  if (short > 0 && !backorder)
    return `${short === 1 ? 'One item is' : `${short} items are`} not fully packed: ship with a backorder for the rest, or pack ${short === 1 ? 'it' : 'them'} first`;
  return null;
}

/** The calendar date (YYYY-MM-DD) of an instant in a plant's time zone. */
export function plantDate(at: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(at);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

import type { tables } from '@plantline/schema';
import { type Gs1ParseResult, parseGs1Date } from '@plantline/schema/gs1';

/*
 * What a packing station answers to one scan (docs/logistics.md, "Packing by scanning"): the scan as
 * parseGs1 read it, against what the shipment — or a transfer between plants — still needs. No I/O:
 * packing.ts (and the transfers module) loads the task, asks here, and writes what the answer says. Every refusal carries a sentence the operator reads at the
 * station, naming what was expected and what was scanned.
 */

export type ScanRefusal = Exclude<tables.ScanResult, 'ok'>;

/** What a scan carries, read from its GS1 elements. */
export interface ScanContent {
  /** AI (01), or (02) on a logistic unit's label: the trade item it holds. */
  gtin: string | null;
  /** AI (00). */
  sscc: string | null;
  /** AI (10). */
  lot: string | null;
  /** AI (17), as YYYY-MM-DD. */
  expiry: string | null;
  /** AI (15), as YYYY-MM-DD. */
  bestBefore: string | null;
  /** AI (21). */
  serial: string | null;
  /** AI (30) or (37): how many trade items the scanned unit holds. */
  count: number | null;
}

/** One item of the shipment (or transfer) as the station sees it. */
export interface PackingItem {
  id: string;
  productId: string;
  productCode: string;
  /** products.gtin: a product without one cannot be packed by scan. */
  gtin: string | null;
  /** The lot the customer must get, when the item names one. */
  lot: string | null;
  quantity: number;
  packed: number;
}

/** A package of the shipment, for scans of an SSCC (nesting a carton on a pallet). */
export interface PackingPackage {
  id: string;
  kind: tables.PackageKind;
  sscc: string | null;
  status: tables.PackageStatus;
  parentId: string | null;
}

export interface PackingTask {
  /**
   * What is packed, as the operator's answers name it ("this shipment", "this transfer"); a shipment
   * when not said.
   */
  subject?: 'shipment' | 'transfer' | undefined;
  /** The day the shipment leaves (its planned date, else the plant's today): expiry is checked against it. */
  shipDate: string;
  items: readonly PackingItem[];
  /** The open package the station packs into. */
  target: PackingPackage;
  /** Every package of the shipment. */
  packages: readonly PackingPackage[];
  /** SSCCs among the scan's that belong to another shipment or a transfer. */
  foreignSsccs: ReadonlySet<string>;
  /** Serials already packed, as `serialKey(productId, serial)`. */
  packedSerials: ReadonlySet<string>;
  /** Scanner events already packed (a plant scanner's event delivered twice). */
  usedScanEventIds: ReadonlySet<string>;
}

export type PackingAnswer =
  | {
      result: 'ok';
      action: 'pack';
      message: string;
      item: PackingItem;
      content: {
        gtin: string;
        lot: string | null;
        serial: string | null;
        /** (17): a safety date, so one before the ship day is refused. */
        expiry: string | null;
        /** (15): a quality date, so one before the ship day is packed with a warning. */
        bestBefore: string | null;
        quantity: number;
      };
      /** What the operator should look at although the scan was packed; null when nothing. */
      warning: string | null;
    }
  | { result: 'ok'; action: 'nest'; message: string; child: PackingPackage }
  | { result: ScanRefusal; message: string };

export const serialKey = (productId: string, serial: string) => `${productId}\u0000${serial}`;

const refuse = (result: ScanRefusal, message: string): PackingAnswer => ({ result, message });

/** The package as an operator names it: "carton 095287654321012346". */
export const packageName = (p: Pick<PackingPackage, 'kind' | 'sscc'>) =>
  p.sscc === null ? `this ${p.kind}` : `${p.kind} ${p.sscc}`;

/** The elements of a parsed scan that packing uses; dates take their century from `now`. */
export function scanContent(scan: Gs1ParseResult, now: Date): ScanContent {
  const value = (ai: string) => scan.elements.find((e) => e.ai === ai)?.value ?? null;
  const date = (ai: string) => {
    const raw = value(ai);
    return raw === null ? null : parseGs1Date(raw, now);
  };
  const count = value('30') ?? value('37');
  return {
    gtin: value('01') ?? value('02'),
    sscc: value('00'),
    lot: value('10'),
    expiry: date('17'),
    bestBefore: date('15'),
    serial: value('21'),
    count: count === null ? null : Number(count),
  };
}

/**
 * The station's answer to `scan` for `task`. Checked in this order, so the operator hears about the
 * first thing to fix: data that is no GS1 data (or has a wrong check digit), a scanner event already
 * used, then a logistic unit (SSCC) or a trade item (GTIN) against the shipment.
 */
export function answerScan(
  scan: Gs1ParseResult,
  task: PackingTask,
  options: { now: Date; scanEventId?: string | null | undefined },
): PackingAnswer {
  const checkDigit = scan.errors.find((e) => e.code === 'bad_check_digit');
  if (checkDigit !== undefined)
    return refuse('bad_check_digit', `${checkDigit.message}: rescan, or type the code from the label`);
  if (!scan.ok) {
    const reason = scan.errors[0]?.message ?? 'it is not GS1 data';
    return refuse('unreadable', `The scan could not be read: ${reason}`);
  }
  if (options.scanEventId != null && task.usedScanEventIds.has(options.scanEventId))
    return refuse('duplicate', 'This scan was already packed');
  const content = scanContent(scan, options.now);
  const subject = task.subject ?? 'shipment';
  if (content.sscc !== null) {
    const own = task.packages.find((p) => p.sscc === content.sscc);
    if (own !== undefined) return nest(own, task.target, subject);
    if (task.foreignSsccs.has(content.sscc) || content.gtin === null)
      return refuse('not_in_shipment', `SSCC ${content.sscc} is not a package of this ${subject}`);
  }
  if (content.gtin === null)
    return refuse(
      'unreadable',
      'The scan carries no GTIN (01) or SSCC (00): scan the product or carton label',
    );
  return pack(content as ScanContent & { gtin: string }, task, subject);
}

/** A closed carton of the shipment scanned at an open pallet goes onto it. */
function nest(scanned: PackingPackage, target: PackingPackage, subject: string): PackingAnswer {
  const name = packageName(scanned);
  if (scanned.id === target.id)
    return refuse('duplicate', `That is the open ${target.kind} itself: scan a product or a closed carton`);
  if (scanned.parentId === target.id)
    return refuse('duplicate', `${capital(name)} is already on this pallet`);
  if (target.kind !== 'pallet')
    return refuse('wrong_item', `Cartons go onto a pallet: open a pallet to put ${name} on it`);
  if (scanned.kind === 'pallet') return refuse('wrong_item', `A pallet cannot go onto another pallet`);
  if (scanned.parentId !== null)
    return refuse('duplicate', `${capital(name)} is already on another pallet of this ${subject}`);
  if (scanned.status === 'open') return refuse('wrong_item', `Close ${name} before putting it on the pallet`);
  return { result: 'ok', action: 'nest', message: `${capital(name)} is on the pallet`, child: scanned };
}

function pack(content: ScanContent & { gtin: string }, task: PackingTask, subject: string): PackingAnswer {
  const candidates = task.items.filter((i) => i.gtin === content.gtin);
  const first = candidates[0];
  if (first === undefined) {
    const wanted = [...new Set(task.items.map((i) => i.productCode))].join(', ');
    return refuse('wrong_item', `GTIN ${content.gtin} is not on this ${subject}, which needs ${wanted}`);
  }
  const product = first.productCode;
  // Items that name the scanned lot come before those that take any lot.
  const fitting = [
    ...candidates.filter((i) => i.lot !== null && i.lot === content.lot),
    ...candidates.filter((i) => i.lot === null),
  ];
  if (fitting.length === 0) {
    const lots = [...new Set(candidates.map((i) => i.lot))].join(' or ');
    return refuse(
      'wrong_lot',
      content.lot === null
        ? `${product} must be lot ${lots}; the scan carries no lot`
        : `Lot ${lots} expected, ${content.lot} scanned`,
    );
  }
  if (content.serial !== null && task.packedSerials.has(serialKey(first.productId, content.serial)))
    return refuse('duplicate', `Serial ${content.serial} of ${product} is already packed`);
  // (17) is a use-by date, set for safety; (15) a best-before, a quality date after which the product
  // may still be used (GS1 General Specifications, the definitions of AI (15) and AI (17)). Only the
  // first stops packing; the second is packed and the operator told (docs/logistics.md).
  if (content.expiry !== null && content.expiry < task.shipDate)
    return refuse('expired', `Expired on ${content.expiry}; the ${subject} leaves on ${task.shipDate}`);
  if (content.serial !== null && content.count !== null && content.count !== 1)
    return refuse('unreadable', `A serial number names one unit, but the scan counts ${content.count}`);
  const quantity = content.count ?? 1;
  if (!(quantity > 0)) return refuse('unreadable', 'The scan counts no units');
  const item = fitting.find((i) => i.quantity - i.packed >= quantity);
  if (item === undefined) {
    const left = fitting.reduce((sum, i) => sum + (i.quantity - i.packed), 0);
    const wanted = fitting.reduce((sum, i) => sum + i.quantity, 0);
    return refuse(
      'over_quantity',
      left <= 0
        ? `${product} is complete: ${wanted} of ${wanted} packed`
        : `Only ${left} more of ${product} wanted; the scan counts ${quantity}`,
    );
  }
  const remaining = item.quantity - item.packed - quantity;
  const packed =
    remaining === 0
      ? `${quantity} × ${product} packed: ${product} is complete`
      : `${quantity} × ${product} packed: ${remaining} to go`;
  const warning =
    content.bestBefore !== null && content.bestBefore < task.shipDate
      ? `Best before ${content.bestBefore}, before the ${subject} leaves on ${task.shipDate}`
      : null;
  return {
    result: 'ok',
    action: 'pack',
    message: warning === null ? packed : `${packed}. ${warning}`,
    item,
    content: {
      gtin: content.gtin,
      lot: content.lot,
      serial: content.serial,
      expiry: content.expiry,
      bestBefore: content.bestBefore,
      quantity,
    },
    warning,
  };
}

const capital = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

import type { tables } from '@plantline/schema';

/*
 * The transfer life cycle and the receiving rules as data (docs/logistics.md, "Transfers"): draft →
 * picking → in_transit → received, or cancelled before it leaves. Each move belongs to one side: the
 * sending plant plans, packs and ships, the receiving plant receives. No I/O.
 */

export type TransferStatus = tables.TransferStatus;
export type DiscrepancyReason = tables.DiscrepancyReason;

export type TransferAction = 'edit' | 'cancel' | 'pack' | 'ship' | 'receive' | 'finish';

/** Which plant of the transfer a caller must reach to take the action. */
export const sideOf: Record<TransferAction, 'sending' | 'receiving'> = {
  edit: 'sending',
  cancel: 'sending',
  pack: 'sending',
  ship: 'sending',
  receive: 'receiving',
  finish: 'receiving',
};

const allowedFrom: Record<TransferAction, readonly TransferStatus[]> = {
  edit: ['draft', 'picking'],
  cancel: ['draft', 'picking'],
  pack: ['draft', 'picking'],
  ship: ['picking'],
  receive: ['in_transit'],
  finish: ['in_transit'],
};

const onlyWhen: Record<TransferAction, string> = {
  edit: 'only a transfer that has not left can be changed',
  cancel: 'only a transfer that has not left can be cancelled',
  pack: 'only a transfer that has not left can be packed',
  ship: 'only a transfer being picked can be shipped: pack something first',
  receive: 'only a transfer in transit can be received',
  finish: 'only a transfer in transit can be received',
};

const statusWords: Record<TransferStatus, string> = {
  draft: 'a draft',
  picking: 'being picked',
  in_transit: 'in transit',
  received: 'received',
  cancelled: 'cancelled',
};

/** Why `action` cannot be taken on a transfer in `status`, or null when it can. */
export function transitionRefusal(number: string, status: TransferStatus, action: TransferAction) {
  if (allowedFrom[action].includes(status)) return null;
  return `${number} is ${statusWords[status]}: ${onlyWhen[action]}`;
}

/** Why the caller, reaching `reach`, may not act for `side` of the transfer; null when they may. */
export function sideRefusal(
  transfer: { number: string; fromPlantCode: string; toPlantCode: string },
  side: 'sending' | 'receiving',
  reach: { sending: boolean; receiving: boolean },
): string | null {
  if (reach[side]) return null;
  return side === 'sending'
    ? `${transfer.number} is packed and shipped by plant ${transfer.fromPlantCode}`
    : `${transfer.number} is received by plant ${transfer.toPlantCode}`;
}

export interface ShipProgress {
  lineNo: number;
  productCode: string;
  quantity: number;
  packed: number;
}

/** Why the transfer cannot leave: nothing packed, or items short without `partial: true`. */
export function shipRefusal(items: readonly ShipProgress[], partial: boolean): string | null {
  if (!items.some((i) => i.packed > 0)) return 'Nothing is packed: pack the transfer before shipping it';
  const short = items.filter((i) => i.packed < i.quantity);
  if (short.length === 0 || partial) return null;
  const lines = short.map((i) => `line ${i.lineNo} (${i.productCode}: ${i.packed} of ${i.quantity})`);
  return `${short.length === 1 ? 'One item is' : `${short.length} items are`} not fully packed — ${lines.join(', ')}: pack the rest, or ship what is packed`;
}

/** One item at the end of receiving: what left, what was counted, and the receiver's reason. */
export interface ReceivedLine {
  itemId: string;
  lineNo: number;
  productCode: string;
  /** What left the sending plant (the packed quantity). */
  shipped: number;
  /** What the receiver counted. */
  received: number;
  reason: DiscrepancyReason | null;
}

/** Reasons that explain less arriving than left, more, or either. */
const fewer: readonly DiscrepancyReason[] = [
  'short',
  'missing_package',
  'damaged',
  'wrong_item',
  'wrong_lot',
];
const more: readonly DiscrepancyReason[] = ['over', 'wrong_item', 'wrong_lot'];

/**
 * The problem with each line the receiver must fix before receiving ends, keyed by item id: a
 * difference without a reason, or a reason that says the opposite of the count ("over" when fewer came).
 */
export function discrepancyProblems(lines: readonly ReceivedLine[]): Map<string, string> {
  const problems = new Map<string, string>();
  for (const line of lines) {
    const label = `Line ${line.lineNo} (${line.productCode})`;
    if (line.received === line.shipped) continue;
    const direction = line.received < line.shipped ? 'fewer' : 'more';
    if (line.reason === null) {
      problems.set(
        line.itemId,
        `${label}: ${line.received} of ${line.shipped} arrived — choose why (${(direction === 'fewer' ? fewer : more).join(', ')})`,
      );
      continue;
    }
    const fits = (direction === 'fewer' ? fewer : more).includes(line.reason);
    if (!fits)
      problems.set(
        line.itemId,
        `${label}: ${line.received} of ${line.shipped} arrived, which is not "${line.reason}"`,
      );
  }
  return problems;
}

import type { tables } from '@plantline/schema';
import type { Gs1ParseResult } from '@plantline/schema/gs1';
import { packageName, type ScanContent } from '../shipments/index.js';

/*
 * What a receiving station answers to one scan (docs/logistics.md, "Transfers"): the receiving plant
 * scans the SSCC on each pallet or carton that arrived. A package of the transfer that has not been
 * received is received with everything on it; anything else is refused with a typed result and a
 * sentence for the operator. No I/O: receiving.ts loads the task and writes what the answer says.
 */

type Refusal = Exclude<tables.ScanResult, 'ok'>;

/** A package as receiving sees it, found by the scanned SSCC. */
export interface ReceivingPackage {
  id: string;
  kind: tables.PackageKind;
  sscc: string | null;
  status: tables.PackageStatus;
  parentId: string | null;
  transferOrderId: string | null;
  shipmentId: string | null;
}

export interface ReceivingTask {
  transferNumber: string;
  transferId: string;
  /** The package with the scanned SSCC, when there is one the caller can see. */
  scanned: ReceivingPackage | null;
  /** Every package of the transfer. */
  packages: readonly ReceivingPackage[];
  /** Whether this scanner event was received before (a plant scanner's event delivered twice). */
  scanEventUsed: boolean;
}

export type ReceivingAnswer =
  | { result: 'ok'; message: string; received: readonly ReceivingPackage[] }
  | { result: Refusal; message: string };

const refuse = (result: Refusal, message: string): ReceivingAnswer => ({ result, message });

/** The package and every package on it, the package first. */
export function packageTree(root: ReceivingPackage, packages: readonly ReceivingPackage[]) {
  const tree = [root];
  for (let i = 0; i < tree.length; i++)
    tree.push(...packages.filter((p) => p.parentId === tree[i]!.id && !tree.includes(p)));
  return tree;
}

export function answerReceivingScan(
  scan: Gs1ParseResult,
  content: Pick<ScanContent, 'sscc'>,
  task: ReceivingTask,
): ReceivingAnswer {
  const checkDigit = scan.errors.find((e) => e.code === 'bad_check_digit');
  if (checkDigit !== undefined)
    return refuse('bad_check_digit', `${checkDigit.message}: rescan, or type the code from the label`);
  if (!scan.ok)
    return refuse(
      'unreadable',
      `The scan could not be read: ${scan.errors[0]?.message ?? 'it is not GS1 data'}`,
    );
  if (task.scanEventUsed) return refuse('duplicate', 'This scan was already received');
  if (content.sscc === null)
    return refuse('unreadable', 'The scan carries no SSCC (00): scan the pallet or carton label');
  const scanned = task.scanned;
  if (scanned === null)
    return refuse('not_in_shipment', `SSCC ${content.sscc} is not a package of ${task.transferNumber}`);
  if (scanned.transferOrderId !== task.transferId)
    return refuse(
      'not_in_shipment',
      scanned.shipmentId !== null
        ? `SSCC ${content.sscc} is a package of a customer shipment, not of ${task.transferNumber}`
        : `SSCC ${content.sscc} is a package of another transfer, not of ${task.transferNumber}`,
    );
  const name = packageName(scanned);
  const waiting = packageTree(scanned, task.packages).filter((p) => p.status !== 'received');
  if (waiting.length === 0) return refuse('duplicate', `${capital(name)} was received already`);
  const all = task.packages.filter((p) => p.status !== 'received').length;
  const left = all - waiting.length;
  return {
    result: 'ok',
    message:
      left === 0
        ? `${capital(name)} received: every package of ${task.transferNumber} is in`
        : `${capital(name)} received: ${left} package${left === 1 ? '' : 's'} to go`,
    received: waiting,
  };
}

const capital = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** A content of a package as it was packed: its item, product, lot and quantity. */
export interface PackedContent {
  transferItemId: string | null;
  productId: string;
  lot: string | null;
  quantity: string;
}

/** Sums and differences of quantities kept to the micro-unit, so 0.1 + 0.2 stays 0.3. */
const exact = (quantity: number) => Math.round(quantity * 1e6) / 1e6;

/**
 * What a damaged package brings into stock (docs/materials.md, "Transfers between plants"): of each
 * item, what was counted, taken from the package's contents of that item in the order they were packed,
 * never more than they held. A count above what the package held has no lot and nothing in transit
 * to come from, so it moves no stock.
 */
export function countedGoods(
  contents: readonly PackedContent[],
  counted: ReadonlyMap<string, number>,
): { productId: string; lot: string | null; quantity: string }[] {
  const goods: { productId: string; lot: string | null; quantity: string }[] = [];
  const left = new Map(counted);
  for (const content of contents) {
    const due = content.transferItemId === null ? 0 : (left.get(content.transferItemId) ?? 0);
    const take = exact(Math.min(due, Number(content.quantity)));
    if (take <= 0 || content.transferItemId === null) continue;
    left.set(content.transferItemId, exact(due - take));
    goods.push({ productId: content.productId, lot: content.lot, quantity: String(take) });
  }
  return goods;
}

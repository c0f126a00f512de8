import { tables } from '@plantline/schema';
import { parseGs1 } from '@plantline/schema/gs1';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Sql } from '../../db/index.js';
import { audit, DomainError } from '../../platform/index.js';
import { checkStation, packageName, scanContent } from '../shipments/index.js';
import { recordScan } from './packing.js';
import { answerReceivingScan, packageTree, type ReceivingPackage } from './receiving-rules.js';
import { receiveTransferStock } from './stock.js';
import { findTransfer, type Transfer, transferItems, transferPackages } from './transfer-queries.js';
import { type DiscrepancyReason, discrepancyProblems, type ReceivedLine } from './transfer-rules.js';
import { announce, lockedFor, moveTransfer, plantNames, type TransferCall } from './transfers.js';

/*
 * The receiving plant takes a transfer in (docs/logistics.md, "Transfers"): each pallet or carton
 * scanned by its SSCC is received with everything on it, its contents added to what arrived of each
 * item; a damaged package is received with what was counted in it; finishing records every
 * difference between what left and what arrived with the reason the receiver gives, and the transfer
 * is received. Only users of the receiving plant do this, and only while the transfer is in transit.
 * Each package received moves its goods from transit into the receiving plant's stock; finishing moves
 * none, so what never arrived stays in transit (docs/materials.md, "Transfers between plants").
 */

const pk = tables.packages;
const c = tables.packageContents;

const receivingColumns = {
  id: pk.id,
  kind: pk.kind,
  sscc: pk.sscc,
  status: pk.status,
  parentId: pk.parentId,
  transferOrderId: pk.transferOrderId,
  shipmentId: pk.shipmentId,
};

const transferPackagesOf = (tx: Sql, transferId: string): Promise<ReceivingPackage[]> =>
  tx.select(receivingColumns).from(pk).where(eq(pk.transferOrderId, transferId));

/** What the packages hold per item: the quantity of each item across them, and per package. */
async function contentsOf(tx: Sql, packages: readonly ReceivingPackage[]) {
  if (packages.length === 0) return [];
  const found = await tx
    .select({
      packageId: c.packageId,
      transferItemId: c.transferItemId,
      quantity: sql<string>`sum(${c.quantity})`,
    })
    .from(c)
    .where(
      inArray(
        c.packageId,
        packages.map((p) => p.id),
      ),
    )
    .groupBy(c.packageId, c.transferItemId);
  return found.map((row) => ({
    ...row,
    transferItemId: row.transferItemId!,
    quantity: Number(row.quantity),
  }));
}

/**
 * Marks the packages received, adds the counts to the items, writes a receipt per package and item,
 * and moves their goods into stock. `counted` replaces what the packages hold (a damaged package,
 * counted by hand).
 */
async function receivePackages(
  call: TransferCall,
  transfer: Transfer,
  packages: readonly ReceivingPackage[],
  options: {
    counted?: ReadonlyMap<string, number>;
    reason?: DiscrepancyReason;
    note?: string;
    scanned: ReceivingPackage;
  },
) {
  const { tx, principal } = call;
  const contents = await contentsOf(tx, packages);
  await receiveTransferStock(
    call,
    transfer,
    packages.map((p) => p.id),
    options.counted,
  );
  await tx
    .update(pk)
    .set({ status: 'received' })
    .where(
      inArray(
        pk.id,
        packages.map((p) => p.id),
      ),
    );
  const byItem = new Map<string, number>();
  for (const row of contents)
    byItem.set(row.transferItemId, (byItem.get(row.transferItemId) ?? 0) + row.quantity);
  const counted = options.counted ?? byItem;
  const i = tables.transferItems;
  for (const [itemId, quantity] of counted)
    await tx
      .update(i)
      .set({ receivedQuantity: sql`${i.receivedQuantity} + ${String(quantity)}::numeric` })
      .where(eq(i.id, itemId));
  const base = {
    tenantId: principal.tenantId,
    fromPlantId: transfer.fromPlantId,
    toPlantId: transfer.toPlantId,
    transferOrderId: transfer.id,
    receivedBy: principal.userId,
  };
  const receipts =
    options.counted === undefined
      ? contents.map((row) => {
          const p = packages.find((x) => x.id === row.packageId)!;
          return {
            ...base,
            packageId: p.id,
            sscc: p.sscc,
            transferItemId: row.transferItemId,
            expectedQuantity: String(row.quantity),
            receivedQuantity: String(row.quantity),
          };
        })
      : [...new Set([...byItem.keys(), ...options.counted.keys()])].map((itemId) => ({
          ...base,
          packageId: options.scanned.id,
          sscc: options.scanned.sscc,
          transferItemId: itemId,
          expectedQuantity: String(byItem.get(itemId) ?? 0),
          receivedQuantity: String(options.counted?.get(itemId) ?? 0),
          discrepancy: options.reason ?? null,
          note: options.note ?? '',
        }));
  if (receipts.length > 0) await tx.insert(tables.transferReceipts).values(receipts);
}

export interface ReceiveScan {
  transferOrderId: string;
  data: string;
  stationId?: string | null | undefined;
  scanEventId: string | null;
  source: 'browser' | 'edge';
}

/** One SSCC scanned at the receiving plant: answered, recorded, and the package received when it is `ok`. */
export async function receiveTransferScan(call: TransferCall, input: ReceiveScan) {
  const { tx } = call;
  const now = new Date();
  const plants = await plantNames(call);
  const transfer = await lockedFor(call, plants, { id: input.transferOrderId }, 'receive');
  if (input.stationId != null) await checkStation(tx, input.stationId, transfer.toPlantId);
  const scan = parseGs1(input.data, { now });
  const content = scanContent(scan, now);
  const packages = await transferPackagesOf(tx, transfer.id);
  const [scanned] =
    content.sscc === null ? [] : await tx.select(receivingColumns).from(pk).where(eq(pk.sscc, content.sscc));
  const answer = answerReceivingScan(scan, content, {
    transferId: transfer.id,
    transferNumber: transfer.number,
    scanned: scanned ?? null,
    packages,
    scanEventUsed: await scanEventReceived(tx, input.scanEventId),
  });
  if (answer.result === 'ok') await receivePackages(call, transfer, answer.received, { scanned: scanned! });
  const scanId = await recordScan(call, transfer, input, {
    mode: 'receive',
    result: answer.result,
    message: answer.message,
    detail: {
      elements: scan.elements,
      ...(answer.result === 'ok' ? { packageId: scanned!.id, sscc: scanned!.sscc } : {}),
    },
  });
  announce(call, transfer);
  return {
    scanId,
    result: answer.result,
    message: answer.message,
    status: transfer.status,
    version: transfer.version,
  };
}

async function scanEventReceived(tx: Sql, scanEventId: string | null) {
  if (scanEventId === null) return false;
  const ps = tables.packingScans;
  const [found] = await tx
    .select({ id: ps.id })
    .from(ps)
    .where(and(eq(ps.scanEventId, scanEventId), eq(ps.result, 'ok')))
    .limit(1);
  return found !== undefined;
}

export interface DamagedReceipt {
  transferOrderId: string;
  packageId: string;
  /** What was counted in the package, per item; an item not named arrived with none. */
  counts: readonly { itemId: string; quantity: number }[];
  note?: string | undefined;
}

/** Receives a damaged package with what was counted in it, each item's receipt marked damaged. */
export async function receiveDamaged(call: TransferCall, input: DamagedReceipt) {
  const { tx } = call;
  const plants = await plantNames(call);
  const transfer = await lockedFor(call, plants, { id: input.transferOrderId }, 'receive');
  const packages = await transferPackagesOf(tx, transfer.id);
  const scanned = packages.find((p) => p.id === input.packageId);
  if (scanned === undefined)
    throw new DomainError('not_found', `The package is not one of ${transfer.number}`, {
      packageId: 'Not found',
    });
  const waiting = packageTree(scanned, packages).filter((p) => p.status !== 'received');
  if (waiting.length === 0)
    throw new DomainError('conflict', `${capital(packageName(scanned))} was received already`, {
      packageId: 'Received already',
    });
  const items = await transferItems(tx, transfer.id);
  const counted = new Map<string, number>();
  for (const count of input.counts) {
    if (!items.some((i) => i.id === count.itemId))
      throw new DomainError('not_found', 'Item not found', { counts: 'Not an item of this transfer' });
    counted.set(count.itemId, (counted.get(count.itemId) ?? 0) + count.quantity);
  }
  await receivePackages(call, transfer, waiting, {
    counted,
    reason: 'damaged',
    note: input.note?.trim() ?? '',
    scanned,
  });
  audit(tx, {
    action: 'transfer_order.receive-damaged',
    entityType: 'transfer_order',
    entityId: transfer.id,
    entityLabel: transfer.number,
    plantId: transfer.toPlantId,
    after: {
      package: scanned.sscc,
      counts: input.counts.map((c) => ({
        product: items.find((i) => i.id === c.itemId)?.productCode,
        quantity: c.quantity,
      })),
      note: input.note ?? '',
    },
    reason: 'damaged',
  });
  announce(call, transfer);
  return findTransfer(tx, transfer.id, plants);
}

export interface FinishReceiving {
  id: string;
  expectedVersion: number;
  /** Per item: the quantity counted when it differs from what was scanned in, and why it differs. */
  lines?:
    | readonly {
        itemId: string;
        receivedQuantity?: number | undefined;
        reason?: DiscrepancyReason | null | undefined;
        note?: string | undefined;
      }[]
    | undefined;
}

/**
 * Ends receiving: each item whose count differs from what left is recorded with the receiver's reason
 * (refused without one), each package that never arrived as a missing package, and the transfer is received.
 */
export async function finishReceiving(call: TransferCall, input: FinishReceiving) {
  const { tx, principal } = call;
  const plants = await plantNames(call);
  const current = await lockedFor(call, plants, input, 'finish');
  const items = await transferItems(tx, current.id);
  const given = new Map((input.lines ?? []).map((l) => [l.itemId, l]));
  for (const itemId of given.keys())
    if (!items.some((i) => i.id === itemId))
      throw new DomainError('not_found', 'Item not found', { lines: 'Not an item of this transfer' });
  const lines: (ReceivedLine & { note: string })[] = items.map((item) => {
    const line = given.get(item.id);
    return {
      itemId: item.id,
      lineNo: item.lineNo,
      productCode: item.productCode,
      shipped: item.packedQuantity,
      received: line?.receivedQuantity ?? item.receivedQuantity,
      reason: line?.reason ?? null,
      note: line?.note?.trim() ?? '',
    };
  });
  const problems = discrepancyProblems(lines);
  if (problems.size > 0)
    throw new DomainError(
      'invalid',
      [...problems.values()].join('; '),
      Object.fromEntries([...problems].map(([itemId, problem]) => [`lines.${itemId}`, problem])),
    );
  const base = {
    tenantId: principal.tenantId,
    fromPlantId: current.fromPlantId,
    toPlantId: current.toPlantId,
    transferOrderId: current.id,
    receivedBy: principal.userId,
  };
  const i = tables.transferItems;
  for (const line of lines)
    await tx
      .update(i)
      .set({ receivedQuantity: String(line.received) })
      .where(eq(i.id, line.itemId));
  const differences = lines.filter((l) => l.reason !== null || l.received !== l.shipped);
  const missing = (await transferPackages(tx, current.id)).filter(
    (p) => p.status !== 'received' && p.contents.length > 0,
  );
  const receipts = [
    ...missing.map((p) => {
      const expected = p.contents.reduce((sum, content) => sum + content.quantity, 0);
      return {
        ...base,
        packageId: p.id,
        sscc: p.sscc,
        expectedQuantity: String(expected),
        receivedQuantity: '0',
        discrepancy: 'missing_package' as const,
      };
    }),
    ...differences.map((l) => ({
      ...base,
      transferItemId: l.itemId,
      expectedQuantity: String(l.shipped),
      receivedQuantity: String(l.received),
      discrepancy: l.reason,
      note: l.note,
    })),
  ];
  if (receipts.length > 0) await tx.insert(tables.transferReceipts).values(receipts);
  const reasons = differences.map((l) => `line ${l.lineNo} ${l.reason}: ${l.received} of ${l.shipped}`);
  return moveTransfer(
    call,
    plants,
    current,
    'finish',
    { status: 'received', receivedAt: new Date() },
    reasons.length === 0 ? {} : { reason: reasons.join('; ') },
  );
}

const capital = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

import { tables } from '@plantline/schema';
import { parseGs1 } from '@plantline/schema/gs1';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { rows, type Sql } from '../../db/index.js';
import { audit, auditCreate, auditUpdate, DomainError } from '../../platform/index.js';
import {
  answerScan,
  checkStation,
  issueSscc,
  type PackingAnswer,
  type PackingPackage,
  packageName,
  plantDate,
  scanContent,
  serialKey,
} from '../shipments/index.js';
import type { PlantName } from './plant-names.js';
import { findTransfer, type Transfer, type TransferItem, transferItems } from './transfer-queries.js';
import { announce, lockedFor, moveTransfer, plantNames, type TransferCall } from './transfers.js';

/*
 * The sending plant packs and ships a transfer (docs/logistics.md, "Transfers"): pallets and cartons
 * with SSCCs from the tenant's one sequence, scans answered by the same rules as a customer
 * shipment's (the shipments module's packing-rules), and the packages bound for the receiving plant
 * from the moment they are opened. The transfer is locked first, so stations take turns.
 */

const pk = tables.packages;

const packageColumns = {
  id: pk.id,
  transferOrderId: pk.transferOrderId,
  kind: pk.kind,
  sscc: pk.sscc,
  status: pk.status,
  parentId: pk.parentId,
  closedAt: pk.closedAt,
};

async function transferPackage(tx: Sql, transfer: Transfer, id: string, field: string) {
  const [found] = await tx.select(packageColumns).from(pk).where(eq(pk.id, id));
  if (found === undefined) throw new DomainError('not_found', 'Package not found', { [field]: 'Not found' });
  if (found.transferOrderId !== transfer.id)
    throw new DomainError('invalid', `The package is not one of ${transfer.number}`, {
      [field]: 'Not of this transfer',
    });
  return found;
}

const auditedPackage = (
  p: { id: string; kind: string; sscc: string | null; status: string },
  number: string,
) => ({
  id: p.id,
  transfer: number,
  kind: p.kind,
  sscc: p.sscc,
  status: p.status,
});

/** Draft → picking once packing starts; either way the live pages look again. */
async function followPacking(call: TransferCall, plants: readonly PlantName[], transfer: Transfer) {
  if (transfer.status === 'draft') return moveTransfer(call, plants, transfer, 'pack', { status: 'picking' });
  announce(call, transfer);
  return transfer;
}

export interface NewTransferPackage {
  transferOrderId: string;
  kind: 'pallet' | 'carton';
  /** The open pallet of the same transfer a carton goes onto. */
  parentId?: string | null | undefined;
}

/** Opens a pallet or carton with the next SSCC, bound for the receiving plant. */
export async function openTransferPackage(call: TransferCall, input: NewTransferPackage) {
  const { tx, principal } = call;
  const plants = await plantNames(call);
  const transfer = await lockedFor(call, plants, { id: input.transferOrderId }, 'pack');
  if (input.parentId != null) {
    const parent = await transferPackage(tx, transfer, input.parentId, 'parentId');
    if (input.kind !== 'carton' || parent.kind !== 'pallet')
      throw new DomainError('invalid', 'Only a carton goes onto a pallet', {
        parentId: 'Not a pallet for a carton',
      });
    if (parent.status !== 'open')
      throw new DomainError('conflict', `${capital(packageName(parent))} is closed`, { parentId: 'Closed' });
  }
  const sscc = await issueSscc(tx, principal.tenantId);
  const [created] = await tx
    .insert(pk)
    .values({
      tenantId: principal.tenantId,
      plantId: transfer.fromPlantId,
      toPlantId: transfer.toPlantId,
      transferOrderId: transfer.id,
      parentId: input.parentId ?? null,
      kind: input.kind,
      sscc,
      createdBy: principal.userId,
    })
    .returning(packageColumns);
  auditCreate(tx, 'package', auditedPackage(created!, transfer.number), {
    label: sscc,
    plantId: transfer.fromPlantId,
  });
  await followPacking(call, plants, transfer);
  return created!;
}

/** Closes an open package of the transfer that holds something. */
export async function closeTransferPackage(
  call: TransferCall,
  input: { transferOrderId: string; packageId: string },
) {
  const { tx } = call;
  const plants = await plantNames(call);
  const transfer = await lockedFor(call, plants, { id: input.transferOrderId }, 'pack');
  const current = await transferPackage(tx, transfer, input.packageId, 'packageId');
  const name = packageName(current);
  if (current.status !== 'open') throw new DomainError('conflict', `${capital(name)} is closed already`);
  const [held] = await rows<{ held: boolean }>(
    tx,
    sql`select exists (select 1 from package_contents c where c.package_id = ${current.id}::uuid)
            or exists (select 1 from packages p where p.parent_id = ${current.id}::uuid) as held`,
  );
  if (held?.held !== true)
    throw new DomainError('conflict', `${capital(name)} is empty: pack something first`);
  const [closed] = await tx
    .update(pk)
    .set({ status: 'closed', closedAt: new Date() })
    .where(eq(pk.id, current.id))
    .returning(packageColumns);
  auditUpdate(
    tx,
    'package',
    auditedPackage(current, transfer.number),
    auditedPackage(closed!, transfer.number),
    {
      label: current.sscc,
      plantId: transfer.fromPlantId,
    },
  );
  await followPacking(call, plants, transfer);
  return closed!;
}

export interface PackScan {
  transferOrderId: string;
  packageId: string;
  data: string;
  stationId?: string | null | undefined;
  scanEventId: string | null;
  source: 'browser' | 'edge';
}

/** One scan into an open package of the transfer: answered, recorded, and packed when it is `ok`. */
export async function packTransferScan(call: TransferCall, input: PackScan) {
  const { tx } = call;
  const now = new Date();
  const plants = await plantNames(call);
  const transfer = await lockedFor(call, plants, { id: input.transferOrderId }, 'pack');
  const target = await transferPackage(tx, transfer, input.packageId, 'packageId');
  if (target.status !== 'open')
    throw new DomainError(
      'conflict',
      `${capital(packageName(target))} is closed: open a new one to pack into`,
      {
        packageId: 'Closed',
      },
    );
  if (input.stationId != null) await checkStation(tx, input.stationId, transfer.fromPlantId);
  const scan = parseGs1(input.data, { now });
  const content = scanContent(scan, now);
  const items = await transferItems(tx, transfer.id);
  const packages = await tx.select(packageColumns).from(pk).where(eq(pk.transferOrderId, transfer.id));
  let answer = answerScan(
    scan,
    {
      subject: 'transfer',
      shipDate: plantDate(now, await plantTimezone(tx, transfer.fromPlantId)),
      items: items.map((i) => ({ ...i, packed: i.packedQuantity })),
      target,
      packages,
      foreignSsccs: await foreignSsccs(tx, content.sscc, packages),
      packedSerials: await packedSerials(tx, content.serial, items),
      usedScanEventIds: await usedScanEvents(tx, input.scanEventId),
    },
    { now, scanEventId: input.scanEventId },
  );
  if (answer.result === 'ok' && answer.action === 'pack') {
    const packing = answer;
    if (!(await pack(call, transfer, target, packing, input.scanEventId)))
      answer = {
        result: 'duplicate',
        message:
          packing.content.serial === null
            ? 'This scan was already packed'
            : `Serial ${packing.content.serial} of ${packing.item.productCode} is already packed`,
      };
  } else if (answer.result === 'ok' && answer.action === 'nest') {
    await tx.update(pk).set({ parentId: target.id }).where(eq(pk.id, answer.child.id));
  }
  const scanId = await recordScan(call, transfer, input, {
    mode: 'pack',
    result: answer.result,
    message: answer.message,
    detail: { packageId: target.id, sscc: target.sscc, elements: scan.elements, ...detailOf(answer) },
  });
  await followPacking(call, plants, transfer);
  const after = await findTransfer(tx, transfer.id, plants);
  const packedItem = answer.result === 'ok' && answer.action === 'pack' ? answer.item.id : null;
  const item = (await transferItems(tx, transfer.id)).find((i) => i.id === packedItem);
  return {
    scanId,
    result: answer.result,
    message: answer.message,
    status: after.status,
    version: after.version,
    item:
      item === undefined
        ? null
        : {
            id: item.id,
            productCode: item.productCode,
            quantity: item.quantity,
            packedQuantity: item.packedQuantity,
          },
  };
}

async function plantTimezone(tx: Sql, plantId: string) {
  const [plant] = await tx
    .select({ timezone: tables.plants.timezone })
    .from(tables.plants)
    .where(eq(tables.plants.id, plantId));
  return plant?.timezone ?? 'UTC';
}

async function foreignSsccs(tx: Sql, sscc: string | null, own: readonly PackingPackage[]) {
  if (sscc === null || own.some((p) => p.sscc === sscc)) return new Set<string>();
  const [found] = await tx.select({ id: pk.id }).from(pk).where(eq(pk.sscc, sscc)).limit(1);
  return new Set(found === undefined ? [] : [sscc]);
}

async function packedSerials(tx: Sql, serial: string | null, items: readonly TransferItem[]) {
  if (serial === null || items.length === 0) return new Set<string>();
  const c = tables.packageContents;
  const found = await tx
    .select({ productId: c.productId })
    .from(c)
    .where(and(inArray(c.productId, [...new Set(items.map((i) => i.productId))]), eq(c.serial, serial)));
  return new Set(found.map((f) => serialKey(f.productId, serial)));
}

async function usedScanEvents(tx: Sql, scanEventId: string | null) {
  if (scanEventId === null) return new Set<string>();
  const c = tables.packageContents;
  const [found] = await tx.select({ id: c.id }).from(c).where(eq(c.scanEventId, scanEventId)).limit(1);
  return new Set(found === undefined ? [] : [scanEventId]);
}

/** Writes one packing under the item's row lock; false when the serial or event was packed meanwhile. */
async function pack(
  call: TransferCall,
  transfer: Transfer,
  target: PackingPackage,
  answer: Extract<PackingAnswer, { action: 'pack' }>,
  scanEventId: string | null,
): Promise<boolean> {
  const { tx, principal } = call;
  const i = tables.transferItems;
  await tx.select({ id: i.id }).from(i).where(eq(i.id, answer.item.id)).for('update');
  const [stored] = await tx
    .insert(tables.packageContents)
    .values({
      tenantId: principal.tenantId,
      plantId: transfer.fromPlantId,
      toPlantId: transfer.toPlantId,
      packageId: target.id,
      transferItemId: answer.item.id,
      productId: answer.item.productId,
      gtin: answer.content.gtin,
      lot: answer.content.lot,
      serial: answer.content.serial,
      expiry: answer.content.expiry,
      quantity: String(answer.content.quantity),
      scanEventId,
      packedBy: principal.userId,
    })
    .onConflictDoNothing()
    .returning({ id: tables.packageContents.id });
  if (stored === undefined) return false;
  await tx
    .update(i)
    .set({ packedQuantity: sql`${i.packedQuantity} + ${String(answer.content.quantity)}::numeric` })
    .where(eq(i.id, answer.item.id));
  return true;
}

function detailOf(answer: PackingAnswer) {
  if (answer.result !== 'ok') return {};
  if (answer.action === 'nest') return { childId: answer.child.id, childSscc: answer.child.sscc };
  return { itemId: answer.item.id, quantity: answer.content.quantity };
}

/** Records a packing or receiving scan, refused ones included, and audits it on the side that scanned. */
export async function recordScan(
  call: TransferCall,
  transfer: Transfer,
  input: {
    data: string;
    stationId?: string | null | undefined;
    scanEventId: string | null;
    source: 'browser' | 'edge';
  },
  answer: {
    mode: 'pack' | 'receive';
    result: tables.ScanResult;
    message: string;
    detail: Record<string, unknown>;
  },
) {
  const { tx, principal } = call;
  const [recorded] = await tx
    .insert(tables.packingScans)
    .values({
      tenantId: principal.tenantId,
      plantId: transfer.fromPlantId,
      toPlantId: transfer.toPlantId,
      transferOrderId: transfer.id,
      stationId: input.stationId ?? null,
      scanEventId: input.scanEventId,
      data: input.data,
      result: answer.result,
      message: answer.message,
      detail: { mode: answer.mode, ...answer.detail },
      source: input.source,
      scannedBy: principal.userId,
    })
    .returning({ id: tables.packingScans.id });
  audit(tx, {
    action: answer.mode === 'pack' ? 'transfer_order.scan' : 'transfer_order.receive-scan',
    entityType: 'transfer_order',
    entityId: transfer.id,
    entityLabel: transfer.number,
    plantId: answer.mode === 'pack' ? transfer.fromPlantId : transfer.toPlantId,
    after: { result: answer.result, message: answer.message, data: input.data, source: input.source },
  });
  return recorded!.id;
}

const capital = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

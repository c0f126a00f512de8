import { tables } from '@plantline/schema';
import { parseGs1 } from '@plantline/schema/gs1';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Sql } from '../../db/index.js';
import { audit, auditUpdate, DomainError } from '../../platform/index.js';
import { findPackage } from './packages.js';
import {
  answerScan,
  type PackingAnswer,
  type PackingItem,
  type PackingPackage,
  packageName,
  scanContent,
  serialKey,
} from './packing-rules.js';
import { checkStation } from './references.js';
import {
  findShipment,
  lockShipment,
  type Shipment,
  type ShipmentItem,
  shipmentItems,
} from './shipment-queries.js';
import { plantDate, statusAfterPacking } from './shipment-rules.js';
import { announce, audited, refuseUnless, type ShipmentCall } from './shipments.js';

/*
 * Packing by scanning (docs/logistics.md, "Packing by scanning"): a scan at a station is answered by
 * the pure rules (packing-rules.ts) and what the answer says is written in the same transaction — the
 * packing, the item's packed quantity, a carton put on a pallet — together with the scan itself,
 * refused ones included. The shipment is locked first, so two stations scanning into one shipment
 * take turns and never pack more than an item asks for; its status follows the packing.
 */

/** Where a scan came from: the station page in a browser, or a plant scanner's event through the edge. */
export type ScanSource = { source: 'browser' } | { source: 'edge'; scanEventId: string };

export type PackingScanInput = {
  shipmentId: string;
  /** The open pallet or carton the station packs into. */
  packageId: string;
  /** What the scanner sent, as received. */
  data: string;
  stationId?: string | null | undefined;
  /**
   * When it was scanned: now unless given. Not offered by the API; the demo packs its past shipments
   * on the days they were packed (docs/demo.md, "Shipments").
   */
  at?: Date | undefined;
} & ScanSource;

export interface PackingOutcome {
  scanId: string;
  result: tables.ScanResult;
  message: string;
  /** On a packed scan, what the operator should still look at (a best-before already passed). */
  warning: string | null;
  /** The shipment's status after the scan. */
  status: tables.ShipmentStatus;
  version: number;
  /** The item the scan packed into, with its progress. */
  item: { id: string; productCode: string; quantity: number; packedQuantity: number } | null;
}

const pk = tables.packages;

/** Validates a scan against the shipment, records it, and packs what it names when the answer is ok. */
export async function recordPackingScan(
  call: ShipmentCall,
  input: PackingScanInput,
): Promise<PackingOutcome> {
  const { tx, principal } = call;
  const now = input.at ?? new Date();
  const shipment = await lockShipment(tx, input.shipmentId);
  refuseUnless(shipment, 'pack');
  const target = await openTarget(tx, input.packageId, shipment);
  // A plant scanner's station is its task's, checked against the shipment's plant when assigned.
  if (input.stationId != null && input.source === 'browser')
    await checkStation(tx, input.stationId, shipment.plantId);
  const scanEventId = input.source === 'edge' ? input.scanEventId : null;
  const scan = parseGs1(input.data, { now });
  const items = await shipmentItems(tx, shipment);
  const content = scanContent(scan, now);
  // The shipment's other packages matter only to a scan of an SSCC (00); a product scan skips them.
  const packages =
    content.sscc === null
      ? [target]
      : await tx
          .select({ id: pk.id, kind: pk.kind, sscc: pk.sscc, status: pk.status, parentId: pk.parentId })
          .from(pk)
          .where(and(eq(pk.plantId, shipment.plantId), eq(pk.shipmentId, shipment.id)));
  let answer = answerScan(
    scan,
    {
      shipDate: shipment.plannedShipDate ?? plantDate(now, shipment.plantTimezone),
      items: items.map(packingItem),
      target: packages.find((p) => p.id === target.id) ?? target,
      packages,
      foreignSsccs: await foreignSsccs(tx, content.sscc, packages),
      packedSerials: await packedSerials(tx, content.serial, items),
      usedScanEventIds: await usedScanEvents(tx, scanEventId),
    },
    { now, scanEventId },
  );
  let packedItemId: string | null = null;
  let packedQuantity = 0;
  if (answer.result === 'ok' && answer.action === 'pack') {
    const packing = answer;
    if (await pack(call, shipment, target, packing, { scanEventId, at: now })) {
      packedItemId = packing.item.id;
      packedQuantity = packing.content.quantity;
    } else
      answer = {
        result: 'duplicate',
        message:
          packing.content.serial === null
            ? 'This scan was already packed'
            : `Serial ${packing.content.serial} of ${packing.item.productCode} is already packed`,
      };
  } else if (answer.result === 'ok' && answer.action === 'nest') {
    await tx
      .update(pk)
      .set({ parentId: target.id })
      .where(and(eq(pk.plantId, shipment.plantId), eq(pk.id, answer.child.id)));
  }
  const [recorded] = await tx
    .insert(tables.packingScans)
    .values({
      tenantId: principal.tenantId,
      plantId: shipment.plantId,
      shipmentId: shipment.id,
      stationId: input.stationId ?? null,
      scanEventId,
      data: input.data,
      result: answer.result,
      message: answer.message,
      detail: { packageId: target.id, sscc: target.sscc, elements: scan.elements, ...detailOf(answer) },
      source: input.source,
      scannedBy: principal.userId,
      // The moment of this scan, not the transaction's start: a plant scanner's batch packs many
      // scans in one transaction, and the scan log lists them in the order they were answered. A
      // time given by the caller (the demo's past shipping) is kept as given.
      at: input.at ?? sql`clock_timestamp()`,
    })
    .returning({ id: tables.packingScans.id });
  audit(tx, {
    action: 'shipment.scan',
    entityType: 'shipment',
    entityId: shipment.id,
    entityLabel: shipment.number,
    plantId: shipment.plantId,
    after: {
      result: answer.result,
      message: answer.message,
      package: target.sscc,
      data: input.data,
      source: input.source,
    },
  });
  // The items as they are now: only the packed one changed, under the shipment's lock.
  const afterScan = items.map((i) =>
    i.id === packedItemId ? { ...i, packedQuantity: i.packedQuantity + packedQuantity } : i,
  );
  const { moved, items: after } = await followPacking(call, shipment, items, afterScan);
  announce(call, shipment);
  const item = after.find((i) => i.id === packedItemId);
  return {
    scanId: recorded!.id,
    result: answer.result,
    message: answer.message,
    warning: answer.result === 'ok' && answer.action === 'pack' ? answer.warning : null,
    status: moved.status,
    version: moved.version,
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

const packingItem = (i: ShipmentItem): PackingItem => ({
  id: i.id,
  productId: i.productId,
  productCode: i.productCode,
  gtin: i.gtin,
  lot: i.lot,
  quantity: i.quantity,
  packed: i.packedQuantity,
});

/** The package scanned into: an open one of this shipment. */
async function openTarget(tx: Sql, packageId: string, shipment: Shipment): Promise<PackingPackage> {
  const target = await findPackage(tx, packageId).catch(() => {
    throw new DomainError('not_found', 'Package not found', { packageId: 'Not found' });
  });
  if (target.shipmentId !== shipment.id)
    throw new DomainError('invalid', `The package is not one of ${shipment.number}`, {
      packageId: 'Another shipment’s',
    });
  if (target.status !== 'open')
    throw new DomainError('conflict', `${packageName(target)} is closed: open a new one to pack into`, {
      packageId: 'Closed',
    });
  return target;
}

/** The scanned SSCC when it is a package outside this shipment (another shipment's, or a transfer's). */
async function foreignSsccs(tx: Sql, sscc: string | null, own: readonly PackingPackage[]) {
  if (sscc === null || own.some((p) => p.sscc === sscc)) return new Set<string>();
  const [found] = await tx.select({ id: pk.id }).from(pk).where(eq(pk.sscc, sscc)).limit(1);
  return new Set(found === undefined ? [] : [sscc]);
}

async function packedSerials(tx: Sql, serial: string | null, items: readonly ShipmentItem[]) {
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

/**
 * Writes one packing and adds it to the item, whose row is locked for it; false when the serial was
 * packed meanwhile where this caller cannot see it (the unique index answers for the whole tenant).
 */
async function pack(
  call: ShipmentCall,
  shipment: Shipment,
  target: PackingPackage,
  answer: Extract<PackingAnswer, { action: 'pack' }>,
  { scanEventId, at }: { scanEventId: string | null; at: Date },
): Promise<boolean> {
  const { tx, principal } = call;
  const i = tables.shipmentItems;
  await tx
    .select({ id: i.id })
    .from(i)
    .where(and(eq(i.plantId, shipment.plantId), eq(i.id, answer.item.id)))
    .for('update');
  const [stored] = await tx
    .insert(tables.packageContents)
    .values({
      tenantId: principal.tenantId,
      plantId: shipment.plantId,
      packageId: target.id,
      shipmentItemId: answer.item.id,
      productId: answer.item.productId,
      gtin: answer.content.gtin,
      lot: answer.content.lot,
      serial: answer.content.serial,
      expiry: answer.content.expiry,
      bestBefore: answer.content.bestBefore,
      quantity: String(answer.content.quantity),
      scanEventId,
      packedAt: at,
      packedBy: principal.userId,
    })
    .onConflictDoNothing()
    .returning({ id: tables.packageContents.id });
  if (stored === undefined) return false;
  await tx
    .update(i)
    .set({ packedQuantity: sql`${i.packedQuantity} + ${String(answer.content.quantity)}::numeric` })
    .where(and(eq(i.plantId, shipment.plantId), eq(i.id, answer.item.id)));
  return true;
}

function detailOf(answer: PackingAnswer) {
  if (answer.result !== 'ok') return {};
  if (answer.action === 'nest') return { childId: answer.child.id, childSscc: answer.child.sscc };
  return {
    itemId: answer.item.id,
    quantity: answer.content.quantity,
    ...(answer.warning === null ? {} : { warning: answer.warning }),
  };
}

/** Draft → picking at the first scan, picking → packed once every item is complete. */
async function followPacking(
  call: ShipmentCall,
  shipment: Shipment,
  before: readonly ShipmentItem[],
  items: ShipmentItem[],
) {
  const { tx } = call;
  const progress = items.map((i) => ({ id: i.id, quantity: i.quantity, packed: i.packedQuantity }));
  const status = statusAfterPacking(shipment.status, progress, true);
  if (status === shipment.status) return { moved: shipment, items };
  await tx
    .update(tables.shipments)
    .set({ status, version: sql`${tables.shipments.version} + 1`, updatedAt: sql`now()` })
    .where(eq(tables.shipments.id, shipment.id));
  const moved = await findShipment(tx, shipment.id);
  auditUpdate(tx, 'shipment', audited(shipment, before), audited(moved, items), {
    label: shipment.number,
    plantId: shipment.plantId,
  });
  return { moved, items };
}

import { randomUUID } from 'node:crypto';
import { tables } from '@plantline/schema';
import type { Gs1ParseResult } from '@plantline/schema/gs1';
import { and, eq, sql } from 'drizzle-orm';
import { rows } from '../../db/index.js';
import { audit, auditUpdate } from '../../platform/index.js';
import type { PackingAnswer, PackingPackage } from './packing-rules.js';
import { findShipment, type PackingShipment, type ShipmentItem } from './shipment-queries.js';
import { statusAfterPacking } from './shipment-rules.js';
import { audited, type ShipmentCall } from './shipments.js';

/*
 * What packing writes once the scans are answered (docs/logistics.md, "Packing by scanning"): the
 * packings, the items' packed totals and every scan's record in one statement for all the stations
 * of the call, then each shipment's status as its packing left it.
 */

const pk = tables.packages;

/** Where a run of scans packs: one shipment's open package, at one station. */
export interface PackingStation {
  shipmentId: string;
  packageId: string;
  stationId?: string | null | undefined;
  source: 'browser' | 'edge';
}

/** One scan of a run: what was read, the scanner's event (from the edge), and when, if not now. */
export interface PackingScan {
  data: string;
  scanEventId: string | null;
  at?: Date | undefined;
}

/** A scan with its answer; once written, its record and the item's progress after it. */
export interface AnsweredScan {
  scan: PackingScan & { now: Date; parsed: Gs1ParseResult };
  station: PackingStation;
  shipment: PackingShipment;
  target: PackingPackage;
  answer: PackingAnswer;
  /** The item's packed quantity after this scan, when it packed. */
  packedTo: number | null;
  scanId: string | null;
}

/**
 * Scans written per statement: each binds about thirty parameters (its packing and its record), and a
 * statement takes at most 65 535, while an edge may send 5 000 scans in one call.
 */
const SCANS_PER_STATEMENT = 1000;

/**
 * Writes the packings, adds them to their items' totals and keeps every scan's record, refused ones
 * included — one statement for up to SCANS_PER_STATEMENT scans — and audits each scan. A packing the
 * unique serial index turns away — packed meanwhile where this caller cannot see it, as the index
 * answers for the whole tenant — becomes a `duplicate` answer, and is recorded so; later
 * answers stay as given: at worst one was refused as over a quantity that now had room. Returns each
 * item's packed total.
 */
export async function writeScans(
  call: ShipmentCall,
  items: readonly ShipmentItem[],
  answered: readonly AnsweredScan[],
): Promise<Map<string, number>> {
  const packings = new Map<AnsweredScan, string>();
  for (const entry of answered) {
    entry.scanId = randomUUID();
    if (entry.answer.result === 'ok' && entry.answer.action === 'pack') packings.set(entry, randomUUID());
  }
  const stored = new Set<string>();
  for (let from = 0; from < answered.length; from += SCANS_PER_STATEMENT)
    for (const id of await writeChunk(call, answered.slice(from, from + SCANS_PER_STATEMENT), packings))
      stored.add(id);
  const packed = new Map(items.map((i) => [i.id, i.packedQuantity]));
  for (const [entry, id] of packings) {
    const answer = entry.answer as Extract<PackingAnswer, { action: 'pack' }>;
    if (!stored.has(id)) {
      entry.answer = turnedAwayAnswer(answer)!;
      continue;
    }
    const total = packed.get(answer.item.id)! + answer.content.quantity;
    packed.set(answer.item.id, total);
    entry.packedTo = total;
  }
  await nestCartons(call, answered);
  auditScans(call, answered);
  return packed;
}

/** One statement: the chunk's packings, their items' new totals, and the chunk's scan records. */
async function writeChunk(
  call: ShipmentCall,
  chunk: readonly AnsweredScan[],
  packings: ReadonlyMap<AnsweredScan, string>,
): Promise<string[]> {
  const { tx, principal } = call;
  const records = tx.insert(tables.packingScans).values(
    chunk.map((entry, n) => {
      const { scan, answer, scanId, station, shipment, target } = entry;
      const packingId = packings.get(entry);
      // A packing the unique index turns away is recorded as the station is then answered.
      const turnedAway = turnedAwayAnswer(answer);
      const recorded = <T>(value: T, instead: T) =>
        packingId === undefined
          ? value
          : sql`case when exists (select from stored where stored.id = ${packingId}) then ${value} else ${instead} end`;
      return {
        id: scanId!,
        tenantId: principal.tenantId,
        plantId: shipment.plantId,
        shipmentId: shipment.id,
        stationId: station.stationId ?? null,
        scanEventId: scan.scanEventId,
        data: scan.data,
        result: recorded<string>(answer.result, turnedAway?.result ?? answer.result) as tables.ScanResult,
        message: recorded(answer.message, turnedAway?.message ?? answer.message),
        detail: {
          packageId: target.id,
          sscc: target.sscc,
          elements: scan.parsed.elements,
          ...detailOf(answer),
        },
        source: station.source,
        scannedBy: principal.userId,
        // The moment of this scan, not the transaction's start, so the scan log lists the scans in the
        // order they were answered: rows of one statement may read the same clock, so each is a
        // microsecond after the one before. A time given by the caller (the demo's past) is kept.
        at: scan.at ?? sql`clock_timestamp() + ${n} * interval '1 microsecond'`,
      };
    }),
  );
  const packing = chunk.flatMap((entry) => {
    const id = packings.get(entry);
    const { answer } = entry;
    if (id === undefined || answer.result !== 'ok' || answer.action !== 'pack') return [];
    return [
      {
        id,
        tenantId: principal.tenantId,
        plantId: entry.shipment.plantId,
        packageId: entry.target.id,
        shipmentItemId: answer.item.id,
        productId: answer.item.productId,
        gtin: answer.content.gtin,
        lot: answer.content.lot,
        serial: answer.content.serial,
        expiry: answer.content.expiry,
        bestBefore: answer.content.bestBefore,
        quantity: String(answer.content.quantity),
        scanEventId: entry.scan.scanEventId,
        packedAt: entry.scan.now,
        packedBy: principal.userId,
      },
    ];
  });
  if (packing.length === 0) {
    await records;
    return [];
  }
  const c = tables.packageContents;
  const contents = tx
    .insert(c)
    .values(packing)
    .onConflictDoNothing()
    .returning({ id: c.id, itemId: c.shipmentItemId, quantity: c.quantity });
  // The shipments' locks keep other packers out, so adding what was stored is the items' own total.
  const written = await rows<{ id: string }>(
    tx,
    sql`with stored as (${contents.getSQL()}),
        totals as (
          update shipment_items i set packed_quantity = i.packed_quantity + t.quantity
          from (select shipment_item_id, sum(quantity) as quantity from stored group by shipment_item_id) t
          where i.id = t.shipment_item_id),
        recorded as (${records.getSQL()})
        select id from stored`,
  );
  return written.map((row) => row.id);
}

/** What a packing answer becomes when the unique serial index turns its packing away. */
function turnedAwayAnswer(answer: PackingAnswer): PackingAnswer | null {
  if (answer.result !== 'ok' || answer.action !== 'pack') return null;
  return {
    result: 'duplicate',
    message:
      answer.content.serial === null
        ? 'This scan was already packed'
        : `Serial ${answer.content.serial} of ${answer.item.productCode} is already packed`,
  };
}

/** A carton scanned at a pallet goes onto it; rare enough to take a statement each. */
async function nestCartons(call: ShipmentCall, answered: readonly AnsweredScan[]) {
  for (const { answer, shipment, target } of answered)
    if (answer.result === 'ok' && answer.action === 'nest')
      await call.tx
        .update(pk)
        .set({ parentId: target.id })
        .where(and(eq(pk.plantId, shipment.plantId), eq(pk.id, answer.child.id)));
}

function auditScans(call: ShipmentCall, answered: readonly AnsweredScan[]) {
  for (const { scan, answer, station, shipment, target } of answered)
    audit(call.tx, {
      action: 'shipment.scan',
      entityType: 'shipment',
      entityId: shipment.id,
      entityLabel: shipment.number,
      plantId: shipment.plantId,
      after: {
        result: answer.result,
        message: answer.message,
        package: target.sscc,
        data: scan.data,
        source: station.source,
      },
    });
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

/**
 * Draft → picking at the first scan, picking → packed once every item is complete. Packing read only
 * what it needs of the shipment; the audit entry's before-image is the whole shipment, read here
 * under the lock the batch holds, only when the status moves.
 */
export async function followPacking(
  call: ShipmentCall,
  shipment: PackingShipment,
  before: readonly ShipmentItem[],
  items: ShipmentItem[],
): Promise<PackingShipment> {
  const { tx } = call;
  const progress = items.map((i) => ({ id: i.id, quantity: i.quantity, packed: i.packedQuantity }));
  const status = statusAfterPacking(shipment.status, progress, true);
  if (status === shipment.status) return shipment;
  const whole = await findShipment(tx, shipment.id);
  await tx
    .update(tables.shipments)
    .set({ status, version: sql`${tables.shipments.version} + 1`, updatedAt: sql`now()` })
    .where(eq(tables.shipments.id, shipment.id));
  const moved = await findShipment(tx, shipment.id);
  auditUpdate(tx, 'shipment', audited(whole, before), audited(moved, items), {
    label: shipment.number,
    plantId: shipment.plantId,
  });
  return { ...shipment, status: moved.status, version: moved.version };
}

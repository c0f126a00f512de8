import { tables } from '@plantline/schema';
import { and, asc, desc, eq, ilike, inArray, or, type SQL, sql } from 'drizzle-orm';
import { type AnyPgColumn, alias } from 'drizzle-orm/pg-core';
import type { Sql } from '../../db/index.js';
import { notFound } from '../../platform/index.js';
import { trackingLink } from '../customers/index.js';

/*
 * Reading shipments (docs/logistics.md, "Shipments"): one row shape for the list and the record page,
 * with the names of what it points at, and the page's items, packages and scans. Row-level security
 * keeps each caller to the plants they reach: a shipment of another plant is "not found".
 */

const s = tables.shipments;
const creator = alias(tables.users, 'shipment_creator');
const original = alias(tables.shipments, 'backorder_original');

/** The joined row of the shipment's tenant whose id is in `column`. */
const sameTenant = (t: { tenantId: AnyPgColumn; id: AnyPgColumn }, column: AnyPgColumn) =>
  and(eq(t.tenantId, s.tenantId), eq(t.id, column));

const shipmentColumns = {
  id: s.id,
  plantId: s.plantId,
  plantCode: tables.plants.code,
  plantTimezone: tables.plants.timezone,
  number: s.number,
  status: s.status,
  customerId: s.customerId,
  customerCode: tables.customers.code,
  customerName: tables.customers.name,
  shipToId: s.shipToId,
  shipToLabel: tables.customerAddresses.label,
  shipToName: tables.customerAddresses.name,
  shipToCity: tables.customerAddresses.city,
  shipToCountry: tables.customerAddresses.country,
  shipToGln: tables.customerAddresses.gln,
  customerPo: s.customerPo,
  carrierId: s.carrierId,
  carrierCode: tables.carriers.code,
  carrierName: tables.carriers.name,
  carrierTrackingUrl: tables.carriers.trackingUrl,
  trackingNumber: s.trackingNumber,
  plannedShipDate: s.plannedShipDate,
  shippedAt: s.shippedAt,
  deliveredAt: s.deliveredAt,
  cancelledAt: s.cancelledAt,
  cancelReason: s.cancelReason,
  backorderOfId: s.backorderOfId,
  backorderOfNumber: original.number,
  lateReason: s.lateReason,
  note: s.note,
  createdBy: s.createdBy,
  createdByName: creator.displayName,
  version: s.version,
  createdAt: s.createdAt,
  updatedAt: s.updatedAt,
  // Totals over the items, for the list's progress.
  quantity: sql<string>`(select coalesce(sum(i.quantity), 0) from shipment_items i
    where i.tenant_id = ${s.tenantId} and i.plant_id = ${s.plantId} and i.shipment_id = ${s.id})`,
  packedQuantity: sql<string>`(select coalesce(sum(i.packed_quantity), 0) from shipment_items i
    where i.tenant_id = ${s.tenantId} and i.plant_id = ${s.plantId} and i.shipment_id = ${s.id})`,
};

function selectShipments(tx: Sql) {
  return tx
    .select(shipmentColumns)
    .from(s)
    .innerJoin(tables.plants, sameTenant(tables.plants, s.plantId))
    .innerJoin(tables.customers, sameTenant(tables.customers, s.customerId))
    .innerJoin(tables.customerAddresses, sameTenant(tables.customerAddresses, s.shipToId))
    .leftJoin(tables.carriers, sameTenant(tables.carriers, s.carrierId))
    .leftJoin(original, sameTenant(original, s.backorderOfId))
    .leftJoin(creator, sameTenant(creator, s.createdBy));
}

type Row = Awaited<ReturnType<ReturnType<typeof selectShipments>['where']>>[number];

/** Quantities are numeric in the database; the API speaks numbers. */
const asShipment = ({ carrierTrackingUrl, ...row }: Row) => ({
  ...row,
  quantity: Number(row.quantity),
  packedQuantity: Number(row.packedQuantity),
  trackingLink: trackingLink({ trackingUrl: carrierTrackingUrl ?? '' }, row.trackingNumber),
});

export type Shipment = ReturnType<typeof asShipment>;

export async function findShipment(tx: Sql, id: string): Promise<Shipment> {
  const [row] = await selectShipments(tx).where(eq(s.id, id));
  if (row === undefined) throw notFound('Shipment');
  return asShipment(row);
}

/** Locks the shipment for the rest of the transaction: packing, edits and moves of one shipment queue up. */
export async function lockShipment(tx: Sql, id: string): Promise<Shipment> {
  // One statement, locking the shipment's row only (not the customer's or carrier's it joins).
  const [locked] = await selectShipments(tx).where(eq(s.id, id)).for('update', { of: s });
  if (locked === undefined) throw notFound('Shipment');
  return asShipment(locked);
}

/** What packing needs of a shipment: far less than its page, so locking it costs one short statement. */
export interface PackingShipment {
  id: string;
  plantId: string;
  plantTimezone: string;
  number: string;
  status: Shipment['status'];
  plannedShipDate: string | null;
  version: number;
}

/**
 * Locks the shipments a batch of scans packs into, in the order of their ids so that two callers
 * locking overlapping sets queue up instead of deadlocking; those this caller cannot see are missing.
 */
export async function lockShipmentsForPacking(
  tx: Sql,
  ids: readonly string[],
): Promise<Map<string, PackingShipment>> {
  if (ids.length === 0) return new Map();
  const locked = await tx
    .select({
      id: s.id,
      plantId: s.plantId,
      plantTimezone: tables.plants.timezone,
      number: s.number,
      status: s.status,
      plannedShipDate: s.plannedShipDate,
      version: s.version,
    })
    .from(s)
    .innerJoin(tables.plants, sameTenant(tables.plants, s.plantId))
    .where(inArray(s.id, [...new Set(ids)]))
    .orderBy(asc(s.id))
    .for('update', { of: s });
  return new Map(locked.map((row) => [row.id, row]));
}

/** The shipment's items in line order, with what each has packed. */
export async function shipmentItems(tx: Sql, shipment: { id: string; plantId: string }) {
  return (await itemsOfShipments(tx, [shipment])).get(shipment.id) ?? [];
}

/** The items of several shipments, by shipment, each in line order, in one statement. */
export async function itemsOfShipments(tx: Sql, shipments: readonly { id: string; plantId: string }[]) {
  const i = tables.shipmentItems;
  const p = tables.products;
  const r = tables.deliveryRequests;
  const found = await tx
    .select({
      id: i.id,
      shipmentId: i.shipmentId,
      lineNo: i.lineNo,
      productId: i.productId,
      productCode: p.code,
      productName: p.name,
      unit: p.unit,
      gtin: p.gtin,
      lot: i.lot,
      quantity: i.quantity,
      packedQuantity: i.packedQuantity,
      deliveryRequestId: i.deliveryRequestId,
      requestNumber: r.number,
      requestedDate: r.requestedDate,
      backorderOfItemId: i.backorderOfItemId,
    })
    .from(i)
    .innerJoin(p, and(eq(p.tenantId, i.tenantId), eq(p.id, i.productId)))
    .leftJoin(r, and(eq(r.tenantId, i.tenantId), eq(r.id, i.deliveryRequestId)))
    .where(
      and(
        inArray(i.plantId, [...new Set(shipments.map((shipment) => shipment.plantId))]),
        inArray(i.shipmentId, [...new Set(shipments.map((shipment) => shipment.id))]),
      ),
    )
    .orderBy(asc(i.lineNo));
  const byShipment = new Map<string, ShipmentItem[]>(shipments.map((shipment) => [shipment.id, []]));
  for (const { shipmentId, ...item } of found)
    byShipment.get(shipmentId)?.push({
      ...item,
      quantity: Number(item.quantity),
      packedQuantity: Number(item.packedQuantity),
    });
  return byShipment;
}

export interface ShipmentItem {
  id: string;
  lineNo: number;
  productId: string;
  productCode: string;
  productName: string;
  unit: string;
  gtin: string | null;
  lot: string | null;
  quantity: number;
  packedQuantity: number;
  deliveryRequestId: string | null;
  requestNumber: string | null;
  requestedDate: string | null;
  backorderOfItemId: string | null;
}

/** The shipment's packages, oldest first, each with what was packed into it. */
export async function shipmentPackages(tx: Sql, shipment: { id: string; plantId: string }) {
  const pk = tables.packages;
  const c = tables.packageContents;
  const packages = await tx
    .select({
      id: pk.id,
      kind: pk.kind,
      sscc: pk.sscc,
      status: pk.status,
      parentId: pk.parentId,
      createdAt: pk.createdAt,
      closedAt: pk.closedAt,
    })
    .from(pk)
    .where(and(eq(pk.plantId, shipment.plantId), eq(pk.shipmentId, shipment.id)))
    .orderBy(asc(pk.createdAt), asc(pk.id));
  const ids = packages.map((p) => p.id);
  const contents =
    ids.length === 0
      ? []
      : await tx
          .select({
            id: c.id,
            packageId: c.packageId,
            shipmentItemId: c.shipmentItemId,
            productCode: tables.products.code,
            gtin: c.gtin,
            lot: c.lot,
            serial: c.serial,
            expiry: c.expiry,
            bestBefore: c.bestBefore,
            quantity: c.quantity,
            packedAt: c.packedAt,
          })
          .from(c)
          .innerJoin(
            tables.products,
            and(eq(tables.products.tenantId, c.tenantId), eq(tables.products.id, c.productId)),
          )
          .where(and(eq(c.plantId, shipment.plantId), inArray(c.packageId, ids)))
          .orderBy(asc(c.packedAt), asc(c.id));
  return packages.map((p) => ({
    ...p,
    contents: contents
      .filter((content) => content.packageId === p.id)
      .map(({ packageId: _, ...content }) => ({ ...content, quantity: Number(content.quantity) })),
  }));
}

/** The newest scans of the shipment first, refused ones included. */
export async function shipmentScans(tx: Sql, shipment: { id: string; plantId: string }, limit = 200) {
  const ps = tables.packingScans;
  const scanner = alias(tables.users, 'scanner');
  return tx
    .select({
      id: ps.id,
      at: ps.at,
      data: ps.data,
      result: ps.result,
      message: ps.message,
      source: ps.source,
      stationId: ps.stationId,
      stationCode: tables.stations.code,
      scannedByName: scanner.displayName,
    })
    .from(ps)
    .leftJoin(
      tables.stations,
      and(eq(tables.stations.tenantId, ps.tenantId), eq(tables.stations.id, ps.stationId)),
    )
    .leftJoin(scanner, and(eq(scanner.tenantId, ps.tenantId), eq(scanner.id, ps.scannedBy)))
    .where(and(eq(ps.plantId, shipment.plantId), eq(ps.shipmentId, shipment.id)))
    .orderBy(desc(ps.at), desc(ps.id))
    .limit(limit);
}

/** The backorders this shipment left, by number. */
export async function backordersOf(tx: Sql, shipment: { id: string; plantId: string }) {
  return tx
    .select({ id: s.id, number: s.number, status: s.status })
    .from(s)
    .where(and(eq(s.plantId, shipment.plantId), eq(s.backorderOfId, shipment.id)))
    .orderBy(asc(s.createdAt));
}

export interface ShipmentFilter {
  plantId?: string | undefined;
  status?: readonly tables.ShipmentStatus[] | undefined;
  customerId?: string | undefined;
  /** Words in the number, the customer PO or the tracking number. */
  text?: string | undefined;
  limit: number;
  /** The id of the last shipment of the previous page. */
  cursor?: string | undefined;
}

/** `%` and `_` typed by a user are literal characters, not wildcards. */
const literal = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Shipments, newest first, a page at a time; the cursor is the last one's id, compared by (created_at, id). */
export async function listShipments(tx: Sql, input: ShipmentFilter) {
  const conditions: (SQL | undefined)[] = [];
  if (input.plantId !== undefined) conditions.push(eq(s.plantId, input.plantId));
  if (input.status !== undefined && input.status.length > 0)
    conditions.push(inArray(s.status, [...input.status]));
  if (input.customerId !== undefined) conditions.push(eq(s.customerId, input.customerId));
  for (const word of (input.text ?? '').split(/\s+/).filter(Boolean)) {
    const pattern = `%${literal(word)}%`;
    conditions.push(
      or(ilike(s.number, pattern), ilike(s.customerPo, pattern), ilike(s.trackingNumber, pattern)),
    );
  }
  if (input.cursor !== undefined)
    conditions.push(
      sql`(${s.createdAt}, ${s.id}) < (select c.created_at, c.id from ${s} c where c.id = ${input.cursor})`,
    );
  const found = await selectShipments(tx)
    .where(and(...conditions))
    .orderBy(desc(s.createdAt), desc(s.id))
    .limit(input.limit + 1);
  const items = found.slice(0, input.limit).map(asShipment);
  return { items, nextCursor: found.length > input.limit ? (items.at(-1)?.id ?? null) : null };
}

/** The record page's shipment: its items, packages with their contents, the latest scans and its backorders. */
export async function getShipment(tx: Sql, id: string) {
  const shipment = await findShipment(tx, id);
  const [items, packages, scans, backorders] = [
    await shipmentItems(tx, shipment),
    await shipmentPackages(tx, shipment),
    await shipmentScans(tx, shipment),
    await backordersOf(tx, shipment),
  ];
  return { ...shipment, items, packages, scans, backorders };
}

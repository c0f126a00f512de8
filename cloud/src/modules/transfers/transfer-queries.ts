import { tables } from '@plantline/schema';
import { and, asc, desc, eq, ilike, inArray, or, type SQL, sql } from 'drizzle-orm';
import { type AnyPgColumn, alias } from 'drizzle-orm/pg-core';
import type { Sql } from '../../db/index.js';
import { canSeePlant, notFound, type Principal } from '../../platform/index.js';
import { trackingLink } from '../customers/index.js';
import type { PlantName } from './plant-names.js';

/*
 * Reading transfers (docs/logistics.md, "Transfers"): one row shape for the list and the record page,
 * and the page's items, packages, scans and receipts. Row-level security shows a transfer to users of
 * either plant and to nobody else, so one out of reach is "not found". The plants' codes come from
 * the tenant's plant names (plant-names.ts): a user of one plant cannot read the other's row.
 */

const t = tables.transferOrders;
const creator = alias(tables.users, 'transfer_creator');

const sameTenant = (joined: { tenantId: AnyPgColumn; id: AnyPgColumn }, column: AnyPgColumn) =>
  and(eq(joined.tenantId, t.tenantId), eq(joined.id, column));

const transferColumns = {
  id: t.id,
  number: t.number,
  status: t.status,
  fromPlantId: t.fromPlantId,
  toPlantId: t.toPlantId,
  carrierId: t.carrierId,
  carrierCode: tables.carriers.code,
  carrierName: tables.carriers.name,
  carrierTrackingUrl: tables.carriers.trackingUrl,
  trackingNumber: t.trackingNumber,
  shippedAt: t.shippedAt,
  receivedAt: t.receivedAt,
  note: t.note,
  cancelReason: t.cancelReason,
  createdBy: t.createdBy,
  createdByName: creator.displayName,
  version: t.version,
  createdAt: t.createdAt,
  updatedAt: t.updatedAt,
  quantity: sql<string>`(select coalesce(sum(i.quantity), 0) from transfer_items i
    where i.tenant_id = ${t.tenantId} and i.transfer_order_id = ${t.id})`,
  packedQuantity: sql<string>`(select coalesce(sum(i.packed_quantity), 0) from transfer_items i
    where i.tenant_id = ${t.tenantId} and i.transfer_order_id = ${t.id})`,
  receivedQuantity: sql<string>`(select coalesce(sum(i.received_quantity), 0) from transfer_items i
    where i.tenant_id = ${t.tenantId} and i.transfer_order_id = ${t.id})`,
};

function selectTransfers(tx: Sql) {
  return tx
    .select(transferColumns)
    .from(t)
    .leftJoin(tables.carriers, sameTenant(tables.carriers, t.carrierId))
    .leftJoin(creator, sameTenant(creator, t.createdBy));
}

type Row = Awaited<ReturnType<ReturnType<typeof selectTransfers>['where']>>[number];

/** Names the plants by code and numbers the quantities, as the API speaks them. */
export function asTransfer({ carrierTrackingUrl, ...row }: Row, plants: readonly PlantName[]) {
  const plant = (id: string) => plants.find((p) => p.id === id);
  return {
    ...row,
    fromPlantCode: plant(row.fromPlantId)?.code ?? '',
    fromPlantName: plant(row.fromPlantId)?.name ?? '',
    toPlantCode: plant(row.toPlantId)?.code ?? '',
    toPlantName: plant(row.toPlantId)?.name ?? '',
    quantity: Number(row.quantity),
    packedQuantity: Number(row.packedQuantity),
    receivedQuantity: Number(row.receivedQuantity),
    trackingLink: trackingLink({ trackingUrl: carrierTrackingUrl ?? '' }, row.trackingNumber),
  };
}

export type Transfer = ReturnType<typeof asTransfer>;

export async function findTransfer(tx: Sql, id: string, plants: readonly PlantName[]): Promise<Transfer> {
  const [row] = await selectTransfers(tx).where(eq(t.id, id));
  if (row === undefined) throw notFound('Transfer');
  return asTransfer(row, plants);
}

/** Locks the transfer for the rest of the transaction: packing, receiving and moves of one transfer queue up. */
export async function lockTransfer(tx: Sql, id: string, plants: readonly PlantName[]): Promise<Transfer> {
  const [locked] = await tx.select({ id: t.id }).from(t).where(eq(t.id, id)).for('update');
  if (locked === undefined) throw notFound('Transfer');
  return findTransfer(tx, id, plants);
}

/** Which side of the transfer the caller acts for. */
export const reachOf = (principal: Pick<Principal, 'plantIds'>, transfer: Transfer) => ({
  sending: canSeePlant(principal, transfer.fromPlantId),
  receiving: canSeePlant(principal, transfer.toPlantId),
});

/** The transfer's items in line order, with what was packed and received of each. */
export async function transferItems(tx: Sql, transferId: string) {
  const i = tables.transferItems;
  const p = tables.products;
  const found = await tx
    .select({
      id: i.id,
      lineNo: i.lineNo,
      productId: i.productId,
      productCode: p.code,
      productName: p.name,
      unit: p.unit,
      gtin: p.gtin,
      lot: i.lot,
      quantity: i.quantity,
      packedQuantity: i.packedQuantity,
      receivedQuantity: i.receivedQuantity,
    })
    .from(i)
    .innerJoin(p, and(eq(p.tenantId, i.tenantId), eq(p.id, i.productId)))
    .where(eq(i.transferOrderId, transferId))
    .orderBy(asc(i.lineNo));
  return found.map((item) => ({
    ...item,
    quantity: Number(item.quantity),
    packedQuantity: Number(item.packedQuantity),
    receivedQuantity: Number(item.receivedQuantity),
  }));
}

export type TransferItem = Awaited<ReturnType<typeof transferItems>>[number];

const pk = tables.packages;

/** The transfer's packages, oldest first, each with what was packed into it. */
export async function transferPackages(tx: Sql, transferId: string) {
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
    .where(eq(pk.transferOrderId, transferId))
    .orderBy(asc(pk.createdAt), asc(pk.id));
  const ids = packages.map((p) => p.id);
  const contents =
    ids.length === 0
      ? []
      : await tx
          .select({
            id: c.id,
            packageId: c.packageId,
            transferItemId: c.transferItemId,
            productId: c.productId,
            productCode: tables.products.code,
            gtin: c.gtin,
            lot: c.lot,
            serial: c.serial,
            expiry: c.expiry,
            quantity: c.quantity,
            packedAt: c.packedAt,
          })
          .from(c)
          .innerJoin(
            tables.products,
            and(eq(tables.products.tenantId, c.tenantId), eq(tables.products.id, c.productId)),
          )
          .where(inArray(c.packageId, ids))
          .orderBy(asc(c.packedAt), asc(c.id));
  return packages.map((p) => ({
    ...p,
    contents: contents
      .filter((content) => content.packageId === p.id)
      .map(({ packageId: _, ...content }) => ({ ...content, quantity: Number(content.quantity) })),
  }));
}

export type TransferPackage = Awaited<ReturnType<typeof transferPackages>>[number];

/** The newest scans of the transfer first, packing and receiving, refused ones included. */
export async function transferScans(tx: Sql, transferId: string, limit = 200) {
  const ps = tables.packingScans;
  const scanner = alias(tables.users, 'scanner');
  const found = await tx
    .select({
      id: ps.id,
      at: ps.at,
      data: ps.data,
      result: ps.result,
      message: ps.message,
      source: ps.source,
      detail: ps.detail,
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
    .where(eq(ps.transferOrderId, transferId))
    .orderBy(desc(ps.at), desc(ps.id))
    .limit(limit);
  return found.map(({ detail, ...scan }) => ({
    ...scan,
    mode: (detail as { mode?: string } | null)?.mode === 'receive' ? ('receive' as const) : ('pack' as const),
  }));
}

/** What the receiving plant recorded, oldest first: packages received and the differences with their reasons. */
export async function transferReceipts(tx: Sql, transferId: string) {
  const r = tables.transferReceipts;
  const receiver = alias(tables.users, 'receiver');
  const found = await tx
    .select({
      id: r.id,
      packageId: r.packageId,
      sscc: r.sscc,
      transferItemId: r.transferItemId,
      productCode: tables.products.code,
      expectedQuantity: r.expectedQuantity,
      receivedQuantity: r.receivedQuantity,
      discrepancy: r.discrepancy,
      note: r.note,
      receivedByName: receiver.displayName,
      receivedAt: r.receivedAt,
    })
    .from(r)
    .leftJoin(tables.transferItems, sameItem(r))
    .leftJoin(
      tables.products,
      and(
        eq(tables.products.tenantId, tables.transferItems.tenantId),
        eq(tables.products.id, tables.transferItems.productId),
      ),
    )
    .leftJoin(receiver, and(eq(receiver.tenantId, r.tenantId), eq(receiver.id, r.receivedBy)))
    .where(eq(r.transferOrderId, transferId))
    // Rows written together read package by package, then by line.
    .orderBy(asc(r.receivedAt), sql`${r.sscc} nulls last`, sql`${tables.transferItems.lineNo} nulls first`);
  return found.map((receipt) => ({
    ...receipt,
    expectedQuantity: Number(receipt.expectedQuantity),
    receivedQuantity: Number(receipt.receivedQuantity),
  }));
}

const sameItem = (r: typeof tables.transferReceipts) =>
  and(eq(tables.transferItems.tenantId, r.tenantId), eq(tables.transferItems.id, r.transferItemId));

/** What happened to the transfer, as the caller's side of the audit trail tells it, oldest first. */
export async function transferTimeline(tx: Sql, transferId: string) {
  const a = tables.auditLog;
  return tx
    .select({ action: a.action, actorName: a.actorName, at: a.recordedAt, reason: a.reason })
    .from(a)
    .where(and(eq(a.entityType, 'transfer_order'), eq(a.entityId, transferId)))
    .orderBy(asc(a.seq))
    .limit(500);
}

export type Direction = 'outgoing' | 'incoming';

export interface TransferFilter {
  /** A plant the transfer leaves or reaches (see direction). */
  plantId?: string | undefined;
  /** Outgoing: leaves the plant (or any the caller reaches); incoming: comes to it. */
  direction?: Direction | undefined;
  status?: readonly TransferStatusName[] | undefined;
  /** Words in the number, the tracking number or the note. */
  text?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}

type TransferStatusName = tables.TransferStatus;

const literal = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The plants a filter's side means: the one named, else every plant the caller reaches. */
function sideIn(column: AnyPgColumn, plantId: string | undefined, principal: Pick<Principal, 'plantIds'>) {
  if (plantId !== undefined) return eq(column, plantId);
  if (principal.plantIds === 'all') return undefined;
  return principal.plantIds.length === 0 ? sql`false` : inArray(column, [...principal.plantIds]);
}

/** Transfers, newest first, a page at a time; the cursor is the last one's id. */
export async function listTransfers(
  tx: Sql,
  principal: Pick<Principal, 'plantIds'>,
  plants: readonly PlantName[],
  input: TransferFilter,
) {
  const conditions: (SQL | undefined)[] = [];
  if (input.direction === 'outgoing') conditions.push(sideIn(t.fromPlantId, input.plantId, principal));
  else if (input.direction === 'incoming') conditions.push(sideIn(t.toPlantId, input.plantId, principal));
  else if (input.plantId !== undefined)
    conditions.push(or(eq(t.fromPlantId, input.plantId), eq(t.toPlantId, input.plantId)));
  if (input.status !== undefined && input.status.length > 0)
    conditions.push(inArray(t.status, [...input.status]));
  for (const word of (input.text ?? '').split(/\s+/).filter(Boolean)) {
    const pattern = `%${literal(word)}%`;
    conditions.push(or(ilike(t.number, pattern), ilike(t.trackingNumber, pattern), ilike(t.note, pattern)));
  }
  if (input.cursor !== undefined)
    conditions.push(
      sql`(${t.createdAt}, ${t.id}) < (select c.created_at, c.id from ${t} c where c.id = ${input.cursor})`,
    );
  const found = await selectTransfers(tx)
    .where(and(...conditions))
    .orderBy(desc(t.createdAt), desc(t.id))
    .limit(input.limit + 1);
  const items = found.slice(0, input.limit).map((row) => asTransfer(row, plants));
  return { items, nextCursor: found.length > input.limit ? (items.at(-1)?.id ?? null) : null };
}

/** The record page's transfer: items, packages with contents, scans, receipts and the timeline. */
export async function getTransfer(
  tx: Sql,
  principal: Pick<Principal, 'plantIds'>,
  plants: readonly PlantName[],
  id: string,
) {
  const transfer = await findTransfer(tx, id, plants);
  const items = await transferItems(tx, id);
  const packages = await transferPackages(tx, id);
  const scans = await transferScans(tx, id);
  const receipts = await transferReceipts(tx, id);
  const timeline = await transferTimeline(tx, id);
  return { ...transfer, reach: reachOf(principal, transfer), items, packages, scans, receipts, timeline };
}

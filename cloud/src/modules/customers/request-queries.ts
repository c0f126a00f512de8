import { tables } from '@plantline/schema';
import { and, asc, desc, eq, gte, ilike, inArray, lte, or, type SQL, sql } from 'drizzle-orm';
import { type AnyPgColumn, alias } from 'drizzle-orm/pg-core';
import type { Sql } from '../../db/index.js';
import { notFound } from '../../platform/index.js';
import { likePattern, type RequestStatus, searchWords } from './customer-rules.js';

/*
 * Reading delivery requests (docs/logistics.md, "Customers and delivery requests"): one row shape for
 * lists and the record page, with the names of what a request points at, its first and latest
 * promised dates, the date it is due (the latest promise, else the requested date) and how much of
 * it has shipped. Row-level security keeps each caller to the plants they reach.
 */

/** The statuses of a request still to ship: it takes edits and promises. */
export const OPEN_STATUSES = ['open', 'partially_shipped'] as const satisfies readonly RequestStatus[];

/** What counts as shipped: what was packed into shipments that have left (docs/logistics.md). */
export const SHIPPED_SHIPMENT_STATUSES = ['shipped', 'delivered'] as const;

const r = tables.deliveryRequests;
const creator = alias(tables.users, 'request_creator');

/** The promised date of the request's first (`asc`) or latest (`desc`) promise, as text. */
const promiseOf = (order: 'asc' | 'desc') =>
  sql<string | null>`(select p.promised_date::text from delivery_promises p
    where p.tenant_id = ${r.tenantId} and p.plant_id = ${r.plantId} and p.request_id = ${r.id}
    order by p.promised_at ${sql.raw(order)}, p.id ${sql.raw(order)} limit 1)`;

/** The date a request of table alias `k` is due: its latest promise, else the date requested. */
const dueOf = (k: string) =>
  sql.raw(`coalesce((select p.promised_date from delivery_promises p
    where p.tenant_id = ${k}.tenant_id and p.plant_id = ${k}.plant_id and p.request_id = ${k}.id
    order by p.promised_at desc, p.id desc limit 1), ${k}.requested_date)`);

const due = dueOf('"delivery_requests"');

/** The quantity of a request packed into shipments that have left, as numeric text. */
export const shippedOf = (k: string) =>
  sql.raw(`(select coalesce(sum(i.packed_quantity), 0) from shipment_items i
    join shipments s on s.tenant_id = i.tenant_id and s.plant_id = i.plant_id and s.id = i.shipment_id
    where i.tenant_id = ${k}.tenant_id and i.plant_id = ${k}.plant_id and i.delivery_request_id = ${k}.id
      and s.status in (${SHIPPED_SHIPMENT_STATUSES.map((s) => `'${s}'`).join(', ')}))`);

const requestColumns = {
  id: r.id,
  plantId: r.plantId,
  plantCode: tables.plants.code,
  number: r.number,
  customerId: r.customerId,
  customerCode: tables.customers.code,
  customerName: tables.customers.name,
  shipToId: r.shipToId,
  shipToLabel: tables.customerAddresses.label,
  shipToCity: tables.customerAddresses.city,
  shipToCountry: tables.customerAddresses.country,
  customerPo: r.customerPo,
  productId: r.productId,
  productCode: tables.products.code,
  productName: tables.products.name,
  productUnit: tables.products.unit,
  quantity: r.quantity,
  shippedQuantity: sql<string>`${shippedOf('"delivery_requests"')}::text`,
  requestedDate: r.requestedDate,
  firstPromisedDate: promiseOf('asc'),
  latestPromisedDate: promiseOf('desc'),
  dueDate: sql<string>`${due}::text`,
  status: r.status,
  cancelReason: r.cancelReason,
  note: r.note,
  createdBy: r.createdBy,
  createdByName: creator.displayName,
  version: r.version,
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
};

/** The joined row of the request's tenant whose id is in `column`. */
const sameTenant = (t: { tenantId: AnyPgColumn; id: AnyPgColumn }, column: AnyPgColumn) =>
  and(eq(t.tenantId, r.tenantId), eq(t.id, column));

function selectRequests(tx: Sql) {
  return tx
    .select(requestColumns)
    .from(r)
    .innerJoin(tables.plants, sameTenant(tables.plants, r.plantId))
    .innerJoin(tables.customers, sameTenant(tables.customers, r.customerId))
    .innerJoin(tables.customerAddresses, sameTenant(tables.customerAddresses, r.shipToId))
    .innerJoin(tables.products, sameTenant(tables.products, r.productId))
    .leftJoin(creator, sameTenant(creator, r.createdBy));
}

type Row = Awaited<ReturnType<ReturnType<typeof selectRequests>['where']>>[number];

/** Quantities are numeric in the database; the API speaks numbers. */
const asRequest = (row: Row) => ({
  ...row,
  quantity: Number(row.quantity),
  shippedQuantity: Number(row.shippedQuantity),
});

export type DeliveryRequest = ReturnType<typeof asRequest>;

export async function findRequest(tx: Sql, id: string): Promise<DeliveryRequest> {
  const [row] = await selectRequests(tx).where(eq(r.id, id));
  if (row === undefined) throw notFound('Delivery request');
  return asRequest(row);
}

export interface RequestFilter {
  plantId?: string | undefined;
  customerId?: string | undefined;
  status?: readonly RequestStatus[] | undefined;
  /** Due on or after this date (the latest promise, else the requested date). */
  dueFrom?: string | undefined;
  dueTo?: string | undefined;
  /** Words in the number, the customer PO or the customer's code or name. */
  text?: string | undefined;
  limit: number;
  /** The id of the last request of the previous page. */
  cursor?: string | undefined;
}

/** Requests by the date they are due, earliest first, a page at a time. */
export async function listRequests(tx: Sql, input: RequestFilter) {
  const conditions: (SQL | undefined)[] = [];
  if (input.plantId !== undefined) conditions.push(eq(r.plantId, input.plantId));
  if (input.customerId !== undefined) conditions.push(eq(r.customerId, input.customerId));
  if (input.status !== undefined && input.status.length > 0)
    conditions.push(inArray(r.status, [...input.status]));
  if (input.dueFrom !== undefined) conditions.push(gte(due, input.dueFrom));
  if (input.dueTo !== undefined) conditions.push(lte(due, input.dueTo));
  for (const word of searchWords(input.text)) {
    const pattern = likePattern(word);
    conditions.push(
      or(
        ilike(r.number, pattern),
        ilike(r.customerPo, pattern),
        ilike(tables.customers.code, pattern),
        ilike(tables.customers.name, pattern),
      ),
    );
  }
  if (input.cursor !== undefined)
    conditions.push(
      sql`(${due}, ${r.number}) > (select ${dueOf('k')}, k.number from ${r} k where k.id = ${input.cursor})`,
    );
  const found = await selectRequests(tx)
    .where(and(...conditions))
    .orderBy(asc(due), asc(r.number))
    .limit(input.limit + 1);
  const items = found.slice(0, input.limit).map(asRequest);
  return { items, nextCursor: found.length > input.limit ? (items.at(-1)?.id ?? null) : null };
}

/** Every promise of a request, oldest first, with who made it. */
export function promiseHistory(tx: Sql, request: { id: string; plantId: string }) {
  const p = tables.deliveryPromises;
  const u = tables.users;
  return tx
    .select({
      id: p.id,
      promisedDate: p.promisedDate,
      reason: p.reason,
      promisedBy: p.promisedBy,
      promisedByName: u.displayName,
      promisedAt: p.promisedAt,
    })
    .from(p)
    .leftJoin(u, and(eq(u.tenantId, p.tenantId), eq(u.id, p.promisedBy)))
    .where(and(eq(p.plantId, request.plantId), eq(p.requestId, request.id)))
    .orderBy(asc(p.promisedAt), asc(p.id));
}

/**
 * Why a request was cancelled, as kept with it, and who cancelled it when, from the audit trail;
 * null for one not cancelled. A request cancelled before the reason was kept with it takes the
 * reason from its audit entry.
 */
export async function cancellationOf(
  tx: Sql,
  request: { id: string; status: string; cancelReason: string },
): Promise<{ reason: string; by: string | null; at: Date | null } | null> {
  if (request.status !== 'cancelled') return null;
  const a = tables.auditLog;
  const [entry] = await tx
    .select({ reason: a.reason, by: a.actorName, at: a.recordedAt })
    .from(a)
    .where(
      and(
        eq(a.entityType, 'delivery_request'),
        eq(a.entityId, request.id),
        eq(a.action, 'delivery_request.cancel'),
      ),
    )
    .orderBy(desc(a.seq))
    .limit(1);
  const reason = request.cancelReason !== '' ? request.cancelReason : (entry?.reason ?? '');
  return { reason, by: entry?.by ?? null, at: entry?.at ?? null };
}

import { tables } from '@plantline/schema';
import { type AnyColumn, and, asc, desc, eq, exists, inArray, or, type SQL, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Sql } from '../../db/index.js';
import { notFound } from '../../platform/index.js';

/*
 * Reading change orders (docs/change-orders.md). Row-level security decides what the caller sees: a
 * change order of a plant outside their reach is "not found", one without a plant is seen by the
 * whole tenant. Products are tenant-wide, so an item's product is always there to name.
 */

const co = tables.changeOrders;
const item = tables.changeOrderItems;
const owner = alias(tables.users, 'change_order_owner');
const raiser = alias(tables.users, 'change_order_raiser');

const sameTenant = (a: { tenantId: AnyColumn }, b: { tenantId: AnyColumn }) => eq(a.tenantId, b.tenantId);

const summaryColumns = {
  id: co.id,
  number: co.number,
  title: co.title,
  status: co.status,
  urgency: co.urgency,
  effectivity: co.effectivity,
  effectiveDate: co.effectiveDate,
  effectiveLot: co.effectiveLot,
  plantId: co.plantId,
  plantCode: tables.plants.code,
  ownerId: co.ownerId,
  ownerName: owner.displayName,
  implementedAt: co.implementedAt,
  version: co.version,
  createdAt: co.createdAt,
  updatedAt: co.updatedAt,
};

/** The codes of the products a change order affects, in code order. */
const productCodes = sql<string[]>`coalesce((
  select json_agg(p.code order by p.code)
    from change_order_items i
    join products p on p.tenant_id = i.tenant_id and p.id = i.product_id
   where i.tenant_id = ${co.tenantId} and i.change_order_id = ${co.id}), '[]'::json)`;

export interface ChangeOrderFilter {
  /** Workflow state keys (the status column mirrors the instance's state). */
  status?: readonly string[] | undefined;
  urgency?: readonly tables.ChangeUrgency[] | undefined;
  plantId?: string | undefined;
  /** Change orders with an item for this product. */
  productId?: string | undefined;
  /** Part of the number or the title, any case. */
  text?: string | undefined;
  limit: number;
  /** The id of the last change order of the previous page. */
  cursor?: string | undefined;
}

const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Change orders, newest first, a page at a time (the cursor compares (created_at, id) in the database). */
export async function listChangeOrders(tx: Sql, filter: ChangeOrderFilter) {
  const conditions: (SQL | undefined)[] = [];
  if (filter.status !== undefined && filter.status.length > 0)
    conditions.push(inArray(co.status, [...filter.status]));
  if (filter.urgency !== undefined && filter.urgency.length > 0)
    conditions.push(inArray(co.urgency, [...filter.urgency]));
  if (filter.plantId !== undefined) conditions.push(eq(co.plantId, filter.plantId));
  if (filter.productId !== undefined)
    conditions.push(
      exists(
        tx
          .select({ one: sql`1` })
          .from(item)
          .where(
            and(sameTenant(item, co), eq(item.changeOrderId, co.id), eq(item.productId, filter.productId)),
          ),
      ),
    );
  const text = filter.text?.trim() ?? '';
  if (text !== '') {
    const pattern = likePattern(text);
    conditions.push(or(sql`${co.number} ilike ${pattern}`, sql`${co.title} ilike ${pattern}`));
  }
  if (filter.cursor !== undefined)
    conditions.push(
      sql`(${co.createdAt}, ${co.id}) < (select c.created_at, c.id from ${co} c where c.id = ${filter.cursor})`,
    );
  const found = await tx
    .select({ ...summaryColumns, productCodes })
    .from(co)
    .leftJoin(tables.plants, and(sameTenant(tables.plants, co), eq(tables.plants.id, co.plantId)))
    .leftJoin(owner, and(sameTenant(owner, co), eq(owner.id, co.ownerId)))
    .where(and(...conditions))
    .orderBy(desc(co.createdAt), desc(co.id))
    .limit(filter.limit + 1);
  const items = found.slice(0, filter.limit);
  return { items, nextCursor: found.length > filter.limit ? (items.at(-1)?.id ?? null) : null };
}

/** The products (and routings) a change order affects, with each product's revision now. */
export function changeOrderItems(tx: Sql, changeOrderId: string) {
  const products = tables.products;
  const routings = tables.routings;
  return tx
    .select({
      id: item.id,
      productId: item.productId,
      productCode: products.code,
      productName: products.name,
      currentRevision: products.revision,
      routingId: item.routingId,
      routingCode: routings.code,
      routingName: routings.name,
      fromRevision: item.fromRevision,
      toRevision: item.toRevision,
      note: item.note,
    })
    .from(item)
    .innerJoin(products, and(sameTenant(products, item), eq(products.id, item.productId)))
    .leftJoin(routings, and(sameTenant(routings, item), eq(routings.id, item.routingId)))
    .where(eq(item.changeOrderId, changeOrderId))
    .orderBy(asc(products.code));
}

/** One change order with everything its page shows. */
export async function getChangeOrder(tx: Sql, id: string) {
  const [found] = await tx
    .select({
      ...summaryColumns,
      reason: co.reason,
      description: co.description,
      raisedBy: co.raisedBy,
      raisedByName: raiser.displayName,
    })
    .from(co)
    .leftJoin(tables.plants, and(sameTenant(tables.plants, co), eq(tables.plants.id, co.plantId)))
    .leftJoin(owner, and(sameTenant(owner, co), eq(owner.id, co.ownerId)))
    .leftJoin(raiser, and(sameTenant(raiser, co), eq(raiser.id, co.raisedBy)))
    .where(eq(co.id, id));
  if (found === undefined) throw notFound('Change order');
  return { ...found, items: await changeOrderItems(tx, id) };
}

export type ChangeOrder = Awaited<ReturnType<typeof getChangeOrder>>;

/**
 * A change order as the audit trail records it: its fields, and its items by product code (with the
 * routing's code where one is named), so adding or removing an item reads as a change of `items`.
 */
export function auditedChangeOrder(order: ChangeOrder) {
  return {
    id: order.id,
    number: order.number,
    title: order.title,
    reason: order.reason,
    description: order.description,
    urgency: order.urgency,
    effectivity: order.effectivity,
    effectiveDate: order.effectiveDate,
    effectiveLot: order.effectiveLot,
    ownerId: order.ownerId,
    items: order.items.map((i) =>
      i.routingCode === null ? i.productCode : `${i.productCode} (${i.routingCode})`,
    ),
  };
}

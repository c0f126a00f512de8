import { tables } from '@plantline/schema';
import { and, eq, inArray } from 'drizzle-orm';
import type { Sql } from '../../db/index.js';
import { DomainError } from '../../platform/index.js';

/*
 * The items of a change order: the products it changes, each with an optional routing of that
 * product. Products and routings are tenant-wide and read through row-level security, so one of
 * another tenant is "not found" here before any foreign key is asked (foreign keys check without
 * row-level security and would confirm that it exists).
 */

export interface ItemInput {
  productId: string;
  routingId?: string | null | undefined;
  note?: string | undefined;
}

/** What an item is stored with: the product's revision when it was added. */
export interface CheckedItem {
  productId: string;
  routingId: string | null;
  note: string;
  fromRevision: string;
}

/**
 * Checks items given at `path` (`items`, `addItems`): each product once, each product and routing
 * visible, each routing one of its item's product. Every fault is reported on its field at once.
 */
export async function checkItems(
  tx: Sql,
  items: readonly ItemInput[],
  path: string,
  alreadyListed: ReadonlySet<string> = new Set(),
): Promise<CheckedItem[]> {
  if (items.length === 0) return [];
  const productIds = [...new Set(items.map((i) => i.productId))];
  const routingIds = [...new Set(items.flatMap((i) => (i.routingId == null ? [] : [i.routingId])))];
  const products = await tx
    .select({ id: tables.products.id, revision: tables.products.revision })
    .from(tables.products)
    .where(inArray(tables.products.id, productIds));
  const routings =
    routingIds.length === 0
      ? []
      : await tx
          .select({ id: tables.routings.id, productId: tables.routings.productId })
          .from(tables.routings)
          .where(inArray(tables.routings.id, routingIds));
  const revisionOf = new Map(products.map((p) => [p.id, p.revision]));
  const productOfRouting = new Map(routings.map((r) => [r.id, r.productId]));

  const notFound: Record<string, string> = {};
  const invalid: Record<string, string> = {};
  const seen = new Set<string>();
  for (const [index, entry] of items.entries()) {
    const at = `${path}.${index}`;
    if (seen.has(entry.productId)) invalid[`${at}.productId`] = 'Listed twice';
    else if (alreadyListed.has(entry.productId)) invalid[`${at}.productId`] = 'Already an item';
    seen.add(entry.productId);
    if (!revisionOf.has(entry.productId)) notFound[`${at}.productId`] = 'Not found';
    if (entry.routingId == null) continue;
    const routingProduct = productOfRouting.get(entry.routingId);
    if (routingProduct === undefined) notFound[`${at}.routingId`] = 'Not found';
    else if (routingProduct !== entry.productId) invalid[`${at}.routingId`] = 'Not a routing of this product';
  }
  if (Object.keys(notFound).length > 0) {
    const what = Object.keys(notFound).some((key) => key.endsWith('productId')) ? 'Product' : 'Routing';
    throw new DomainError('not_found', `${what} not found`, { ...notFound, ...invalid });
  }
  if (Object.keys(invalid).length > 0) {
    const listed = Object.values(invalid).some((m) => m === 'Listed twice' || m === 'Already an item');
    throw new DomainError(
      'invalid',
      listed ? 'A product is listed once per change order' : 'A routing belongs to another product',
      invalid,
    );
  }
  return items.map((entry) => ({
    productId: entry.productId,
    routingId: entry.routingId ?? null,
    note: entry.note ?? '',
    fromRevision: revisionOf.get(entry.productId)!,
  }));
}

export async function insertItems(
  tx: Sql,
  order: { tenantId: string; id: string; plantId: string | null },
  items: readonly CheckedItem[],
) {
  if (items.length === 0) return;
  await tx
    .insert(tables.changeOrderItems)
    .values(
      items.map((i) => ({ ...i, tenantId: order.tenantId, plantId: order.plantId, changeOrderId: order.id })),
    );
}

/** Removes items of this change order by id; an id that is not one of its items is "not found". */
export async function removeItems(tx: Sql, changeOrderId: string, itemIds: readonly string[]) {
  if (itemIds.length === 0) return;
  const i = tables.changeOrderItems;
  const removed = await tx
    .delete(i)
    .where(and(eq(i.changeOrderId, changeOrderId), inArray(i.id, [...itemIds])))
    .returning({ id: i.id });
  const gone = new Set(removed.map((r) => r.id));
  const missing = itemIds.flatMap((id, index) => (gone.has(id) ? [] : [index]));
  if (missing.length > 0)
    throw new DomainError(
      'not_found',
      'Item not found',
      Object.fromEntries(
        missing.map((index) => [`removeItemIds.${index}`, 'Not an item of this change order']),
      ),
    );
}

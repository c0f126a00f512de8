import { tables } from '@plantline/schema';
import { and, desc, eq } from 'drizzle-orm';
import type { Sql } from '../../db/index.js';
import { visibleProduct } from './visibility.js';

/*
 * A product's revision history (docs/change-orders.md, "Product revisions"): its first revision,
 * then one row per implemented change order, newest first. A change order of a plant outside the
 * caller's reach is hidden by row-level security; its revision still shows, without the number.
 */
export async function listProductRevisions(tx: Sql, productId: string) {
  await visibleProduct(tx, productId);
  const r = tables.productRevisions;
  const c = tables.changeOrders;
  return tx
    .select({
      id: r.id,
      revision: r.revision,
      effectiveFrom: r.effectiveFrom,
      effectiveLot: r.effectiveLot,
      note: r.note,
      changeOrderId: r.changeOrderId,
      changeOrderNumber: c.number,
      changeOrderTitle: c.title,
      createdAt: r.createdAt,
    })
    .from(r)
    .leftJoin(c, and(eq(c.tenantId, r.tenantId), eq(c.id, r.changeOrderId)))
    .where(eq(r.productId, productId))
    .orderBy(desc(r.createdAt), desc(r.effectiveFrom));
}

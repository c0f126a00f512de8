import { tables } from '@plantline/schema';
import { eq, sql } from 'drizzle-orm';
import { rows, type Sql } from '../../db/index.js';
import { audit, auditUpdate, DomainError, notFound, type Scope } from '../../platform/index.js';
import { nextRevision } from './revision.js';

/*
 * Implementing an approved change order (docs/change-orders.md, "Implementation"): every product it
 * names moves to its next revision (revision.ts), the product's history gains a row that names the
 * change order and when the revision takes effect, and the item keeps the revision it made. It runs
 * in the transaction of the workflow transition that approves the change (the `implemented_at`
 * field's apply, workflow-entity.ts), so the approval and its effect commit or fail together.
 */

export interface ImplementedRevision {
  productId: string;
  productCode: string;
  fromRevision: string;
  toRevision: string;
}

interface OrderRow {
  id: string;
  number: string;
  title: string;
  plant_id: string | null;
  effectivity: tables.ChangeEffectivity;
  effective_lot: string | null;
  implemented_at: string | null;
  /** When the new revisions take effect: `at`, or the effective date's start in the plant's zone. */
  effective_from: string;
}

interface ItemRow {
  id: string;
  product_id: string;
  product_code: string;
  revision: string;
  note: string;
}

/**
 * Applies the change order's revisions at `at`, once: a second call is refused (conflict), so a
 * replayed transition cannot bump a product twice. The products are locked in code order, so two
 * change orders of one product implemented at once bump it one after the other.
 */
export async function implementChangeOrder(
  tx: Sql,
  actor: Scope,
  changeOrderId: string,
  at: Date,
): Promise<{ implementedAt: Date; revisions: ImplementedRevision[] }> {
  const [order] = await rows<OrderRow>(
    tx,
    sql`select c.id, c.number, c.title, c.plant_id, c.effectivity, c.effective_lot, c.implemented_at,
               case when c.effectivity = 'date'
                    then (c.effective_date::timestamp at time zone coalesce(p.timezone, 'UTC'))
                    else ${at.toISOString()}::timestamptz end as effective_from
          from change_orders c
          left join plants p on p.tenant_id = c.tenant_id and p.id = c.plant_id
         where c.id = ${changeOrderId}
           for update of c`,
  );
  if (order === undefined) throw notFound('Change order');
  if (order.implemented_at !== null)
    throw new DomainError(
      'conflict',
      `${order.number} is already implemented; its revisions were applied once`,
    );
  const items = await rows<ItemRow>(
    tx,
    sql`select i.id, i.product_id, p.code as product_code, p.revision, i.note
          from change_order_items i
          join products p on p.tenant_id = i.tenant_id and p.id = i.product_id
         where i.change_order_id = ${changeOrderId}
         order by p.code
           for update of p`,
  );
  const effectiveFrom = new Date(order.effective_from);
  const effectiveLot = order.effectivity === 'lot' ? order.effective_lot : null;
  const revisions: ImplementedRevision[] = [];
  for (const item of items) {
    const next = nextRevision(item.revision);
    await tx.update(tables.products).set({ revision: next }).where(eq(tables.products.id, item.product_id));
    await tx.insert(tables.productRevisions).values({
      tenantId: actor.tenantId,
      productId: item.product_id,
      revision: next,
      changeOrderId,
      effectiveFrom,
      effectiveLot,
      note: item.note === '' ? order.title : item.note,
      createdBy: actor.userId ?? null,
    });
    await tx
      .update(tables.changeOrderItems)
      .set({ fromRevision: item.revision, toRevision: next })
      .where(eq(tables.changeOrderItems.id, item.id));
    auditUpdate(
      tx,
      'product',
      { id: item.product_id, revision: item.revision },
      { id: item.product_id, revision: next, changeOrder: order.number },
      { label: item.product_code },
      'revise',
    );
    revisions.push({
      productId: item.product_id,
      productCode: item.product_code,
      fromRevision: item.revision,
      toRevision: next,
    });
  }
  await tx
    .update(tables.changeOrders)
    .set({ implementedAt: at, version: sql`${tables.changeOrders.version} + 1`, updatedAt: sql`now()` })
    .where(eq(tables.changeOrders.id, changeOrderId));
  audit(tx, {
    action: 'change_order.implement',
    entityType: 'change_order',
    entityId: changeOrderId,
    entityLabel: order.number,
    plantId: order.plant_id,
    before: { implementedAt: null },
    after: {
      implementedAt: at.toISOString(),
      revisions: revisions.map((r) => `${r.productCode} ${r.fromRevision} → ${r.toRevision}`),
    },
  });
  return { implementedAt: at, revisions };
}

/**
 * The value a workflow's `set_field implemented_at` hands over (an instant, as a Date or its ISO
 * text). Clearing the field is refused: an implemented change order stays implemented.
 */
export function implementationInstant(value: unknown): Date {
  const at =
    value instanceof Date
      ? value
      : typeof value === 'string' || typeof value === 'number'
        ? new Date(value)
        : null;
  if (at === null || Number.isNaN(at.getTime()))
    throw new DomainError('invalid', 'A change order is implemented at a date and time', {
      implemented_at: 'Not a date and time',
    });
  return at;
}

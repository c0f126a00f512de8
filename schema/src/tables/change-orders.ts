import { sql } from 'drizzle-orm';
import {
  check,
  date,
  foreignKey,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAtColumn, idColumn, inList } from './columns.js';
import { plants, tenants, users } from './identity.js';
import { products } from './production.js';
import { routings } from './quality.js';

/*
 * Engineering change orders (docs/change-orders.md): a proposed change to products and their
 * routings, with a reason, an urgency and an effectivity (immediately, from a date, from a lot). Its
 * workflow ends with a change board's approval; implementing it bumps each affected product's
 * revision and writes a product_revisions row that names the change order, so the product shows
 * which change made each revision.
 */

export const changeUrgencies = ['low', 'normal', 'high', 'emergency'] as const;
export type ChangeUrgency = (typeof changeUrgencies)[number];

export const changeEffectivities = ['immediate', 'date', 'lot'] as const;
export type ChangeEffectivity = (typeof changeEffectivities)[number];

export const changeOrders = pgTable(
  'change_orders',
  {
    id: idColumn(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    /** The plant it concerns, or null for a change of tenant-wide products everywhere. */
    plantId: uuid('plant_id'),
    /** From the `change_order` numbering scheme (ECO-{yyyy}-{seq:5} unless configured otherwise). */
    number: text('number').notNull(),
    title: text('title').notNull(),
    /** The workflow state's key. */
    status: text('status').notNull().default('draft'),
    reason: text('reason').notNull().default(''),
    description: text('description').notNull().default(''),
    urgency: text('urgency', { enum: changeUrgencies }).notNull().default('normal'),
    effectivity: text('effectivity', { enum: changeEffectivities }).notNull().default('immediate'),
    effectiveDate: date('effective_date'),
    effectiveLot: text('effective_lot'),
    ownerId: uuid('owner_id'),
    raisedBy: uuid('raised_by'),
    /** When its revisions were applied to the products. */
    implementedAt: timestamp('implemented_at', { withTimezone: true }),
    version: integer('version').notNull().default(1),
    createdAt: createdAtColumn(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('change_orders_tenant_id_id_key').on(t.tenantId, t.id),
    unique('change_orders_tenant_number_key').on(t.tenantId, t.number),
    index('change_orders_created_idx').on(t.tenantId, t.createdAt.desc(), t.id.desc()),
    index('change_orders_status_idx').on(t.tenantId, t.status),
    index('change_orders_plant_idx').on(t.tenantId, t.plantId),
    index('change_orders_owner_idx').on(t.tenantId, t.ownerId),
    check('change_orders_urgency_check', inList(t.urgency, changeUrgencies)),
    check('change_orders_effectivity_check', inList(t.effectivity, changeEffectivities)),
    check(
      'change_orders_effective_when_check',
      sql`(${t.effectivity} <> 'date' or ${t.effectiveDate} is not null) and (${t.effectivity} <> 'lot' or ${t.effectiveLot} is not null)`,
    ),
    foreignKey({
      name: 'change_orders_plant_fk',
      columns: [t.tenantId, t.plantId],
      foreignColumns: [plants.tenantId, plants.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'change_orders_owner_fk',
      columns: [t.tenantId, t.ownerId],
      foreignColumns: [users.tenantId, users.id],
    }),
  ],
);

/** A product (and optionally one of its routings) a change order affects. */
export const changeOrderItems = pgTable(
  'change_order_items',
  {
    id: idColumn(),
    tenantId: uuid('tenant_id').notNull(),
    plantId: uuid('plant_id'),
    changeOrderId: uuid('change_order_id').notNull(),
    productId: uuid('product_id').notNull(),
    routingId: uuid('routing_id'),
    /** The product's revision when the item was added, and the one it gets when implemented. */
    fromRevision: text('from_revision').notNull(),
    toRevision: text('to_revision'),
    note: text('note').notNull().default(''),
    createdAt: createdAtColumn(),
  },
  (t) => [
    unique('change_order_items_tenant_id_id_key').on(t.tenantId, t.id),
    unique('change_order_items_product_key').on(t.tenantId, t.changeOrderId, t.productId),
    index('change_order_items_product_idx').on(t.tenantId, t.productId),
    index('change_order_items_routing_idx').on(t.tenantId, t.routingId),
    foreignKey({
      name: 'change_order_items_change_order_fk',
      columns: [t.tenantId, t.changeOrderId],
      foreignColumns: [changeOrders.tenantId, changeOrders.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'change_order_items_product_fk',
      columns: [t.tenantId, t.productId],
      foreignColumns: [products.tenantId, products.id],
    }),
    foreignKey({
      name: 'change_order_items_routing_fk',
      columns: [t.tenantId, t.routingId],
      foreignColumns: [routings.tenantId, routings.id],
    }),
  ],
);

/** Every revision a product has had, and the change order that made it. */
export const productRevisions = pgTable(
  'product_revisions',
  {
    id: idColumn(),
    tenantId: uuid('tenant_id').notNull(),
    productId: uuid('product_id').notNull(),
    revision: text('revision').notNull(),
    changeOrderId: uuid('change_order_id'),
    effectiveFrom: timestamp('effective_from', { withTimezone: true }).notNull(),
    effectiveLot: text('effective_lot'),
    note: text('note').notNull().default(''),
    createdBy: uuid('created_by'),
    createdAt: createdAtColumn(),
  },
  (t) => [
    unique('product_revisions_product_revision_key').on(t.tenantId, t.productId, t.revision),
    index('product_revisions_change_order_idx').on(t.tenantId, t.changeOrderId),
    foreignKey({
      name: 'product_revisions_product_fk',
      columns: [t.tenantId, t.productId],
      foreignColumns: [products.tenantId, products.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'product_revisions_change_order_fk',
      columns: [t.tenantId, t.changeOrderId],
      foreignColumns: [changeOrders.tenantId, changeOrders.id],
    }),
  ],
);

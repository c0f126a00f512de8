import { sql } from 'drizzle-orm';
import {
  check,
  foreignKey,
  index,
  integer,
  numeric,
  pgTable,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAtColumn, idColumn, inList } from './columns.js';
import { carriers } from './customers.js';
import { plants, tenants, users } from './identity.js';
import { products } from './production.js';
import { packages } from './shipments.js';

/*
 * Inter-plant transfers (docs/logistics.md, "Transfers"): plant A ships packages to a transit state,
 * plant B receives them by scanning their SSCCs and records any discrepancy with a reason. Every row
 * names both plants; row-level security shows it to users of either plant and to nobody else.
 */

export const transferStatuses = ['draft', 'picking', 'in_transit', 'received', 'cancelled'] as const;
export type TransferStatus = (typeof transferStatuses)[number];

export const transferOrders = pgTable(
  'transfer_orders',
  {
    id: idColumn(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    fromPlantId: uuid('from_plant_id').notNull(),
    toPlantId: uuid('to_plant_id').notNull(),
    /** From the `transfer_order` numbering scheme. */
    number: text('number').notNull(),
    status: text('status', { enum: transferStatuses }).notNull().default('draft'),
    carrierId: uuid('carrier_id'),
    trackingNumber: text('tracking_number').notNull().default(''),
    shippedAt: timestamp('shipped_at', { withTimezone: true }),
    receivedAt: timestamp('received_at', { withTimezone: true }),
    note: text('note').notNull().default(''),
    /** Why it was cancelled, as the sending plant gave it: the receiving plant reads it here. */
    cancelReason: text('cancel_reason').notNull().default(''),
    createdBy: uuid('created_by'),
    version: integer('version').notNull().default(1),
    createdAt: createdAtColumn(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('transfer_orders_tenant_id_id_key').on(t.tenantId, t.id),
    unique('transfer_orders_tenant_number_key').on(t.tenantId, t.number),
    index('transfer_orders_from_idx').on(t.tenantId, t.fromPlantId, t.status),
    index('transfer_orders_to_idx').on(t.tenantId, t.toPlantId, t.status),
    index('transfer_orders_created_idx').on(t.tenantId, t.createdAt.desc(), t.id.desc()),
    index('transfer_orders_carrier_idx').on(t.tenantId, t.carrierId),
    index('transfer_orders_created_by_idx').on(t.tenantId, t.createdBy),
    check('transfer_orders_status_check', inList(t.status, transferStatuses)),
    check('transfer_orders_two_plants_check', sql`${t.fromPlantId} <> ${t.toPlantId}`),
    foreignKey({
      name: 'transfer_orders_from_plant_fk',
      columns: [t.tenantId, t.fromPlantId],
      foreignColumns: [plants.tenantId, plants.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'transfer_orders_to_plant_fk',
      columns: [t.tenantId, t.toPlantId],
      foreignColumns: [plants.tenantId, plants.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'transfer_orders_carrier_fk',
      columns: [t.tenantId, t.carrierId],
      foreignColumns: [carriers.tenantId, carriers.id],
    }),
    foreignKey({
      name: 'transfer_orders_created_by_fk',
      columns: [t.tenantId, t.createdBy],
      foreignColumns: [users.tenantId, users.id],
    }),
  ],
);

export const transferItems = pgTable(
  'transfer_items',
  {
    id: idColumn(),
    tenantId: uuid('tenant_id').notNull(),
    fromPlantId: uuid('from_plant_id').notNull(),
    toPlantId: uuid('to_plant_id').notNull(),
    transferOrderId: uuid('transfer_order_id').notNull(),
    lineNo: integer('line_no').notNull(),
    productId: uuid('product_id').notNull(),
    lot: text('lot'),
    quantity: numeric('quantity').notNull(),
    packedQuantity: numeric('packed_quantity').notNull().default('0'),
    receivedQuantity: numeric('received_quantity').notNull().default('0'),
    createdAt: createdAtColumn(),
  },
  (t) => [
    unique('transfer_items_tenant_id_id_key').on(t.tenantId, t.id),
    unique('transfer_items_line_key').on(t.tenantId, t.transferOrderId, t.lineNo),
    index('transfer_items_product_idx').on(t.tenantId, t.productId),
    check('transfer_items_quantity_check', sql`${t.quantity} > 0`),
    check(
      'transfer_items_packed_check',
      sql`${t.packedQuantity} >= 0 and ${t.packedQuantity} <= ${t.quantity}`,
    ),
    check('transfer_items_received_check', sql`${t.receivedQuantity} >= 0`),
    foreignKey({
      name: 'transfer_items_order_fk',
      columns: [t.tenantId, t.transferOrderId],
      foreignColumns: [transferOrders.tenantId, transferOrders.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'transfer_items_product_fk',
      columns: [t.tenantId, t.productId],
      foreignColumns: [products.tenantId, products.id],
    }),
  ],
);

/** Why what arrived differs from what was sent. */
export const discrepancyReasons = [
  'short',
  'over',
  'damaged',
  'wrong_item',
  'wrong_lot',
  'missing_package',
] as const;
export type DiscrepancyReason = (typeof discrepancyReasons)[number];

/** What the receiving plant counted, per package or item, with the reason when it differs. */
export const transferReceipts = pgTable(
  'transfer_receipts',
  {
    id: idColumn(),
    tenantId: uuid('tenant_id').notNull(),
    fromPlantId: uuid('from_plant_id').notNull(),
    toPlantId: uuid('to_plant_id').notNull(),
    transferOrderId: uuid('transfer_order_id').notNull(),
    packageId: uuid('package_id'),
    transferItemId: uuid('transfer_item_id'),
    sscc: text('sscc'),
    expectedQuantity: numeric('expected_quantity').notNull(),
    receivedQuantity: numeric('received_quantity').notNull(),
    discrepancy: text('discrepancy', { enum: discrepancyReasons }),
    note: text('note').notNull().default(''),
    receivedBy: uuid('received_by'),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('transfer_receipts_order_idx').on(t.tenantId, t.transferOrderId, t.receivedAt),
    index('transfer_receipts_package_idx').on(t.tenantId, t.packageId),
    index('transfer_receipts_item_idx').on(t.tenantId, t.transferItemId),
    index('transfer_receipts_received_by_idx').on(t.tenantId, t.receivedBy),
    check(
      'transfer_receipts_discrepancy_check',
      sql.raw(
        `"discrepancy" is null or "discrepancy" in (${discrepancyReasons.map((d) => `'${d}'`).join(', ')})`,
      ),
    ),
    // A difference without a reason is not a receipt Plantline keeps.
    check(
      'transfer_receipts_reason_check',
      sql`${t.receivedQuantity} = ${t.expectedQuantity} or ${t.discrepancy} is not null`,
    ),
    check('transfer_receipts_quantity_check', sql`${t.receivedQuantity} >= 0 and ${t.expectedQuantity} >= 0`),
    foreignKey({
      name: 'transfer_receipts_order_fk',
      columns: [t.tenantId, t.transferOrderId],
      foreignColumns: [transferOrders.tenantId, transferOrders.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'transfer_receipts_package_fk',
      columns: [t.tenantId, t.packageId],
      foreignColumns: [packages.tenantId, packages.id],
    }),
    foreignKey({
      name: 'transfer_receipts_item_fk',
      columns: [t.tenantId, t.transferItemId],
      foreignColumns: [transferItems.tenantId, transferItems.id],
    }),
    foreignKey({
      name: 'transfer_receipts_received_by_fk',
      columns: [t.tenantId, t.receivedBy],
      foreignColumns: [users.tenantId, users.id],
    }),
  ],
);

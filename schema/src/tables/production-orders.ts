import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  foreignKey,
  index,
  numeric,
  pgTable,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { boms } from './boms.js';
import { createdAtColumn, idColumn } from './columns.js';
import { plants, tenants } from './identity.js';
import { lines } from './masterdata.js';
import { inventoryLocations } from './materials.js';
import { products } from './production.js';

/*
 * Production orders: what a plant is asked to make. `number` comes from the tenant's
 * `production_order` numbering sequence unless given, and is what count events carry in `order`.
 * Plant-scoped for row-level security; the line reference includes plant_id, so an order can never
 * name another plant's line.
 */

export const productionOrderStatuses = [
  'planned',
  'released',
  'in_progress',
  'completed',
  'cancelled',
] as const;
export type ProductionOrderStatus = (typeof productionOrderStatuses)[number];

export const productionOrders = pgTable(
  'production_orders',
  {
    id: idColumn(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    plantId: uuid('plant_id').notNull(),
    number: text('number').notNull(),
    productId: uuid('product_id').notNull(),
    lineId: uuid('line_id'),
    quantity: numeric('quantity').notNull(),
    status: text('status', { enum: productionOrderStatuses }).notNull().default('planned'),
    dueAt: timestamp('due_at', { withTimezone: true }),
    plannedStart: timestamp('planned_start', { withTimezone: true }),
    plannedEnd: timestamp('planned_end', { withTimezone: true }),
    note: text('note'),
    /** The BOM version the requirements were exploded from; null when the product has none. */
    bomId: uuid('bom_id'),
    /** Backflush on completion; null follows the BOM (docs/materials.md, "Backflush"). */
    backflush: boolean('backflush'),
    /** Where components are taken from by backflush; null takes the plant's production location. */
    lineSideLocationId: uuid('line_side_location_id'),
    createdAt: createdAtColumn(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('production_orders_tenant_id_id_key').on(t.tenantId, t.id),
    unique('production_orders_plant_id_key').on(t.tenantId, t.plantId, t.id),
    unique('production_orders_tenant_number_key').on(t.tenantId, t.number),
    index('production_orders_plant_idx').on(t.tenantId, t.plantId, t.status),
    // The order list: newest first, paged by (created_at, id).
    index('production_orders_created_idx').on(t.tenantId, t.createdAt.desc(), t.id.desc()),
    index('production_orders_product_idx').on(t.tenantId, t.productId),
    index('production_orders_line_idx').on(t.tenantId, t.plantId, t.lineId),
    index('production_orders_bom_idx').on(t.tenantId, t.bomId),
    index('production_orders_line_side_idx').on(t.tenantId, t.plantId, t.lineSideLocationId),
    check(
      'production_orders_status_check',
      sql.raw(`"status" in (${productionOrderStatuses.map((s) => `'${s}'`).join(', ')})`),
    ),
    check('production_orders_quantity_check', sql`${t.quantity} > 0`),
    check(
      'production_orders_plan_check',
      sql`${t.plannedStart} is null or ${t.plannedEnd} is null or ${t.plannedStart} < ${t.plannedEnd}`,
    ),
    foreignKey({
      name: 'production_orders_plant_fk',
      columns: [t.tenantId, t.plantId],
      foreignColumns: [plants.tenantId, plants.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'production_orders_product_fk',
      columns: [t.tenantId, t.productId],
      foreignColumns: [products.tenantId, products.id],
    }),
    foreignKey({
      name: 'production_orders_bom_fk',
      columns: [t.tenantId, t.bomId],
      foreignColumns: [boms.tenantId, boms.id],
    }),
    foreignKey({
      name: 'production_orders_line_side_fk',
      columns: [t.tenantId, t.plantId, t.lineSideLocationId],
      foreignColumns: [inventoryLocations.tenantId, inventoryLocations.plantId, inventoryLocations.id],
    }),
    foreignKey({
      name: 'production_orders_line_fk',
      columns: [t.tenantId, t.plantId, t.lineId],
      foreignColumns: [lines.tenantId, lines.plantId, lines.id],
    }),
  ],
);

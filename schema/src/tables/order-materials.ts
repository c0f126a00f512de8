import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  foreignKey,
  index,
  integer,
  numeric,
  pgTable,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAtColumn, idColumn } from './columns.js';
import { tenants } from './identity.js';
import { materials } from './materials.js';
import { productionOrders } from './production-orders.js';

/*
 * The material requirements of production orders (docs/materials.md, "Order materials"): an order
 * keeps its own copy of what the BOM version effective at its planned start exploded into, so a later
 * BOM change does not rewrite an order in progress.
 */

export const productionOrderMaterials = pgTable(
  'production_order_materials',
  {
    id: idColumn(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    plantId: uuid('plant_id').notNull(),
    productionOrderId: uuid('production_order_id').notNull(),
    position: integer('position').notNull(),
    materialId: uuid('material_id').notNull(),
    /** What the whole order needs, scrap included, in the component's base unit. */
    quantity: numeric('quantity').notNull(),
    scrapPercent: numeric('scrap_percent').notNull().default('0'),
    backflush: boolean('backflush').notNull().default(false),
    createdAt: createdAtColumn(),
  },
  (t) => [
    unique('production_order_materials_key').on(t.tenantId, t.productionOrderId, t.materialId),
    index('production_order_materials_material_idx').on(t.tenantId, t.materialId),
    index('production_order_materials_order_idx').on(t.tenantId, t.plantId, t.productionOrderId),
    check('production_order_materials_quantity_check', sql`${t.quantity} >= 0`),
    // The plant is the order's: row-level security shows requirements with their order only.
    foreignKey({
      name: 'production_order_materials_order_fk',
      columns: [t.tenantId, t.plantId, t.productionOrderId],
      foreignColumns: [productionOrders.tenantId, productionOrders.plantId, productionOrders.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'production_order_materials_material_fk',
      columns: [t.tenantId, t.materialId],
      foreignColumns: [materials.tenantId, materials.id],
    }),
  ],
);

import { sql } from 'drizzle-orm';
import {
  check,
  foreignKey,
  index,
  numeric,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAtColumn, idColumn, inList } from './columns.js';
import { plants, tenants } from './identity.js';
import { inventoryMovements } from './inventory.js';
import { materialLots } from './materials.js';
import { productionOrders } from './production-orders.js';

/*
 * Lot genealogy (docs/materials.md, "Genealogy"): one edge per parent lot that went into a child lot.
 * Production edges are derived from the ledger by a trigger on inventory_movements — a consumption and
 * a production of lots for the same order, in whichever order they are recorded — and recomputed
 * whenever the order's lot movements change, so a reversal takes its share back. Split, merge and
 * rework edges are written by those acts with the movements of their group. Edges are the tenant's,
 * like lots; `plant_id` is the plant of the act that made the edge.
 */

export const genealogyKinds = ['production', 'split', 'merge', 'rework'] as const;
export type GenealogyKind = (typeof genealogyKinds)[number];

export const lotGenealogy = pgTable(
  'lot_genealogy',
  {
    id: idColumn(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    plantId: uuid('plant_id').notNull(),
    /** The consumed (or split, merged, reworked) lot. */
    parentLotId: uuid('parent_lot_id').notNull(),
    /** The produced lot. */
    childLotId: uuid('child_lot_id').notNull(),
    kind: text('kind', { enum: genealogyKinds }).notNull(),
    /** How much of the parent went into the child, in the parent material's base unit. */
    quantity: numeric('quantity').notNull(),
    productionOrderId: uuid('production_order_id'),
    /** The movement group of the act that made the edge (null for a production row without one). */
    groupId: uuid('group_id'),
    /** The ledger row whose insert made the edge. */
    movementId: uuid('movement_id').notNull(),
    createdAt: createdAtColumn(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // The trace walks these two: each is covering, so a step reads the index alone.
    index('lot_genealogy_forward_idx').on(t.tenantId, t.parentLotId, t.childLotId),
    index('lot_genealogy_backward_idx').on(t.tenantId, t.childLotId, t.parentLotId),
    uniqueIndex('lot_genealogy_order_key')
      .on(t.tenantId, t.productionOrderId, t.parentLotId, t.childLotId)
      .where(sql`${t.kind} = 'production'`),
    uniqueIndex('lot_genealogy_act_key')
      .on(t.tenantId, t.groupId, t.parentLotId, t.childLotId)
      .where(sql`${t.kind} <> 'production'`),
    index('lot_genealogy_group_idx').on(t.tenantId, t.groupId),
    index('lot_genealogy_plant_idx').on(t.tenantId, t.plantId),
    index('lot_genealogy_movement_idx').on(t.tenantId, t.movementId),
    check('lot_genealogy_kind_check', inList(t.kind, genealogyKinds)),
    check('lot_genealogy_quantity_check', sql`${t.quantity} > 0`),
    check('lot_genealogy_not_self_check', sql`${t.parentLotId} <> ${t.childLotId}`),
    check(
      'lot_genealogy_order_check',
      sql`(${t.kind} = 'production') = (${t.productionOrderId} is not null)`,
    ),
    check('lot_genealogy_act_group_check', sql`${t.kind} = 'production' or ${t.groupId} is not null`),
    foreignKey({
      name: 'lot_genealogy_plant_fk',
      columns: [t.tenantId, t.plantId],
      foreignColumns: [plants.tenantId, plants.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'lot_genealogy_parent_fk',
      columns: [t.tenantId, t.parentLotId],
      foreignColumns: [materialLots.tenantId, materialLots.id],
    }),
    foreignKey({
      name: 'lot_genealogy_child_fk',
      columns: [t.tenantId, t.childLotId],
      foreignColumns: [materialLots.tenantId, materialLots.id],
    }),
    foreignKey({
      name: 'lot_genealogy_order_fk',
      columns: [t.tenantId, t.productionOrderId],
      foreignColumns: [productionOrders.tenantId, productionOrders.id],
    }),
    foreignKey({
      name: 'lot_genealogy_movement_fk',
      columns: [t.tenantId, t.movementId],
      foreignColumns: [inventoryMovements.tenantId, inventoryMovements.id],
    }),
  ],
);

import { sql } from 'drizzle-orm';
import {
  check,
  date,
  foreignKey,
  index,
  numeric,
  pgTable,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { idColumn, inList } from './columns.js';
import { plants, tenants, users } from './identity.js';
import { inventoryLocations, materialLots, materials } from './materials.js';
import { productionOrders } from './production-orders.js';

/*
 * The stock ledger (docs/materials.md, "The ledger"): inventory_movements is append-only — the
 * database refuses UPDATE, DELETE and TRUNCATE — and a correction is a reversing movement. Two
 * rollups are maintained by a trigger in the same transaction as each movement: per UTC day, so a
 * balance as of any instant is the days before it plus the raw rows of its own day, and the current
 * balance, the row a movement locks to check for negative stock.
 */

export const movementKinds = [
  'receipt',
  'issue',
  'transfer_out',
  'transfer_in',
  'consumption',
  'production',
  'scrap',
  'adjustment',
  'reversal',
] as const;
export type MovementKind = (typeof movementKinds)[number];

export const inventoryMovements = pgTable(
  'inventory_movements',
  {
    id: idColumn(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    plantId: uuid('plant_id').notNull(),
    /** When the stock moved; earlier than `recordedAt` for a movement booked after the fact. */
    time: timestamp('time', { withTimezone: true }).notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
    kind: text('kind', { enum: movementKinds }).notNull(),
    materialId: uuid('material_id').notNull(),
    /** Null for a material that is not lot-tracked. */
    lotId: uuid('lot_id'),
    locationId: uuid('location_id').notNull(),
    /** In the material's base unit: positive into the location, negative out of it. */
    quantity: numeric('quantity').notNull(),
    /** The rows of one act: a transfer's two, a consumption with its production, a reversal's rows. */
    groupId: uuid('group_id'),
    /** The row a reversal undoes; each row is reversed at most once. */
    reversesId: uuid('reverses_id'),
    productionOrderId: uuid('production_order_id'),
    /** The order number as the scan or count carried it, kept when no order row matches. */
    orderCode: text('order_code'),
    note: text('note').notNull().default(''),
    recordedBy: uuid('recorded_by'),
  },
  (t) => [
    unique('inventory_movements_tenant_id_id_key').on(t.tenantId, t.id),
    uniqueIndex('inventory_movements_reverses_key').on(t.tenantId, t.reversesId),
    index('inventory_movements_stock_idx').on(t.tenantId, t.materialId, t.lotId, t.locationId, t.time),
    index('inventory_movements_history_idx').on(t.tenantId, t.plantId, t.time.desc(), t.id.desc()),
    index('inventory_movements_lot_idx').on(t.tenantId, t.lotId),
    index('inventory_movements_location_idx').on(t.tenantId, t.plantId, t.locationId, t.time),
    index('inventory_movements_group_idx').on(t.tenantId, t.groupId),
    index('inventory_movements_order_idx').on(t.tenantId, t.productionOrderId),
    index('inventory_movements_recorded_by_idx').on(t.tenantId, t.recordedBy),
    check('inventory_movements_kind_check', inList(t.kind, movementKinds)),
    check('inventory_movements_quantity_check', sql`${t.quantity} <> 0`),
    check(
      'inventory_movements_reversal_check',
      sql`(${t.kind} = 'reversal') = (${t.reversesId} is not null)`,
    ),
    foreignKey({
      name: 'inventory_movements_plant_fk',
      columns: [t.tenantId, t.plantId],
      foreignColumns: [plants.tenantId, plants.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'inventory_movements_material_fk',
      columns: [t.tenantId, t.materialId],
      foreignColumns: [materials.tenantId, materials.id],
    }),
    // The lot is one of the material's, the location one of the movement's plant.
    foreignKey({
      name: 'inventory_movements_lot_fk',
      columns: [t.tenantId, t.materialId, t.lotId],
      foreignColumns: [materialLots.tenantId, materialLots.materialId, materialLots.id],
    }),
    foreignKey({
      name: 'inventory_movements_location_fk',
      columns: [t.tenantId, t.plantId, t.locationId],
      foreignColumns: [inventoryLocations.tenantId, inventoryLocations.plantId, inventoryLocations.id],
    }),
    foreignKey({
      name: 'inventory_movements_reverses_fk',
      columns: [t.tenantId, t.reversesId],
      foreignColumns: [t.tenantId, t.id],
    }),
    foreignKey({
      name: 'inventory_movements_order_fk',
      columns: [t.tenantId, t.productionOrderId],
      foreignColumns: [productionOrders.tenantId, productionOrders.id],
    }),
    foreignKey({
      name: 'inventory_movements_recorded_by_fk',
      columns: [t.tenantId, t.recordedBy],
      foreignColumns: [users.tenantId, users.id],
    }),
  ],
);

/** The stock of one material, lot and location moved on one UTC day. */
export const inventoryBalanceDays = pgTable(
  'inventory_balance_days',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    plantId: uuid('plant_id').notNull(),
    materialId: uuid('material_id').notNull(),
    lotId: uuid('lot_id'),
    locationId: uuid('location_id').notNull(),
    day: date('day').notNull(),
    quantity: numeric('quantity').notNull(),
  },
  (t) => [
    unique('inventory_balance_days_key')
      .on(t.tenantId, t.materialId, t.lotId, t.locationId, t.day)
      .nullsNotDistinct(),
    index('inventory_balance_days_location_idx').on(t.tenantId, t.plantId, t.locationId, t.day),
    index('inventory_balance_days_lot_idx').on(t.tenantId, t.lotId, t.day),
    foreignKey({
      name: 'inventory_balance_days_location_fk',
      columns: [t.tenantId, t.plantId, t.locationId],
      foreignColumns: [inventoryLocations.tenantId, inventoryLocations.plantId, inventoryLocations.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'inventory_balance_days_material_fk',
      columns: [t.tenantId, t.materialId],
      foreignColumns: [materials.tenantId, materials.id],
    }),
  ],
);

/** The stock of one material, lot and location now: the row a movement locks before it is checked. */
export const inventoryBalances = pgTable(
  'inventory_balances',
  {
    id: idColumn(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    plantId: uuid('plant_id').notNull(),
    materialId: uuid('material_id').notNull(),
    lotId: uuid('lot_id'),
    locationId: uuid('location_id').notNull(),
    quantity: numeric('quantity').notNull().default('0'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('inventory_balances_key').on(t.tenantId, t.materialId, t.lotId, t.locationId).nullsNotDistinct(),
    index('inventory_balances_location_idx').on(t.tenantId, t.plantId, t.locationId),
    index('inventory_balances_lot_idx').on(t.tenantId, t.lotId),
    foreignKey({
      name: 'inventory_balances_location_fk',
      columns: [t.tenantId, t.plantId, t.locationId],
      foreignColumns: [inventoryLocations.tenantId, inventoryLocations.plantId, inventoryLocations.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'inventory_balances_material_fk',
      columns: [t.tenantId, t.materialId],
      foreignColumns: [materials.tenantId, materials.id],
    }),
  ],
);

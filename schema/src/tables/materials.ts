import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  date,
  foreignKey,
  index,
  integer,
  numeric,
  pgTable,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAtColumn, idColumn, inList } from './columns.js';
import { plants, tenants } from './identity.js';
import { lines } from './masterdata.js';
import { products } from './production.js';

/*
 * Materials and where they are kept (docs/materials.md): units and their conversions, materials
 * (every product has its finished material, linked by product_id), the plant → warehouse → bin tree
 * of inventory locations, lots and serial numbers. Units, materials, lots and serials are the
 * tenant's: a lot made in one plant is received in another. Locations belong to one plant.
 */

export const unitDimensions = ['count', 'mass', 'length', 'volume', 'time'] as const;
export type UnitDimension = (typeof unitDimensions)[number];

export const units = pgTable(
  'units',
  {
    id: idColumn(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    /** What quantities name (pcs, kg, m); fixed once made, since materials and conversions refer to it. */
    code: text('code').notNull(),
    name: text('name').notNull(),
    dimension: text('dimension', { enum: unitDimensions }).notNull(),
    createdAt: createdAtColumn(),
  },
  (t) => [
    unique('units_tenant_id_id_key').on(t.tenantId, t.id),
    unique('units_tenant_code_key').on(t.tenantId, t.code),
    check('units_dimension_check', inList(t.dimension, unitDimensions)),
  ],
);

export const materialKinds = ['raw', 'semi_finished', 'finished', 'packaging'] as const;
export type MaterialKind = (typeof materialKinds)[number];

export const materials = pgTable(
  'materials',
  {
    id: idColumn(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    code: text('code').notNull(),
    name: text('name').notNull(),
    kind: text('kind', { enum: materialKinds }).notNull(),
    /** Every movement's quantity is in this unit; fixed once made, so the ledger adds like with like. */
    baseUnit: text('base_unit').notNull(),
    lotTracked: boolean('lot_tracked').notNull().default(false),
    serialTracked: boolean('serial_tracked').notNull().default(false),
    shelfLifeDays: integer('shelf_life_days'),
    gtin: text('gtin'),
    /** The product this is the finished material of (one each); null for every other material. */
    productId: uuid('product_id'),
    isActive: boolean('is_active').notNull().default(true),
    createdAt: createdAtColumn(),
  },
  (t) => [
    unique('materials_tenant_id_id_key').on(t.tenantId, t.id),
    unique('materials_tenant_code_key').on(t.tenantId, t.code),
    uniqueIndex('materials_product_key').on(t.tenantId, t.productId),
    uniqueIndex('materials_gtin_key').on(t.tenantId, t.gtin),
    index('materials_base_unit_idx').on(t.tenantId, t.baseUnit),
    check('materials_kind_check', inList(t.kind, materialKinds)),
    check('materials_gtin_check', sql`${t.gtin} is null or ${t.gtin} ~ '^[0-9]{14}$'`),
    check('materials_shelf_life_check', sql`${t.shelfLifeDays} is null or ${t.shelfLifeDays} > 0`),
    check('materials_product_kind_check', sql`${t.productId} is null or ${t.kind} = 'finished'`),
    foreignKey({
      name: 'materials_base_unit_fk',
      columns: [t.tenantId, t.baseUnit],
      foreignColumns: [units.tenantId, units.code],
    }),
    foreignKey({
      name: 'materials_product_fk',
      columns: [t.tenantId, t.productId],
      foreignColumns: [products.tenantId, products.id],
    }),
  ],
);

export const unitConversions = pgTable(
  'unit_conversions',
  {
    id: idColumn(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    /** One `fromUnit` is `factor` of `toUnit`. */
    fromUnit: text('from_unit').notNull(),
    toUnit: text('to_unit').notNull(),
    factor: numeric('factor').notNull(),
    /** Set for a conversion that holds for this material only (a bag of this resin weighs 25 kg). */
    materialId: uuid('material_id'),
    createdAt: createdAtColumn(),
  },
  (t) => [
    unique('unit_conversions_key').on(t.tenantId, t.fromUnit, t.toUnit, t.materialId).nullsNotDistinct(),
    index('unit_conversions_to_idx').on(t.tenantId, t.toUnit),
    index('unit_conversions_material_idx').on(t.tenantId, t.materialId),
    check('unit_conversions_factor_check', sql`${t.factor} > 0`),
    check('unit_conversions_units_check', sql`${t.fromUnit} <> ${t.toUnit}`),
    foreignKey({
      name: 'unit_conversions_from_fk',
      columns: [t.tenantId, t.fromUnit],
      foreignColumns: [units.tenantId, units.code],
    }),
    foreignKey({
      name: 'unit_conversions_to_fk',
      columns: [t.tenantId, t.toUnit],
      foreignColumns: [units.tenantId, units.code],
    }),
    foreignKey({
      name: 'unit_conversions_material_fk',
      columns: [t.tenantId, t.materialId],
      foreignColumns: [materials.tenantId, materials.id],
    }).onDelete('cascade'),
  ],
);

export const locationKinds = ['warehouse', 'bin', 'transit', 'production', 'receiving', 'shipping'] as const;
export type LocationKind = (typeof locationKinds)[number];

export const inventoryLocations = pgTable(
  'inventory_locations',
  {
    id: idColumn(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    plantId: uuid('plant_id').notNull(),
    /** The warehouse a bin is in; null at the top of the plant's tree. Always in the same plant. */
    parentId: uuid('parent_id'),
    code: text('code').notNull(),
    name: text('name').notNull(),
    kind: text('kind', { enum: locationKinds }).notNull(),
    /** A location whose stock may go below zero (a production floor booked after the fact). */
    allowNegative: boolean('allow_negative').notNull().default(false),
    /**
     * The line a production location stocks: its line side, where scans with `action: consume` at the
     * line's machines take their lots from (docs/materials.md, "Consuming at a machine").
     */
    lineId: uuid('line_id'),
    isActive: boolean('is_active').notNull().default(true),
    createdAt: createdAtColumn(),
  },
  (t) => [
    unique('inventory_locations_tenant_id_id_key').on(t.tenantId, t.id),
    unique('inventory_locations_plant_id_key').on(t.tenantId, t.plantId, t.id),
    unique('inventory_locations_plant_code_key').on(t.tenantId, t.plantId, t.code),
    index('inventory_locations_parent_idx').on(t.tenantId, t.plantId, t.parentId),
    // One line side per line, so a machine's consumption never has to guess where to take from.
    uniqueIndex('inventory_locations_line_key')
      .on(t.tenantId, t.plantId, t.lineId)
      .where(sql`${t.lineId} is not null`),
    check('inventory_locations_line_check', sql`${t.lineId} is null or ${t.kind} = 'production'`),
    check('inventory_locations_kind_check', inList(t.kind, locationKinds)),
    check('inventory_locations_parent_check', sql`${t.parentId} is null or ${t.parentId} <> ${t.id}`),
    foreignKey({
      name: 'inventory_locations_plant_fk',
      columns: [t.tenantId, t.plantId],
      foreignColumns: [plants.tenantId, plants.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'inventory_locations_parent_fk',
      columns: [t.tenantId, t.plantId, t.parentId],
      foreignColumns: [t.tenantId, t.plantId, t.id],
    }),
    foreignKey({
      name: 'inventory_locations_line_fk',
      columns: [t.tenantId, t.plantId, t.lineId],
      foreignColumns: [lines.tenantId, lines.plantId, lines.id],
    }),
  ],
);

export const lotStatuses = ['released', 'quarantine', 'blocked', 'consumed'] as const;
export type LotStatus = (typeof lotStatuses)[number];

export const materialLots = pgTable(
  'material_lots',
  {
    id: idColumn(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    /** Where the lot was made or received; it may move on to other plants. */
    plantId: uuid('plant_id').notNull(),
    materialId: uuid('material_id').notNull(),
    lotCode: text('lot_code').notNull(),
    supplierLot: text('supplier_lot'),
    supplier: text('supplier'),
    expiresOn: date('expires_on'),
    producedAt: timestamp('produced_at', { withTimezone: true }),
    status: text('status', { enum: lotStatuses }).notNull().default('released'),
    /** Why the status is what it is, as its last changer gave it. */
    statusReason: text('status_reason').notNull().default(''),
    createdAt: createdAtColumn(),
  },
  (t) => [
    unique('material_lots_tenant_id_id_key').on(t.tenantId, t.id),
    unique('material_lots_material_id_key').on(t.tenantId, t.materialId, t.id),
    unique('material_lots_code_key').on(t.tenantId, t.materialId, t.lotCode),
    index('material_lots_supplier_lot_idx').on(t.tenantId, t.supplierLot),
    index('material_lots_plant_idx').on(t.tenantId, t.plantId),
    check('material_lots_status_check', inList(t.status, lotStatuses)),
    foreignKey({
      name: 'material_lots_plant_fk',
      columns: [t.tenantId, t.plantId],
      foreignColumns: [plants.tenantId, plants.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'material_lots_material_fk',
      columns: [t.tenantId, t.materialId],
      foreignColumns: [materials.tenantId, materials.id],
    }),
  ],
);

export const serialStatuses = ['in_stock', 'consumed', 'shipped', 'scrapped'] as const;
export type SerialStatus = (typeof serialStatuses)[number];

export const serialNumbers = pgTable(
  'serial_numbers',
  {
    id: idColumn(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    /** Where the unit was made or received. */
    plantId: uuid('plant_id').notNull(),
    materialId: uuid('material_id').notNull(),
    serial: text('serial').notNull(),
    lotId: uuid('lot_id'),
    status: text('status', { enum: serialStatuses }).notNull().default('in_stock'),
    createdAt: createdAtColumn(),
  },
  (t) => [
    unique('serial_numbers_tenant_id_id_key').on(t.tenantId, t.id),
    unique('serial_numbers_serial_key').on(t.tenantId, t.materialId, t.serial),
    index('serial_numbers_lot_idx').on(t.tenantId, t.materialId, t.lotId),
    index('serial_numbers_plant_idx').on(t.tenantId, t.plantId),
    check('serial_numbers_status_check', inList(t.status, serialStatuses)),
    foreignKey({
      name: 'serial_numbers_plant_fk',
      columns: [t.tenantId, t.plantId],
      foreignColumns: [plants.tenantId, plants.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'serial_numbers_material_fk',
      columns: [t.tenantId, t.materialId],
      foreignColumns: [materials.tenantId, materials.id],
    }),
    // A serial's lot is a lot of the same material.
    foreignKey({
      name: 'serial_numbers_lot_fk',
      columns: [t.tenantId, t.materialId, t.lotId],
      foreignColumns: [materialLots.tenantId, materialLots.materialId, materialLots.id],
    }),
  ],
);

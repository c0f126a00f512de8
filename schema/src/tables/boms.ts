import { sql } from 'drizzle-orm';
import {
  boolean,
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
import { tenants } from './identity.js';
import { materials, units } from './materials.js';

/*
 * Bills of materials (docs/materials.md, "BOMs"). A BOM is one version of what makes `base_quantity`
 * of a material; a released version is frozen and effective over [valid_from, valid_to), and the
 * released versions of a material never overlap.
 */

export const bomStatuses = ['draft', 'released', 'obsolete'] as const;
export type BomStatus = (typeof bomStatuses)[number];

export const boms = pgTable(
  'boms',
  {
    id: idColumn(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    /** The material the BOM makes. */
    materialId: uuid('material_id').notNull(),
    /** 1, 2, 3 … per material; a new version starts as a copy of the latest. */
    version: integer('version').notNull(),
    /** The material's code and the version (`BRK-100/2`), what search and lists show. */
    code: text('code').notNull(),
    name: text('name').notNull(),
    status: text('status', { enum: bomStatuses }).notNull().default('draft'),
    /** How much of the material, in its base unit, the items' quantities make. */
    baseQuantity: numeric('base_quantity').notNull(),
    /** Effective from (inclusive) to (exclusive); valid_from is set when the version is released. */
    validFrom: timestamp('valid_from', { withTimezone: true }),
    validTo: timestamp('valid_to', { withTimezone: true }),
    /** Whether orders made with this BOM backflush on completion unless the order says otherwise. */
    backflush: boolean('backflush').notNull().default(false),
    note: text('note').notNull().default(''),
    createdAt: createdAtColumn(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('boms_tenant_id_id_key').on(t.tenantId, t.id),
    unique('boms_version_key').on(t.tenantId, t.materialId, t.version),
    unique('boms_code_key').on(t.tenantId, t.code),
    index('boms_effective_idx').on(t.tenantId, t.materialId, t.status, t.validFrom),
    check('boms_status_check', inList(t.status, bomStatuses)),
    check('boms_version_check', sql`${t.version} > 0`),
    check('boms_base_quantity_check', sql`${t.baseQuantity} > 0`),
    check(
      'boms_validity_check',
      sql`${t.validFrom} is null or ${t.validTo} is null or ${t.validFrom} < ${t.validTo}`,
    ),
    check('boms_released_check', sql`${t.status} = 'draft' or ${t.validFrom} is not null`),
    foreignKey({
      name: 'boms_material_fk',
      columns: [t.tenantId, t.materialId],
      foreignColumns: [materials.tenantId, materials.id],
    }),
  ],
);

export const bomItems = pgTable(
  'bom_items',
  {
    id: idColumn(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    bomId: uuid('bom_id').notNull(),
    position: integer('position').notNull(),
    /** The component. */
    materialId: uuid('material_id').notNull(),
    /** How much of the component, in `unit`, the BOM's base quantity takes before scrap. */
    quantity: numeric('quantity').notNull(),
    unit: text('unit').notNull(),
    /** Percent of the quantity lost in making, added on top: 5 means 1.05 times the quantity. */
    scrapPercent: numeric('scrap_percent').notNull().default('0'),
    /** Consumed by backflush when the order completes rather than booked by hand. */
    backflush: boolean('backflush').notNull().default(false),
    createdAt: createdAtColumn(),
  },
  (t) => [
    unique('bom_items_tenant_id_id_key').on(t.tenantId, t.id),
    unique('bom_items_component_key').on(t.tenantId, t.bomId, t.materialId),
    index('bom_items_material_idx').on(t.tenantId, t.materialId),
    index('bom_items_unit_idx').on(t.tenantId, t.unit),
    check('bom_items_quantity_check', sql`${t.quantity} > 0`),
    check('bom_items_scrap_check', sql`${t.scrapPercent} >= 0 and ${t.scrapPercent} <= 100`),
    foreignKey({
      name: 'bom_items_bom_fk',
      columns: [t.tenantId, t.bomId],
      foreignColumns: [boms.tenantId, boms.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'bom_items_material_fk',
      columns: [t.tenantId, t.materialId],
      foreignColumns: [materials.tenantId, materials.id],
    }),
    foreignKey({
      name: 'bom_items_unit_fk',
      columns: [t.tenantId, t.unit],
      foreignColumns: [units.tenantId, units.code],
    }),
  ],
);

import { sql } from 'drizzle-orm';
import {
  check,
  foreignKey,
  index,
  integer,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAtColumn, idColumn } from './columns.js';
import { plants, tenants, users } from './identity.js';
import { lines, machines } from './masterdata.js';
import { products } from './production.js';
import { productionOrders } from './production-orders.js';
import { defectCodes, inspections } from './quality.js';

/*
 * Non-conformance reports (docs/ncrs.md). An NCR is a plant's record of something that did not
 * conform: what, where, how much, what was done to contain it, why it happened and what becomes of
 * the affected material (the disposition). Its workflow (draft → … → closed) runs in the workflow
 * engine; `status` mirrors the instance's state so lists and search can filter without a join.
 */

/** What becomes of the non-conforming material (MRB dispositions). */
export const ncrDispositions = [
  'use_as_is',
  'rework',
  'scrap',
  'return_to_supplier',
  'false_nonconformance',
] as const;
export type NcrDisposition = (typeof ncrDispositions)[number];

export const ncrs = pgTable(
  'ncrs',
  {
    id: idColumn(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    plantId: uuid('plant_id').notNull(),
    /** From the `ncr` numbering scheme (NCR-{plant}-{yyyy}-{seq:5} unless configured otherwise). */
    number: text('number').notNull(),
    title: text('title').notNull(),
    /** The workflow state's key. */
    status: text('status').notNull().default('draft'),
    lineId: uuid('line_id'),
    machineId: uuid('machine_id'),
    productId: uuid('product_id'),
    productionOrderId: uuid('production_order_id'),
    lot: text('lot'),
    serial: text('serial'),
    defectCodeId: uuid('defect_code_id'),
    quantityAffected: numeric('quantity_affected'),
    description: text('description').notNull().default(''),
    containment: text('containment').notNull().default(''),
    rootCause: text('root_cause').notNull().default(''),
    disposition: text('disposition', { enum: ncrDispositions }),
    /** Cost of the non-conformance in the tenant's currency. */
    cost: numeric('cost'),
    /** Who is responsible for it now; a workflow can name this field as who may act. */
    ownerId: uuid('owner_id'),
    raisedBy: uuid('raised_by'),
    /** Row version: edits carry the one they saw. */
    version: integer('version').notNull().default(1),
    createdAt: createdAtColumn(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('ncrs_tenant_id_id_key').on(t.tenantId, t.id),
    unique('ncrs_tenant_plant_id_key').on(t.tenantId, t.plantId, t.id),
    unique('ncrs_tenant_number_key').on(t.tenantId, t.number),
    index('ncrs_created_idx').on(t.tenantId, t.createdAt.desc(), t.id.desc()),
    index('ncrs_plant_status_idx').on(t.tenantId, t.plantId, t.status),
    index('ncrs_machine_idx').on(t.tenantId, t.machineId),
    index('ncrs_line_idx').on(t.tenantId, t.plantId, t.lineId),
    index('ncrs_product_idx').on(t.tenantId, t.productId),
    index('ncrs_order_idx').on(t.tenantId, t.productionOrderId),
    index('ncrs_defect_idx').on(t.tenantId, t.defectCodeId),
    index('ncrs_owner_idx').on(t.tenantId, t.ownerId),
    check(
      'ncrs_disposition_check',
      sql.raw(
        `"disposition" is null or "disposition" in (${ncrDispositions.map((d) => `'${d}'`).join(', ')})`,
      ),
    ),
    check('ncrs_quantity_check', sql`${t.quantityAffected} is null or ${t.quantityAffected} >= 0`),
    check('ncrs_cost_check', sql`${t.cost} is null or ${t.cost} >= 0`),
    foreignKey({
      name: 'ncrs_plant_fk',
      columns: [t.tenantId, t.plantId],
      foreignColumns: [plants.tenantId, plants.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'ncrs_line_fk',
      columns: [t.tenantId, t.plantId, t.lineId],
      foreignColumns: [lines.tenantId, lines.plantId, lines.id],
    }),
    foreignKey({
      name: 'ncrs_machine_fk',
      columns: [t.tenantId, t.machineId],
      foreignColumns: [machines.tenantId, machines.id],
    }),
    foreignKey({
      name: 'ncrs_product_fk',
      columns: [t.tenantId, t.productId],
      foreignColumns: [products.tenantId, products.id],
    }),
    foreignKey({
      name: 'ncrs_order_fk',
      columns: [t.tenantId, t.productionOrderId],
      foreignColumns: [productionOrders.tenantId, productionOrders.id],
    }),
    foreignKey({
      name: 'ncrs_defect_fk',
      columns: [t.tenantId, t.defectCodeId],
      foreignColumns: [defectCodes.tenantId, defectCodes.id],
    }),
    foreignKey({
      name: 'ncrs_owner_fk',
      columns: [t.tenantId, t.ownerId],
      foreignColumns: [users.tenantId, users.id],
    }),
  ],
);

/** The inspections an NCR is about (one failed result raises one; more can be linked). */
export const ncrInspections = pgTable(
  'ncr_inspections',
  {
    tenantId: uuid('tenant_id').notNull(),
    plantId: uuid('plant_id').notNull(),
    ncrId: uuid('ncr_id').notNull(),
    inspectionId: uuid('inspection_id').notNull(),
    createdAt: createdAtColumn(),
  },
  (t) => [
    primaryKey({ name: 'ncr_inspections_pkey', columns: [t.tenantId, t.plantId, t.ncrId, t.inspectionId] }),
    index('ncr_inspections_inspection_idx').on(t.tenantId, t.plantId, t.inspectionId),
    // Both references include the plant: an NCR links only its own plant's inspections.
    foreignKey({
      name: 'ncr_inspections_ncr_fk',
      columns: [t.tenantId, t.plantId, t.ncrId],
      foreignColumns: [ncrs.tenantId, ncrs.plantId, ncrs.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'ncr_inspections_inspection_fk',
      columns: [t.tenantId, t.plantId, t.inspectionId],
      foreignColumns: [inspections.tenantId, inspections.plantId, inspections.id],
    }).onDelete('cascade'),
  ],
);

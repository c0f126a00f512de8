import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  doublePrecision,
  foreignKey,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAtColumn, idColumn } from './columns.js';
import { plants, tenants, users } from './identity.js';
import { lines } from './masterdata.js';
import { products } from './production.js';

/*
 * Routings and quality records for FPY and RTY (docs/kpis.md): FPY = units passing their first
 * inspection without rework / units inspected, per product, operation and period; RTY = the product
 * of FPY over a routing's operations. Routings, plans and defect codes are tenant-wide catalogues;
 * inspections and their results are plant-scoped records.
 *
 * Inspections are an ordinary table, not a hypertable: one row per unit (or lot) and operation is
 * thousands a day, not events per second; results and re-inspections reference them by foreign key
 * (a hypertable cannot be the target of one); and the "one first attempt per unit" unique indexes
 * could not be enforced on a hypertable, whose unique indexes must contain the time column.
 */

/** The ordered operations a product goes through (10, 20, 30 …). */
export const routings = pgTable(
  'routings',
  {
    id: idColumn(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    productId: uuid('product_id').notNull(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    isActive: boolean('is_active').notNull().default(true),
    createdAt: createdAtColumn(),
  },
  (t) => [
    unique('routings_tenant_id_id_key').on(t.tenantId, t.id),
    unique('routings_tenant_code_key').on(t.tenantId, t.code),
    index('routings_product_idx').on(t.tenantId, t.productId),
    foreignKey({
      name: 'routings_product_fk',
      columns: [t.tenantId, t.productId],
      foreignColumns: [products.tenantId, products.id],
    }).onDelete('cascade'),
  ],
);

export const routingOperations = pgTable(
  'routing_operations',
  {
    id: idColumn(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    routingId: uuid('routing_id').notNull(),
    /** Position in the routing; gaps (10, 20, 30) leave room for inserted operations. */
    sequence: integer('sequence').notNull(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    /** Where it is usually done, if on a line. Informational: inspections name their own plant. */
    lineId: uuid('line_id'),
    createdAt: createdAtColumn(),
  },
  (t) => [
    unique('routing_operations_tenant_id_id_key').on(t.tenantId, t.id),
    // Also the index of the routing foreign key.
    unique('routing_operations_routing_sequence_key').on(t.tenantId, t.routingId, t.sequence),
    unique('routing_operations_routing_code_key').on(t.tenantId, t.routingId, t.code),
    index('routing_operations_line_idx').on(t.tenantId, t.lineId),
    foreignKey({
      name: 'routing_operations_routing_fk',
      columns: [t.tenantId, t.routingId],
      foreignColumns: [routings.tenantId, routings.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'routing_operations_line_fk',
      columns: [t.tenantId, t.lineId],
      foreignColumns: [lines.tenantId, lines.id],
    }),
    check('routing_operations_sequence_check', sql`${t.sequence} > 0`),
  ],
);

export const defectSeverities = ['minor', 'major', 'critical'] as const;
export type DefectSeverity = (typeof defectSeverities)[number];

export const defectCodes = pgTable(
  'defect_codes',
  {
    id: idColumn(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    code: text('code').notNull(),
    name: text('name').notNull(),
    category: text('category').notNull().default('other'),
    severity: text('severity', { enum: defectSeverities }).notNull().default('major'),
    isActive: boolean('is_active').notNull().default(true),
    createdAt: createdAtColumn(),
  },
  (t) => [
    unique('defect_codes_tenant_id_id_key').on(t.tenantId, t.id),
    unique('defect_codes_tenant_code_key').on(t.tenantId, t.code),
    check(
      'defect_codes_severity_check',
      sql.raw(`"severity" in (${defectSeverities.map((s) => `'${s}'`).join(', ')})`),
    ),
  ],
);

/** What to check on a product at an operation. */
export const inspectionPlans = pgTable(
  'inspection_plans',
  {
    id: idColumn(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    code: text('code').notNull(),
    name: text('name').notNull(),
    productId: uuid('product_id').notNull(),
    operationId: uuid('operation_id').notNull(),
    isActive: boolean('is_active').notNull().default(true),
    createdAt: createdAtColumn(),
  },
  (t) => [
    unique('inspection_plans_tenant_id_id_key').on(t.tenantId, t.id),
    unique('inspection_plans_tenant_code_key').on(t.tenantId, t.code),
    index('inspection_plans_product_idx').on(t.tenantId, t.productId),
    index('inspection_plans_operation_idx').on(t.tenantId, t.operationId),
    foreignKey({
      name: 'inspection_plans_product_fk',
      columns: [t.tenantId, t.productId],
      foreignColumns: [products.tenantId, products.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'inspection_plans_operation_fk',
      columns: [t.tenantId, t.operationId],
      foreignColumns: [routingOperations.tenantId, routingOperations.id],
    }).onDelete('cascade'),
  ],
);

export const characteristicKinds = ['attribute', 'variable'] as const;

/**
 * One characteristic of a plan: an attribute (pass/fail by eye or gauge) or a variable (a measured
 * value against limits).
 */
export const inspectionCharacteristics = pgTable(
  'inspection_characteristics',
  {
    id: idColumn(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    planId: uuid('plan_id').notNull(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    kind: text('kind', { enum: characteristicKinds }).notNull(),
    unit: text('unit'),
    nominal: doublePrecision('nominal'),
    lowerLimit: doublePrecision('lower_limit'),
    upperLimit: doublePrecision('upper_limit'),
    createdAt: createdAtColumn(),
  },
  (t) => [
    unique('inspection_characteristics_tenant_id_id_key').on(t.tenantId, t.id),
    // Also the index of the plan foreign key.
    unique('inspection_characteristics_plan_code_key').on(t.tenantId, t.planId, t.code),
    foreignKey({
      name: 'inspection_characteristics_plan_fk',
      columns: [t.tenantId, t.planId],
      foreignColumns: [inspectionPlans.tenantId, inspectionPlans.id],
    }).onDelete('cascade'),
    check(
      'inspection_characteristics_kind_check',
      sql.raw(`"kind" in (${characteristicKinds.map((k) => `'${k}'`).join(', ')})`),
    ),
    check(
      'inspection_characteristics_limits_check',
      sql`${t.lowerLimit} is null or ${t.upperLimit} is null or ${t.lowerLimit} <= ${t.upperLimit}`,
    ),
  ],
);

export const inspectionVerdicts = ['pass', 'fail'] as const;
export type InspectionVerdict = (typeof inspectionVerdicts)[number];

/**
 * One inspection of one unit (serial) or lot at one operation. `attempt` 1 is the first inspection;
 * a re-inspection (after rework, `after_rework`) has the next attempt and names the inspection it
 * follows. FPY counts attempt-1 rows and their results; a unit that needed a second attempt was not
 * first-pass, whatever the later result. The partial unique indexes keep one row per attempt and unit
 * (or lot), so concurrent recorders cannot both claim the first attempt.
 */
export const inspections = pgTable(
  'inspections',
  {
    id: idColumn(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    plantId: uuid('plant_id').notNull(),
    productId: uuid('product_id').notNull(),
    operationId: uuid('operation_id').notNull(),
    planId: uuid('plan_id'),
    serial: text('serial'),
    lot: text('lot'),
    /** Units the record stands for: 1 for a serial, the inspected quantity for a lot. */
    quantity: integer('quantity').notNull().default(1),
    attempt: integer('attempt').notNull().default(1),
    afterRework: boolean('after_rework').notNull().default(false),
    previousInspectionId: uuid('previous_inspection_id'),
    result: text('result', { enum: inspectionVerdicts }).notNull(),
    inspectedAt: timestamp('inspected_at', { withTimezone: true }).notNull(),
    inspectorId: uuid('inspector_id'),
    note: text('note'),
    createdAt: createdAtColumn(),
  },
  (t) => [
    unique('inspections_tenant_id_id_key').on(t.tenantId, t.id),
    unique('inspections_tenant_plant_id_key').on(t.tenantId, t.plantId, t.id),
    // FPY per plant and period; also the plant foreign key's index.
    index('inspections_plant_time_idx').on(t.tenantId, t.plantId, t.inspectedAt),
    // FPY per product and operation; also the product foreign key's index.
    index('inspections_product_operation_idx').on(t.tenantId, t.productId, t.operationId, t.inspectedAt),
    index('inspections_operation_idx').on(t.tenantId, t.operationId),
    index('inspections_plan_idx').on(t.tenantId, t.planId),
    index('inspections_previous_idx').on(t.tenantId, t.plantId, t.previousInspectionId),
    index('inspections_inspector_idx').on(t.tenantId, t.inspectorId),
    uniqueIndex('inspections_serial_attempt_key')
      .on(t.tenantId, t.productId, t.operationId, t.serial, t.attempt)
      .where(sql`${t.serial} is not null`),
    uniqueIndex('inspections_lot_attempt_key')
      .on(t.tenantId, t.productId, t.operationId, t.lot, t.attempt)
      .where(sql`${t.lot} is not null`),
    foreignKey({
      name: 'inspections_plant_fk',
      columns: [t.tenantId, t.plantId],
      foreignColumns: [plants.tenantId, plants.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'inspections_product_fk',
      columns: [t.tenantId, t.productId],
      foreignColumns: [products.tenantId, products.id],
    }),
    foreignKey({
      name: 'inspections_operation_fk',
      columns: [t.tenantId, t.operationId],
      foreignColumns: [routingOperations.tenantId, routingOperations.id],
    }),
    foreignKey({
      name: 'inspections_plan_fk',
      columns: [t.tenantId, t.planId],
      foreignColumns: [inspectionPlans.tenantId, inspectionPlans.id],
    }),
    foreignKey({
      name: 'inspections_previous_fk',
      columns: [t.tenantId, t.plantId, t.previousInspectionId],
      foreignColumns: [t.tenantId, t.plantId, t.id],
    }),
    foreignKey({
      name: 'inspections_inspector_fk',
      columns: [t.tenantId, t.inspectorId],
      foreignColumns: [users.tenantId, users.id],
    }),
    check('inspections_unit_check', sql`(${t.serial} is null) <> (${t.lot} is null)`),
    check(
      'inspections_quantity_check',
      sql`${t.quantity} > 0 and (${t.serial} is null or ${t.quantity} = 1)`,
    ),
    check(
      'inspections_attempt_check',
      sql`${t.attempt} >= 1 and ((${t.attempt} = 1) = (${t.previousInspectionId} is null))`,
    ),
    check('inspections_result_check', sql.raw(`"result" in ('pass', 'fail')`)),
  ],
);

/** Per characteristic: the measured value or attribute verdict, and the defect found, if any. */
export const inspectionResults = pgTable(
  'inspection_results',
  {
    id: idColumn(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    plantId: uuid('plant_id').notNull(),
    inspectionId: uuid('inspection_id').notNull(),
    characteristicId: uuid('characteristic_id'),
    defectCodeId: uuid('defect_code_id'),
    measuredValue: doublePrecision('measured_value'),
    passed: boolean('passed').notNull(),
    note: text('note'),
    createdAt: createdAtColumn(),
  },
  (t) => [
    index('inspection_results_inspection_idx').on(t.tenantId, t.plantId, t.inspectionId),
    index('inspection_results_characteristic_idx').on(t.tenantId, t.characteristicId),
    index('inspection_results_defect_idx').on(t.tenantId, t.defectCodeId),
    foreignKey({
      name: 'inspection_results_inspection_fk',
      columns: [t.tenantId, t.plantId, t.inspectionId],
      foreignColumns: [inspections.tenantId, inspections.plantId, inspections.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'inspection_results_characteristic_fk',
      columns: [t.tenantId, t.characteristicId],
      foreignColumns: [inspectionCharacteristics.tenantId, inspectionCharacteristics.id],
    }),
    foreignKey({
      name: 'inspection_results_defect_fk',
      columns: [t.tenantId, t.defectCodeId],
      foreignColumns: [defectCodes.tenantId, defectCodes.id],
    }),
  ],
);

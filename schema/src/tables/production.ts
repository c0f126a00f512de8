import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  date,
  doublePrecision,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  smallint,
  text,
  time,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAtColumn, idColumn } from './columns.js';
import { plants, tenants } from './identity.js';
import { lines, machines } from './masterdata.js';

/*
 * Master data of the KPI engine (docs/kpis.md): what a state code means, how fast a machine should
 * be, and when a plant is planned to work. References are composite (tenant_id, …) foreign keys as
 * in identity.ts, so no row can point into another tenant past row-level security. Products,
 * reasons and the state mapping are tenant-wide (one catalogue for all plants); cycle times,
 * calendars and planned downtimes are plant-scoped for row-level security.
 */

/** The loss buckets of a machine's time (docs/kpis.md). A state code maps to exactly one. */
export const lossBuckets = ['running', 'performance_loss', 'availability_loss', 'planned_stop'] as const;
export type LossBucket = (typeof lossBuckets)[number];

const bucketCheck = (column: { name: string }) =>
  sql.raw(`"${column.name}" in (${lossBuckets.map((b) => `'${b}'`).join(', ')})`);

export const products = pgTable(
  'products',
  {
    id: idColumn(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    /** What count events carry in `product` (the simulator's BRK-100, …). */
    code: text('code').notNull(),
    name: text('name').notNull(),
    /** Unit of measure of a counted quantity: pcs, kg, m … */
    unit: text('unit').notNull().default('pcs'),
    /** The current revision; an approved change order bumps it (product_revisions keeps the history). */
    revision: text('revision').notNull().default('A'),
    /** The trade item's GTIN as 14 digits (shorter GTINs left-padded with zeros): AI (01)/(02). */
    gtin: text('gtin'),
    isActive: boolean('is_active').notNull().default(true),
    createdAt: createdAtColumn(),
  },
  (t) => [
    unique('products_tenant_id_id_key').on(t.tenantId, t.id),
    unique('products_tenant_code_key').on(t.tenantId, t.code),
    uniqueIndex('products_gtin_key').on(t.tenantId, t.gtin),
    check('products_gtin_check', sql`${t.gtin} is null or ${t.gtin} ~ '^[0-9]{14}$'`),
  ],
);

/**
 * PRI of ISO 22400 (planned run time per item), in seconds per unit. A row without product is the
 * machine's default, used for any product that has no row of its own on that machine: the KPI engine
 * looks up (machine, product) first, then (machine, null). NULLS NOT DISTINCT makes the default unique
 * per machine too. plant_id is the machine's (set by the procedures) so the rows follow plant access.
 */
export const idealCycleTimes = pgTable(
  'ideal_cycle_times',
  {
    id: idColumn(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    plantId: uuid('plant_id').notNull(),
    machineId: uuid('machine_id').notNull(),
    productId: uuid('product_id'),
    secondsPerUnit: doublePrecision('seconds_per_unit').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // Its leading columns also index the machine foreign key.
    unique('ideal_cycle_times_machine_product_key')
      .on(t.tenantId, t.machineId, t.productId)
      .nullsNotDistinct(),
    index('ideal_cycle_times_plant_idx').on(t.tenantId, t.plantId),
    index('ideal_cycle_times_product_idx').on(t.tenantId, t.productId),
    foreignKey({
      name: 'ideal_cycle_times_plant_fk',
      columns: [t.tenantId, t.plantId],
      foreignColumns: [plants.tenantId, plants.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'ideal_cycle_times_machine_fk',
      columns: [t.tenantId, t.machineId],
      foreignColumns: [machines.tenantId, machines.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'ideal_cycle_times_product_fk',
      columns: [t.tenantId, t.productId],
      foreignColumns: [products.tenantId, products.id],
    }).onDelete('cascade'),
    check('ideal_cycle_times_positive', sql`${t.secondsPerUnit} > 0 and ${t.secondsPerUnit} < 'Infinity'`),
  ],
);

/**
 * The per-tenant, editable mapping of machine state codes to loss buckets (docs/kpis.md; the API
 * calls its rows state codes). A state event whose code has no row here is the KPI engine's to
 * report as unmapped, never silently counted as running.
 */
export const stateLossMapping = pgTable(
  'state_loss_mapping',
  {
    id: idColumn(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    /** The `state` of state events (RUNNING, DOWN, …). */
    code: text('code').notNull(),
    name: text('name').notNull(),
    /** #rrggbb, for state timelines. */
    colour: text('colour').notNull(),
    bucket: text('bucket', { enum: lossBuckets }).notNull(),
    isActive: boolean('is_active').notNull().default(true),
    createdAt: createdAtColumn(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('state_loss_mapping_tenant_id_id_key').on(t.tenantId, t.id),
    unique('state_loss_mapping_tenant_code_key').on(t.tenantId, t.code),
    check('state_loss_mapping_bucket_check', bucketCheck(t.bucket)),
    check('state_loss_mapping_colour_check', sql`${t.colour} ~ '^#[0-9a-fA-F]{6}$'`),
  ],
);

/**
 * Why a machine stopped: the `reason` of state events. The bucket is where the reason's time
 * belongs when the state's own bucket does not decide it (e.g. a stop booked later by an operator);
 * the category groups reasons in Pareto charts.
 */
export const downtimeReasons = pgTable(
  'downtime_reasons',
  {
    id: idColumn(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    code: text('code').notNull(),
    name: text('name').notNull(),
    bucket: text('bucket', { enum: lossBuckets }).notNull(),
    category: text('category').notNull().default('other'),
    isActive: boolean('is_active').notNull().default(true),
    createdAt: createdAtColumn(),
  },
  (t) => [
    unique('downtime_reasons_tenant_id_id_key').on(t.tenantId, t.id),
    unique('downtime_reasons_tenant_code_key').on(t.tenantId, t.code),
    check('downtime_reasons_bucket_check', bucketCheck(t.bucket)),
  ],
);

/**
 * A plant's weekly shift calendar. Shift definitions are local wall-clock times in an IANA zone (by
 * default the plant's), so "06:00 every weekday" stays 06:00 across a daylight-saving change and the
 * shift that spans the change is one hour shorter or longer in real time — which is what the plant
 * works. Concrete instants are materialised into `shifts` by the generator.
 */
export const shiftPatterns = pgTable(
  'shift_patterns',
  {
    id: idColumn(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    plantId: uuid('plant_id').notNull(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    timezone: text('timezone').notNull(),
    isActive: boolean('is_active').notNull().default(true),
    createdAt: createdAtColumn(),
  },
  (t) => [
    unique('shift_patterns_tenant_id_id_key').on(t.tenantId, t.id),
    // The target of the definitions' plant-consistent reference.
    unique('shift_patterns_tenant_plant_id_key').on(t.tenantId, t.plantId, t.id),
    // Also the index of the plant foreign key.
    unique('shift_patterns_tenant_plant_code_key').on(t.tenantId, t.plantId, t.code),
    foreignKey({
      name: 'shift_patterns_plant_fk',
      columns: [t.tenantId, t.plantId],
      foreignColumns: [plants.tenantId, plants.id],
    }).onDelete('cascade'),
  ],
);

/** A planned break inside a shift, as minutes after the shift's start. */
export interface ShiftBreak {
  offsetMinutes: number;
  durationMinutes: number;
  /** A downtime reason code (BREAK, LUNCH …). */
  reason: string;
}

/** One shift of a weekly pattern: which weekdays (ISO, 1 = Monday) it starts on, when, for how long. */
export const shiftPatternShifts = pgTable(
  'shift_pattern_shifts',
  {
    id: idColumn(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    plantId: uuid('plant_id').notNull(),
    patternId: uuid('pattern_id').notNull(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    weekdays: smallint('weekdays').array().notNull(),
    /** Local wall-clock start in the pattern's zone. */
    startTime: time('start_time').notNull(),
    durationMinutes: integer('duration_minutes').notNull(),
    breaks: jsonb('breaks').$type<ShiftBreak[]>().notNull().default([]),
    createdAt: createdAtColumn(),
  },
  (t) => [
    unique('shift_pattern_shifts_tenant_id_id_key').on(t.tenantId, t.id),
    unique('shift_pattern_shifts_tenant_plant_id_key').on(t.tenantId, t.plantId, t.id),
    // Also the index of the pattern foreign key.
    unique('shift_pattern_shifts_pattern_code_key').on(t.tenantId, t.plantId, t.patternId, t.code),
    foreignKey({
      name: 'shift_pattern_shifts_pattern_fk',
      columns: [t.tenantId, t.plantId, t.patternId],
      foreignColumns: [shiftPatterns.tenantId, shiftPatterns.plantId, shiftPatterns.id],
    }).onDelete('cascade'),
    check('shift_pattern_shifts_duration_check', sql`${t.durationMinutes} between 1 and 1440`),
    check(
      'shift_pattern_shifts_weekdays_check',
      sql`cardinality(${t.weekdays}) > 0 and ${t.weekdays} <@ array[1,2,3,4,5,6,7]::smallint[]`,
    ),
  ],
);

/**
 * Concrete shifts [starts_at, ends_at) of a plant: generated from a pattern for a horizon, or entered
 * by hand (an extra shift). Editing a generated shift turns it into an override (`is_override`) that
 * regeneration leaves alone; a cancelled shift (a holiday) stays as a row so regeneration does not
 * bring it back, and plans no time. `business_date` is the local date the shift starts on, the day
 * reports file it under.
 */
export const shifts = pgTable(
  'shifts',
  {
    id: idColumn(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    plantId: uuid('plant_id').notNull(),
    patternShiftId: uuid('pattern_shift_id'),
    name: text('name').notNull(),
    businessDate: date('business_date').notNull(),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
    isOverride: boolean('is_override').notNull().default(false),
    isCancelled: boolean('is_cancelled').notNull().default(false),
    createdAt: createdAtColumn(),
  },
  (t) => [
    unique('shifts_tenant_id_id_key').on(t.tenantId, t.id),
    unique('shifts_tenant_plant_id_key').on(t.tenantId, t.plantId, t.id),
    // One instance per pattern shift and day: regeneration is idempotent. Its leading columns index
    // the pattern-shift foreign key; manual shifts (null) are not constrained.
    unique('shifts_pattern_shift_day_key').on(t.tenantId, t.plantId, t.patternShiftId, t.businessDate),
    // Window queries ("the shifts overlapping [from, to)"); also the plant foreign key's index.
    index('shifts_plant_time_idx').on(t.tenantId, t.plantId, t.startsAt),
    foreignKey({
      name: 'shifts_plant_fk',
      columns: [t.tenantId, t.plantId],
      foreignColumns: [plants.tenantId, plants.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'shifts_pattern_shift_fk',
      columns: [t.tenantId, t.plantId, t.patternShiftId],
      foreignColumns: [shiftPatternShifts.tenantId, shiftPatternShifts.plantId, shiftPatternShifts.id],
    }).onDelete('cascade'),
    check('shifts_interval_check', sql`${t.endsAt} > ${t.startsAt}`),
  ],
);

export const plannedDowntimeKinds = ['break', 'maintenance', 'no_orders', 'changeover', 'other'] as const;
export type PlannedDowntimeKind = (typeof plannedDowntimeKinds)[number];

/**
 * Time planned not to produce, [starts_at, ends_at), excluded from planned busy time (PBT = planned
 * operation time − planned downtime, ISO 22400-2). The scope is the plant (no line, no machine), a
 * line, or one machine. Breaks of a pattern shift are generated with their shift (shift_id) and go
 * with it.
 */
export const plannedDowntimes = pgTable(
  'planned_downtimes',
  {
    id: idColumn(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    plantId: uuid('plant_id').notNull(),
    lineId: uuid('line_id'),
    machineId: uuid('machine_id'),
    shiftId: uuid('shift_id'),
    kind: text('kind', { enum: plannedDowntimeKinds }).notNull(),
    reasonId: uuid('reason_id'),
    note: text('note'),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
    createdAt: createdAtColumn(),
  },
  (t) => [
    unique('planned_downtimes_tenant_id_id_key').on(t.tenantId, t.id),
    index('planned_downtimes_plant_time_idx').on(t.tenantId, t.plantId, t.startsAt),
    index('planned_downtimes_line_idx').on(t.tenantId, t.plantId, t.lineId),
    index('planned_downtimes_machine_idx').on(t.tenantId, t.machineId),
    index('planned_downtimes_shift_idx').on(t.tenantId, t.plantId, t.shiftId),
    index('planned_downtimes_reason_idx').on(t.tenantId, t.reasonId),
    foreignKey({
      name: 'planned_downtimes_plant_fk',
      columns: [t.tenantId, t.plantId],
      foreignColumns: [plants.tenantId, plants.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'planned_downtimes_line_fk',
      columns: [t.tenantId, t.plantId, t.lineId],
      foreignColumns: [lines.tenantId, lines.plantId, lines.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'planned_downtimes_machine_fk',
      columns: [t.tenantId, t.machineId],
      foreignColumns: [machines.tenantId, machines.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'planned_downtimes_shift_fk',
      columns: [t.tenantId, t.plantId, t.shiftId],
      foreignColumns: [shifts.tenantId, shifts.plantId, shifts.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'planned_downtimes_reason_fk',
      columns: [t.tenantId, t.reasonId],
      foreignColumns: [downtimeReasons.tenantId, downtimeReasons.id],
    }),
    check('planned_downtimes_interval_check', sql`${t.endsAt} > ${t.startsAt}`),
    // A machine-scoped downtime also names the machine's line, so line queries find it.
    check('planned_downtimes_scope_check', sql`${t.machineId} is null or ${t.lineId} is not null`),
    check(
      'planned_downtimes_kind_check',
      sql.raw(`"kind" in (${plannedDowntimeKinds.map((k) => `'${k}'`).join(', ')})`),
    ),
  ],
);

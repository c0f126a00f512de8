import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  date,
  doublePrecision,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { fieldTypes } from '../configuration/types.js';
import { createdAtColumn, idColumn, inList } from './columns.js';
import { plants, tenants } from './identity.js';

/*
 * The configuration engine (docs/configuration.md): fields and pick lists engineers add to entities
 * without a deploy, and document numbering. Definitions are tenant-wide; a field may be scoped to
 * one plant. Values live in one typed table (field_values) with a column per kind of value, so
 * every filter and sort is an ordinary index range scan on (tenant, field, value) — at a million
 * entities a JSON column would need an expression index per field, i.e. DDL at run time by a role
 * that owns nothing.
 */

export const typeLists = pgTable(
  'type_lists',
  {
    id: idColumn(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    code: text('code').notNull(),
    name: text('name').notNull(),
    description: text('description'),
    isActive: boolean('is_active').notNull().default(true),
    version: integer('version').notNull().default(1),
    createdAt: createdAtColumn(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('type_lists_tenant_id_id_key').on(t.tenantId, t.id),
    unique('type_lists_tenant_code_key').on(t.tenantId, t.code),
  ],
);

/** The options of a type list. Deactivated options stay: values that chose them remain readable. */
export const typeListValues = pgTable(
  'type_list_values',
  {
    id: idColumn(),
    tenantId: uuid('tenant_id').notNull(),
    typeListId: uuid('type_list_id').notNull(),
    code: text('code').notNull(),
    label: text('label').notNull(),
    colour: text('colour'),
    sortOrder: integer('sort_order').notNull().default(0),
    isActive: boolean('is_active').notNull().default(true),
    createdAt: createdAtColumn(),
  },
  (t) => [
    unique('type_list_values_tenant_id_id_key').on(t.tenantId, t.id),
    // Also the index of the list foreign key (its leading columns).
    unique('type_list_values_list_code_key').on(t.tenantId, t.typeListId, t.code),
    foreignKey({
      name: 'type_list_values_list_fk',
      columns: [t.tenantId, t.typeListId],
      foreignColumns: [typeLists.tenantId, typeLists.id],
    }).onDelete('cascade'),
    check('type_list_values_colour_check', sql`${t.colour} is null or ${t.colour} ~ '^#[0-9a-fA-F]{6}$'`),
  ],
);

/**
 * A field of an entity type. `key` is the stable machine name (API, CSV, filters); `label` is what
 * people read and may change freely. Values belong to the field's id, so renaming either keeps them.
 * Retired fields (is_active false) keep their values and take no new ones.
 */
export const customFields = pgTable(
  'custom_fields',
  {
    id: idColumn(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    /** An entity type registered in the cloud (product, machine, line, production_order, …). */
    entityType: text('entity_type').notNull(),
    key: text('key').notNull(),
    label: text('label').notNull(),
    type: text('type', { enum: fieldTypes }).notNull(),
    typeListId: uuid('type_list_id'),
    required: boolean('required').notNull().default(false),
    /** The default in the API's value form (values.ts), applied when a record is created. */
    defaultValue: jsonb('default_value'),
    /** Type-specific settings: min, max, pattern, unit, decimals, refEntityType (fieldSettingsSchema). */
    settings: jsonb('settings').notNull().default({}),
    helpText: text('help_text'),
    groupName: text('group_name'),
    sortOrder: integer('sort_order').notNull().default(0),
    /** Null: the field applies in every plant. */
    plantId: uuid('plant_id'),
    isActive: boolean('is_active').notNull().default(true),
    version: integer('version').notNull().default(1),
    createdAt: createdAtColumn(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('custom_fields_tenant_id_id_key').on(t.tenantId, t.id),
    unique('custom_fields_entity_key_key').on(t.tenantId, t.entityType, t.key),
    index('custom_fields_type_list_idx').on(t.tenantId, t.typeListId),
    index('custom_fields_plant_idx').on(t.tenantId, t.plantId),
    check('custom_fields_type_check', inList(t.type, fieldTypes)),
    check(
      'custom_fields_type_list_check',
      sql`(${t.type} in ('single_select', 'multi_select')) = (${t.typeListId} is not null)`,
    ),
    foreignKey({
      name: 'custom_fields_type_list_fk',
      columns: [t.tenantId, t.typeListId],
      foreignColumns: [typeLists.tenantId, typeLists.id],
    }),
    foreignKey({
      name: 'custom_fields_plant_fk',
      columns: [t.tenantId, t.plantId],
      foreignColumns: [plants.tenantId, plants.id],
    }).onDelete('cascade'),
  ],
);

/**
 * One value of one field on one entity, in the column of its kind: text_value (text, indexed),
 * long_value (long text, not indexed: it may exceed a btree entry), number_value (integer, decimal),
 * bool_value, date_value, time_value (date-time), ref_id (single select option, user or record
 * reference), ref_ids (multi select). Numbers are double precision, not numeric: under row-level
 * security PostgreSQL uses a comparison as an index condition only if its function is leakproof, and
 * float8's are while numeric's are not — with numeric, a range filter read every value of the field
 * (measured: 1.8 s instead of milliseconds at a million products). 15 significant digits are plenty
 * for measured quantities; integers stay exact to 2^53. entity_id points into the entity type's own table, so it has no
 * foreign key; plant_id is the entity's plant (null for tenant-wide entities) for row-level security.
 */
export const fieldValues = pgTable(
  'field_values',
  {
    tenantId: uuid('tenant_id').notNull(),
    fieldId: uuid('field_id').notNull(),
    entityId: uuid('entity_id').notNull(),
    plantId: uuid('plant_id'),
    textValue: text('text_value'),
    longValue: text('long_value'),
    numberValue: doublePrecision('number_value'),
    boolValue: boolean('bool_value'),
    dateValue: date('date_value'),
    timeValue: timestamp('time_value', { withTimezone: true }),
    refId: uuid('ref_id'),
    refIds: uuid('ref_ids').array(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    updatedBy: uuid('updated_by'),
  },
  (t) => [
    // Also the index of the field foreign key, the probe of a filter's semi-join, and the read of a
    // page's values (fields × records). An index on (tenant, entity) alone lured the planner into
    // probing it and filtering by field: slower at every size measured.
    primaryKey({ name: 'field_values_pkey', columns: [t.tenantId, t.fieldId, t.entityId] }),
    index('field_values_plant_idx').on(t.tenantId, t.plantId),
    // Filters and sorts: one range scan per field, entity id last so it can answer without the heap.
    index('field_values_number_idx')
      .on(t.tenantId, t.fieldId, t.numberValue, t.entityId)
      .where(sql`${t.numberValue} is not null`),
    index('field_values_text_idx')
      .on(t.tenantId, t.fieldId, t.textValue, t.entityId)
      .where(sql`${t.textValue} is not null`),
    index('field_values_date_idx')
      .on(t.tenantId, t.fieldId, t.dateValue, t.entityId)
      .where(sql`${t.dateValue} is not null`),
    index('field_values_time_idx')
      .on(t.tenantId, t.fieldId, t.timeValue, t.entityId)
      .where(sql`${t.timeValue} is not null`),
    index('field_values_ref_idx')
      .on(t.tenantId, t.fieldId, t.refId, t.entityId)
      .where(sql`${t.refId} is not null`),
    index('field_values_ref_ids_idx').using('gin', t.refIds),
    foreignKey({
      name: 'field_values_field_fk',
      columns: [t.tenantId, t.fieldId],
      foreignColumns: [customFields.tenantId, customFields.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'field_values_plant_fk',
      columns: [t.tenantId, t.plantId],
      foreignColumns: [plants.tenantId, plants.id],
    }).onDelete('cascade'),
  ],
);

export const configSubjects = ['field', 'type_list', 'numbering'] as const;

/**
 * Every change of a definition (field, type list, numbering sequence), numbered per subject, with
 * the definition as it was after the change, who made it and when (`config.fields.history`).
 * Append-only.
 */
export const configChanges = pgTable(
  'config_changes',
  {
    id: idColumn(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    subject: text('subject', { enum: configSubjects }).notNull(),
    subjectId: uuid('subject_id').notNull(),
    version: integer('version').notNull(),
    action: text('action').notNull(),
    summary: text('summary').notNull(),
    snapshot: jsonb('snapshot').notNull(),
    changedBy: uuid('changed_by'),
    changedAt: timestamp('changed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('config_changes_subject_version_key').on(t.tenantId, t.subjectId, t.version),
    check('config_changes_subject_check', inList(t.subject, configSubjects)),
  ],
);

/** A document numbering scheme: `pattern` as in numbering.ts, e.g. NCR-{plant}-{yyyy}-{seq:5}. */
export const numberingSequences = pgTable(
  'numbering_sequences',
  {
    id: idColumn(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    /** What asks for numbers: production_order, ncr, shipment … */
    code: text('code').notNull(),
    name: text('name').notNull(),
    pattern: text('pattern').notNull(),
    isActive: boolean('is_active').notNull().default(true),
    version: integer('version').notNull().default(1),
    createdAt: createdAtColumn(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('numbering_sequences_tenant_id_id_key').on(t.tenantId, t.id),
    unique('numbering_sequences_tenant_code_key').on(t.tenantId, t.code),
  ],
);

/**
 * The last number handed out per sequence, plant (null: tenant-wide) and period ('' never resets,
 * '2026', '2026-11', '2026-11-25'). Taking a number updates this row in the caller's transaction: the
 * row lock serialises concurrent takers and a rollback returns the number, so numbers have no gaps.
 */
export const numberingCounters = pgTable(
  'numbering_counters',
  {
    tenantId: uuid('tenant_id').notNull(),
    sequenceId: uuid('sequence_id').notNull(),
    plantId: uuid('plant_id'),
    period: text('period').notNull(),
    lastValue: bigint('last_value', { mode: 'number' }).notNull(),
  },
  (t) => [
    unique('numbering_counters_key').on(t.tenantId, t.sequenceId, t.plantId, t.period).nullsNotDistinct(),
    index('numbering_counters_plant_idx').on(t.tenantId, t.plantId),
    foreignKey({
      name: 'numbering_counters_sequence_fk',
      columns: [t.tenantId, t.sequenceId],
      foreignColumns: [numberingSequences.tenantId, numberingSequences.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'numbering_counters_plant_fk',
      columns: [t.tenantId, t.plantId],
      foreignColumns: [plants.tenantId, plants.id],
    }).onDelete('cascade'),
  ],
);

import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
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
import { createdAtColumn, idColumn, inList } from './columns.js';
import { plants, tenants, users } from './identity.js';

/*
 * Reports as data (docs/reports.md). The catalogue shipped with Plantline is code; a tenant's own
 * reports are rows here, each a definition in the same JSON shape (a copy of a catalogue report with
 * its columns, grouping and filters adjusted). Every saved change is a new row of report_versions,
 * so a run names the exact definition it used. Runs and schedules whose plant is null cover every
 * plant: row-level security then shows them only to people who reach every plant. A report is
 * never deleted, only deactivated, so the runs and schedules that name it keep their meaning.
 */

export const reportFormats = ['csv', 'xlsx', 'pdf', 'dashboard_pdf'] as const;
export type ReportFormat = (typeof reportFormats)[number];

export const reportRunStatuses = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export type ReportRunStatus = (typeof reportRunStatuses)[number];

export const reports = pgTable(
  'reports',
  {
    id: idColumn(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    /** A short stable code, unique in the tenant: "oee-by-shift-press-hall". */
    code: text('code').notNull(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    /** The catalogue report this one was copied from: its data source and permission. */
    baseKey: text('base_key').notNull(),
    /** Columns, grouping, filters and default parameters (validated by the reports module). */
    definition: jsonb('definition').notNull(),
    isActive: boolean('is_active').notNull().default(true),
    createdBy: uuid('created_by'),
    version: integer('version').notNull().default(1),
    createdAt: createdAtColumn(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('reports_tenant_id_id_key').on(t.tenantId, t.id),
    unique('reports_tenant_code_key').on(t.tenantId, t.code),
    index('reports_created_by_idx').on(t.tenantId, t.createdBy),
    foreignKey({
      name: 'reports_created_by_fk',
      columns: [t.tenantId, t.createdBy],
      foreignColumns: [users.tenantId, users.id],
    }),
  ],
);

/** Every saved definition of a report, append-only: version 1 is the first save. */
export const reportVersions = pgTable(
  'report_versions',
  {
    tenantId: uuid('tenant_id').notNull(),
    reportId: uuid('report_id').notNull(),
    version: integer('version').notNull(),
    name: text('name').notNull(),
    definition: jsonb('definition').notNull(),
    /** What the person said about the change. */
    message: text('message').notNull().default(''),
    savedBy: uuid('saved_by'),
    savedAt: timestamp('saved_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'report_versions_pkey', columns: [t.tenantId, t.reportId, t.version] }),
    check('report_versions_version_check', sql`${t.version} >= 1`),
    foreignKey({
      name: 'report_versions_report_fk',
      columns: [t.tenantId, t.reportId],
      foreignColumns: [reports.tenantId, reports.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'report_versions_saved_by_fk',
      columns: [t.tenantId, t.savedBy],
      foreignColumns: [users.tenantId, users.id],
    }),
    index('report_versions_saved_by_idx').on(t.tenantId, t.savedBy),
  ],
);

/**
 * When a report runs by itself, with which parameters, in which format, and for whom. The trigger
 * is `{ kind: 'cron', cron, timezone }` or a plant-calendar one such as `{ kind: 'shift_end' }` or
 * `{ kind: 'first_working_day' }`; recipients are users and roles (within the schedule's plant).
 */
export const reportSchedules = pgTable(
  'report_schedules',
  {
    id: idColumn(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    /** The plant whose calendar and people the schedule uses; null for every plant. */
    plantId: uuid('plant_id'),
    name: text('name').notNull(),
    /** A catalogue key, or the id of the tenant's report as text. */
    reportKey: text('report_key').notNull(),
    reportId: uuid('report_id'),
    parameters: jsonb('parameters').notNull().default({}),
    format: text('format', { enum: reportFormats }).notNull(),
    trigger: jsonb('trigger').notNull(),
    recipients: jsonb('recipients').notNull().default([]),
    skipIfEmpty: boolean('skip_if_empty').notNull().default(true),
    isActive: boolean('is_active').notNull().default(true),
    nextRunAt: timestamp('next_run_at', { withTimezone: true }),
    lastRunAt: timestamp('last_run_at', { withTimezone: true }),
    createdBy: uuid('created_by'),
    version: integer('version').notNull().default(1),
    createdAt: createdAtColumn(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('report_schedules_tenant_id_id_key').on(t.tenantId, t.id),
    check('report_schedules_format_check', inList(t.format, reportFormats)),
    index('report_schedules_due_idx').on(t.tenantId, t.nextRunAt),
    index('report_schedules_plant_idx').on(t.tenantId, t.plantId),
    index('report_schedules_report_idx').on(t.tenantId, t.reportId),
    index('report_schedules_created_by_idx').on(t.tenantId, t.createdBy),
    foreignKey({
      name: 'report_schedules_plant_fk',
      columns: [t.tenantId, t.plantId],
      foreignColumns: [plants.tenantId, plants.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'report_schedules_report_fk',
      columns: [t.tenantId, t.reportId],
      foreignColumns: [reports.tenantId, reports.id],
    }),
    foreignKey({
      name: 'report_schedules_created_by_fk',
      columns: [t.tenantId, t.createdBy],
      foreignColumns: [users.tenantId, users.id],
    }),
  ],
);

/** One run of a report: who, what, how long, how many rows, and the output's hash and place. */
export const reportExecutions = pgTable(
  'report_executions',
  {
    id: idColumn(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    /** The plant the parameters name; null for a run over every plant. */
    plantId: uuid('plant_id'),
    reportKey: text('report_key').notNull(),
    reportId: uuid('report_id'),
    reportVersion: integer('report_version'),
    /** The report's name as it was when it ran. */
    reportName: text('report_name').notNull(),
    scheduleId: uuid('schedule_id'),
    format: text('format', { enum: reportFormats }).notNull(),
    /** The parameters as given ("last shift") and as resolved (the instants they meant). */
    parameters: jsonb('parameters').notNull().default({}),
    resolved: jsonb('resolved'),
    status: text('status', { enum: reportRunStatuses }).notNull().default('queued'),
    /** Rows written so far, for the live progress of a long run. */
    progressRows: bigint('progress_rows', { mode: 'number' }).notNull().default(0),
    /** Rows the run expects when it can tell in advance; null otherwise. */
    expectedRows: bigint('expected_rows', { mode: 'number' }),
    rows: bigint('rows', { mode: 'number' }),
    durationMs: integer('duration_ms'),
    outputBytes: bigint('output_bytes', { mode: 'number' }),
    outputSha256: text('output_sha256'),
    /** Where the output is kept, relative to the reports store (docs/reports.md). */
    outputPath: text('output_path'),
    error: text('error'),
    requestedBy: uuid('requested_by'),
    jobId: text('job_id'),
    createdAt: createdAtColumn(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    /** After this the output is deleted and the row stays as history. */
    expiresAt: timestamp('expires_at', { withTimezone: true }),
  },
  (t) => [
    unique('report_executions_tenant_id_id_key').on(t.tenantId, t.id),
    check('report_executions_format_check', inList(t.format, reportFormats)),
    check('report_executions_status_check', inList(t.status, reportRunStatuses)),
    check(
      'report_executions_sha_check',
      sql`${t.outputSha256} is null or ${t.outputSha256} ~ '^[0-9a-f]{64}$'`,
    ),
    index('report_executions_created_idx').on(t.tenantId, t.createdAt.desc(), t.id.desc()),
    index('report_executions_plant_idx').on(t.tenantId, t.plantId, t.createdAt.desc()),
    index('report_executions_report_idx').on(t.tenantId, t.reportId),
    index('report_executions_schedule_idx').on(t.tenantId, t.scheduleId),
    index('report_executions_requested_by_idx').on(t.tenantId, t.requestedBy),
    index('report_executions_expires_idx').on(t.expiresAt),
    foreignKey({
      name: 'report_executions_plant_fk',
      columns: [t.tenantId, t.plantId],
      foreignColumns: [plants.tenantId, plants.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'report_executions_report_fk',
      columns: [t.tenantId, t.reportId],
      foreignColumns: [reports.tenantId, reports.id],
    }),
    foreignKey({
      name: 'report_executions_schedule_fk',
      columns: [t.tenantId, t.scheduleId],
      foreignColumns: [reportSchedules.tenantId, reportSchedules.id],
    }),
    foreignKey({
      name: 'report_executions_requested_by_fk',
      columns: [t.tenantId, t.requestedBy],
      foreignColumns: [users.tenantId, users.id],
    }),
  ],
);

export const reportDeliveryStatuses = ['pending', 'delivered', 'skipped', 'failed'] as const;
export type ReportDeliveryStatus = (typeof reportDeliveryStatuses)[number];

/**
 * What became of a scheduled run once it finished (docs/reports.md, "Schedules"): delivered to whom,
 * skipped as empty, or waiting for a retry and why. One row per run; the emails it queued have their
 * own rows in notification_deliveries, retried by the notifications' sender.
 */
export const reportDeliveries = pgTable(
  'report_deliveries',
  {
    id: idColumn(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    plantId: uuid('plant_id'),
    scheduleId: uuid('schedule_id').notNull(),
    executionId: uuid('execution_id').notNull(),
    status: text('status', { enum: reportDeliveryStatuses }).notNull().default('pending'),
    /** The users notified. */
    recipients: jsonb('recipients').notNull().default([]),
    /** How many of them were sent an email. */
    emails: integer('emails').notNull().default(0),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }),
    createdAt: createdAtColumn(),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
  },
  (t) => [
    unique('report_deliveries_tenant_id_id_key').on(t.tenantId, t.id),
    unique('report_deliveries_execution_key').on(t.tenantId, t.executionId),
    check('report_deliveries_status_check', inList(t.status, reportDeliveryStatuses)),
    index('report_deliveries_schedule_idx').on(t.tenantId, t.scheduleId, t.createdAt.desc()),
    index('report_deliveries_plant_idx').on(t.tenantId, t.plantId),
    index('report_deliveries_retry_idx').on(t.tenantId, t.status, t.nextAttemptAt),
    foreignKey({
      name: 'report_deliveries_plant_fk',
      columns: [t.tenantId, t.plantId],
      foreignColumns: [plants.tenantId, plants.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'report_deliveries_schedule_fk',
      columns: [t.tenantId, t.scheduleId],
      foreignColumns: [reportSchedules.tenantId, reportSchedules.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'report_deliveries_execution_fk',
      columns: [t.tenantId, t.executionId],
      foreignColumns: [reportExecutions.tenantId, reportExecutions.id],
    }).onDelete('cascade'),
  ],
);

import { sql } from 'drizzle-orm';
import {
  check,
  doublePrecision,
  foreignKey,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { deadbandModes } from '../contracts/telemetry-deadbands.js';
import { createdAtColumn, idColumn, inList } from './columns.js';
import { plants, tenants, users } from './identity.js';
import { lines, machines } from './masterdata.js';

/**
 * Telemetry deadbands the edges of a plant apply before their outbox
 * (schema/src/contracts/telemetry-deadbands.ts). A rule's scope is a plant, optionally a line and a
 * machine, and optionally one value name (null: every value of the scope); the nearest scope wins at
 * the edge. No row at all means no deadband.
 */
export const telemetryDeadbands = pgTable(
  'telemetry_deadbands',
  {
    id: idColumn(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    plantId: uuid('plant_id').notNull(),
    lineId: uuid('line_id'),
    machineId: uuid('machine_id'),
    metric: text('metric'),
    mode: text('mode', { enum: deadbandModes }).notNull(),
    deadband: doublePrecision('deadband').notNull(),
    heartbeatS: integer('heartbeat_s'),
    updatedBy: uuid('updated_by'),
    createdAt: createdAtColumn(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('telemetry_deadbands_tenant_id_id_key').on(t.tenantId, t.id),
    // One rule per scope and name; its leading columns also index the plant and line foreign keys.
    unique('telemetry_deadbands_scope_key')
      .on(t.tenantId, t.plantId, t.lineId, t.machineId, t.metric)
      .nullsNotDistinct(),
    foreignKey({
      name: 'telemetry_deadbands_plant_fk',
      columns: [t.tenantId, t.plantId],
      foreignColumns: [plants.tenantId, plants.id],
    }).onDelete('cascade'),
    // The line must lie in the plant (lines_tenant_plant_id_key).
    foreignKey({
      name: 'telemetry_deadbands_line_fk',
      columns: [t.tenantId, t.plantId, t.lineId],
      foreignColumns: [lines.tenantId, lines.plantId, lines.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'telemetry_deadbands_machine_fk',
      columns: [t.tenantId, t.machineId],
      foreignColumns: [machines.tenantId, machines.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'telemetry_deadbands_updated_by_fk',
      columns: [t.tenantId, t.updatedBy],
      foreignColumns: [users.tenantId, users.id],
    }),
    index('telemetry_deadbands_machine_idx').on(t.tenantId, t.machineId),
    index('telemetry_deadbands_updated_by_idx').on(t.tenantId, t.updatedBy),
    check('telemetry_deadbands_machine_needs_line', sql`${t.machineId} IS NULL OR ${t.lineId} IS NOT NULL`),
    check('telemetry_deadbands_mode', inList(t.mode, deadbandModes)),
    // The contract's rules (deadbandSettingsProblem), so no row can reach an edge that it would refuse.
    check(
      'telemetry_deadbands_settings',
      sql`CASE WHEN ${t.mode} = 'off' THEN ${t.deadband} = 0 AND ${t.heartbeatS} IS NULL
        ELSE ${t.deadband} >= 0 AND ${t.deadband} <= CASE WHEN ${t.mode} = 'percent' THEN 100 ELSE 1e12 END
          AND ${t.heartbeatS} BETWEEN 1 AND 86400 END`,
    ),
    check('telemetry_deadbands_metric', sql`${t.metric} ~ '^[A-Za-z0-9_.-]{1,64}$'`),
  ],
);

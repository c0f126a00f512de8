import { sql } from 'drizzle-orm';
import { check, foreignKey, index, jsonb, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { sparkplugCountKinds, sparkplugRuleKinds } from '../contracts/sparkplug.js';
import { createdAtColumn, idColumn, inList } from './columns.js';
import { plants, tenants, users } from './identity.js';
import { lines, machines } from './masterdata.js';

/**
 * The Sparkplug B mapping of a plant (schema/src/contracts/sparkplug.ts): one row per metric of a
 * Sparkplug node or device, naming the machine whose state, count or telemetry it is. The plant's edges
 * fetch the rows (edge.sparkplugRules) and map by them.
 */
export const sparkplugRules = pgTable(
  'sparkplug_rules',
  {
    id: idColumn(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    plantId: uuid('plant_id').notNull(),
    lineId: uuid('line_id').notNull(),
    machineId: uuid('machine_id').notNull(),
    groupId: text('group_id').notNull(),
    nodeId: text('node_id').notNull(),
    /** Null: a metric of the edge node itself. */
    deviceId: text('device_id'),
    metric: text('metric').notNull(),
    kind: text('kind', { enum: sparkplugRuleKinds }).notNull(),
    /** State rules: metric value as text → state code; null: the value is the code. */
    states: jsonb('states').$type<Record<string, string>>(),
    /** State rules: the machine's state once its node or device dies; null: a death changes nothing. */
    offlineState: text('offline_state'),
    /** Count rules: whether the counter counts good or scrap parts. */
    countKind: text('count_kind', { enum: sparkplugCountKinds }),
    /** Telemetry rules: the value's name in Plantline. */
    telemetryName: text('telemetry_name'),
    updatedBy: uuid('updated_by'),
    createdAt: createdAtColumn(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('sparkplug_rules_tenant_id_id_key').on(t.tenantId, t.id),
    // One rule per metric in the whole tenant: Sparkplug group and node ids name a node across the
    // infrastructure (Sparkplug 3.0, section 4.1.1), and an edge whose key serves several plants takes
    // all their rules together.
    unique('sparkplug_rules_metric_key')
      .on(t.tenantId, t.groupId, t.nodeId, t.deviceId, t.metric)
      .nullsNotDistinct(),
    foreignKey({
      name: 'sparkplug_rules_plant_fk',
      columns: [t.tenantId, t.plantId],
      foreignColumns: [plants.tenantId, plants.id],
    }).onDelete('cascade'),
    // The line must lie in the plant (lines_tenant_plant_id_key).
    foreignKey({
      name: 'sparkplug_rules_line_fk',
      columns: [t.tenantId, t.plantId, t.lineId],
      foreignColumns: [lines.tenantId, lines.plantId, lines.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'sparkplug_rules_machine_fk',
      columns: [t.tenantId, t.machineId],
      foreignColumns: [machines.tenantId, machines.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'sparkplug_rules_updated_by_fk',
      columns: [t.tenantId, t.updatedBy],
      foreignColumns: [users.tenantId, users.id],
    }),
    index('sparkplug_rules_plant_idx').on(t.tenantId, t.plantId),
    index('sparkplug_rules_line_idx').on(t.tenantId, t.plantId, t.lineId),
    index('sparkplug_rules_machine_idx').on(t.tenantId, t.machineId),
    index('sparkplug_rules_updated_by_idx').on(t.tenantId, t.updatedBy),
    check('sparkplug_rules_kind', inList(t.kind, sparkplugRuleKinds)),
    // Each kind carries its own setting and no other's, as the contract's rule does.
    check(
      'sparkplug_rules_settings',
      sql`CASE ${t.kind}
        WHEN 'state' THEN ${t.countKind} IS NULL AND ${t.telemetryName} IS NULL
          AND (${t.states} IS NULL OR jsonb_typeof(${t.states}) = 'object')
          AND (${t.offlineState} IS NULL OR length(${t.offlineState}) BETWEEN 1 AND 64)
        WHEN 'count' THEN ${t.countKind} IN ('good', 'scrap') AND ${t.states} IS NULL AND ${t.telemetryName} IS NULL
          AND ${t.offlineState} IS NULL
        ELSE ${t.telemetryName} ~ '^[A-Za-z0-9_.-]{1,64}$' AND ${t.states} IS NULL AND ${t.countKind} IS NULL
          AND ${t.offlineState} IS NULL END`,
    ),
    check(
      'sparkplug_rules_ids',
      sql`${t.groupId} ~ '^[^/+#]{1,255}$' AND ${t.nodeId} ~ '^[^/+#]{1,255}$'
        AND (${t.deviceId} IS NULL OR ${t.deviceId} ~ '^[^/+#]{1,255}$')
        AND length(${t.metric}) BETWEEN 1 AND 255`,
    ),
  ],
);

import { sql } from 'drizzle-orm';
import {
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
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAtColumn, idColumn, inList } from './columns.js';
import { plants, tenants } from './identity.js';

/*
 * The workflow engine (docs/workflows.md). A workflow belongs to one entity type; its definition is
 * edited as a draft version and frozen when published. Publishing also writes the version's states
 * and transitions as rows, so an instance's state is a foreign key into the version it runs on and
 * can never name a state that version lacks. Instances stay on their version until someone moves
 * them with a state mapping.
 *
 * Votes (`approvals`), signatures and the timeline are rows, never counters: two approvers acting at
 * once each insert their own row, and the instance's row version decides which of them fires the
 * transition.
 */

export const workflows = pgTable(
  'workflows',
  {
    id: idColumn(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    /** The entity type it runs on (ncr, change_order, production_order, product, …). */
    entityType: text('entity_type').notNull(),
    /** Row version for edits of the name and description. */
    version: integer('version').notNull().default(1),
    createdAt: createdAtColumn(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('workflows_tenant_id_id_key').on(t.tenantId, t.id),
    unique('workflows_tenant_key_key').on(t.tenantId, t.key),
    // One workflow per entity type: a record never has to choose which process it follows.
    unique('workflows_tenant_entity_type_key').on(t.tenantId, t.entityType),
  ],
);

export const workflowVersionStatuses = ['draft', 'published'] as const;
export type WorkflowVersionStatus = (typeof workflowVersionStatuses)[number];

export const workflowVersions = pgTable(
  'workflow_versions',
  {
    id: idColumn(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    workflowId: uuid('workflow_id').notNull(),
    /** 1, 2, 3 … in the order they were started; a draft has the next free number. */
    number: integer('number').notNull(),
    status: text('status', { enum: workflowVersionStatuses }).notNull().default('draft'),
    /** The definition document (schema/src/workflow/definition.ts). Frozen once published. */
    definition: jsonb('definition').notNull(),
    /** SHA-256 of the definition's RFC 8785 JSON, set when published. */
    definitionSha256: text('definition_sha256'),
    note: text('note').notNull().default(''),
    /** Row version of the draft: edits carry the one they saw. */
    revision: integer('revision').notNull().default(1),
    createdBy: uuid('created_by'),
    createdAt: createdAtColumn(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    publishedBy: uuid('published_by'),
    publishedAt: timestamp('published_at', { withTimezone: true }),
  },
  (t) => [
    unique('workflow_versions_tenant_id_id_key').on(t.tenantId, t.id),
    unique('workflow_versions_number_key').on(t.tenantId, t.workflowId, t.number),
    uniqueIndex('workflow_versions_one_draft_key')
      .on(t.tenantId, t.workflowId)
      .where(sql`${t.status} = 'draft'`),
    check('workflow_versions_status_check', inList(t.status, workflowVersionStatuses)),
    check(
      'workflow_versions_published_check',
      sql`(${t.status} = 'published') = (${t.publishedAt} is not null and ${t.definitionSha256} is not null)`,
    ),
    foreignKey({
      name: 'workflow_versions_workflow_fk',
      columns: [t.tenantId, t.workflowId],
      foreignColumns: [workflows.tenantId, workflows.id],
    }).onDelete('cascade'),
  ],
);

/** A published version's states, one row each (the definition document holds their settings). */
export const workflowStates = pgTable(
  'workflow_states',
  {
    tenantId: uuid('tenant_id').notNull(),
    versionId: uuid('version_id').notNull(),
    key: text('key').notNull(),
    label: text('label').notNull(),
    kind: text('kind').notNull(),
    /** Order in the definition, for lists. */
    position: integer('position').notNull(),
  },
  (t) => [
    primaryKey({ name: 'workflow_states_pkey', columns: [t.tenantId, t.versionId, t.key] }),
    check('workflow_states_kind_check', inList(t.kind, ['initial', 'normal', 'final'])),
    foreignKey({
      name: 'workflow_states_version_fk',
      columns: [t.tenantId, t.versionId],
      foreignColumns: [workflowVersions.tenantId, workflowVersions.id],
    }).onDelete('cascade'),
  ],
);

export const workflowTransitions = pgTable(
  'workflow_transitions',
  {
    tenantId: uuid('tenant_id').notNull(),
    versionId: uuid('version_id').notNull(),
    key: text('key').notNull(),
    label: text('label').notNull(),
    fromState: text('from_state').notNull(),
    toState: text('to_state').notNull(),
    position: integer('position').notNull(),
  },
  (t) => [
    primaryKey({ name: 'workflow_transitions_pkey', columns: [t.tenantId, t.versionId, t.key] }),
    index('workflow_transitions_from_idx').on(t.tenantId, t.versionId, t.fromState),
    index('workflow_transitions_to_idx').on(t.tenantId, t.versionId, t.toState),
    foreignKey({
      name: 'workflow_transitions_from_fk',
      columns: [t.tenantId, t.versionId, t.fromState],
      foreignColumns: [workflowStates.tenantId, workflowStates.versionId, workflowStates.key],
    }).onDelete('cascade'),
    foreignKey({
      name: 'workflow_transitions_to_fk',
      columns: [t.tenantId, t.versionId, t.toState],
      foreignColumns: [workflowStates.tenantId, workflowStates.versionId, workflowStates.key],
    }).onDelete('cascade'),
  ],
);

/** One record's run through its workflow. */
export const workflowInstances = pgTable(
  'workflow_instances',
  {
    id: idColumn(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    /** The record's plant; null for tenant-wide records (products, tenant-wide change orders). */
    plantId: uuid('plant_id'),
    workflowId: uuid('workflow_id').notNull(),
    versionId: uuid('version_id').notNull(),
    entityType: text('entity_type').notNull(),
    entityId: uuid('entity_id').notNull(),
    stateKey: text('state_key').notNull(),
    /** Row version: every action carries the one it saw (docs/workflows.md, "Concurrency"). */
    version: integer('version').notNull().default(1),
    /** Counts entries into a state: votes belong to the round they were cast in. */
    round: integer('round').notNull().default(1),
    startedBy: uuid('started_by'),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    stateEnteredAt: timestamp('state_entered_at', { withTimezone: true }).notNull().defaultNow(),
    /** Everyone who edited the record since the instance started ("no one who edited it" approves). */
    editors: uuid('editors').array().notNull().default(sql`'{}'::uuid[]`),
    /** The SLA of the current state, if it started one; cleared on leaving the state. */
    slaDueAt: timestamp('sla_due_at', { withTimezone: true }),
    slaRemindAt: timestamp('sla_remind_at', { withTimezone: true }),
    slaRemindedAt: timestamp('sla_reminded_at', { withTimezone: true }),
    slaEscalateRole: text('sla_escalate_role'),
    slaEscalatedAt: timestamp('sla_escalated_at', { withTimezone: true }),
    /** Set on entering a final state. */
    closedAt: timestamp('closed_at', { withTimezone: true }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('workflow_instances_tenant_id_id_key').on(t.tenantId, t.id),
    unique('workflow_instances_entity_key').on(t.tenantId, t.entityType, t.entityId),
    // Also the index of the state foreign key: "instances of version 1 in state review".
    index('workflow_instances_state_idx').on(t.tenantId, t.versionId, t.stateKey),
    index('workflow_instances_workflow_idx').on(t.tenantId, t.workflowId),
    index('workflow_instances_sla_idx')
      .on(t.slaDueAt)
      .where(sql`${t.closedAt} is null and ${t.slaDueAt} is not null`),
    index('workflow_instances_plant_idx').on(t.tenantId, t.plantId),
    foreignKey({
      name: 'workflow_instances_plant_fk',
      columns: [t.tenantId, t.plantId],
      foreignColumns: [plants.tenantId, plants.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'workflow_instances_workflow_fk',
      columns: [t.tenantId, t.workflowId],
      foreignColumns: [workflows.tenantId, workflows.id],
    }),
    foreignKey({
      name: 'workflow_instances_state_fk',
      columns: [t.tenantId, t.versionId, t.stateKey],
      foreignColumns: [workflowStates.tenantId, workflowStates.versionId, workflowStates.key],
    }),
  ],
);

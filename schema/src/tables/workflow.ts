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
import { createdAtColumn, idColumn } from './columns.js';
import { plants, roles, sessions, tenants, users } from './identity.js';

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

const inList = (column: { name: string }, values: readonly string[]) =>
  sql.raw(`"${column.name}" in (${values.map((v) => `'${v}'`).join(', ')})`);

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

export const workflowEventKinds = [
  'started',
  'transition',
  'vote',
  'signature',
  'signature_failed',
  'voided',
  'reminder',
  'escalation',
  'migrated',
] as const;
export type WorkflowEventKind = (typeof workflowEventKinds)[number];

/** The timeline of an instance, append-only: transitions, votes, signatures, reminders, moves. */
export const workflowEvents = pgTable(
  'workflow_events',
  {
    id: idColumn(),
    tenantId: uuid('tenant_id').notNull(),
    plantId: uuid('plant_id'),
    instanceId: uuid('instance_id').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    kind: text('kind', { enum: workflowEventKinds }).notNull(),
    round: integer('round').notNull(),
    transitionKey: text('transition_key'),
    fromState: text('from_state'),
    toState: text('to_state'),
    /** Who acted; null for the system (an SLA job). */
    actorId: uuid('actor_id'),
    /** Whose authority the actor used under a delegation. */
    onBehalfOfId: uuid('on_behalf_of_id'),
    comment: text('comment'),
    /** Kind-specific facts: a vote's decision, a move's versions, a reminder's recipients. */
    detail: jsonb('detail').notNull().default({}),
  },
  (t) => [
    index('workflow_events_instance_idx').on(t.tenantId, t.instanceId, t.at),
    check('workflow_events_kind_check', inList(t.kind, workflowEventKinds)),
    foreignKey({
      name: 'workflow_events_instance_fk',
      columns: [t.tenantId, t.instanceId],
      foreignColumns: [workflowInstances.tenantId, workflowInstances.id],
    }).onDelete('cascade'),
  ],
);

export const voteDecisions = ['approve', 'reject'] as const;
export type VoteDecision = (typeof voteDecisions)[number];

/**
 * Votes on an approval transition, one row per person and round. `voter_id` is who pressed the
 * button; `counts_for_id` is whose vote it is (the same person, or the delegator under a dated
 * delegation). The partial unique indexes keep signers distinct: nobody votes twice in a round, in
 * their own name or for someone else, and nobody is counted twice.
 */
export const approvals = pgTable(
  'approvals',
  {
    id: idColumn(),
    tenantId: uuid('tenant_id').notNull(),
    plantId: uuid('plant_id'),
    instanceId: uuid('instance_id').notNull(),
    round: integer('round').notNull(),
    transitionKey: text('transition_key').notNull(),
    voterId: uuid('voter_id').notNull(),
    countsForId: uuid('counts_for_id').notNull(),
    decision: text('decision', { enum: voteDecisions }).notNull(),
    comment: text('comment'),
    signatureId: uuid('signature_id'),
    createdAt: createdAtColumn(),
    /** A later edit of the signed record voids the vote with its signature (docs/workflows.md). */
    voidedAt: timestamp('voided_at', { withTimezone: true }),
  },
  (t) => [
    unique('approvals_tenant_id_id_key').on(t.tenantId, t.id),
    uniqueIndex('approvals_one_vote_key')
      .on(t.tenantId, t.instanceId, t.round, t.transitionKey, t.countsForId)
      .where(sql`${t.voidedAt} is null`),
    uniqueIndex('approvals_one_voter_key')
      .on(t.tenantId, t.instanceId, t.round, t.transitionKey, t.voterId)
      .where(sql`${t.voidedAt} is null`),
    index('approvals_voter_idx').on(t.tenantId, t.voterId),
    check('approvals_decision_check', inList(t.decision, voteDecisions)),
    foreignKey({
      name: 'approvals_instance_fk',
      columns: [t.tenantId, t.instanceId],
      foreignColumns: [workflowInstances.tenantId, workflowInstances.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'approvals_voter_fk',
      columns: [t.tenantId, t.voterId],
      foreignColumns: [users.tenantId, users.id],
    }),
  ],
);

/**
 * Electronic signatures (21 CFR 11.50, 11.70): the signer's printed name, the time and the meaning,
 * bound to the SHA-256 of the record as signed. Only `voided_at` and `void_reason` ever change.
 */
export const electronicSignatures = pgTable(
  'electronic_signatures',
  {
    id: idColumn(),
    tenantId: uuid('tenant_id').notNull(),
    plantId: uuid('plant_id'),
    entityType: text('entity_type').notNull(),
    entityId: uuid('entity_id').notNull(),
    instanceId: uuid('instance_id'),
    round: integer('round'),
    transitionKey: text('transition_key'),
    signerId: uuid('signer_id').notNull(),
    /** The name as printed at signing, kept even if the user is renamed later. */
    signerName: text('signer_name').notNull(),
    /** Under a delegation: the person signed for, by name ("A for B"); never signed in B's name. */
    onBehalfOfId: uuid('on_behalf_of_id'),
    onBehalfOfName: text('on_behalf_of_name'),
    meaning: text('meaning').notNull(),
    signedAt: timestamp('signed_at', { withTimezone: true }).notNull().defaultNow(),
    /** SHA-256 of the RFC 8785 JSON of `record`. */
    recordSha256: text('record_sha256').notNull(),
    /** The record's fields as signed. */
    record: jsonb('record').notNull(),
    /** Whether both identification components were given (21 CFR 11.200(a)(1)). */
    components: text('components').notNull(),
    sessionId: uuid('session_id'),
    voidedAt: timestamp('voided_at', { withTimezone: true }),
    voidReason: text('void_reason'),
  },
  (t) => [
    unique('electronic_signatures_tenant_id_id_key').on(t.tenantId, t.id),
    index('electronic_signatures_entity_idx').on(t.tenantId, t.entityType, t.entityId),
    index('electronic_signatures_instance_idx').on(t.tenantId, t.instanceId),
    index('electronic_signatures_signer_idx').on(t.tenantId, t.signerId),
    index('electronic_signatures_session_idx').on(t.sessionId),
    check('electronic_signatures_components_check', inList(t.components, ['both', 'password'])),
    foreignKey({
      name: 'electronic_signatures_signer_fk',
      columns: [t.tenantId, t.signerId],
      foreignColumns: [users.tenantId, users.id],
    }),
    foreignKey({
      name: 'electronic_signatures_instance_fk',
      columns: [t.tenantId, t.instanceId],
      foreignColumns: [workflowInstances.tenantId, workflowInstances.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'electronic_signatures_session_fk',
      columns: [t.sessionId],
      foreignColumns: [sessions.id],
    }).onDelete('set null'),
  ],
);

/**
 * Actions already taken, by the idempotency key the client sent: a retried request gets the first
 * answer instead of acting twice.
 */
export const workflowActionKeys = pgTable(
  'workflow_action_keys',
  {
    tenantId: uuid('tenant_id').notNull(),
    userId: uuid('user_id').notNull(),
    key: text('key').notNull(),
    instanceId: uuid('instance_id').notNull(),
    result: jsonb('result').notNull(),
    createdAt: createdAtColumn(),
  },
  (t) => [
    primaryKey({ name: 'workflow_action_keys_pkey', columns: [t.tenantId, t.userId, t.key] }),
    index('workflow_action_keys_instance_idx').on(t.tenantId, t.instanceId),
    foreignKey({
      name: 'workflow_action_keys_instance_fk',
      columns: [t.tenantId, t.instanceId],
      foreignColumns: [workflowInstances.tenantId, workflowInstances.id],
    }).onDelete('cascade'),
  ],
);

export const workflowTaskKinds = ['approval', 'action', 'overdue'] as const;
export type WorkflowTaskKind = (typeof workflowTaskKinds)[number];

/**
 * What waits for whom: written when an instance enters a state (one row per transition and
 * assignee: a user, a role or a permission) and closed when it leaves. The inbox is an index scan.
 */
export const workflowTasks = pgTable(
  'workflow_tasks',
  {
    id: idColumn(),
    tenantId: uuid('tenant_id').notNull(),
    plantId: uuid('plant_id'),
    instanceId: uuid('instance_id').notNull(),
    round: integer('round').notNull(),
    kind: text('kind', { enum: workflowTaskKinds }).notNull(),
    transitionKey: text('transition_key'),
    assigneeUserId: uuid('assignee_user_id'),
    assigneeRoleId: uuid('assignee_role_id'),
    assigneePermission: text('assignee_permission'),
    title: text('title').notNull(),
    dueAt: timestamp('due_at', { withTimezone: true }),
    createdAt: createdAtColumn(),
    closedAt: timestamp('closed_at', { withTimezone: true }),
  },
  (t) => [
    index('workflow_tasks_user_idx')
      .on(t.tenantId, t.assigneeUserId, t.createdAt)
      .where(sql`${t.closedAt} is null`),
    index('workflow_tasks_role_idx')
      .on(t.tenantId, t.assigneeRoleId, t.createdAt)
      .where(sql`${t.closedAt} is null`),
    index('workflow_tasks_permission_idx')
      .on(t.tenantId, t.assigneePermission, t.createdAt)
      .where(sql`${t.closedAt} is null`),
    index('workflow_tasks_instance_idx').on(t.tenantId, t.instanceId),
    check('workflow_tasks_kind_check', inList(t.kind, workflowTaskKinds)),
    check(
      'workflow_tasks_assignee_check',
      sql`num_nonnulls(${t.assigneeUserId}, ${t.assigneeRoleId}, ${t.assigneePermission}) = 1`,
    ),
    foreignKey({
      name: 'workflow_tasks_instance_fk',
      columns: [t.tenantId, t.instanceId],
      foreignColumns: [workflowInstances.tenantId, workflowInstances.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'workflow_tasks_role_fk',
      columns: [t.tenantId, t.assigneeRoleId],
      foreignColumns: [roles.tenantId, roles.id],
    }).onDelete('cascade'),
  ],
);

/**
 * "A acts for B from … to …": while it runs, A may vote and sign where B could, recorded as A for B
 * (21 CFR 11.100(a): a signature is never reassigned, so it is never made in B's name).
 */
export const workflowDelegations = pgTable(
  'workflow_delegations',
  {
    id: idColumn(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    delegatorId: uuid('delegator_id').notNull(),
    delegateId: uuid('delegate_id').notNull(),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
    reason: text('reason').notNull().default(''),
    createdBy: uuid('created_by'),
    createdAt: createdAtColumn(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [
    unique('workflow_delegations_tenant_id_id_key').on(t.tenantId, t.id),
    index('workflow_delegations_delegate_idx').on(t.tenantId, t.delegateId, t.endsAt),
    index('workflow_delegations_delegator_idx').on(t.tenantId, t.delegatorId, t.endsAt),
    check('workflow_delegations_people_check', sql`${t.delegatorId} <> ${t.delegateId}`),
    check('workflow_delegations_period_check', sql`${t.startsAt} < ${t.endsAt}`),
    foreignKey({
      name: 'workflow_delegations_delegator_fk',
      columns: [t.tenantId, t.delegatorId],
      foreignColumns: [users.tenantId, users.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'workflow_delegations_delegate_fk',
      columns: [t.tenantId, t.delegateId],
      foreignColumns: [users.tenantId, users.id],
    }).onDelete('cascade'),
  ],
);

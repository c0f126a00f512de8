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
import { sessions, users } from './identity.js';
import { workflowInstances } from './workflow.js';

/*
 * What happens to a workflow instance (docs/workflows.md): its append-only timeline, the votes cast on
 * approval transitions, the electronic signatures bound to the record, and the idempotency keys of
 * actions already taken.
 */

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

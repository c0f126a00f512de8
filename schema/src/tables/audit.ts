import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  index,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { idColumn } from './columns.js';

/*
 * The audit trail (docs/audit.md). `audit_log` is append-only in depth: the application role may only
 * insert and read it, triggers refuse UPDATE, DELETE and TRUNCATE (schema/migrations, the audit RLS
 * migration), and every entry carries the SHA-256 of the previous entry's hash and its own canonical
 * JSON, so a rewrite by anyone who gets past the first two layers still shows. Neither table has a
 * foreign key to tenants: a deleted tenant must not take its trail with it (21 CFR 11.10(e): changes
 * "shall not obscure previously recorded information").
 */

export const auditActorKinds = ['user', 'api-key', 'system'] as const;

/** One row per tenant: the last sequence number and hash. Locked by every writing transaction. */
export const auditChainHeads = pgTable('audit_chain_heads', {
  tenantId: uuid('tenant_id').primaryKey(),
  seq: bigint('seq', { mode: 'number' }).notNull(),
  headHash: text('head_hash').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const auditLog = pgTable(
  'audit_log',
  {
    tenantId: uuid('tenant_id').notNull(),
    /** Gap-free per tenant: the chain head hands out the numbers. */
    seq: bigint('seq', { mode: 'number' }).notNull(),
    /** Server time, to the millisecond so the hashed ISO string reads back unchanged. */
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
    actorKind: text('actor_kind', { enum: auditActorKinds }).notNull(),
    actorUserId: uuid('actor_user_id'),
    actorApiKeyId: uuid('actor_api_key_id'),
    /** The user an API key or a delegate acted for, when there is one. */
    onBehalfOfUserId: uuid('on_behalf_of_user_id'),
    /** The actor's name as it was when they acted (users are renamed, keys revoked). */
    actorName: text('actor_name').notNull(),
    action: text('action').notNull(),
    entityType: text('entity_type').notNull(),
    entityId: text('entity_id').notNull(),
    /** The record's code or name when the entry was written, so a list reads without joins. */
    entityLabel: text('entity_label'),
    plantId: uuid('plant_id'),
    /** Only the fields that changed: the old values, and the new ones under the same keys. */
    oldValues: jsonb('old_values'),
    newValues: jsonb('new_values'),
    reason: text('reason'),
    requestId: text('request_id'),
    clientAddress: text('client_address'),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
    /**
     * The change as people read it, "field: old → new" per line (docs/audit.md, "Exporting"), kept by
     * the database from the two value columns: the exports write millions of entries, and a CSV the
     * server writes itself cannot call back into the application for this text. Not hashed: it says
     * nothing the value columns do not.
     */
    changesText: text('changes_text')
      .notNull()
      .generatedAlwaysAs(sql`plantline.audit_changes_text(old_values, new_values)`),
  },
  (t) => [
    primaryKey({ name: 'audit_log_pkey', columns: [t.tenantId, t.seq] }),
    index('audit_log_time_idx').on(t.tenantId, t.recordedAt),
    index('audit_log_entity_idx').on(t.tenantId, t.entityType, t.entityId, t.seq),
    index('audit_log_actor_idx').on(t.tenantId, t.actorUserId, t.seq),
    index('audit_log_action_idx').on(t.tenantId, t.action, t.seq),
    index('audit_log_plant_idx').on(t.tenantId, t.plantId, t.seq),
  ],
);

/**
 * A signed statement of the chain head (tenant, seq, hash, time), signed with an Ed25519 key kept
 * outside the database. Exported, it lets a customer prove later that entries up to `seq` were not
 * rewritten, even by a database superuser who recomputed every hash.
 */
export const auditCheckpoints = pgTable(
  'audit_checkpoints',
  {
    id: idColumn(),
    tenantId: uuid('tenant_id').notNull(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    headHash: text('head_hash').notNull(),
    headRecordedAt: timestamp('head_recorded_at', { withTimezone: true }).notNull(),
    signedAt: timestamp('signed_at', { withTimezone: true }).notNull().defaultNow(),
    /** SHA-256 of the public key (hex), naming the key that signed. */
    keyId: text('key_id').notNull(),
    /** The public key, SPKI DER in base64, so a checkpoint can be checked on its own. */
    publicKey: text('public_key').notNull(),
    signature: text('signature').notNull(),
  },
  (t) => [index('audit_checkpoints_tenant_seq_idx').on(t.tenantId, t.seq)],
);

/** Each run of the chain verification, scheduled or asked for, and what it found. */
export const auditVerifications = pgTable(
  'audit_verifications',
  {
    id: idColumn(),
    tenantId: uuid('tenant_id').notNull(),
    trigger: text('trigger', { enum: ['schedule', 'request'] }).notNull(),
    requestedBy: uuid('requested_by'),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    finishedAt: timestamp('finished_at', { withTimezone: true }).notNull().defaultNow(),
    ok: boolean('ok').notNull(),
    fromSeq: bigint('from_seq', { mode: 'number' }).notNull(),
    checked: bigint('checked', { mode: 'number' }).notNull(),
    firstBadSeq: bigint('first_bad_seq', { mode: 'number' }),
    reason: text('reason'),
  },
  (t) => [index('audit_verifications_tenant_idx').on(t.tenantId, t.finishedAt)],
);

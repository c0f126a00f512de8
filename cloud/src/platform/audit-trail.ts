import { readTenantSettings, tables } from '@plantline/schema';
import { sql } from 'drizzle-orm';
import type { Sql } from '../db/database.js';
import { rows } from '../db/rows.js';
import {
  type AuditEntryContent,
  auditEntryHash,
  changedValues,
  GENESIS_HASH,
  wellFormed,
} from './audit-chain.js';
import { DomainError } from './errors.js';
import type { Principal, Scope } from './principal.js';

/*
 * Recording the audit trail (docs/audit.md). A module describes a change with one call,
 * `audit(tx, change)`, in the transaction that makes it; the database layer seals what was recorded
 * into the tenant's hash chain just before the transaction commits. Sealing last keeps the chain
 * head, which serialises a tenant's audited writes, locked for the shortest time: a few statements
 * and the commit, not the whole business transaction.
 */

export interface AuditChange {
  /** What was done, `<entity>.<verb>` in the past sense: `role.update`, `user.sign-in-failed`. */
  action: string;
  entityType: string;
  entityId: string;
  /** The record's code or name, so the trail reads without joins. */
  entityLabel?: string | null;
  /** The plant the record belongs to; null or absent for tenant-wide records. */
  plantId?: string | null;
  /** The record before the change (null for a creation). Only the fields that differ are kept. */
  before?: Record<string, unknown> | null;
  /** The record after the change (null for a deletion). */
  after?: Record<string, unknown> | null;
  /** The reason for this change, where the caller gave one other than the call's. */
  reason?: string | null;
}

export interface AuditActor {
  kind: 'user' | 'api-key' | 'system';
  userId: string | null;
  apiKeyId: string | null;
  onBehalfOfUserId: string | null;
}

/** Who acts and from where, for every entry of one transaction. */
export interface AuditCaller {
  actor: AuditActor;
  requestId: string | null;
  clientAddress: string | null;
  /** The reason the caller gave for the call's changes (EU GMP Annex 11 §9). */
  reason: string | null;
}

interface PendingEntry
  extends Omit<
    AuditEntryContent,
    | 'tenantId'
    | 'seq'
    | 'recordedAt'
    | 'actorName'
    | 'actorKind'
    | 'actorUserId'
    | 'actorApiKeyId'
    | 'onBehalfOfUserId'
    | 'requestId'
    | 'clientAddress'
  > {
  /** A change or deletion of existing data: the tenant may require a reason for these. */
  altersExisting: boolean;
}

interface Trail {
  tenantId: string | null;
  caller: AuditCaller;
  pending: PendingEntry[];
  /** audit() calls, including those that found nothing changed: the unaudited-write guard counts them. */
  calls: number;
}

const trails = new WeakMap<Sql, Trail>();

export function actorOf(principal: Principal): AuditActor {
  return {
    kind: principal.kind,
    userId: principal.userId,
    apiKeyId: principal.apiKeyId,
    onBehalfOfUserId: null,
  };
}

const SYSTEM: AuditActor = { kind: 'system', userId: null, apiKeyId: null, onBehalfOfUserId: null };

/** Called by the database layer when it opens a transaction: work done as `scope`'s user by default. */
export function openAuditTrail(tx: Sql, scope: Scope | null): void {
  const userId = scope?.userId ?? null;
  trails.set(tx, {
    tenantId: scope?.tenantId ?? null,
    caller: {
      actor: userId === null ? SYSTEM : { ...SYSTEM, kind: 'user', userId },
      requestId: null,
      clientAddress: null,
      reason: null,
    },
    pending: [],
    calls: 0,
  });
}

/** Names the caller of a transaction's changes: the API layer does this for every call. */
export function describeAuditCaller(tx: Sql, caller: AuditCaller): void {
  trailOf(tx).caller = { ...caller, reason: caller.reason === null ? null : wellFormed(caller.reason) };
}

/** Records one change in the transaction that makes it. */
export function audit(tx: Sql, change: AuditChange): void {
  const trail = trailOf(tx);
  trail.calls += 1;
  const bothSides = change.before != null && change.after != null;
  const { oldValues, newValues } = changedValues(change.before, change.after);
  // An update that changed nothing leaves nothing to record.
  if (bothSides && Object.keys(newValues ?? {}).length === 0) return;
  trail.pending.push({
    action: change.action,
    entityType: change.entityType,
    entityId: change.entityId,
    entityLabel: change.entityLabel == null ? null : wellFormed(change.entityLabel),
    plantId: change.plantId ?? null,
    oldValues,
    newValues,
    reason: change.reason == null ? null : wellFormed(change.reason),
    altersExisting: change.before != null,
  });
}

let savepoints = 0;

/**
 * Runs `work` in a savepoint of the transaction `tx`: when it throws, what it wrote and the audit
 * entries it recorded are undone and the error is rethrown, while the transaction itself goes on
 * (PostgreSQL manual, SAVEPOINT). For a part that may fail on its own without costing the rest, such
 * as booking counted parts beside the counts that ingest stores (docs/materials.md, "Counted
 * production"). `work` uses `tx` itself, so it records its audit entries on the same trail.
 */
export async function withSavepoint<T>(tx: Sql, work: () => Promise<T>): Promise<T> {
  const trail = trailOf(tx);
  const recorded = trail.pending.length;
  const name = sql.raw(`plantline_part_${++savepoints}`);
  await tx.execute(sql`savepoint ${name}`);
  try {
    const result = await work();
    await tx.execute(sql`release savepoint ${name}`);
    return result;
  } catch (error) {
    await tx.execute(sql`rollback to savepoint ${name}`);
    trail.pending.splice(recorded);
    throw error;
  }
}

/** How many times audit() was called in this transaction (the API's unaudited-write guard). */
export function auditCalls(tx: Sql): number {
  return trails.get(tx)?.calls ?? 0;
}

function trailOf(tx: Sql): Trail {
  const trail = trails.get(tx);
  if (trail === undefined) throw new Error('audit() needs a transaction opened by db.transact');
  return trail;
}

/** Entries per insert: an entry binds 20 parameters. */
const SEAL_BATCH = 1000;

interface HeadRow {
  seq: string;
  head_hash: string;
  at: string;
  user_name: string | null;
  key_name: string | null;
  settings: unknown;
}

/**
 * Appends what the transaction recorded to its tenant's chain. The upsert of the chain head takes
 * the row lock that orders concurrent writers of one tenant: seq stays gap-free and unique, and
 * each entry follows the hash the previous writer committed.
 */
export async function sealAuditTrail(tx: Sql): Promise<void> {
  const trail = trails.get(tx);
  if (trail === undefined || trail.pending.length === 0) return;
  const entries = trail.pending.splice(0);
  const { tenantId, caller } = trail;
  if (tenantId === null) throw new Error('Audited changes need a tenant scope');
  const { actor } = caller;
  const count = entries.length;
  const [head] = await rows<HeadRow>(
    tx,
    sql`with head as (
        insert into audit_chain_heads as h (tenant_id, seq, head_hash)
        values (${tenantId}, ${count}, ${GENESIS_HASH})
        on conflict (tenant_id) do update set seq = h.seq + ${count}, updated_at = now()
        returning h.seq, h.head_hash)
      select head.seq::text as seq, head.head_hash,
        to_char(date_trunc('milliseconds', clock_timestamp()) at time zone 'UTC',
          'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as at,
        (select display_name from users where id = ${actor.userId}) as user_name,
        (select name from api_keys where id = ${actor.apiKeyId}) as key_name,
        (select settings from system_settings where tenant_id = ${tenantId}) as settings
      from head`,
  );
  if (head === undefined) throw new Error('The audit chain head did not answer');
  const settings = readTenantSettings(head.settings);
  if (settings.audit.reasonRequired) {
    const missing = entries.find((e) => e.altersExisting && (e.reason ?? caller.reason) === null);
    if (missing !== undefined) {
      throw new DomainError('invalid', 'Give a reason for this change: this tenant requires one', {
        reason: 'Required',
      });
    }
  }
  const actorName = head.user_name ?? head.key_name ?? (actor.kind === 'system' ? 'Plantline' : 'unknown');
  let seq = Number(head.seq) - count;
  let prevHash = head.head_hash;
  const written = entries.map(({ altersExisting: _, ...entry }) => {
    seq += 1;
    const content: AuditEntryContent = {
      ...entry,
      reason: entry.reason ?? caller.reason,
      tenantId,
      seq,
      recordedAt: head.at,
      actorKind: actor.kind,
      actorUserId: actor.userId,
      actorApiKeyId: actor.apiKeyId,
      onBehalfOfUserId: actor.onBehalfOfUserId,
      actorName,
      requestId: caller.requestId,
      clientAddress: caller.clientAddress,
    };
    const hash = auditEntryHash(prevHash, content);
    const row = { ...content, recordedAt: new Date(content.recordedAt), prevHash, hash };
    prevHash = hash;
    return row;
  });
  // Usually one statement writes the entries and the new head hash: the head's row lock, which every
  // audited write of the tenant waits for, is held for one round trip less (`pnpm bench audit`). A
  // statement binds at most 65 535 parameters, so a large change (a CSV import of 5 000 options)
  // writes its earlier entries in parts first.
  let from = 0;
  for (; written.length - from > SEAL_BATCH; from += SEAL_BATCH) {
    await tx.insert(tables.auditLog).values(written.slice(from, from + SEAL_BATCH));
  }
  await tx.execute(
    sql`with written as (${tx.insert(tables.auditLog).values(written.slice(from)).getSQL()})
        update audit_chain_heads set head_hash = ${prevHash} where tenant_id = ${tenantId}`,
  );
}

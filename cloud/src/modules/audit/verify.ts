import { tables } from '@plantline/schema';
import { and, desc, eq, sql } from 'drizzle-orm';
import { rows, type Sql } from '../../db/index.js';
import { GENESIS_HASH } from '../../platform/index.js';
import { type ChainHead, readHead, withWholeChain } from './chain-state.js';
import { type ChainAnchor, type ChainFault, ChainWalk, type StoredEntry } from './chain-walk.js';
import { checkpointSignatureValid } from './checkpoint-document.js';

/*
 * Verifying a tenant's audit chain (docs/audit.md, "Verifying"): from the latest signed checkpoint
 * (its signature checked, and the entry it names still carrying the signed hash) or from the start,
 * recompute every entry's hash in keyset batches, then compare the end of the walk with the chain
 * head. The first fault ends the walk. Each run is recorded in audit_verifications.
 */

const { auditLog, auditCheckpoints, auditVerifications } = tables;

export type VerifyFrom = 'checkpoint' | 'start';

/** Entries read per statement: large enough that round trips do not dominate, small enough to hold. */
export const VERIFY_BATCH = 5000;

export interface VerificationResult {
  ok: boolean;
  checked: number;
  /** The first entry the walk read (1 from the start, the checkpoint's seq + 1 from a checkpoint). */
  fromSeq: number;
  firstBadSeq: number | null;
  reason: string | null;
  verifiedAt: string;
}

/**
 * The latest checkpoint as a place to start: its signature must check with the key stored beside it,
 * and the entry it names must still carry the signed hash and time. A superuser who rewrote an entry
 * and recomputed every later hash fails here (docs/audit.md, "What proves what").
 */
async function checkpointAnchor(tx: Sql, tenantId: string): Promise<ChainAnchor | ChainFault> {
  const [checkpoint] = await tx
    .select()
    .from(auditCheckpoints)
    .where(eq(auditCheckpoints.tenantId, tenantId))
    .orderBy(desc(auditCheckpoints.seq), desc(auditCheckpoints.signedAt))
    .limit(1);
  if (checkpoint === undefined) return { seq: 0, hash: GENESIS_HASH };
  const statement = {
    tenantId,
    seq: checkpoint.seq,
    headHash: checkpoint.headHash,
    headRecordedAt: checkpoint.headRecordedAt.toISOString(),
  };
  if (!checkpointSignatureValid(statement, checkpoint)) {
    return {
      firstBadSeq: checkpoint.seq,
      reason: `the signed checkpoint at entry ${checkpoint.seq} has a signature that does not check`,
    };
  }
  const [entry] = await tx
    .select({ hash: auditLog.hash, recordedAt: auditLog.recordedAt })
    .from(auditLog)
    .where(and(eq(auditLog.tenantId, tenantId), eq(auditLog.seq, checkpoint.seq)));
  if (
    entry?.hash !== checkpoint.headHash ||
    entry.recordedAt.getTime() !== checkpoint.headRecordedAt.getTime()
  ) {
    return {
      firstBadSeq: checkpoint.seq,
      reason: `the signed checkpoint at entry ${checkpoint.seq} no longer matches the log`,
    };
  }
  return { seq: checkpoint.seq, hash: checkpoint.headHash };
}

export interface ChainVerification {
  result: Omit<VerificationResult, 'verifiedAt'>;
  /** The head the walk ended on: what a checkpoint may sign when the result is ok. */
  head: ChainHead | null;
}

/** Verifies the tenant's chain (whatever plants the transaction's caller may see) and records nothing. */
export async function verifyChain(tx: Sql, tenantId: string, from: VerifyFrom): Promise<ChainVerification> {
  return withWholeChain(tx, async () => {
    const { head, highestSeq } = await readHead(tx, tenantId);
    const anchor =
      from === 'checkpoint' ? await checkpointAnchor(tx, tenantId) : { seq: 0, hash: GENESIS_HASH };
    if ('reason' in anchor) {
      return { result: { ok: false, checked: 0, fromSeq: anchor.firstBadSeq, ...anchor }, head };
    }
    const walk = new ChainWalk(anchor);
    const fromSeq = anchor.seq + 1;
    const fault = (await walkEntries(tx, tenantId, walk, head?.seq ?? 0)) ?? walk.finish(head, highestSeq);
    const result =
      fault === null
        ? { ok: true, checked: walk.checked, fromSeq, firstBadSeq: null, reason: null }
        : { ok: false, checked: walk.checked, fromSeq, ...fault };
    return { result, head };
  });
}

interface EntryRow {
  seq: string;
  recorded_at: string;
  actor_kind: StoredEntry['content']['actorKind'];
  actor_user_id: string | null;
  actor_api_key_id: string | null;
  on_behalf_of_user_id: string | null;
  actor_name: string;
  action: string;
  entity_type: string;
  entity_id: string;
  entity_label: string | null;
  plant_id: string | null;
  old_values: unknown;
  new_values: unknown;
  reason: string | null;
  request_id: string | null;
  client_address: string | null;
  prev_hash: string;
  hash: string;
}

/**
 * One batch of entries after `after`, as hashed. Raw rows with the time formatted by the server as
 * toISOString writes it: verification reads every entry, and skipping the query builder's mapping
 * and a Date per row makes it markedly faster (`pnpm bench audit`).
 */
function readBatch(tx: Sql, tenantId: string, after: number, upTo: number): Promise<EntryRow[]> {
  return rows<EntryRow>(
    tx,
    sql`select l.seq::text as seq,
          to_char(l.recorded_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as recorded_at,
          actor_kind, actor_user_id, actor_api_key_id, on_behalf_of_user_id, actor_name, action,
          entity_type, entity_id, entity_label, plant_id, old_values, new_values, reason, request_id,
          client_address, prev_hash, hash
        from audit_log l
        where l.tenant_id = ${tenantId} and l.seq > ${after} and l.seq <= ${upTo}
        -- By the column, not the text alias above (which would sort 10 before 9).
        order by l.seq
        limit ${VERIFY_BATCH}`,
  );
}

/** The entry's content with its members in canonical order, which canonicalEntry copies fastest. */
function storedEntry(tenantId: string, row: EntryRow): StoredEntry {
  return {
    content: {
      action: row.action,
      actorApiKeyId: row.actor_api_key_id,
      actorKind: row.actor_kind,
      actorName: row.actor_name,
      actorUserId: row.actor_user_id,
      clientAddress: row.client_address,
      entityId: row.entity_id,
      entityLabel: row.entity_label,
      entityType: row.entity_type,
      newValues: row.new_values,
      oldValues: row.old_values,
      onBehalfOfUserId: row.on_behalf_of_user_id,
      plantId: row.plant_id,
      reason: row.reason,
      recordedAt: row.recorded_at,
      requestId: row.request_id,
      seq: Number(row.seq),
      tenantId,
    },
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/** Feeds the entries after the walk's start up to `upTo` to the walk; the next batch is read while one is hashed. */
async function walkEntries(
  tx: Sql,
  tenantId: string,
  walk: ChainWalk,
  upTo: number,
): Promise<ChainFault | null> {
  if (walk.lastSeq >= upTo) return null;
  let next: Promise<EntryRow[]> | null = readBatch(tx, tenantId, walk.lastSeq, upTo);
  while (next !== null) {
    const batch: EntryRow[] = await next;
    const last = batch.at(-1);
    next =
      last === undefined || Number(last.seq) >= upTo ? null : readBatch(tx, tenantId, Number(last.seq), upTo);
    for (const row of batch) {
      const fault = walk.next(storedEntry(tenantId, row));
      if (fault === null) continue;
      // The transaction goes on after the walk: let the batch in flight finish first.
      await next?.catch(() => undefined);
      return fault;
    }
  }
  return null;
}

export interface VerificationRun {
  trigger: 'schedule' | 'request';
  requestedBy: string | null;
  from: VerifyFrom;
}

/** Verifies the tenant's chain and records the run and its finding in audit_verifications. */
export async function verifyAndRecord(
  tx: Sql,
  tenantId: string,
  run: VerificationRun,
): Promise<{ result: VerificationResult; head: ChainHead | null }> {
  const startedAt = new Date();
  const { result, head } = await verifyChain(tx, tenantId, run.from);
  const finishedAt = new Date();
  await tx.insert(auditVerifications).values({
    tenantId,
    trigger: run.trigger,
    requestedBy: run.requestedBy,
    startedAt,
    finishedAt,
    ok: result.ok,
    fromSeq: result.fromSeq,
    checked: result.checked,
    firstBadSeq: result.firstBadSeq,
    reason: result.reason,
  });
  return { result: { ...result, verifiedAt: finishedAt.toISOString() }, head };
}

/** The latest verification runs of the tenant, newest first. */
export async function listVerifications(tx: Sql, tenantId: string, limit: number) {
  const runs = await tx
    .select({
      id: auditVerifications.id,
      trigger: auditVerifications.trigger,
      requestedBy: auditVerifications.requestedBy,
      requestedByName: tables.users.displayName,
      startedAt: auditVerifications.startedAt,
      finishedAt: auditVerifications.finishedAt,
      ok: auditVerifications.ok,
      fromSeq: auditVerifications.fromSeq,
      checked: auditVerifications.checked,
      firstBadSeq: auditVerifications.firstBadSeq,
      reason: auditVerifications.reason,
    })
    .from(auditVerifications)
    .leftJoin(
      tables.users,
      and(
        eq(tables.users.tenantId, auditVerifications.tenantId),
        eq(tables.users.id, auditVerifications.requestedBy),
      ),
    )
    .where(eq(auditVerifications.tenantId, tenantId))
    .orderBy(desc(auditVerifications.finishedAt))
    .limit(limit);
  return runs.map((r) => ({
    ...r,
    startedAt: r.startedAt.toISOString(),
    finishedAt: r.finishedAt.toISOString(),
  }));
}

import { tables } from '@plantline/schema';
import { and, asc, desc, eq, gt, lte } from 'drizzle-orm';
import type { Sql } from '../../db/index.js';
import { GENESIS_HASH } from '../../platform/index.js';
import { type ChainHead, readHead, withWholeChain } from './chain-state.js';
import { type ChainAnchor, type ChainFault, ChainWalk } from './chain-walk.js';
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

async function walkEntries(tx: Sql, tenantId: string, walk: ChainWalk, upTo: number) {
  let after = walk.lastSeq;
  while (after < upTo) {
    const batch = await tx
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.tenantId, tenantId), gt(auditLog.seq, after), lte(auditLog.seq, upTo)))
      .orderBy(asc(auditLog.seq))
      .limit(VERIFY_BATCH);
    if (batch.length === 0) return null;
    for (const { tenantId: _, recordedAt, ...entry } of batch) {
      const fault = walk.next({ ...entry, tenantId, recordedAt: recordedAt.toISOString() });
      if (fault !== null) return fault;
    }
    after = batch.at(-1)?.seq ?? upTo;
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

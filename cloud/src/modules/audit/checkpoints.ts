import { tables } from '@plantline/schema';
import { and, desc, eq } from 'drizzle-orm';
import type { Sql } from '../../db/index.js';
import { notFound } from '../../platform/index.js';
import { type ChainHead, withWholeChain } from './chain-state.js';
import { type CheckpointDocument, checkpointDocument, signCheckpoint } from './checkpoint-document.js';
import type { AuditSigningKey } from './signing-key.js';
import { type VerificationResult, type VerificationRun, verifyAndRecord } from './verify.js';

/*
 * Signed checkpoints of the chain head (docs/audit.md, "Signed checkpoints"). A head is signed only
 * after the chain up to it has verified, so a checkpoint never vouches for a log that was already
 * broken; the public key and its id are stored with each one, so checkpoints stay checkable after the
 * key is replaced.
 */

const { auditCheckpoints, auditLog } = tables;

export interface CheckpointSummary {
  id: string;
  seq: number;
  headHash: string;
  headRecordedAt: string;
  signedAt: string;
  keyId: string;
  /** Whether this cloud's current signing key made it (false after the key was replaced). */
  signedByCurrentKey: boolean;
}

type CheckpointRow = typeof auditCheckpoints.$inferSelect;

function summaryOf(row: CheckpointRow, key: AuditSigningKey): CheckpointSummary {
  return {
    id: row.id,
    seq: row.seq,
    headHash: row.headHash,
    headRecordedAt: row.headRecordedAt.toISOString(),
    signedAt: row.signedAt.toISOString(),
    keyId: row.keyId,
    signedByCurrentKey: row.keyId === key.keyId,
  };
}

export interface CheckpointOutcome {
  verification: VerificationResult;
  /** The checkpoint of the verified head: new, or the latest one when it already named that head. */
  checkpoint: CheckpointSummary | null;
  /** Whether a new checkpoint was signed. */
  signed: boolean;
}

/**
 * Verifies the tenant's chain from its latest checkpoint, records the run, and when the chain checks
 * signs its head — unless the latest checkpoint already names it (an idle tenant gets no new one a day).
 * The scheduled job and audit.checkpoints.create both run this.
 */
export async function verifyAndCheckpoint(
  tx: Sql,
  tenantId: string,
  key: AuditSigningKey,
  run: Omit<VerificationRun, 'from'>,
): Promise<CheckpointOutcome> {
  const { result, head } = await verifyAndRecord(tx, tenantId, { ...run, from: 'checkpoint' });
  if (!result.ok || head === null) return { verification: result, checkpoint: null, signed: false };
  const [latest] = await tx
    .select()
    .from(auditCheckpoints)
    .where(eq(auditCheckpoints.tenantId, tenantId))
    .orderBy(desc(auditCheckpoints.seq), desc(auditCheckpoints.signedAt))
    .limit(1);
  if (latest !== undefined && latest.seq === head.seq && latest.headHash === head.hash) {
    return { verification: result, checkpoint: summaryOf(latest, key), signed: false };
  }
  const created = await signHead(tx, tenantId, head, key);
  return { verification: result, checkpoint: summaryOf(created, key), signed: true };
}

async function signHead(tx: Sql, tenantId: string, head: ChainHead, key: AuditSigningKey) {
  // The head entry may be of a plant the caller cannot see; only its time is read.
  const [entry] = await withWholeChain(tx, () =>
    tx
      .select({ recordedAt: auditLog.recordedAt })
      .from(auditLog)
      .where(and(eq(auditLog.tenantId, tenantId), eq(auditLog.seq, head.seq))),
  );
  if (entry === undefined) throw new Error(`The verified head entry ${head.seq} is not there`);
  const statement = {
    tenantId,
    seq: head.seq,
    headHash: head.hash,
    headRecordedAt: entry.recordedAt.toISOString(),
  };
  const [created] = await tx
    .insert(auditCheckpoints)
    .values({
      tenantId,
      seq: head.seq,
      headHash: head.hash,
      headRecordedAt: entry.recordedAt,
      signedAt: new Date(),
      keyId: key.keyId,
      publicKey: key.publicKey,
      signature: signCheckpoint(key.privateKey, statement),
    })
    .returning();
  if (created === undefined) throw new Error('The checkpoint was not stored');
  return created;
}

export async function listCheckpoints(
  tx: Sql,
  tenantId: string,
  key: AuditSigningKey,
  limit: number,
): Promise<CheckpointSummary[]> {
  const found = await tx
    .select()
    .from(auditCheckpoints)
    .where(eq(auditCheckpoints.tenantId, tenantId))
    .orderBy(desc(auditCheckpoints.seq), desc(auditCheckpoints.signedAt))
    .limit(limit);
  return found.map((row) => summaryOf(row, key));
}

/** The document of one checkpoint, to keep outside Plantline and check with openssl (docs/audit.md). */
export async function exportCheckpoint(tx: Sql, tenantId: string, id: string): Promise<CheckpointDocument> {
  const [row] = await tx
    .select()
    .from(auditCheckpoints)
    .where(and(eq(auditCheckpoints.tenantId, tenantId), eq(auditCheckpoints.id, id)));
  if (row === undefined) throw notFound('Checkpoint');
  return checkpointDocument(
    { tenantId, seq: row.seq, headHash: row.headHash, headRecordedAt: row.headRecordedAt.toISOString() },
    {
      publicKey: row.publicKey,
      keyId: row.keyId,
      signature: row.signature,
      signedAt: row.signedAt.toISOString(),
    },
  );
}

import { tables } from '@plantline/schema';
import { and, asc, eq, sql } from 'drizzle-orm';
import { rows, type Sql } from '../../db/index.js';
import { audit, DomainError } from '../../platform/index.js';
import { entityOf, requireRead, type WorkflowContext } from './context.js';
import type { WorkflowEntity } from './entities.js';
import { type LoadedRecord, loadRecord, signedContent } from './record-fields.js';
import { type SigningComponents, signerOf } from './signing-auth.js';
import { SIGNATURE_VOIDED_KIND, workflowNotify } from './workflow-notify.js';

/*
 * Electronic signatures (docs/workflows.md, "Electronic signatures"). A signature is a row, never
 * rewritten: the signer's printed name, the server's time and the meaning (21 CFR 11.50(a)), bound
 * to the SHA-256 of the record's fields as signed (11.70), which are kept with it. A later edit of
 * those fields while the signature still waits for its approval voids it, and the vote it carried
 * (migration 0019 allows nothing else to change).
 */

export interface SignatureInput {
  entity: WorkflowEntity;
  record: LoadedRecord;
  /** The workflow instance and round signed in; null for a record without one. */
  instanceId: string | null;
  round: number | null;
  transitionKey: string | null;
  meaning: string;
  /** Under a delegation, the person signed for: recorded as "A for B", never in B's name (11.100(a)). */
  onBehalfOf: { id: string; name: string } | null;
  /** What verifySigner checked. */
  components: SigningComponents;
}

export interface RecordedSignature {
  id: string;
  signedAt: Date;
  recordSha256: string;
}

/** Records a signature by the caller, who verifySigner has just checked, in the acting transaction. */
export async function recordSignature(
  ctx: WorkflowContext,
  input: SignatureInput,
): Promise<RecordedSignature> {
  const { userId, sessionId } = signerOf(ctx.principal);
  const { entity, record } = input;
  const [signer] = await ctx.tx
    .select({ name: tables.users.displayName })
    .from(tables.users)
    .where(eq(tables.users.id, userId));
  if (signer === undefined) throw new DomainError('forbidden', 'The signer is not a user of this tenant');
  const { content, sha256 } = signedContent(record);
  const [row] = await ctx.tx
    .insert(tables.electronicSignatures)
    .values({
      tenantId: ctx.principal.tenantId,
      plantId: record.plantId,
      entityType: entity.key,
      entityId: record.id,
      instanceId: input.instanceId,
      round: input.round,
      transitionKey: input.transitionKey,
      signerId: userId,
      signerName: signer.name,
      onBehalfOfId: input.onBehalfOf?.id ?? null,
      onBehalfOfName: input.onBehalfOf?.name ?? null,
      meaning: input.meaning,
      recordSha256: sha256,
      record: content,
      components: input.components,
      sessionId,
    })
    .returning({ id: tables.electronicSignatures.id, signedAt: tables.electronicSignatures.signedAt });
  if (row === undefined) throw new Error('The signature was not stored');
  const facts = {
    signatureId: row.id,
    signerName: signer.name,
    onBehalfOf: input.onBehalfOf?.name ?? null,
    meaning: input.meaning,
    recordSha256: sha256,
    components: input.components,
  };
  if (input.instanceId !== null) {
    await ctx.tx.insert(tables.workflowEvents).values({
      tenantId: ctx.principal.tenantId,
      plantId: record.plantId,
      instanceId: input.instanceId,
      kind: 'signature',
      round: input.round ?? 1,
      transitionKey: input.transitionKey,
      actorId: userId,
      onBehalfOfId: input.onBehalfOf?.id ?? null,
      detail: facts,
    });
  }
  audit(ctx.tx, {
    action: 'signature.sign',
    entityType: entity.key,
    entityId: record.id,
    entityLabel: record.code,
    plantId: record.plantId,
    after: { ...facts, transitionKey: input.transitionKey, round: input.round },
  });
  return { id: row.id, signedAt: row.signedAt, recordSha256: sha256 };
}

interface StaleSignature {
  id: string;
  signer_id: string;
  signer_name: string;
  meaning: string;
  transition_key: string | null;
}

/**
 * After an edit of `record` (reloaded, as it now is): voids the signatures of the instance's current
 * round, still waiting for their approval, that were made on other content, and the votes they
 * carried; tells each signer. Signatures of earlier rounds belong to decisions already taken and stay.
 */
export async function voidStaleSignatures(
  ctx: WorkflowContext,
  input: { entity: WorkflowEntity; record: LoadedRecord; reason: string },
): Promise<number> {
  const { entity, record } = input;
  const reason = input.reason.trim().slice(0, 1000) || 'The record changed after it was signed';
  const [instance] = await rows<{ id: string; round: number }>(
    ctx.tx,
    sql`select id, round from workflow_instances
         where entity_type = ${entity.key} and entity_id = ${record.id}::uuid`,
  );
  if (instance === undefined) return 0;
  const { sha256 } = signedContent(record);
  const voided = await rows<StaleSignature>(
    ctx.tx,
    sql`update electronic_signatures set voided_at = now(), void_reason = ${reason}
         where entity_type = ${entity.key} and entity_id = ${record.id}::uuid
           and instance_id = ${instance.id}::uuid and round = ${instance.round}
           and voided_at is null and record_sha256 <> ${sha256}
        returning id, signer_id, signer_name, meaning, transition_key`,
  );
  if (voided.length === 0) return 0;
  await ctx.tx.execute(
    sql`update approvals set voided_at = now()
         where signature_id = any(${sql.param(voided.map((s) => s.id))}::uuid[]) and voided_at is null`,
  );
  await ctx.tx.insert(tables.workflowEvents).values(
    voided.map((signature) => ({
      tenantId: ctx.principal.tenantId,
      plantId: record.plantId,
      instanceId: instance.id,
      kind: 'voided' as const,
      round: instance.round,
      transitionKey: signature.transition_key,
      actorId: ctx.principal.userId,
      comment: reason,
      detail: { signatureId: signature.id, signerName: signature.signer_name, meaning: signature.meaning },
    })),
  );
  for (const signature of voided) {
    audit(ctx.tx, {
      action: 'signature.void',
      entityType: entity.key,
      entityId: record.id,
      entityLabel: record.code,
      plantId: record.plantId,
      after: {
        signatureId: signature.id,
        signerName: signature.signer_name,
        meaning: signature.meaning,
        voidReason: reason,
      },
    });
  }
  const signers = [...new Set(voided.map((s) => s.signer_id))].filter((id) => id !== ctx.principal.userId);
  if (signers.length > 0) {
    await workflowNotify(ctx, {
      to: { userIds: signers },
      kind: SIGNATURE_VOIDED_KIND,
      title: `Your signature on ${record.code} was voided`.slice(0, 200),
      body: `${reason}. Review the record and sign again if you still agree.`,
      link: entity.link(record.id),
      plantId: record.plantId,
      entity: { type: entity.key, id: record.id },
    });
  }
  return voided.length;
}

export interface SignatureRow {
  id: string;
  signerName: string;
  onBehalfOfName: string | null;
  meaning: string;
  signedAt: Date;
  recordSha256: string;
  components: SigningComponents;
  transitionKey: string | null;
  round: number | null;
  voidedAt: Date | null;
  voidReason: string | null;
}

/** The columns of a signature as lists and the printable page show it. */
export const signatureColumns = {
  id: tables.electronicSignatures.id,
  signerName: tables.electronicSignatures.signerName,
  onBehalfOfName: tables.electronicSignatures.onBehalfOfName,
  meaning: tables.electronicSignatures.meaning,
  signedAt: tables.electronicSignatures.signedAt,
  recordSha256: tables.electronicSignatures.recordSha256,
  components: tables.electronicSignatures.components,
  transitionKey: tables.electronicSignatures.transitionKey,
  round: tables.electronicSignatures.round,
  voidedAt: tables.electronicSignatures.voidedAt,
  voidReason: tables.electronicSignatures.voidReason,
};

/** The record's signatures, oldest first, voided ones included (they stay part of its history). */
export async function listSignatures(
  tx: Sql,
  input: { entityType: string; entityId: string },
): Promise<SignatureRow[]> {
  const found = await tx
    .select(signatureColumns)
    .from(tables.electronicSignatures)
    .where(
      and(
        eq(tables.electronicSignatures.entityType, input.entityType),
        eq(tables.electronicSignatures.entityId, input.entityId),
      ),
    )
    .orderBy(asc(tables.electronicSignatures.signedAt), asc(tables.electronicSignatures.id));
  return found.map((s) => ({ ...s, components: s.components as SigningComponents }));
}

/**
 * The record as the caller may read it: its type's read permission (a DomainError 'forbidden') and
 * row-level security (a record outside the caller's plants is not found); an unknown type is 'invalid'.
 */
export async function readableRecord(
  ctx: Pick<WorkflowContext, 'tx' | 'principal' | 'deps'>,
  input: { entityType: string; entityId: string },
): Promise<{ entity: WorkflowEntity; record: LoadedRecord }> {
  const entity = entityOf(ctx, input.entityType);
  requireRead(ctx, entity);
  return { entity, record: await loadRecord(ctx.tx, entity, input.entityId) };
}

import { tables } from '@plantline/schema';
import { and, eq, sql } from 'drizzle-orm';
import { DomainError, type RecordEdit, type RecordEditGuard } from '../../platform/index.js';
import { announceChange, entityOf, instanceFor, stateOf, type WorkflowContext } from './context.js';
import { refusedEdits } from './engine/index.js';
import { fieldCatalogue, loadRecord } from './record-fields.js';
import { voidStaleSignatures } from './signatures.js';
import { rebuildTasks } from './task-writer.js';
import { versionDefinition } from './versions.js';

/*
 * Field locks (docs/workflows.md, "Field locks and signatures"): every write of a record that may run
 * under a workflow asks first whether its current state allows the fields it changes, and says
 * afterwards that it changed them, so the editor is remembered for separation of duties and pending
 * signatures bound to the old content are voided. A record without an instance is never refused.
 */

/** Refuses ('conflict') an edit of fields the record's current state locks, naming the state and fields. */
export async function checkRecordEdit(ctx: WorkflowContext, edit: RecordEdit): Promise<void> {
  if (edit.fields.length === 0) return;
  const instance = await instanceFor(ctx.tx, edit.entityType, edit.entityId);
  if (instance === null) return;
  const definition = await versionDefinition(ctx.tx, instance.versionId);
  const state = stateOf(definition, instance.stateKey);
  const refused = refusedEdits(state, edit.fields);
  if (refused.length === 0) return;
  const catalogue = await fieldCatalogue(ctx.tx, entityOf(ctx, edit.entityType));
  const labels = refused.map((ref) => catalogue.get(ref)?.label ?? ref);
  const message = state.locked
    ? `The record is ${state.label}: it is read-only`
    : `In ${state.label} ${labels.length === 1 ? 'this field cannot' : 'these fields cannot'} change: ${labels.join(', ')}`;
  throw new DomainError(
    'conflict',
    message,
    Object.fromEntries(refused.map((ref) => [ref, `Read-only in ${state.label}`])),
  );
}

/**
 * After an edit is written, in its transaction: signatures of the current round made on the content
 * before the edit are voided with their votes (21 CFR 11.70: a signature stays bound to what was
 * signed), the caller joins the instance's editors, and record pages and inboxes look again.
 */
export async function recordEdited(ctx: WorkflowContext, edit: RecordEdit): Promise<void> {
  if (edit.fields.length === 0) return;
  const instance = await instanceFor(ctx.tx, edit.entityType, edit.entityId);
  if (instance === null) return;
  const { userId } = ctx.principal;
  const entity = entityOf(ctx, edit.entityType);
  const catalogue = await fieldCatalogue(ctx.tx, entity);
  const labels = [...new Set(edit.fields)].map((ref) => catalogue.get(ref)?.label ?? ref);
  const voided = await voidStaleSignatures(ctx, {
    entity,
    record: await loadRecord(ctx.tx, entity, edit.entityId),
    reason: `Changed after signing: ${labels.join(', ')}`,
  });
  if (userId !== null) {
    const wi = tables.workflowInstances;
    await ctx.tx
      .update(wi)
      .set({ editors: sql`array_append(${wi.editors}, ${userId}::uuid)`, updatedAt: new Date() })
      .where(and(eq(wi.id, instance.id), sql`not (${userId}::uuid = any(${wi.editors}))`));
  }
  // Voided votes no longer count: whoever cast them is asked again.
  if (voided > 0) await rebuildTasks(ctx, instance.id);
  announceChange(ctx, instance);
}

/** The guard the app's dependencies carry, for modules that cannot import this one. */
export function recordEditGuard(): RecordEditGuard<WorkflowContext> {
  return { check: checkRecordEdit, edited: recordEdited };
}

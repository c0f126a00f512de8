import { tables } from '@plantline/schema';
import type { WorkflowDefinition } from '@plantline/schema/workflow';
import { and, desc, eq, inArray } from 'drizzle-orm';
import type { Sql } from '../../db/index.js';
import { DomainError } from '../../platform/index.js';
import { vote } from './act-vote.js';
import {
  type ActInput,
  type Acting,
  type ActResult,
  authority,
  checkComment,
  checkGuard,
  checkRequired,
  type Outcome,
  signIfAsked,
} from './acting.js';
import { awaitEarlierAttempt, storedResult, storeResult } from './action-keys.js';
import {
  actingUser,
  announceChange,
  entityOf,
  type InstanceRow,
  loadInstance,
  stateOf,
  transitionOf,
  type WorkflowContext,
} from './context.js';
import { mayAct } from './engine/index.js';
import { fireTransition } from './enter-state.js';
import { loadRecord } from './record-fields.js';
import { versionDefinition } from './versions.js';

/*
 * Acting on an instance (docs/workflows.md, "Running a workflow" and "Concurrency"): taking a
 * transition, or voting on an approval transition until its quorum fires it (act-vote.ts). Every
 * action names the instance version it saw and carries an idempotency key (action-keys.ts); the
 * instance row is locked for the rest of the transaction, so two people acting at the same instant
 * are served one after the other and the second sees what the first did.
 */

export type { ActInput, ActResult } from './acting.js';

export async function act(ctx: WorkflowContext, input: ActInput): Promise<ActResult> {
  const { tx } = ctx;
  const userId = actingUser(ctx);
  // A retry sent while its first attempt still runs waits for that attempt here, then answers from it.
  await awaitEarlierAttempt(tx, userId, input.idempotencyKey);
  const earlier = await storedResult(tx, userId, input);
  if (earlier !== null) return earlier;
  const instance = await loadInstance(tx, input.instanceId, { lock: true });
  const definition = await versionDefinition(tx, instance.versionId);
  if (instance.version !== input.expectedVersion) throw await staleVersion(tx, instance, definition);
  const from = stateOf(definition, instance.stateKey);
  const transition = transitionOf(definition, input.transitionKey);
  if (transition === undefined || transition.from !== from.key)
    throw new DomainError('invalid', `${input.transitionKey} cannot be taken from ${from.label}`);
  const entity = entityOf(ctx, instance.entityType);
  const record = await loadRecord(tx, entity, instance.entityId);
  const comment = input.comment?.trim() ? input.comment.trim() : null;
  const acting: Acting = {
    ctx,
    userId,
    entity,
    record,
    instance,
    definition,
    from,
    transition,
    comment,
    at: new Date(),
  };
  const outcome = transition.approval === null ? await move(acting, input) : await vote(acting, input);
  await storeResult(
    tx,
    { tenantId: instance.tenantId, userId, idempotencyKey: input.idempotencyKey, instanceId: instance.id },
    transition.key,
    outcome,
  );
  announceChange(ctx, instance);
  return { ...outcome, replayed: false };
}

/** What happened since the caller loaded the record: the latest move, by whom and when. */
async function staleVersion(
  tx: Sql,
  instance: InstanceRow,
  definition: WorkflowDefinition,
): Promise<DomainError> {
  const e = tables.workflowEvents;
  const u = tables.users;
  const [last] = await tx
    .select({ at: e.at, kind: e.kind, toState: e.toState, actor: u.displayName })
    .from(e)
    .leftJoin(u, and(eq(u.tenantId, e.tenantId), eq(u.id, e.actorId)))
    .where(and(eq(e.instanceId, instance.id), inArray(e.kind, ['transition', 'migrated', 'started'])))
    .orderBy(desc(e.at), desc(e.id))
    .limit(1);
  const state = definition.states.find((s) => s.key === instance.stateKey)?.label ?? instance.stateKey;
  if (last === undefined || last.kind === 'started')
    return new DomainError('conflict', `This record changed since you loaded it; it is now ${state}`);
  const verb = last.kind === 'migrated' ? 'was moved to a new workflow version, in' : 'moved to';
  const by = last.actor === null ? '' : ` by ${last.actor}`;
  return new DomainError(
    'conflict',
    `Since you loaded it, this record ${verb} ${state}${by} at ${last.at.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
  );
}

/** A plain transition: the caller (or whom they act for) may take it, and the record allows it. */
async function move(a: Acting, input: ActInput): Promise<Outcome> {
  const { transition } = a;
  const who = await authority(a, (actor) => mayAct(transition, actor, a.record.fields, a.instance.startedBy));
  if (who === null)
    throw new DomainError('forbidden', `You may not ${transition.label.toLowerCase()} this record`);
  checkGuard(a);
  checkComment(a, transition.comment);
  const to = stateOf(a.definition, transition.to);
  await checkRequired(a, to);
  await signIfAsked(a, input, who.onBehalfOf, transition.signature?.meaning ?? null);
  const moved = await fireTransition(a.ctx, {
    entity: a.entity,
    record: a.record,
    instance: a.instance,
    transition,
    from: a.from,
    to,
    comment: a.comment,
    onBehalfOf: who.onBehalfOf?.id ?? null,
    detail: {},
  });
  return { instanceVersion: moved.version, stateKey: moved.stateKey, outcome: 'moved' };
}

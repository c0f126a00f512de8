import { tables } from '@plantline/schema';
import type {
  Approval,
  WorkflowDefinition,
  WorkflowState,
  WorkflowTransition,
} from '@plantline/schema/workflow';
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Sql } from '../../db/index.js';
import { audit, DomainError, unlessTaken } from '../../platform/index.js';
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
import { activeDelegators, type Person } from './delegations.js';
import {
  type Actor,
  type ApprovalContext,
  type CastVote,
  evaluateCondition,
  mayAct,
  missingRequired,
  tallyApproval,
  voteEligibility,
} from './engine/index.js';
import { fireTransition } from './enter-state.js';
import type { WorkflowEntity } from './entities.js';
import { fieldCatalogue, type LoadedRecord, loadRecord } from './record-fields.js';
import { recordSignature } from './signatures.js';
import { verifySigner } from './signing-auth.js';
import { actorAt, approvalContext, rebuildTasks, roundVotes } from './task-writer.js';
import { versionDefinition } from './versions.js';

/*
 * Acting on an instance (docs/workflows.md, "Running a workflow" and "Concurrency"): taking a
 * transition, or voting on an approval transition until its quorum fires it. Every action names the
 * instance version it saw and carries an idempotency key; the instance row is locked for the rest of
 * the transaction, so two people acting at the same instant are served one after the other and the
 * second sees what the first did.
 */

export interface ActInput {
  instanceId: string;
  transitionKey: string;
  /** The instance's row version the caller saw. */
  expectedVersion: number;
  /** Chosen by the client once per attempt and sent again on a retry. */
  idempotencyKey: string;
  /** On an approval transition: the vote. */
  decision?: 'approve' | 'reject' | undefined;
  comment?: string | undefined;
  /** The password (and email, when both components are needed) when the transition is signed. */
  signature?: { email?: string | undefined; password: string } | undefined;
}

export interface ActResult {
  instanceVersion: number;
  stateKey: string;
  /** 'moved': the transition fired; 'voted': the vote is stored and the quorum not reached; 'rejected': sent to rejectTo. */
  outcome: 'moved' | 'voted' | 'rejected';
  /** True when this is the stored answer to an earlier request with the same key. */
  replayed: boolean;
}

/** What one action works on, loaded once under the instance's lock. */
interface Acting {
  ctx: WorkflowContext;
  userId: string;
  entity: WorkflowEntity;
  record: LoadedRecord;
  instance: InstanceRow;
  definition: WorkflowDefinition;
  from: WorkflowState;
  transition: WorkflowTransition;
  comment: string | null;
  at: Date;
}

type Outcome = Omit<ActResult, 'replayed'>;

export async function act(ctx: WorkflowContext, input: ActInput): Promise<ActResult> {
  const { tx } = ctx;
  const userId = actingUser(ctx);
  // A retry sent while its first attempt still runs waits for that attempt here, then answers from
  // it. An advisory lock leaves the transaction without a write, as a replay must: a row lock would
  // count as one (the API refuses unaudited writes, docs/audit.md).
  await tx.execute(
    sql`select pg_advisory_xact_lock(hashtextextended(${`${userId}:${input.idempotencyKey}`}, 0))`,
  );
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
  await tx.insert(tables.workflowActionKeys).values({
    tenantId: instance.tenantId,
    userId,
    key: input.idempotencyKey,
    instanceId: instance.id,
    result: { ...outcome, transitionKey: transition.key },
  });
  announceChange(ctx, instance);
  return { ...outcome, replayed: false };
}

/** The stored answer to the same key from this user, or null; the key is never reused for another action. */
async function storedResult(tx: Sql, userId: string, input: ActInput): Promise<ActResult | null> {
  const k = tables.workflowActionKeys;
  const [found] = await tx
    .select({ instanceId: k.instanceId, result: k.result })
    .from(k)
    .where(and(eq(k.userId, userId), eq(k.key, input.idempotencyKey)));
  if (found === undefined) return null;
  const result = found.result as Outcome & { transitionKey: string };
  if (found.instanceId !== input.instanceId || result.transitionKey !== input.transitionKey)
    throw new DomainError('conflict', 'This idempotency key was already used for another action');
  return {
    instanceVersion: result.instanceVersion,
    stateKey: result.stateKey,
    outcome: result.outcome,
    replayed: true,
  };
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

/**
 * Whose authority a user acts with at the record's plant: their own when `allowed` accepts it, else
 * that of someone who delegated to them for `at` (the action is then recorded as for them). Null
 * when neither may.
 */
export async function actingAuthority(
  tx: Sql,
  user: { userId: string; plantId: string | null; at: Date },
  allowed: (actor: Actor) => boolean,
): Promise<{ actor: Actor; onBehalfOf: Person | null } | null> {
  const own = await actorAt(tx, user.userId, user.plantId);
  if (allowed(own)) return { actor: own, onBehalfOf: null };
  for (const delegator of await activeDelegators(tx, user.userId, user.at)) {
    const actor = await actorAt(tx, delegator.id, user.plantId);
    if (allowed(actor)) return { actor, onBehalfOf: delegator };
  }
  return null;
}

/**
 * Whether a user may vote now, in their own name or for someone who delegated to them (who must
 * hold approvals.decide themselves); else the reason, in the quorum rules' words.
 */
export async function voteAuthority(
  tx: Sql,
  user: { userId: string; plantId: string | null; at: Date },
  approval: Approval,
  votes: readonly CastVote[],
  approvalCtx: ApprovalContext,
): Promise<{ onBehalfOf: Person | null } | { refusal: string }> {
  let refusal: string | null = null;
  const who = await actingAuthority(tx, user, (actor) => {
    if (actor.userId !== user.userId && !actor.permissions.has('approvals.decide')) return false;
    const eligible = voteEligibility(approval, votes, approvalCtx, {
      voterId: user.userId,
      countsForId: actor.userId,
      roleKeys: actor.roleKeys,
    });
    if (!eligible.ok) refusal ??= eligible.reason;
    return eligible.ok;
  });
  if (who === null) return { refusal: refusal ?? 'Not an approver of an open group now' };
  return { onBehalfOf: who.onBehalfOf };
}

function authority(a: Acting, allowed: (actor: Actor) => boolean) {
  return actingAuthority(a.ctx.tx, { userId: a.userId, plantId: a.record.plantId, at: a.at }, allowed);
}

/**
 * The caller's electronic signature when the action asks for one (docs/workflows.md, "Electronic
 * signatures"): the password (and email) checked, then the signature recorded on the record as it is
 * now, under a delegation as the caller for the delegator. Null when none is asked.
 */
async function signIfAsked(
  a: Acting,
  input: ActInput,
  onBehalfOf: Person | null,
  meaning: string | null,
): Promise<string | null> {
  if (meaning === null) return null;
  if (input.signature === undefined)
    throw new DomainError('invalid', `${a.transition.label} needs your electronic signature`, {
      password: 'Required to sign',
    });
  const { components } = await verifySigner(a.ctx, {
    email: input.signature.email,
    password: input.signature.password,
    entityType: a.entity.key,
    entityId: a.record.id,
  });
  const signed = await recordSignature(a.ctx, {
    entity: a.entity,
    record: a.record,
    instanceId: a.instance.id,
    round: a.instance.round,
    transitionKey: a.transition.key,
    meaning,
    onBehalfOf,
    components,
  });
  return signed.id;
}

function checkComment(a: Acting, rule: WorkflowTransition['comment']): void {
  if (rule === 'required' && a.comment === null)
    throw new DomainError('invalid', `${a.transition.label} needs a comment`, { comment: 'Required' });
  if (rule === 'none' && a.comment !== null)
    throw new DomainError('invalid', `${a.transition.label} takes no comment`, { comment: 'Not taken here' });
}

/** Refuses entering `to` while its required fields are empty, naming them. */
async function checkRequired(a: Acting, to: WorkflowState): Promise<void> {
  const missing = missingRequired(to, a.record.fields);
  if (missing.length === 0) return;
  const catalogue = await fieldCatalogue(a.ctx.tx, a.entity);
  const labels = missing.map((ref) => catalogue.get(ref)?.label ?? ref);
  throw new DomainError(
    'invalid',
    `${to.label} needs ${labels.join(', ')}`,
    Object.fromEntries(missing.map((ref) => [ref, `Required in ${to.label}`])),
  );
}

function checkGuard(a: Acting): void {
  if (a.transition.guard !== null && !evaluateCondition(a.transition.guard, a.record.fields))
    throw new DomainError('invalid', `The record does not meet the conditions of ${a.transition.label}`);
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

/**
 * A vote on an approval transition. The vote is a row of its own; the quorum is counted from the rows
 * after it is stored, so of two approvers voting at once the second (served after the first under
 * the lock) sees both votes, and only one of them fires the transition.
 */
async function vote(a: Acting, input: ActInput): Promise<Outcome> {
  const { ctx, transition, instance } = a;
  const approval = transition.approval;
  if (approval === null) throw new Error(`${transition.key} is not an approval`);
  if (!ctx.principal.permissions.has('approvals.decide'))
    throw new DomainError('forbidden', 'Voting needs the permission approvals.decide');
  const decision = input.decision;
  if (decision === undefined)
    throw new DomainError('invalid', `${transition.label} takes a decision: approve or reject`, {
      decision: 'Required',
    });
  if (decision === 'reject' && a.comment === null)
    throw new DomainError('invalid', 'A rejection needs a comment', { comment: 'Required' });
  if (decision === 'approve') {
    checkGuard(a);
    checkComment(a, transition.comment);
  }
  const target = stateOf(a.definition, decision === 'approve' ? transition.to : approval.rejectTo);
  await checkRequired(a, target);
  const votes = await roundVotes(ctx.tx, instance, transition.key);
  const approvalCtx = await approvalContext(ctx.tx, instance, transition, a.record);
  const who = await voteAuthority(
    ctx.tx,
    { userId: a.userId, plantId: a.record.plantId, at: a.at },
    approval,
    votes,
    approvalCtx,
  );
  if ('refusal' in who) throw new DomainError('forbidden', who.refusal);
  const countsForId = who.onBehalfOf?.id ?? a.userId;
  // A rejection is signed as a review: the signer read the record and sent it back, approving nothing.
  const meaning =
    transition.signature === null ? null : decision === 'reject' ? 'review' : transition.signature.meaning;
  const signatureId = await signIfAsked(a, input, who.onBehalfOf, meaning);
  const [stored] = await unlessTaken(
    ctx.tx
      .insert(tables.approvals)
      .values({
        tenantId: instance.tenantId,
        plantId: instance.plantId,
        instanceId: instance.id,
        round: instance.round,
        transitionKey: transition.key,
        voterId: a.userId,
        countsForId,
        decision,
        comment: a.comment,
        signatureId,
        createdAt: a.at,
      })
      .returning(),
    () => new DomainError('conflict', 'Signers must be distinct: this vote was already cast'),
  );
  if (stored === undefined) throw new Error('The vote was not stored');
  await ctx.tx.insert(tables.workflowEvents).values({
    tenantId: instance.tenantId,
    plantId: instance.plantId,
    instanceId: instance.id,
    at: a.at,
    kind: 'vote',
    round: instance.round,
    transitionKey: transition.key,
    fromState: a.from.key,
    actorId: a.userId,
    onBehalfOfId: who.onBehalfOf?.id ?? null,
    comment: a.comment,
    detail: { decision, approvalId: stored.id, signatureId },
  });
  audit(ctx.tx, {
    action: 'workflow.vote',
    entityType: a.entity.key,
    entityId: a.record.id,
    entityLabel: a.record.code,
    plantId: a.record.plantId,
    before: null,
    after: { transition: transition.key, round: instance.round, decision, countsFor: countsForId },
    reason: a.comment,
  });
  const cast: CastVote = { voterId: a.userId, countsForId, decision, comment: a.comment, at: a.at };
  const tally = tallyApproval(approval, [...votes, cast], approvalCtx);
  if (tally.outcome === 'pending') {
    await rebuildTasks(ctx, instance.id);
    return { instanceVersion: instance.version, stateKey: instance.stateKey, outcome: 'voted' };
  }
  const rejected = tally.outcome === 'rejected';
  const moved = await fireTransition(ctx, {
    entity: a.entity,
    record: a.record,
    instance,
    transition,
    from: a.from,
    to: rejected ? stateOf(a.definition, approval.rejectTo) : target,
    comment: rejected ? (tally.rejection?.comment ?? a.comment) : a.comment,
    onBehalfOf: who.onBehalfOf?.id ?? null,
    detail: { outcome: tally.outcome },
  });
  return {
    instanceVersion: moved.version,
    stateKey: moved.stateKey,
    outcome: rejected ? 'rejected' : 'moved',
  };
}

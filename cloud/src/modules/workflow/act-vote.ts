import { tables } from '@plantline/schema';
import { audit, DomainError, unlessTaken } from '../../platform/index.js';
import {
  type ActInput,
  type Acting,
  checkComment,
  checkGuard,
  checkRequired,
  type Outcome,
  signIfAsked,
} from './acting.js';
import { voteAuthority } from './acting-authority.js';
import { stateOf } from './context.js';
import { type CastVote, tallyApproval } from './engine/index.js';
import { fireTransition } from './enter-state.js';
import { approvalContext, rebuildTasks, roundVotes } from './task-writer.js';

/*
 * Voting on an approval transition (docs/workflows.md, "Approvals and quorum"): who may vote and for
 * whom, the vote signed when asked, and the quorum that fires the transition or sends the record to
 * the state a rejection leads to.
 */

/**
 * A vote on an approval transition. The vote is a row of its own; the quorum is counted from the rows
 * after it is stored, so of two approvers voting at once the second (served after the first under
 * the lock) sees both votes, and only one of them fires the transition.
 */
export async function vote(a: Acting, input: ActInput): Promise<Outcome> {
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

import type { Approval } from '@plantline/schema/workflow';
import type { Sql } from '../../db/index.js';
import { activeDelegators, type Person } from './delegations.js';
import { type Actor, type ApprovalContext, type CastVote, voteEligibility } from './engine/index.js';
import { actorAt } from './task-writer.js';

/*
 * Whose authority an action is taken with (docs/workflows.md, "Delegation"): the user's own, or that
 * of someone who delegated to them for now. Acting asks before it moves or votes, and the record's
 * page asks the same to say which actions the user may take.
 */

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

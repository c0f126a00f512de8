import type { Approval, ApprovalGroup } from '@plantline/schema/workflow';
import { evaluateCondition } from './conditions.js';
import type { ApprovalContext, CastVote } from './types.js';

/*
 * The quorum of an approval (docs/workflows.md, "Approvals and quorum"), computed from the vote rows
 * every time rather than kept as counters: two approvers voting at once each add a row, and whichever
 * transaction counts second sees both. Separation of duties is enforced twice: `voteEligibility`
 * refuses the vote, and `tallyApproval` ignores any that got through (a role change, a later edit).
 */

export interface GroupProgress {
  index: number;
  label: string;
  /** False when the group's `when` condition does not hold for the record. */
  applies: boolean;
  /** Approvals the group needs, named users included. */
  needed: number;
  /** Whose approvals count in this group (countsForId), in the order they were cast. */
  counted: string[];
  /** Named users of the group who have not approved yet. */
  missingRequired: string[];
  satisfied: boolean;
  /** Whether the group takes votes now (in sequence, only the first unsatisfied one). */
  open: boolean;
}

export interface ApprovalTally {
  outcome: 'pending' | 'approved' | 'rejected';
  /** The earliest counted rejection, whose comment goes with the instance to `rejectTo`. */
  rejection: CastVote | null;
  groups: GroupProgress[];
}

/** Whether a person may take part at all: never the initiator, nor an editor when excluded. */
function barred(approval: Approval, ctx: ApprovalContext, personId: string): string | null {
  if (ctx.initiatorId !== null && personId === ctx.initiatorId) return 'The initiator cannot approve';
  if (approval.excludeEditors && ctx.editorIds.has(personId)) {
    return 'No one who edited the record may approve it';
  }
  return null;
}

function voteBarred(approval: Approval, ctx: ApprovalContext, vote: CastVote): boolean {
  return barred(approval, ctx, vote.voterId) !== null || barred(approval, ctx, vote.countsForId) !== null;
}

function roleHas(ctx: ApprovalContext, group: ApprovalGroup, personId: string): boolean {
  return group.role !== undefined && (ctx.roleMembers.get(group.role) ?? []).includes(personId);
}

/**
 * Approvals a group needs. A count group needs its minimum, or all its named users, or one; never fewer
 * than its named users. A percent group needs that share of the role's eligible members (the initiator
 * and excluded editors cannot vote, so they do not inflate the count), and at least one approval: a
 * role with no eligible member must not approve by default.
 */
export function groupNeeds(group: ApprovalGroup, approval: Approval, ctx: ApprovalContext): number {
  const named = group.users.length;
  if (group.percent === undefined) return Math.max(group.minimum ?? (named > 0 ? named : 1), named);
  const members = group.role ? (ctx.roleMembers.get(group.role) ?? []) : [];
  const eligible = new Set(members.filter((m) => barred(approval, ctx, m) === null)).size;
  // Integer arithmetic first (7 % of 100 is 7, not 7.000000000000001).
  const share = Math.ceil((group.percent * eligible) / 100 - 1e-9);
  return Math.max(share, named, 1);
}

/** The earliest vote per person; later duplicates (which voteEligibility refuses) are ignored. */
function firstVotes(votes: readonly CastVote[]): CastVote[] {
  const sorted = votes
    .map((vote, i) => ({ vote, i }))
    .sort((a, b) => a.vote.at.getTime() - b.vote.at.getTime() || a.i - b.i)
    .map(({ vote }) => vote);
  const seen = new Set<string>();
  const first: CastVote[] = [];
  for (const vote of sorted) {
    if (seen.has(vote.countsForId) || seen.has(vote.voterId)) continue;
    seen.add(vote.countsForId);
    seen.add(vote.voterId);
    first.push(vote);
  }
  return first;
}

/** Where a counted approval, a rejection, or the state of each group stands. */
export function tallyApproval(
  approval: Approval,
  votes: readonly CastVote[],
  ctx: ApprovalContext,
): ApprovalTally {
  const applies = approval.groups.map((g) => (g.when ? evaluateCondition(g.when, ctx.record) : true));
  const needed = approval.groups.map((g) => groupNeeds(g, approval, ctx));
  const counted: string[][] = approval.groups.map(() => []);
  const roleCounted = approval.groups.map(() => 0);
  const valid = firstVotes(votes).filter((v) => !voteBarred(approval, ctx, v));
  const qualifies = (person: string) =>
    approval.groups.some((g, i) => applies[i] && (g.users.includes(person) || roleHas(ctx, g, person)));

  const rejection = valid.find((v) => v.decision === 'reject' && qualifies(v.countsForId)) ?? null;

  // Named users first, in the first applicable group that names them; then role members, in the
  // order they voted, in the first applicable group with a free place for a role member.
  const byRole: string[] = [];
  for (const vote of valid) {
    if (vote.decision !== 'approve') continue;
    const person = vote.countsForId;
    const namedIn = approval.groups.findIndex((g, i) => applies[i] && g.users.includes(person));
    if (namedIn >= 0) counted[namedIn]?.push(person);
    else byRole.push(person);
  }
  for (const person of byRole) {
    const index = approval.groups.findIndex(
      (g, i) => applies[i] && roleHas(ctx, g, person) && (roleCounted[i] ?? 0) < roleRoom(g, needed[i] ?? 1),
    );
    if (index < 0) continue;
    counted[index]?.push(person);
    roleCounted[index] = (roleCounted[index] ?? 0) + 1;
  }

  const castOrder = new Map(valid.map((v, i) => [v.countsForId, i]));
  const groups: GroupProgress[] = approval.groups.map((g, index) => {
    const inGroup = (counted[index] ?? []).sort((a, b) => (castOrder.get(a) ?? 0) - (castOrder.get(b) ?? 0));
    const missing = g.users.filter((u) => !inGroup.includes(u));
    const need = needed[index] ?? 1;
    return {
      index,
      label: g.label,
      applies: applies[index] ?? true,
      needed: need,
      counted: inGroup,
      missingRequired: missing,
      satisfied: (applies[index] ?? true) && inGroup.length >= need && missing.length === 0,
      open: false,
    };
  });
  const pendingGroups = groups.filter((g) => g.applies && !g.satisfied);
  const outcome: ApprovalTally['outcome'] = rejection
    ? 'rejected'
    : // With no applicable group nothing was approved: stay pending (validation requires a group without `when`).
      groups.some((g) => g.applies) && pendingGroups.length === 0
      ? 'approved'
      : 'pending';
  if (outcome === 'pending') {
    const open = approval.order === 'sequence' ? pendingGroups.slice(0, 1) : pendingGroups;
    for (const g of open) g.open = true;
  }
  return { outcome, rejection, groups };
}

/**
 * The group a vote belongs to, for showing who voted where: an approval in the group the tally
 * counted it in; the counted rejection in the first applicable group that names its person, else the
 * first whose role has them (where an approval of theirs would have counted). Null for a vote the
 * tally ignores (a barred person, a duplicate, a rejection of someone no group needs).
 */
export function groupOfVote(
  approval: Approval,
  tally: ApprovalTally,
  ctx: ApprovalContext,
  vote: CastVote,
): number | null {
  if (vote.decision === 'approve') {
    return tally.groups.find((g) => g.counted.includes(vote.countsForId))?.index ?? null;
  }
  const rejection = tally.rejection;
  if (rejection === null || rejection.voterId !== vote.voterId || rejection.countsForId !== vote.countsForId)
    return null;
  const applies = (i: number) => tally.groups[i]?.applies === true;
  const named = approval.groups.findIndex((g, i) => applies(i) && g.users.includes(vote.countsForId));
  if (named >= 0) return named;
  const member = approval.groups.findIndex((g, i) => applies(i) && roleHas(ctx, g, vote.countsForId));
  return member >= 0 ? member : null;
}

/** Places in a group for role members: what it needs beyond its named users. */
function roleRoom(group: ApprovalGroup, needed: number): number {
  return group.role === undefined ? 0 : needed - group.users.length;
}

export interface VoteRequest {
  voterId: string;
  /** Whose vote it is: the voter, or the delegator they act for. */
  countsForId: string;
  /** The roles of countsForId at the record's plant. */
  roleKeys: ReadonlySet<string>;
}

/**
 * Whether a vote may be cast now, and the open groups it could count in. Refuses the initiator,
 * editors when excluded, anyone who already voted in this round (as voter or counted for: signers
 * are distinct), and anyone an open group does not need.
 */
export function voteEligibility(
  approval: Approval,
  votes: readonly CastVote[],
  ctx: ApprovalContext,
  vote: VoteRequest,
): { ok: true; groups: number[] } | { ok: false; reason: string } {
  const tally = tallyApproval(approval, votes, ctx);
  if (tally.outcome !== 'pending') return { ok: false, reason: `The approval is already ${tally.outcome}` };
  const reason = barred(approval, ctx, vote.voterId) ?? barred(approval, ctx, vote.countsForId);
  if (reason) return { ok: false, reason };
  const people = new Set([vote.voterId, vote.countsForId]);
  if (votes.some((v) => people.has(v.voterId) || people.has(v.countsForId))) {
    return { ok: false, reason: 'Signers must be distinct' };
  }
  const groups = tally.groups
    .filter((progress) => {
      if (!progress.open) return false;
      const group = approval.groups[progress.index];
      if (!group) return false;
      if (group.users.includes(vote.countsForId)) return true;
      if (group.role === undefined || !vote.roleKeys.has(group.role)) return false;
      const fromRole = progress.counted.filter((p) => !group.users.includes(p)).length;
      return fromRole < roleRoom(group, progress.needed);
    })
    .map((progress) => progress.index);
  if (groups.length === 0) return { ok: false, reason: 'Not an approver of an open group now' };
  return { ok: true, groups };
}

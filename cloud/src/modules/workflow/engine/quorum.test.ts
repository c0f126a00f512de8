import { approvalSchema } from '@plantline/schema/workflow';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { USERS } from './fixtures.js';
import { groupOfVote, tallyApproval, voteEligibility } from './quorum.js';
import type { ApprovalContext, CastVote, RecordFields } from './types.js';

const { alice, bob, carol, dave, erin, frank } = USERS;

/** An approval as the designer writes it, with the contract's defaults filled in. */
const approval = (input: Omit<z.input<typeof approvalSchema>, 'rejectTo'>) =>
  approvalSchema.parse({ rejectTo: 'review', ...input });

const context = (more: Partial<ApprovalContext> = {}): ApprovalContext => ({
  initiatorId: frank,
  editorIds: new Set(),
  record: {},
  roleMembers: new Map([
    ['quality', [alice, bob, carol]],
    ['engineering', [dave, erin]],
  ]),
  ...more,
});

let clock = Date.UTC(2026, 2, 1, 9);
const vote = (
  countsForId: string,
  decision: CastVote['decision'] = 'approve',
  voterId = countsForId,
): CastVote => {
  clock += 60_000;
  return {
    voterId,
    countsForId,
    decision,
    comment: decision === 'reject' ? 'Not acceptable' : null,
    at: new Date(clock),
  };
};

const roles = (...keys: string[]) => new Set(keys);

describe('tallyApproval', () => {
  const mrb = approval({ groups: [{ label: 'Quality', role: 'quality', minimum: 2 }] });

  it('approves two of three Quality members once the second votes', () => {
    const ctx = context();
    expect(tallyApproval(mrb, [], ctx)).toMatchObject({
      outcome: 'pending',
      rejection: null,
      groups: [
        { index: 0, label: 'Quality', applies: true, needed: 2, counted: [], satisfied: false, open: true },
      ],
    });
    expect(tallyApproval(mrb, [vote(alice)], ctx).outcome).toBe('pending');
    const done = tallyApproval(mrb, [vote(alice), vote(carol)], ctx);
    expect(done.outcome).toBe('approved');
    expect(done.groups[0]).toMatchObject({ counted: [alice, carol], satisfied: true, open: false });
  });

  it('ignores votes of people outside the role', () => {
    expect(tallyApproval(mrb, [vote(alice), vote(dave)], context()).outcome).toBe('pending');
  });

  it('needs one approval when a group names neither a minimum nor users', () => {
    const one = approval({ groups: [{ label: 'Engineering', role: 'engineering' }] });
    expect(tallyApproval(one, [vote(erin)], context()).outcome).toBe('approved');
  });

  it('rounds a percentage up over the eligible members, leaving out the initiator and editors', () => {
    const half = approval({ groups: [{ label: 'Quality', role: 'quality', percent: 50 }] });
    // 50 % of three is 1.5: two approvals.
    expect(tallyApproval(half, [], context()).groups[0]?.needed).toBe(2);
    // Alice started it: 50 % of Bob and Carol is one.
    expect(tallyApproval(half, [], context({ initiatorId: alice })).groups[0]?.needed).toBe(1);
    const editors = context({ editorIds: new Set([bob]) });
    expect(tallyApproval(half, [], editors).groups[0]?.needed).toBe(2);
    const strict = approval({ groups: half.groups, excludeEditors: true });
    expect(tallyApproval(strict, [], editors).groups[0]?.needed).toBe(1);
    expect(tallyApproval(strict, [vote(carol)], editors).outcome).toBe('approved');
  });

  it('computes a percentage without floating-point error and never needs fewer than one', () => {
    const members = Array.from(
      { length: 100 },
      (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    );
    const seven = approval({ groups: [{ label: 'Board', role: 'board', percent: 7 }] });
    expect(
      tallyApproval(seven, [], context({ roleMembers: new Map([['board', members]]) })).groups[0]?.needed,
    ).toBe(7);
    const empty = context({ roleMembers: new Map([['board', [frank]]]) });
    expect(tallyApproval(seven, [], empty)).toMatchObject({ outcome: 'pending', groups: [{ needed: 1 }] });
  });

  it('needs every named user plus the minimum from the role', () => {
    const named = approval({ groups: [{ label: 'Quality', role: 'quality', users: [bob], minimum: 2 }] });
    const ctx = context();
    // Two role members approve, but Bob, who is named, has not: one place is his.
    const without = tallyApproval(named, [vote(alice), vote(carol)], ctx);
    expect(without.outcome).toBe('pending');
    expect(without.groups[0]).toMatchObject({ needed: 2, counted: [alice], missingRequired: [bob] });
    const withBob = tallyApproval(named, [vote(alice), vote(carol), vote(bob)], ctx);
    expect(withBob.outcome).toBe('approved');
    expect(withBob.groups[0]?.counted).toEqual([alice, bob]);
  });

  it('needs all named users when there is no role, and never fewer than them', () => {
    const both = approval({ groups: [{ label: 'Owners', users: [alice, dave], minimum: 1 }] });
    expect(tallyApproval(both, [vote(alice)], context()).groups[0]).toMatchObject({
      needed: 2,
      missingRequired: [dave],
    });
    expect(tallyApproval(both, [vote(alice), vote(dave)], context()).outcome).toBe('approved');
  });

  describe('use as is also needs Engineering', () => {
    const disposition = approval({
      groups: [
        { label: 'Quality', role: 'quality', minimum: 2 },
        {
          label: 'Engineering',
          role: 'engineering',
          when: { field: 'disposition', op: 'eq', value: 'use_as_is' },
        },
      ],
    });
    const record = (value: string): RecordFields => ({ disposition: value });

    it('leaves Engineering out for rework', () => {
      const tally = tallyApproval(
        disposition,
        [vote(alice), vote(bob)],
        context({ record: record('rework') }),
      );
      expect(tally.outcome).toBe('approved');
      expect(tally.groups[1]).toMatchObject({ applies: false, satisfied: false, open: false });
    });

    it('waits for Engineering for use as is', () => {
      const ctx = context({ record: record('use_as_is') });
      const quality = tallyApproval(disposition, [vote(alice), vote(bob)], ctx);
      expect(quality.outcome).toBe('pending');
      expect(quality.groups.map((g) => [g.satisfied, g.open])).toEqual([
        [true, false],
        [false, true],
      ]);
      expect(tallyApproval(disposition, [vote(alice), vote(dave), vote(bob)], ctx).outcome).toBe('approved');
    });

    it('does not let an engineer who is not in Quality count for Quality', () => {
      const ctx = context({ record: record('use_as_is') });
      const tally = tallyApproval(disposition, [vote(dave), vote(erin), vote(alice)], ctx);
      expect(tally.groups.map((g) => g.counted)).toEqual([[alice], [dave]]);
      expect(tally.outcome).toBe('pending');
    });
  });

  it('counts a person in one group only, the first applicable one with room', () => {
    const ctx = context({
      roleMembers: new Map([
        ['quality', [alice, bob, carol]],
        ['lead', [alice]],
      ]),
    });
    const twice = approval({
      groups: [
        { label: 'Quality', role: 'quality' },
        { label: 'Lead', role: 'lead' },
      ],
    });
    const first = tallyApproval(twice, [vote(alice)], ctx);
    expect(first.groups.map((g) => g.counted)).toEqual([[alice], []]);
    expect(first.outcome).toBe('pending');
    // Bob took the Quality place first, so Alice's later vote fills Lead.
    expect(tallyApproval(twice, [vote(bob), vote(alice)], ctx).outcome).toBe('approved');
  });

  it('counts a named user in the group that names them, before role members fill places', () => {
    const ctx = context();
    const groups = approval({
      groups: [
        { label: 'Quality', role: 'quality' },
        { label: 'Owner', users: [alice] },
      ],
    });
    const tally = tallyApproval(groups, [vote(alice), vote(bob)], ctx);
    expect(tally.groups.map((g) => g.counted)).toEqual([[bob], [alice]]);
    expect(tally.outcome).toBe('approved');
  });

  it('opens only the first unsatisfied group in sequence', () => {
    const sequence = approval({
      order: 'sequence',
      groups: [
        { label: 'Quality', role: 'quality' },
        { label: 'Engineering', role: 'engineering' },
      ],
    });
    expect(tallyApproval(sequence, [], context()).groups.map((g) => g.open)).toEqual([true, false]);
    expect(tallyApproval(sequence, [vote(bob)], context()).groups.map((g) => g.open)).toEqual([false, true]);
    const parallel = approval({ groups: sequence.groups });
    expect(tallyApproval(parallel, [], context()).groups.map((g) => g.open)).toEqual([true, true]);
  });

  it('is rejected by one rejection, the earliest one kept with its comment', () => {
    const first = vote(carol, 'reject');
    const second = vote(bob, 'reject');
    const tally = tallyApproval(mrb, [second, vote(alice), first], context());
    expect(tally.outcome).toBe('rejected');
    expect(tally.rejection).toBe(first);
    expect(tally.groups.every((g) => !g.open)).toBe(true);
  });

  it('never counts the initiator, nor excluded editors, nor a delegate acting for them', () => {
    const strict = approval({ groups: mrb.groups, excludeEditors: true });
    const ctx = context({ initiatorId: alice, editorIds: new Set([bob]) });
    expect(tallyApproval(strict, [vote(alice), vote(bob), vote(carol)], ctx).groups[0]?.counted).toEqual([
      carol,
    ]);
    expect(tallyApproval(strict, [vote(alice, 'reject')], ctx).outcome).toBe('pending');
    // Dave signs for Alice, who started the record: barred like Alice herself.
    expect(tallyApproval(strict, [vote(alice, 'approve', dave)], ctx).groups[0]?.counted).toEqual([]);
    // Editors may approve when the approval does not exclude them.
    expect(tallyApproval(mrb, [vote(bob), vote(carol)], ctx).outcome).toBe('approved');
  });

  it('counts a delegated vote for the delegator, in the delegator’s role', () => {
    // Erin (engineering) signs for Bob (quality) under a delegation.
    const tally = tallyApproval(mrb, [vote(alice), vote(bob, 'approve', erin)], context());
    expect(tally.outcome).toBe('approved');
    expect(tally.groups[0]?.counted).toEqual([alice, bob]);
  });

  it('ignores a second vote by the same person, in either role', () => {
    const ctx = context();
    expect(tallyApproval(mrb, [vote(alice), vote(alice)], ctx).outcome).toBe('pending');
    // Alice voted for herself, then tries again for Bob: one person, one vote.
    expect(tallyApproval(mrb, [vote(alice), vote(bob, 'approve', alice)], ctx).outcome).toBe('pending');
  });

  it('ignores rejections from people no applicable group asks', () => {
    expect(tallyApproval(mrb, [vote(dave, 'reject')], context()).outcome).toBe('pending');
  });

  it('stays pending when no group applies', () => {
    const never = approval({
      groups: [{ label: 'Quality', role: 'quality', when: { field: 'critical', op: 'eq', value: true } }],
    });
    expect(tallyApproval(never, [vote(alice)], context()).outcome).toBe('pending');
  });
});

describe('voteEligibility', () => {
  const mrb = approval({
    order: 'sequence',
    excludeEditors: true,
    groups: [
      { label: 'Quality', role: 'quality', minimum: 2 },
      { label: 'Engineering', role: 'engineering' },
    ],
  });
  const ctx = context({ initiatorId: frank, editorIds: new Set([carol]) });
  const asSelf = (id: string, ...keys: string[]) => ({
    voterId: id,
    countsForId: id,
    roleKeys: roles(...keys),
  });

  it('admits a member of an open group and names the groups', () => {
    expect(voteEligibility(mrb, [], ctx, asSelf(alice, 'quality'))).toEqual({ ok: true, groups: [0] });
  });

  it('refuses the initiator, also when acting for someone else or through a delegate', () => {
    const refused = { ok: false, reason: 'The initiator cannot approve' };
    expect(voteEligibility(mrb, [], ctx, asSelf(frank, 'quality'))).toEqual(refused);
    expect(
      voteEligibility(mrb, [], ctx, { voterId: frank, countsForId: alice, roleKeys: roles('quality') }),
    ).toEqual(refused);
    expect(
      voteEligibility(mrb, [], ctx, { voterId: alice, countsForId: frank, roleKeys: roles('quality') }),
    ).toEqual(refused);
  });

  it('refuses editors when the approval excludes them', () => {
    expect(voteEligibility(mrb, [], ctx, asSelf(carol, 'quality'))).toEqual({
      ok: false,
      reason: 'No one who edited the record may approve it',
    });
    const lenient = { ...mrb, excludeEditors: false };
    expect(voteEligibility(lenient, [], ctx, asSelf(carol, 'quality')).ok).toBe(true);
  });

  it('keeps signers distinct, as voter or counted-for', () => {
    const distinct = { ok: false, reason: 'Signers must be distinct' };
    const votes = [vote(alice)];
    expect(voteEligibility(mrb, votes, ctx, asSelf(alice, 'quality'))).toEqual(distinct);
    expect(
      voteEligibility(mrb, votes, ctx, { voterId: alice, countsForId: bob, roleKeys: roles('quality') }),
    ).toEqual(distinct);
    expect(
      voteEligibility(mrb, votes, ctx, { voterId: bob, countsForId: alice, roleKeys: roles('quality') }),
    ).toEqual(distinct);
    const delegated = [vote(bob, 'approve', dave)];
    expect(voteEligibility(mrb, delegated, ctx, asSelf(dave, 'engineering'))).toEqual(distinct);
    expect(voteEligibility(mrb, delegated, ctx, asSelf(bob, 'quality'))).toEqual(distinct);
  });

  it('refuses someone no open group needs, and opens the next group in sequence', () => {
    const notNow = { ok: false, reason: 'Not an approver of an open group now' };
    expect(voteEligibility(mrb, [], ctx, asSelf(dave, 'engineering'))).toEqual(notNow);
    const quality = [vote(alice), vote(bob)];
    expect(voteEligibility(mrb, quality, ctx, asSelf(dave, 'engineering'))).toEqual({
      ok: true,
      groups: [1],
    });
    expect(voteEligibility(mrb, [], ctx, asSelf(erin))).toEqual(notNow);
  });

  it('refuses a role member once the role’s places wait only for a named user', () => {
    const named = approval({ groups: [{ label: 'Quality', role: 'quality', users: [bob], minimum: 2 }] });
    const votes = [vote(alice)];
    expect(voteEligibility(named, votes, ctx, asSelf(carol, 'quality'))).toMatchObject({ ok: false });
    expect(voteEligibility(named, votes, context(), asSelf(bob, 'quality'))).toEqual({
      ok: true,
      groups: [0],
    });
  });

  it('refuses any vote once the approval is decided', () => {
    const decided = [vote(alice), vote(bob), vote(dave)];
    expect(voteEligibility(mrb, decided, ctx, asSelf(erin, 'engineering'))).toEqual({
      ok: false,
      reason: 'The approval is already approved',
    });
    expect(voteEligibility(mrb, [vote(alice, 'reject')], ctx, asSelf(bob, 'quality'))).toEqual({
      ok: false,
      reason: 'The approval is already rejected',
    });
  });

  it('offers every open group a person qualifies for in parallel', () => {
    const parallel = approval({
      groups: [
        { label: 'Quality', role: 'quality' },
        { label: 'Named', users: [alice] },
      ],
    });
    expect(voteEligibility(parallel, [], context(), asSelf(alice, 'quality'))).toEqual({
      ok: true,
      groups: [0, 1],
    });
  });
});

describe('groupOfVote', () => {
  const board = approval({
    groups: [
      { label: 'Quality', role: 'quality', minimum: 2 },
      { label: 'Owners', users: [dave, erin] },
    ],
  });

  it('puts each counted approval where the tally counted it, and ignores the rest', () => {
    const ctx = context();
    const votes = [vote(alice), vote(erin), vote(bob, 'approve', carol), vote(frank)];
    const tally = tallyApproval(board, votes, ctx);
    expect(votes.map((v) => groupOfVote(board, tally, ctx, v))).toEqual([0, 1, 0, null]);
  });

  it('puts the counted rejection in the group that names its person, else the one of their role', () => {
    const ctx = context();
    const named = [vote(alice), vote(dave, 'reject')];
    expect(groupOfVote(board, tallyApproval(board, named, ctx), ctx, named[1]!)).toBe(1);
    const member = [vote(bob, 'reject', erin)];
    expect(groupOfVote(board, tallyApproval(board, member, ctx), ctx, member[0]!)).toBe(0);
    // The initiator's rejection counts nowhere.
    const barred = [vote(frank, 'reject')];
    expect(groupOfVote(board, tallyApproval(board, barred, ctx), ctx, barred[0]!)).toBeNull();
  });
});

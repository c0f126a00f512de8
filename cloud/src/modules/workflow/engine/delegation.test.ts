import { describe, expect, it } from 'vitest';
import { delegatorsFor, nextDelegationChange } from './delegation.js';
import { USERS } from './fixtures.js';

const { alice, bob, carol } = USERS;
const day = (d: number, h = 0) => new Date(Date.UTC(2026, 2, d, h));

/** Bob signs for Alice from 1 to 10 March. */
const bobForAlice = {
  delegatorId: alice,
  delegateId: bob,
  startsAt: day(1),
  endsAt: day(10),
  revokedAt: null,
};

describe('delegatorsFor', () => {
  it('is active from its start, up to but not including its end', () => {
    expect(delegatorsFor([bobForAlice], bob, day(1))).toEqual([alice]);
    expect(delegatorsFor([bobForAlice], bob, day(9, 23))).toEqual([alice]);
    expect(delegatorsFor([bobForAlice], bob, day(10))).toEqual([]);
    expect(delegatorsFor([bobForAlice], bob, new Date(day(1).getTime() - 1))).toEqual([]);
  });

  it('gives authority to the delegate only, never back to the delegator', () => {
    expect(delegatorsFor([bobForAlice], alice, day(5))).toEqual([]);
    expect(delegatorsFor([bobForAlice], carol, day(5))).toEqual([]);
  });

  it('ends when revoked, but not before the revocation', () => {
    const revoked = { ...bobForAlice, revokedAt: day(5) };
    expect(delegatorsFor([revoked], bob, day(4, 23))).toEqual([alice]);
    expect(delegatorsFor([revoked], bob, day(5))).toEqual([]);
  });

  it('does not pass authority on along a chain', () => {
    // Alice → Bob and Bob → Carol: Carol signs for Bob, never for Alice.
    const chain = [
      bobForAlice,
      { delegatorId: bob, delegateId: carol, startsAt: day(1), endsAt: day(10), revokedAt: null },
    ];
    expect(delegatorsFor(chain, carol, day(5))).toEqual([bob]);
  });

  it('lists each delegator once, however many periods overlap', () => {
    const again = { ...bobForAlice, startsAt: day(3), endsAt: day(20) };
    const forCarol = { ...bobForAlice, delegatorId: carol };
    expect(delegatorsFor([bobForAlice, again, forCarol], bob, day(5))).toEqual([alice, carol]);
  });
});

describe('nextDelegationChange', () => {
  it('is the next start or end after now, of the delegate’s delegations only', () => {
    const carolForAlice = { ...bobForAlice, delegateId: carol, startsAt: day(2), endsAt: day(3) };
    const later = { ...bobForAlice, delegatorId: carol, startsAt: day(12), endsAt: day(20) };
    const all = [bobForAlice, carolForAlice, later];
    expect(nextDelegationChange(all, bob, day(0))).toEqual(day(1));
    expect(nextDelegationChange(all, bob, day(1))).toEqual(day(10));
    expect(nextDelegationChange(all, bob, day(10))).toEqual(day(12));
    expect(nextDelegationChange(all, bob, day(15))).toEqual(day(20));
    expect(nextDelegationChange(all, bob, day(20))).toBeNull();
    expect(nextDelegationChange(all, carol, day(0))).toEqual(day(2));
    expect(nextDelegationChange(all, alice, day(0))).toBeNull();
  });

  it('has nothing left of a revoked delegation, and counts one revoked later until then', () => {
    const revoked = { ...bobForAlice, revokedAt: day(5) };
    expect(nextDelegationChange([revoked], bob, day(6))).toBeNull();
    expect(nextDelegationChange([revoked], bob, day(4))).toEqual(day(10));
  });
});

/*
 * Dated delegation (docs/workflows.md, "Approvals and quorum"): "A signs for B from … to …". The
 * delegate acts in their own name and the vote counts for the delegator; the record keeps both.
 */

export interface DelegationPeriod {
  delegatorId: string;
  delegateId: string;
  startsAt: Date;
  endsAt: Date;
  revokedAt: Date | null;
}

/**
 * Whom `delegateId` may act for at `at`: delegations active then (startsAt ≤ at < endsAt, not revoked
 * by then). Only direct delegations count. A chain A→B→C would let C sign for A although A chose B,
 * not C, and nobody could read from one row who authorised the signature; 21 CFR 11.200 asks that a
 * signature be attributable to one named person, so authority is never passed on.
 */
export function delegatorsFor(
  delegations: readonly DelegationPeriod[],
  delegateId: string,
  at: Date,
): string[] {
  const t = at.getTime();
  const found = new Set<string>();
  for (const d of delegations) {
    if (d.delegateId !== delegateId || d.delegatorId === delegateId) continue;
    if (d.startsAt.getTime() > t || t >= d.endsAt.getTime()) continue;
    if (d.revokedAt !== null && d.revokedAt.getTime() <= t) continue;
    found.add(d.delegatorId);
  }
  return [...found];
}

/**
 * The next moment after `now` at which whom `delegateId` acts for changes on its own: a delegation
 * starting or ending. A revocation is a change someone makes, announced when made, so a revoked
 * delegation has no moment left. Null when nothing is planned. The live inbox counts wake then.
 */
export function nextDelegationChange(
  delegations: readonly DelegationPeriod[],
  delegateId: string,
  now: Date,
): Date | null {
  const t = now.getTime();
  let next: number | null = null;
  for (const d of delegations) {
    if (d.delegateId !== delegateId || d.delegatorId === delegateId) continue;
    if (d.revokedAt !== null && d.revokedAt.getTime() <= t) continue;
    for (const at of [d.startsAt.getTime(), d.endsAt.getTime()]) {
      if (at > t && (next === null || at < next)) next = at;
    }
  }
  return next === null ? null : new Date(next);
}

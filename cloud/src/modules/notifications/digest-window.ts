/*
 * The timing of email digests (docs/notifications.md, "Digests"): at most one digest email per hour or
 * per day, gathering what arrived since the previous one. Windows are not aligned to the clock: a
 * digest goes once a period has passed since the last one and there is something to say, so the first
 * notification after a quiet spell is not held back a whole period.
 */

export type DigestChoice = 'hourly' | 'daily';

export const DIGEST_PERIOD_MS: Record<DigestChoice, number> = {
  hourly: 3_600_000,
  daily: 86_400_000,
};

/**
 * Notifications younger than this are left to the next digest: a notification's time is its
 * transaction's start, so one that is still committing could otherwise fall behind a window that has
 * already been gathered.
 */
export const DIGEST_SETTLE_MS = 60_000;

/**
 * The furthest a digest reaches back: a day and an hour. After a long quiet spell, or when email was
 * only just set up, a digest is about the last day, not about everything that never went out.
 */
export const DIGEST_LOOKBACK_MS = DIGEST_PERIOD_MS.daily + DIGEST_PERIOD_MS.hourly;

export interface DigestWindow {
  /** Exclusive: the end of the previous digest. */
  from: Date;
  /** Inclusive: the new digest's end, which becomes its time and the user's `covered_until`. */
  until: Date;
}

/**
 * The window a digest would gather now, or null when the period since `coveredUntil` (the end of the
 * previous digest; null for none yet) has not passed.
 */
export function dueDigestWindow(
  choice: DigestChoice,
  coveredUntil: Date | null,
  now: Date,
): DigestWindow | null {
  const until = new Date(now.getTime() - DIGEST_SETTLE_MS);
  const period = DIGEST_PERIOD_MS[choice];
  const start = coveredUntil?.getTime() ?? until.getTime() - period;
  if (until.getTime() - start < period) return null;
  return { from: new Date(Math.max(start, until.getTime() - DIGEST_LOOKBACK_MS)), until };
}

/** The window a digest email lists, from its own time and the previous digest's (null for none). */
export function listedDigestWindow(until: Date, previousUntil: Date | null): DigestWindow {
  const floor = until.getTime() - DIGEST_LOOKBACK_MS;
  return { from: new Date(Math.max(previousUntil?.getTime() ?? floor, floor)), until };
}

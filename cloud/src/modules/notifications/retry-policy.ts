/*
 * When a failed email is tried again (docs/notifications.md, "Retries"): exponential back-off from
 * half a minute, so a mail server that is down for a restart is not hammered and one that is down for
 * an hour is still reached, and a delivery given up after MAX_EMAIL_ATTEMPTS (about an hour in all).
 */

/** Attempts, the first included, before a delivery is marked failed. */
export const MAX_EMAIL_ATTEMPTS = 8;
const FIRST_RETRY_MS = 30_000;
const LONGEST_RETRY_MS = 3_600_000;

/** The wait after the `failures`-th failed attempt (1 for the first). */
export function retryDelayMs(failures: number): number {
  const exponent = Math.max(0, Math.floor(failures) - 1);
  return Math.min(LONGEST_RETRY_MS, FIRST_RETRY_MS * 2 ** exponent);
}

export type AfterFailure = { status: 'pending'; nextAttemptAt: Date } | { status: 'failed' };

/** What becomes of a delivery whose attempt number `attempts` (counting this one) just failed. */
export function afterFailedAttempt(attempts: number, now: Date): AfterFailure {
  if (attempts >= MAX_EMAIL_ATTEMPTS) return { status: 'failed' };
  return { status: 'pending', nextAttemptAt: new Date(now.getTime() + retryDelayMs(attempts)) };
}

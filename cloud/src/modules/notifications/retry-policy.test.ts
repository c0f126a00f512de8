import { describe, expect, it } from 'vitest';
import { afterFailedAttempt, MAX_EMAIL_ATTEMPTS, retryDelayMs } from './retry-policy.js';

describe('email retry policy', () => {
  it('doubles the wait after each failure from half a minute, up to an hour', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map(retryDelayMs)).toEqual([
      30_000, 60_000, 120_000, 240_000, 480_000, 960_000, 1_920_000,
    ]);
    expect(retryDelayMs(8)).toBe(3_600_000);
    expect(retryDelayMs(40)).toBe(3_600_000);
  });

  it('plans the next attempt from the moment of the failure', () => {
    const now = new Date('2026-03-02T06:00:00Z');
    expect(afterFailedAttempt(1, now)).toEqual({
      status: 'pending',
      nextAttemptAt: new Date('2026-03-02T06:00:30Z'),
    });
    expect(afterFailedAttempt(3, now)).toEqual({
      status: 'pending',
      nextAttemptAt: new Date('2026-03-02T06:02:00Z'),
    });
  });

  it('gives up after the last attempt, about an hour after the first', () => {
    const now = new Date('2026-03-02T06:00:00Z');
    expect(afterFailedAttempt(MAX_EMAIL_ATTEMPTS - 1, now).status).toBe('pending');
    expect(afterFailedAttempt(MAX_EMAIL_ATTEMPTS, now)).toEqual({ status: 'failed' });
    const waited = Array.from({ length: MAX_EMAIL_ATTEMPTS - 1 }, (_, i) => retryDelayMs(i + 1));
    const total = waited.reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(45 * 60_000);
    expect(total).toBeLessThan(2 * 3_600_000);
  });
});

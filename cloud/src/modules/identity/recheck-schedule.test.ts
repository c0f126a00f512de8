import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RecheckSchedule } from './recheck-schedule.js';

const INTERVAL = 15_000;

/** A schedule whose checks answer when the test says so. */
function scheduled(verdicts: ('keep' | 'end' | Error)[] = []) {
  const errors: unknown[] = [];
  let checks = 0;
  const pending: (() => void)[] = [];
  const schedule = new RecheckSchedule({
    intervalMs: INTERVAL,
    check: () => {
      checks += 1;
      const verdict = verdicts.shift() ?? 'keep';
      return new Promise((resolve, reject) => {
        pending.push(() => (verdict instanceof Error ? reject(verdict) : resolve(verdict)));
      });
    },
    onError: (error) => errors.push(error),
  });
  return {
    schedule,
    errors,
    checks: () => checks,
    /** Lets the oldest running check answer. */
    answer: async () => {
      pending.shift()?.();
      await vi.advanceTimersByTimeAsync(0);
    },
  };
}

describe('the re-check schedule of a live subscription', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('checks every interval after the last check, and at once on request', async () => {
    const { schedule, checks, answer } = scheduled();
    schedule.start();
    await vi.advanceTimersByTimeAsync(INTERVAL - 1);
    expect(checks()).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(checks()).toBe(1);
    await answer();
    schedule.request();
    expect(checks()).toBe(2);
    await answer();
    // The interval counts from the requested check, not from the timer's last firing.
    await vi.advanceTimersByTimeAsync(INTERVAL - 1);
    expect(checks()).toBe(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(checks()).toBe(3);
    schedule.stop();
  });

  it('runs one check at a time: requests during a check cost one more after it', async () => {
    const { schedule, checks, answer } = scheduled();
    schedule.start();
    schedule.request();
    schedule.request();
    schedule.request();
    expect(checks()).toBe(1);
    await answer();
    expect(checks()).toBe(2);
    await answer();
    expect(checks()).toBe(2);
    expect(vi.getTimerCount()).toBe(1);
    schedule.stop();
  });

  it('stops after a check that says end, leaving no timer', async () => {
    const { schedule, checks, answer } = scheduled(['end']);
    schedule.start();
    schedule.request();
    schedule.request();
    await answer();
    expect(vi.getTimerCount()).toBe(0);
    schedule.request();
    await vi.advanceTimersByTimeAsync(10 * INTERVAL);
    expect(checks()).toBe(1);
  });

  it('keeps checking after a check that failed', async () => {
    const failure = new Error('database unreachable');
    const { schedule, checks, answer, errors } = scheduled([failure]);
    schedule.start();
    await vi.advanceTimersByTimeAsync(INTERVAL);
    await answer();
    expect(errors).toEqual([failure]);
    await vi.advanceTimersByTimeAsync(INTERVAL);
    expect(checks()).toBe(2);
    schedule.stop();
  });

  it('leaves no timer and runs no check once stopped, even with a check under way', async () => {
    const { schedule, checks, answer } = scheduled();
    schedule.start();
    schedule.stop();
    expect(vi.getTimerCount()).toBe(0);
    const running = scheduled();
    running.schedule.start();
    running.schedule.request();
    running.schedule.stop();
    await running.answer();
    expect(vi.getTimerCount()).toBe(0);
    schedule.request();
    await vi.advanceTimersByTimeAsync(10 * INTERVAL);
    await answer();
    expect(checks()).toBe(0);
    expect(running.checks()).toBe(1);
  });
});

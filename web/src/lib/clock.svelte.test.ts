import { afterEach, describe, expect, it, vi } from 'vitest';
import { Clock } from './clock.svelte';

describe('Clock', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('moves on every minute once started, past midnight, until stopped', () => {
    vi.useFakeTimers({ now: new Date('2026-03-09T23:58:00Z') });
    const clock = new Clock();
    vi.setSystemTime(new Date('2026-03-09T23:59:30Z'));
    const stop = clock.start();
    expect(clock.now.toISOString()).toBe('2026-03-09T23:59:30.000Z');
    vi.advanceTimersByTime(60_000);
    expect(clock.now.toISOString()).toBe('2026-03-10T00:00:30.000Z');
    vi.advanceTimersByTime(59_999);
    expect(clock.now.toISOString()).toBe('2026-03-10T00:00:30.000Z');

    stop();
    vi.advanceTimersByTime(10 * 60_000);
    expect(clock.now.toISOString()).toBe('2026-03-10T00:00:30.000Z');
    expect(vi.getTimerCount()).toBe(0);
  });
});

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { alarm, COALESCE_MS, coalescer, MAX_ALARM_MS } from './inbox-live.js';

/* The live counts' timing (docs/workflows.md, "My tasks"), with fake timers: no real waiting. */
describe('coalescing changes into looks', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('looks once, COALESCE_MS after the first of a burst of changes', () => {
    const fire = vi.fn();
    const gathered = coalescer(COALESCE_MS, fire);
    gathered.poke();
    vi.advanceTimersByTime(100);
    gathered.poke();
    gathered.poke();
    vi.advanceTimersByTime(COALESCE_MS - 101);
    expect(fire).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fire).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(10 * COALESCE_MS);
    expect(fire).toHaveBeenCalledTimes(1);
  });

  it('keeps looking every COALESCE_MS under a steady stream, where a debounce would never fire', () => {
    const fire = vi.fn();
    const gathered = coalescer(COALESCE_MS, fire);
    for (let ms = 0; ms < 10 * COALESCE_MS; ms += 50) {
      gathered.poke();
      vi.advanceTimersByTime(50);
    }
    expect(fire).toHaveBeenCalledTimes(10);
  });

  it('looks no more once stopped', () => {
    const fire = vi.fn();
    const gathered = coalescer(COALESCE_MS, fire);
    gathered.poke();
    gathered.stop();
    vi.advanceTimersByTime(10 * COALESCE_MS);
    expect(fire).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('the alarm for a delegation’s start or end', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });
  const now = new Date('2026-03-01T08:00:00Z');
  const later = (ms: number) => new Date(now.getTime() + ms);

  it('fires once at the moment, and at once for a moment already past', () => {
    const fire = vi.fn();
    const turns = alarm(fire);
    turns.set(later(90_000), now);
    vi.advanceTimersByTime(89_999);
    expect(fire).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fire).toHaveBeenCalledTimes(1);
    turns.set(later(-5_000), now);
    vi.advanceTimersByTime(0);
    expect(fire).toHaveBeenCalledTimes(2);
    vi.advanceTimersByTime(10 * MAX_ALARM_MS);
    expect(fire).toHaveBeenCalledTimes(2);
  });

  it('keeps only the latest moment set, and none for null', () => {
    const fire = vi.fn();
    const turns = alarm(fire);
    turns.set(later(60_000), now);
    turns.set(later(120_000), now);
    vi.advanceTimersByTime(60_000);
    expect(fire).not.toHaveBeenCalled();
    vi.advanceTimersByTime(60_000);
    expect(fire).toHaveBeenCalledTimes(1);
    turns.set(later(60_000), now);
    turns.set(null, now);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('looks again after a day for a moment weeks away, past what a timer can hold', () => {
    const fire = vi.fn();
    const turns = alarm(fire);
    turns.set(later(40 * 24 * 3_600_000), now);
    vi.advanceTimersByTime(MAX_ALARM_MS);
    expect(fire).toHaveBeenCalledTimes(1);
  });

  it('fires no more once stopped', () => {
    const fire = vi.fn();
    const turns = alarm(fire);
    turns.set(later(1_000), now);
    turns.stop();
    vi.advanceTimersByTime(MAX_ALARM_MS);
    expect(fire).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(0);
  });
});

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { COALESCE_MS, coalescer } from './inbox-live.js';

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

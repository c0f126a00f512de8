import { describe, expect, it } from 'vitest';
import { createThrottle } from './throttle';

function fakeClock() {
  let now = 0;
  const timers = new Map<number, { at: number; fn: () => void }>();
  let nextId = 1;
  return {
    now: () => now,
    set: (fn: () => void, ms: number) => {
      const id = nextId++;
      timers.set(id, { at: now + ms, fn });
      return id;
    },
    clear: (handle: unknown) => {
      timers.delete(handle as number);
    },
    advance(ms: number) {
      now += ms;
      for (const [id, timer] of [...timers]) {
        if (timer.at <= now) {
          timers.delete(id);
          timer.fn();
        }
      }
    },
    pending: () => timers.size,
  };
}

describe('createThrottle', () => {
  it('runs the first request at once and merges the rest of the interval into one run at its end', () => {
    const clock = fakeClock();
    const runs: number[] = [];
    const throttle = createThrottle(5000, () => runs.push(clock.now()), clock);
    throttle.request();
    expect(runs).toEqual([0]);
    clock.advance(1000);
    throttle.request();
    throttle.request();
    clock.advance(1000);
    throttle.request();
    expect(runs).toEqual([0]);
    clock.advance(3000);
    expect(runs).toEqual([0, 5000]);
    // Quiet for longer than the interval: the next request runs at once again.
    clock.advance(9000);
    throttle.request();
    expect(runs).toEqual([0, 5000, 14000]);
  });

  it('drops a pending run when cancelled', () => {
    const clock = fakeClock();
    const runs: number[] = [];
    const throttle = createThrottle(5000, () => runs.push(clock.now()), clock);
    throttle.request();
    throttle.request();
    expect(clock.pending()).toBe(1);
    throttle.cancel();
    clock.advance(10_000);
    expect(runs).toEqual([0]);
  });
});

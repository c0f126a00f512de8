/**
 * Runs `run` at most once per `intervalMs` however often `request()` is called: the first request
 * runs at once, later ones within the interval are merged into one run at its end. For pages that
 * re-read a summary when live events arrive (a machine producing a part a second must not cost a
 * query a second). `cancel()` drops a pending run (teardown).
 */
export function createThrottle(
  intervalMs: number,
  run: () => void,
  clock: { now(): number; set(fn: () => void, ms: number): unknown; clear(handle: unknown): void } = {
    now: () => Date.now(),
    set: (fn, ms) => setTimeout(fn, ms),
    clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  },
) {
  let last = Number.NEGATIVE_INFINITY;
  let pending: unknown = null;
  const fire = () => {
    pending = null;
    last = clock.now();
    run();
  };
  return {
    request() {
      if (pending !== null) return;
      const wait = last + intervalMs - clock.now();
      if (wait <= 0) fire();
      else pending = clock.set(fire, wait);
    },
    cancel() {
      if (pending !== null) clock.clear(pending);
      pending = null;
    },
  };
}

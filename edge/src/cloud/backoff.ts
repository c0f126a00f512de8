export interface BackoffOptions {
  baseMs: number;
  capMs: number;
}

/**
 * Delay before retry number `failures` (1 = first retry). Exponential with "equal jitter": half the
 * delay is fixed so retries never collapse to ~0 ms, half is random so edges that lost the cloud at the
 * same moment do not all come back in the same second.
 */
export function backoffDelay(failures: number, options: BackoffOptions, random: () => number = Math.random) {
  const exponential = options.baseMs * 2 ** Math.min(Math.max(failures - 1, 0), 30);
  const ceiling = Math.min(options.capMs, exponential);
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

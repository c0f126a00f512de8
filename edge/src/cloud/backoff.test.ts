import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff';

const options = { baseMs: 1000, capMs: 60_000 };

describe('backoffDelay', () => {
  it('doubles per failure between half and all of the exponential step', () => {
    expect([1, 2, 3, 4].map((n) => backoffDelay(n, options, () => 0))).toEqual([500, 1000, 2000, 4000]);
    expect([1, 2, 3, 4].map((n) => backoffDelay(n, options, () => 1))).toEqual([1000, 2000, 4000, 8000]);
  });

  it('never exceeds the cap, however many failures', () => {
    for (const failures of [7, 20, 1000]) {
      expect(backoffDelay(failures, options, () => 1)).toBe(60_000);
      expect(backoffDelay(failures, options, () => 0)).toBe(30_000);
    }
  });
});

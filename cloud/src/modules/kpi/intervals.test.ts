import { describe, expect, it } from 'vitest';
import { clipEach, contains, intersect, overlapEach, subtract, totalLength, union } from './intervals.js';

const i = (start: number, end: number) => ({ start, end });

describe('interval set algebra', () => {
  it('merges overlapping and touching intervals and drops empty ones', () => {
    expect(union([i(5, 8), i(0, 2), i(2, 3), i(7, 9), i(4, 4)])).toEqual([i(0, 3), i(5, 9)]);
  });

  it('intersects and subtracts sorted sets', () => {
    const a = [i(0, 10), i(20, 30)];
    const b = [i(5, 25)];
    expect(intersect(a, b)).toEqual([i(5, 10), i(20, 25)]);
    expect(subtract(a, b)).toEqual([i(0, 5), i(25, 30)]);
    // 0–10 minus {2–3, 5–6} leaves 0–2, 3–5, 6–10: 2 + 2 + 4 = 8
    expect(totalLength(subtract([i(0, 10)], [i(2, 3), i(5, 6)]))).toBe(8);
  });

  it('measures and clips each item against a mask in one sweep', () => {
    const items = [i(0, 4), i(4, 10), i(10, 12)];
    const mask = [i(2, 5), i(8, 11)];
    // 0–4 ∩ mask = 2–4 (2); 4–10 ∩ mask = 4–5, 8–10 (1 + 2); 10–12 ∩ mask = 10–11 (1)
    expect(overlapEach(items, mask)).toEqual([2, 3, 1]);
    expect(clipEach(items, mask)[1]).toEqual([i(4, 5), i(8, 10)]);
  });

  it('finds whether an instant lies in a half-open set', () => {
    const set = [i(0, 10), i(20, 30)];
    expect([0, 9, 10, 19, 20, 29, 30].map((t) => contains(set, t))).toEqual([
      true,
      true,
      false,
      false,
      true,
      true,
      false,
    ]);
  });
});

/*
 * Half-open time intervals [start, end) in epoch milliseconds. Every KPI time component is a measure
 * of such sets, so all set algebra lives here once. Half-open means two adjacent intervals never
 * share an instant and their lengths add up exactly (an event at 14:00:00 belongs to the later one).
 */

/** A point in time as it comes from a query: epoch milliseconds or a Date. */
export type Instant = number | Date;

export interface Interval {
  readonly start: number;
  readonly end: number;
}

/** A caller's interval, with either kind of instant. */
export interface InstantRange {
  readonly start: Instant;
  readonly end: Instant;
}

export function toMs(instant: Instant): number {
  const ms = typeof instant === 'number' ? instant : instant.getTime();
  if (!Number.isFinite(ms)) throw new RangeError(`not a valid instant: ${String(instant)}`);
  return ms;
}

export function toInterval(range: InstantRange): Interval {
  return { start: toMs(range.start), end: toMs(range.end) };
}

export function lengthOf(interval: Interval): number {
  return Math.max(0, interval.end - interval.start);
}

export function totalLength(intervals: readonly Interval[]): number {
  let sum = 0;
  for (const i of intervals) sum += lengthOf(i);
  return sum;
}

export function clip(interval: Interval, bounds: Interval): Interval | null {
  const start = Math.max(interval.start, bounds.start);
  const end = Math.min(interval.end, bounds.end);
  return end > start ? { start, end } : null;
}

/** Sorted, disjoint, non-empty; overlapping or touching intervals merged (e.g. overlapping shifts). */
export function union(intervals: readonly Interval[]): Interval[] {
  const sorted = intervals.filter((i) => i.end > i.start).sort((a, b) => a.start - b.start);
  const out: Interval[] = [];
  for (const i of sorted) {
    const last = out[out.length - 1];
    if (last && i.start <= last.end) {
      if (i.end > last.end) out[out.length - 1] = { start: last.start, end: i.end };
    } else {
      out.push({ start: i.start, end: i.end });
    }
  }
  return out;
}

/** Intersection of two sets; both must be sorted and disjoint (as `union` returns them). */
export function intersect(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    const start = Math.max(x.start, y.start);
    const end = Math.min(x.end, y.end);
    if (end > start) out.push({ start, end });
    if (x.end < y.end) i++;
    else j++;
  }
  return out;
}

/** a minus b; both sorted and disjoint. */
export function subtract(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  let j = 0;
  for (const x of a) {
    let cursor = x.start;
    while (j < b.length && b[j]!.end <= cursor) j++;
    let k = j;
    while (k < b.length && b[k]!.start < x.end) {
      const y = b[k]!;
      if (y.start > cursor) out.push({ start: cursor, end: y.start });
      cursor = Math.max(cursor, y.end);
      k++;
    }
    if (cursor < x.end) out.push({ start: cursor, end: x.end });
  }
  return out;
}

/**
 * How much of each item of `items` (sorted by start, disjoint) lies inside `mask` (sorted, disjoint).
 * One sweep, so a shift with tens of thousands of state intervals stays linear.
 */
export function overlapEach(items: readonly Interval[], mask: readonly Interval[]): number[] {
  return clipEach(items, mask).map(totalLength);
}

/** Is `time` inside the sorted, disjoint set? Binary search: counts are many, shifts few. */
export function contains(set: readonly Interval[], time: number): boolean {
  let lo = 0;
  let hi = set.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const i = set[mid]!;
    if (time < i.start) hi = mid - 1;
    else if (time >= i.end) lo = mid + 1;
    else return true;
  }
  return false;
}

/** The parts of each item of `items` (sorted by start, disjoint) that lie inside `mask` (sorted, disjoint). */
export function clipEach(items: readonly Interval[], mask: readonly Interval[]): Interval[][] {
  const out: Interval[][] = [];
  let j = 0;
  for (const x of items) {
    while (j < mask.length && mask[j]!.end <= x.start) j++;
    const pieces: Interval[] = [];
    for (let k = j; k < mask.length && mask[k]!.start < x.end; k++) {
      const piece = clip(x, mask[k]!);
      if (piece) pieces.push(piece);
    }
    out.push(pieces);
  }
  return out;
}

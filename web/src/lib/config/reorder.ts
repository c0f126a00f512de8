/*
 * Reordering lists by drag and drop or by the keyboard: the order is a list of ids that
 * fields.reorder and typeLists.reorder take whole, so these return a new array and never mutate.
 */

/** Moves the item at `from` to index `to` (both clamped to the list). */
export function moveItem<T>(items: readonly T[], from: number, to: number): T[] {
  const next = [...items];
  if (from < 0 || from >= next.length) return next;
  const target = Math.max(0, Math.min(next.length - 1, to));
  const [item] = next.splice(from, 1);
  next.splice(target, 0, item as T);
  return next;
}

/** Moves the item with `id` one place up (-1) or down (+1); null when it cannot move that way. */
export function moveBy<T extends { id: string }>(items: readonly T[], id: string, delta: -1 | 1): T[] | null {
  const from = items.findIndex((i) => i.id === id);
  const to = from + delta;
  if (from < 0 || to < 0 || to >= items.length) return null;
  return moveItem(items, from, to);
}

/**
 * Where a dragged item lands when dropped on the row at `over`: before it when the pointer is in the
 * row's upper half, after it otherwise — as an index into the list with the item already removed.
 */
export function dropIndex(from: number, over: number, upperHalf: boolean): number {
  const slot = upperHalf ? over : over + 1;
  return slot > from ? slot - 1 : slot;
}

/** Whether two orders differ (an unchanged drop need not be sent). */
export function sameOrder(a: readonly { id: string }[], b: readonly { id: string }[]): boolean {
  return a.length === b.length && a.every((item, i) => item.id === b[i]?.id);
}

/**
 * The whole list's order after a part of it (e.g. only the active fields) was reordered: the part's
 * items take the places the part held, in their new order; the others stay where they were. The API
 * takes every item exactly once.
 */
export function mergeOrder<T extends { id: string }>(all: readonly T[], part: readonly T[]): T[] {
  const inPart = new Set(part.map((i) => i.id));
  let next = 0;
  return all.map((item) => (inPart.has(item.id) ? (part[next++] as T) : item));
}

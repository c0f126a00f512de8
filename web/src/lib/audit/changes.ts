/*
 * What an audit entry changed, as people read it: one line per field, `field: old → new`. The trail
 * keeps only the fields that changed, the old values and the new ones under the same keys, with
 * null for the side that does not exist (a creation has no old values, a deletion no new ones).
 */

/** Shown for a value that is absent or null, so an empty cell is never mistaken for a blank. */
export const NO_VALUE = '—';

/** Text longer than this is cut in a line, with a way to see it whole. */
export const SHORT_TEXT = 120;

type Values = Record<string, unknown> | null | undefined;

/** An entry's stored values as an object of fields; anything else (a bare value) under the key `value`. */
export function asValues(stored: unknown): Record<string, unknown> | null {
  if (stored === null || stored === undefined) return null;
  if (typeof stored === 'object' && !Array.isArray(stored)) return stored as Record<string, unknown>;
  return { value: stored };
}

/** A value as one line of text: lists joined, objects as `key: value` pairs, null as "—". */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return NO_VALUE;
  if (typeof value === 'string') return value === '' ? '(empty)' : value;
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (Array.isArray(value)) return value.length === 0 ? '(none)' : value.map(formatValue).join(', ');
  if (typeof value === 'object') {
    const pairs = Object.entries(value as Record<string, unknown>);
    if (pairs.length === 0) return '(none)';
    return `{ ${pairs.map(([key, inner]) => `${key}: ${formatValue(inner)}`).join('; ')} }`;
  }
  return String(value);
}

export interface ShortText {
  /** The text to show at first: whole, or cut at a word with an ellipsis. */
  short: string;
  full: string;
  truncated: boolean;
}

/** Cuts a long text for a table cell, at the last space before the limit where there is one. */
export function shorten(text: string, limit = SHORT_TEXT): ShortText {
  if (text.length <= limit) return { short: text, full: text, truncated: false };
  const cut = text.slice(0, limit);
  const space = cut.lastIndexOf(' ');
  const short = `${(space > limit * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`;
  return { short, full: text, truncated: true };
}

export interface ChangeLine {
  field: string;
  before: string;
  after: string;
  /** For lists on both sides: what the new list has that the old did not, and the reverse. */
  added: string[];
  removed: string[];
}

function listItems(value: unknown): string[] | null {
  return Array.isArray(value) ? value.map(formatValue) : null;
}

/**
 * One line per changed field, in the order the entry lists them (new values first, then any other).
 * A field empty on both sides (a creation's unset fields) says nothing and is left out.
 */
export function changeLines(oldValues: Values, newValues: Values): ChangeLine[] {
  const before = oldValues ?? {};
  const after = newValues ?? {};
  const fields = [...new Set([...Object.keys(after), ...Object.keys(before)])].filter(
    (field) => before[field] != null || after[field] != null,
  );
  return fields.map((field) => {
    const oldList = listItems(before[field]);
    const newList = listItems(after[field]);
    const both = oldList !== null && newList !== null;
    return {
      field,
      before: formatValue(before[field]),
      after: formatValue(after[field]),
      added: both ? newList.filter((item) => !oldList.includes(item)) : [],
      removed: both ? oldList.filter((item) => !newList.includes(item)) : [],
    };
  });
}

/** What a list gained and lost, in words ("added a, b; removed c"); null when not a change of two lists. */
export function listChange(line: ChangeLine): string | null {
  const parts = [
    ...(line.added.length > 0 ? [`added ${line.added.join(', ')}`] : []),
    ...(line.removed.length > 0 ? [`removed ${line.removed.join(', ')}`] : []),
  ];
  return parts.length === 0 ? null : parts.join('; ');
}

/**
 * Whether a line reads better as what its list gained and lost than as both lists in full: a role's
 * thirty permissions, one of them new. Short lists read fine whole.
 */
export function readsAsListChange(line: ChangeLine, limit = SHORT_TEXT): boolean {
  return listChange(line) !== null && line.before.length + line.after.length > limit;
}

export type EntryKind = 'created' | 'changed' | 'deleted' | 'event';

/** Whether an entry made a record, changed one, removed one, or records an act without values (a sign-in). */
export function entryKind(oldValues: Values, newValues: Values): EntryKind {
  if (oldValues == null && newValues == null) return 'event';
  if (oldValues == null) return 'created';
  if (newValues == null) return 'deleted';
  return 'changed';
}

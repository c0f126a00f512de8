/*
 * A record list's filters as they sit in the URL, so a list can be bookmarked and shared: readers for
 * each kind of parameter that drop what is not one, the query written back (empty parts left out),
 * and the choice of a checkbox filter.
 */

const STATE_KEY = /^[a-z][a-z0-9_]{0,39}$/;
const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The longest words a list searches for, as the cloud's list inputs take them. */
export const TEXT_MAX = 100;
/** The most states a filter names; the cloud's list inputs take no more. */
export const STATES_MAX = 20;

/** The URL with `changes` applied: a value sets its parameter, null removes it. */
export function withQuery(url: URL, changes: Readonly<Record<string, string | null>>): URL {
  const next = new URL(url);
  for (const [key, value] of Object.entries(changes)) {
    if (value === null) next.searchParams.delete(key);
    else next.searchParams.set(key, value);
  }
  return next;
}

/** A comma-separated parameter's parts, trimmed, the empty ones left out. */
export function listParam(params: URLSearchParams, name: string): string[] {
  return (params.get(name) ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * Workflow state keys (`under_review`), each once. The states are the record's workflow's own, so any
 * key is kept; only what cannot be one is dropped.
 */
export function stateKeysParam(params: URLSearchParams, name = 'status'): string[] {
  return [...new Set(listParam(params, name).filter((s) => STATE_KEY.test(s)))].slice(0, STATES_MAX);
}

/** The members of `all` the parameter names, in the order of `all`. */
export function choicesParam<T extends string>(
  params: URLSearchParams,
  name: string,
  all: readonly T[],
): T[] {
  const named = new Set(listParam(params, name));
  return all.filter((choice) => named.has(choice));
}

/** The id in a parameter, or '' when it is missing or not an id. */
export function idParam(params: URLSearchParams, name: string): string {
  const value = params.get(name) ?? '';
  return ID.test(value) ? value : '';
}

/** The words searched for, as typed (`q`). */
export function textParam(params: URLSearchParams, name = 'q'): string {
  return (params.get(name) ?? '').slice(0, TEXT_MAX);
}

/** A list parameter's value: its parts joined, or null (left out) when there are none. */
export function listQuery(values: readonly string[]): string | null {
  return values.length === 0 ? null : values.join(',');
}

/** An id parameter's value, or null (left out) for none (''). */
export function idQuery(id: string): string | null {
  return id === '' ? null : id;
}

/** The words' parameter value, trimmed, or null (left out) when there are none. */
export function textQuery(text: string): string | null {
  return text.trim() === '' ? null : text.trim();
}

/** What a checkbox filter chooses once `value` is checked (`on`) or unchecked, in the order of `all`. */
export function toggled<T>(all: readonly T[], chosen: readonly T[], value: T, on: boolean): T[] {
  return all.filter((choice) => (choice === value ? on : chosen.includes(choice)));
}

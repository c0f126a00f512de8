import type { SearchAnswer, SearchResultRow } from './api-types';

/*
 * The search box's logic, apart from its markup (docs/search.md, "In the web app"): what is sent
 * for a typed text, how an answer becomes the options of a listbox grouped by type, when to ask
 * (debounced while typing), and which key press focuses the box. The command palette shows the same
 * options under its pages.
 */

/** The API takes at most this many characters (search.query). */
export const SEARCH_MAX = 100;

/** The text to search for, or null when there is nothing to ask (only spaces). */
export function searchText(typed: string): string | null {
  const text = typed.trim().slice(0, SEARCH_MAX);
  return text === '' ? null : text;
}

export interface SearchOption {
  /** Unique among the options: the option's DOM id is built from it. */
  readonly key: string;
  readonly entityType: string;
  /** The heading of its group ("Production orders"). */
  readonly group: string;
  readonly label: string;
  /** Type, plant, context and the words around a match in other text. */
  readonly detail: string;
  /** Null when the web app has no page for the record yet. */
  readonly href: string | null;
}

/** "CODE · Title", or whichever of the two the record has. */
export function resultLabel(result: Pick<SearchResultRow, 'code' | 'title'>): string {
  const parts = [result.code, result.title].filter((part): part is string => !!part);
  return parts.length === 0 ? '—' : parts.join(' · ');
}

/** The options of an answer, group by group in the answer's order. */
export function searchOptions(answer: SearchAnswer): SearchOption[] {
  return answer.groups.flatMap((group) =>
    group.results.map((result) => ({
      key: `${result.entityType}:${result.entityId}`,
      entityType: result.entityType,
      group: group.label,
      label: resultLabel(result),
      detail: [group.singular, result.plantCode, result.context, result.snippet && `“${result.snippet}”`]
        .filter((part) => !!part)
        .join(' · '),
      href: result.link,
    })),
  );
}

/** The options in runs of one group each, for a listbox with a heading per group. */
export function groupRuns(
  options: readonly SearchOption[],
): { group: string; start: number; options: SearchOption[] }[] {
  const runs: { group: string; start: number; options: SearchOption[] }[] = [];
  options.forEach((option, index) => {
    const last = runs.at(-1);
    if (last !== undefined && last.group === option.group) last.options.push(option);
    else runs.push({ group: option.group, start: index, options: [option] });
  });
  return runs;
}

interface Clock {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const realClock: Clock = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * Runs `run` once typing pauses for `waitMs`: each `request()` restarts the wait, `flush()` runs a
 * pending request at once (Enter before the pause), `cancel()` drops it.
 */
export function createDebounce(waitMs: number, run: () => void, clock: Clock = realClock) {
  let pending: unknown = null;
  const fire = () => {
    pending = null;
    run();
  };
  return {
    request() {
      if (pending !== null) clock.clear(pending);
      pending = clock.set(fire, waitMs);
    },
    flush() {
      if (pending === null) return;
      clock.clear(pending);
      fire();
    },
    cancel() {
      if (pending !== null) clock.clear(pending);
      pending = null;
    },
  };
}

/** What the `/` shortcut needs to know of a key press (a KeyboardEvent has it all). */
export interface KeyPress {
  readonly key: string;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly altKey: boolean;
  readonly defaultPrevented: boolean;
  /** The element the key went to: its tag name and whether it is editable matter. */
  readonly target: object | null;
}

/** `/` focuses the search box, unless the user is typing somewhere (a field, an editable area). */
export function focusesSearch(event: KeyPress): boolean {
  if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented)
    return false;
  const target = event.target as { tagName?: unknown; isContentEditable?: unknown } | null;
  const tag = typeof target?.tagName === 'string' ? target.tagName.toUpperCase() : '';
  return !(tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || target?.isContentEditable === true);
}

import type { SearchAnswer } from './api-types';
import { groupLabel, matchPages, type NavPage } from './navigation';
import { searchOptions } from './search';

/*
 * The command palette's logic, apart from its dialog: which results a typed text gives, how the arrow
 * keys move through them, and how answers to older texts are kept from overwriting newer ones.
 */

export type ResultKind = 'page' | 'record';

export interface PaletteResult {
  /** Unique among the results: the option's DOM id is built from it. */
  readonly key: string;
  readonly kind: ResultKind;
  readonly label: string;
  readonly detail: string;
  readonly href: string;
}

export const KIND_LABELS: Record<ResultKind, string> = {
  page: 'Page',
  record: 'Record',
};

export function pageResults(query: string, pages: readonly NavPage[]): PaletteResult[] {
  return matchPages(query, pages).map((page) => ({
    key: `page:${page.href}`,
    kind: 'page',
    label: page.label,
    detail: groupLabel(page.group),
    href: page.href,
  }));
}

/**
 * Records the search found (search.query, the header box's answer), as results under the pages: a
 * record opens its page (a machine its machine page, an order its record page). The detail names the
 * type and tells records with the same code apart: plant and line for a machine, plant and product
 * for an order. Records the web app has no page for are left out: the palette goes somewhere.
 */
export function recordResults(answer: SearchAnswer): PaletteResult[] {
  return searchOptions(answer).flatMap((option) =>
    option.href === null
      ? []
      : [
          {
            key: `record:${option.key}`,
            kind: 'record' as const,
            label: option.label,
            detail: option.detail,
            href: option.href,
          },
        ],
  );
}

/** The option the arrow keys, Home and End move to, wrapping around; -1 when there is none. */
export function moveActive(active: number, count: number, key: string): number {
  if (count === 0) return -1;
  switch (key) {
    case 'ArrowDown':
      return active < 0 ? 0 : (active + 1) % count;
    case 'ArrowUp':
      return active <= 0 ? count - 1 : active - 1;
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return Math.min(active, count - 1);
  }
}

/**
 * Runs lookups one text at a time and delivers only the answer to the newest text: a slow answer to
 * "M" that arrives after the answer to "M1" is dropped, as is any answer after `cancel()`.
 */
export function latestOnly<T>(
  lookup: (text: string) => Promise<T>,
  deliver: (text: string, answer: T) => void,
  fail: (text: string, err: unknown) => void,
) {
  let latest = 0;
  return {
    run(text: string): void {
      const request = ++latest;
      lookup(text).then(
        (answer) => {
          if (request === latest) deliver(text, answer);
        },
        (err: unknown) => {
          if (request === latest) fail(text, err);
        },
      );
    },
    cancel(): void {
      latest++;
    },
  };
}

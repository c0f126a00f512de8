import type { SessionPlant } from './api-types';
import type { RecordsPage } from './config/api-types';
import { recordHref } from './config/record-link';
import { groupLabel, matchPages, type NavPage } from './navigation';

/*
 * The command palette's logic, apart from its dialog: which results a typed text gives, how the arrow
 * keys move through them, and how answers to older texts are kept from overwriting newer ones.
 */

export type ResultKind = 'page' | 'machine' | 'product' | 'order';

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
  machine: 'Machine',
  product: 'Product',
  order: 'Production order',
};

/** The records the palette looks up, by the entity type the cloud lists them as (config.records). */
export const RECORD_KINDS = [
  { kind: 'machine', entityType: 'machine' },
  { kind: 'product', entityType: 'product' },
  { kind: 'order', entityType: 'production_order' },
] as const satisfies readonly { kind: ResultKind; entityType: RecordsPage['entityType'] }[];

export type RecordKind = (typeof RECORD_KINDS)[number]['kind'];

/** Records are listed with config.read and, for these entity types, masterdata.read (config.router.ts). */
export function canSearchRecords(permissions: readonly string[]): boolean {
  return permissions.includes('config.read') && permissions.includes('masterdata.read');
}

export function pageResults(query: string, pages: readonly NavPage[]): PaletteResult[] {
  return matchPages(query, pages).map((page) => ({
    key: `page:${page.href}`,
    kind: 'page',
    label: page.label,
    detail: groupLabel(page.group),
    href: page.href,
  }));
}

type RecordRow = Pick<RecordsPage['rows'][number], 'id' | 'code' | 'name' | 'plantId' | 'context'>;

/**
 * Found records as results: a machine opens its machine page; products and orders open their record
 * page (the one page each has today). The detail tells records with the same code apart: plant and
 * line for a machine, plant and product for an order.
 */
export function recordResults(
  kind: RecordKind,
  found: readonly RecordRow[],
  plants: readonly Pick<SessionPlant, 'id' | 'code'>[],
): PaletteResult[] {
  const plantCode = (id: string | null) => plants.find((p) => p.id === id)?.code;
  return found.map((row) => {
    const where = [plantCode(row.plantId), row.context].filter((part) => part != null && part !== '');
    const record = { id: row.id, code: row.code, name: row.name };
    const href =
      kind === 'machine'
        ? `/machines/${row.id}`
        : recordHref(kind === 'product' ? 'product' : 'production_order', record);
    return {
      key: `${kind}:${row.id}`,
      kind,
      label: row.name ? `${row.code} · ${row.name}` : row.code,
      detail: [KIND_LABELS[kind], ...where].join(' · '),
      href,
    };
  });
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

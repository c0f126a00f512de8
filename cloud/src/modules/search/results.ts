import type { MatchedOn } from './query-terms.js';

/*
 * Putting the stages' answers together (docs/search.md, "Matching and ranking"): pure. A record
 * found by several stages keeps its first, best place; the answer stops at the limit; results are
 * grouped by type, groups in the order of their best result.
 */

export interface SearchResult {
  entityType: string;
  entityId: string;
  code: string | null;
  title: string | null;
  /** Words around the match when it was in the record's other text or custom values. */
  snippet?: string;
  plantCode?: string;
  /** What tells same-coded records apart: a machine's line, an order's product. */
  context?: string;
  /** The page to open; null when the web app has none for the type yet. */
  link: string | null;
  matchedOn: MatchedOn;
}

export interface SearchGroup<R = SearchResult> {
  entityType: string;
  /** The group's heading: "Production orders". */
  label: string;
  /** One of its results: "Production order". */
  singular: string;
  results: R[];
}

type Keyed = { entityType: string; entityId: string };
const keyOf = (r: Keyed) => `${r.entityType}:${r.entityId}`;

/** Adds a stage's rows to what earlier stages found, skipping records already there, up to `limit`. */
export function addFound<R extends Keyed>(found: R[], stageRows: readonly R[], limit: number): R[] {
  const seen = new Set(found.map(keyOf));
  const merged = [...found];
  for (const row of stageRows) {
    if (merged.length >= limit) break;
    const key = keyOf(row);
    if (seen.has(key)) continue;
    seen.add(key);
    merged.push(row);
  }
  return merged;
}

/** Results grouped by type, each group where its best result ranked, results in rank order. */
export function groupByType<R extends Keyed>(
  ranked: readonly R[],
  labelsOf: (entityType: string) => { label: string; singular: string },
): SearchGroup<R>[] {
  const groups = new Map<string, SearchGroup<R>>();
  for (const result of ranked) {
    let group = groups.get(result.entityType);
    if (group === undefined) {
      group = { entityType: result.entityType, ...labelsOf(result.entityType), results: [] };
      groups.set(result.entityType, group);
    }
    group.results.push(result);
  }
  return [...groups.values()];
}

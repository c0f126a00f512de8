import type { ReportFilter } from './definition.js';
import type { Cell, Row } from './sources.js';

/*
 * A definition's filters over the rows a source produced (docs/reports.md, "Copies"): each filter
 * compares one column with a value; a row passes when every filter holds. An empty cell ("no data")
 * fails every comparison but "ne". Pure.
 */

function holds(cell: Cell, filter: ReportFilter): boolean {
  const { op, value } = filter;
  if (cell === null || cell === undefined) return op === 'ne';
  if (op === 'contains') return String(cell).toLowerCase().includes(String(value).toLowerCase());
  const left = typeof value === 'number' ? Number(cell) : String(cell);
  const right = typeof value === 'number' ? value : String(value);
  switch (op) {
    case 'eq':
      return left === right;
    case 'ne':
      return left !== right;
    case 'lt':
      return left < right;
    case 'lte':
      return left <= right;
    case 'gt':
      return left > right;
    case 'gte':
      return left >= right;
  }
}

export function rowPasses(row: Row, filters: readonly ReportFilter[]): boolean {
  return filters.every((f) => holds(row[f.column] ?? null, f));
}

/** The row's cells in the definition's column order. */
export function cellsOf(row: Row, columns: readonly string[]): Cell[] {
  return columns.map((c) => row[c] ?? null);
}

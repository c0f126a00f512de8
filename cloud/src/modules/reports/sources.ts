import type { Permission } from '@plantline/schema';
import type { SQL } from 'drizzle-orm';
import type { Sql } from '../../db/index.js';
import type { ColumnSpec } from './definition.js';
import type { ParameterKey, RunParameters } from './parameters.js';
import type { ResolvedPeriod } from './periods.js';

/*
 * Where a report's rows come from (docs/reports.md, "Data sources"). A computed source asks the KPI
 * engine — the very functions behind the KPI procedures, so a report never has a second formula —
 * and gets a result small enough to hold (one row per machine and shift, per reason, per product).
 * An extract source is a query whose rows are written as they are read: on a PostgreSQL server
 * through a cursor, on the embedded engine in keyset pages (runner.ts).
 */

export type Cell = string | number | boolean | null;
export type Row = Readonly<Record<string, Cell>>;

export interface SourceContext {
  readonly params: RunParameters;
  /** Null for a source that takes no period. */
  readonly period: ResolvedPeriod | null;
  readonly plant: { readonly id: string; readonly code: string; readonly timezone: string } | null;
  readonly grouping: Readonly<Record<string, string>>;
  readonly tenantId: string;
  readonly now: number;
}

/** Keyset position of an extract: the last row's key. */
export type Cursor = number;

interface SourceBase {
  readonly key: string;
  /** The permission that reads this data: the same the data's own API needs. */
  readonly permission: Permission;
  readonly columns: readonly ColumnSpec[];
  /** Grouping dimensions and their options; the first option is the default. */
  readonly grouping: Readonly<Record<string, readonly string[]>>;
  readonly parameters: readonly ParameterKey[];
  readonly requires: readonly ParameterKey[];
  readonly needsPeriod: boolean;
}

export interface ComputedSource extends SourceBase {
  readonly kind: 'computed';
  load(tx: Sql, context: SourceContext): Promise<Row[]>;
}

export interface ExtractSource extends SourceBase {
  readonly kind: 'extract';
  /** Rows after `after` in key order, at most `limit` (both null: all of them, for a cursor). */
  query(context: SourceContext, after: Cursor | null, limit: number | null): SQL;
  keyOf(raw: Record<string, unknown>): Cursor;
  map(raw: Record<string, unknown>): Row;
  /** How many rows the run will write, when cheap to count; null otherwise. */
  count(context: SourceContext): SQL | null;
  /**
   * All the rows as CSV cells, for a CSV the server writes itself (csv-copy.ts): the columns `keys`
   * in that order, each exactly the text csvField writes for what `map` gives (text through
   * plantline.csv_cell), in the order of `query`. Absent: the application writes every CSV.
   */
  copyQuery?(context: SourceContext, keys: readonly string[]): SQL;
}

export type DataSource = ComputedSource | ExtractSource;

/** A KPI ratio as a report cell: the value, or empty for "no data" (never 0). */
export const ratioCell = (kpi: { value: number | null }): Cell => kpi.value;

export const minutes = (ms: number): number => ms / 60_000;

import { z } from 'zod';

/*
 * The shape of a report definition (docs/reports.md, "Definitions"): the columns shown and their
 * order, the grouping, filters on the rows and default parameters. The catalogue's reports and a
 * tenant's copies share it, so a copy is the same data as its original with some choices changed.
 * It lives in this module rather than the schema package: only the cloud reads it, and the web
 * sees it through the API's types.
 */

export const columnTypes = ['text', 'integer', 'number', 'percent', 'duration', 'datetime', 'date'] as const;
export type ColumnType = (typeof columnTypes)[number];

/** A column a data source offers: its key in the rows, label, type and unit. */
export interface ColumnSpec {
  readonly key: string;
  readonly label: string;
  readonly type: ColumnType;
  /** Shown after the label: "min", "%", "pcs". */
  readonly unit?: string;
  /** Digits after the decimal point in XLSX and PDF (CSV writes the value as computed). */
  readonly decimals?: number;
}

export const filterOperators = ['eq', 'ne', 'lt', 'lte', 'gt', 'gte', 'contains'] as const;
export type FilterOperator = (typeof filterOperators)[number];

const columnKey = z.string().regex(/^[a-z][a-zA-Z0-9_]{0,63}$/, 'Not a column key');

export const reportFilter = z.object({
  column: columnKey,
  op: z.enum(filterOperators),
  value: z.union([z.string().max(200), z.number().finite()]),
});
export type ReportFilter = z.infer<typeof reportFilter>;

export const chartKinds = ['none', 'bars', 'pareto', 'lines'] as const;

export const reportChart = z.object({
  kind: z.enum(chartKinds),
  /** The column along the horizontal axis (categories or periods). */
  x: columnKey.optional(),
  /** The columns drawn; percent columns share the 0–100 % axis. */
  y: z.array(columnKey).max(4).default([]),
});
export type ReportChart = z.infer<typeof reportChart>;

/** Default parameters a definition may carry: the same fields a run takes (parameters.ts). */
export const defaultParameters = z.record(z.string(), z.unknown());

export const reportDefinition = z.object({
  /** Column keys in the order shown; each must be one the data source offers. */
  columns: z.array(columnKey).min(1, 'Choose at least one column').max(60),
  /** One option per grouping dimension of the data source, e.g. { time: 'shift', level: 'machine' }. */
  grouping: z.record(z.string(), z.string()),
  filters: z.array(reportFilter).max(20).default([]),
  parameters: defaultParameters.default({}),
  chart: reportChart.default({ kind: 'none', y: [] }),
});
export type ReportDefinition = z.infer<typeof reportDefinition>;

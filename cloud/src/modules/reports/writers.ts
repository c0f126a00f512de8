import type { Writable } from 'node:stream';
import type { ColumnSpec, ReportChart } from './definition.js';
import type { Cell } from './sources.js';

/*
 * What every output format is given (docs/reports.md, "Formats"): the columns, what the report was
 * run for, and then rows in batches. A writer answers a batch once the output has taken it, so a fast
 * reader never runs ahead of a slow disk.
 */

export interface ReportMeta {
  readonly title: string;
  /** "Plant: A1 (Europe/Berlin)", "Period: 2026-W48, 2026-11-23 00:00 – 2026-11-30 00:00". */
  readonly parameterLines: readonly string[];
  readonly generatedAt: Date;
  readonly chart: ReportChart;
  /** The tenant's logo (PNG or JPEG, checked at upload), drawn on PDFs in place of the mark. */
  readonly logo?: Buffer | null;
}

export interface ReportWriter {
  write(rows: readonly (readonly Cell[])[]): Promise<void>;
  /** Whole records already in this writer's format (CSV only: what the server wrote, csv-copy.ts). */
  writeRecords?(bytes: Buffer): Promise<void>;
  end(): Promise<void>;
}

export interface WriterInput {
  readonly columns: readonly ColumnSpec[];
  readonly meta: ReportMeta;
  readonly out: Writable;
}

/** A column's header: its label and unit; percent columns say they are written as fractions in CSV. */
export function headerOf(column: ColumnSpec, format: 'csv' | 'table'): string {
  if (column.type === 'percent') return format === 'csv' ? `${column.label} (0–1)` : `${column.label} (%)`;
  if (column.type === 'datetime') return `${column.label} (UTC)`;
  return column.unit === undefined ? column.label : `${column.label} (${column.unit})`;
}

/** Raised when an output's row cap is passed; the message says what to choose instead. */
export class RowCapError extends Error {}

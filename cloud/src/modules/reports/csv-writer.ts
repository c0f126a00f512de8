import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { type Options, stringify } from 'csv-stringify/sync';
import type { Cell } from './sources.js';
import { headerOf, type ReportWriter, type WriterInput } from './writers.js';

/*
 * CSV (docs/reports.md, "Formats"): RFC 4180 with a byte-order mark so spreadsheets read UTF-8,
 * values as computed (fractions for percentages, minutes for durations, UTC instants), no row cap.
 * A cell starting with = + - @ would run as a formula where the file is opened: it gets a leading '.
 *
 * csv-stringify defines the text: the header goes through it, and `csvText` below writes rows the
 * way csv-stringify writes them with `csvOptions` — the same bytes for every cell, which
 * csv-writer.test.ts checks against csv-stringify itself on every kind of cell. The rows do not go
 * through csv-stringify because its generic per-field work (casts, option lookups, a pair of arrays
 * per field) was a fifth of an export's time (docs/benchmarks.md, `reports`), and an extract writes
 * millions of rows. Each batch is one string and one write, answered once the output has taken it
 * (drain), so memory holds about one batch whatever the size of the export.
 */

export const csvOptions: Options = {
  escape_formulas: true,
  cast: { boolean: (b) => (b ? 'true' : 'false') },
};

/** First characters a spreadsheet reads as the start of a formula (csv-stringify's `escape_formulas`). */
const FORMULA_START = new Set(['=', '+', '-', '@', '\t', '\r', '\uFF1D', '\uFF0B', '\uFF0D', '\uFF20']);
const NEEDS_QUOTES = /[",\r\n]/;
const QUOTE = /"/g;

/** One cell as csv-stringify writes it with `csvOptions`. */
export function csvField(cell: Cell): string {
  if (cell === null) return '';
  // A number's text never needs quotes, and a negative number is a number, not a formula.
  if (typeof cell === 'number') return String(cell);
  if (typeof cell === 'boolean') return cell ? 'true' : 'false';
  if (cell === '') return '';
  const text = FORMULA_START.has(cell[0] as string) ? `'${cell}` : cell;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(QUOTE, '""')}"` : text;
}

/** The rows as CSV records, each ending in a line feed. */
export function csvText(rows: readonly (readonly Cell[])[]): string {
  let text = '';
  for (const row of rows) {
    let record = '';
    for (let i = 0; i < row.length; i++) {
      if (i > 0) record += ',';
      record += csvField(row[i] as Cell);
    }
    text += `${record}\n`;
  }
  return text;
}

async function put(out: Writable, text: string): Promise<void> {
  if (text !== '' && !out.write(text)) await once(out, 'drain');
}

export function csvWriter({ columns, out }: WriterInput): ReportWriter {
  let header: Promise<void> | null = put(
    out,
    stringify([columns.map((c) => headerOf(c, 'csv'))], { ...csvOptions, bom: true }),
  );
  return {
    async write(rows) {
      if (header !== null) {
        await header;
        header = null;
      }
      await put(out, csvText(rows));
    },
    async end() {
      if (header !== null) await header;
      out.end();
    },
  };
}

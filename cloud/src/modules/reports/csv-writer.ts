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
 * csv-stringify defines the text: the header goes through it, and `csvRecord` below writes rows the
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

/** One row as a CSV record, ending in a line feed. */
export function csvRecord(row: readonly Cell[]): string {
  let record = '';
  for (let i = 0; i < row.length; i++) {
    if (i > 0) record += ',';
    record += csvField(row[i] as Cell);
  }
  return `${record}\n`;
}

/** Room for a batch's records before a buffer is passed on and another begun. */
const CHUNK_BYTES = 256 * 1024;

/**
 * The rows as CSV in UTF-8. Each record is encoded into a buffer as it is made: concatenating a
 * batch into one string and encoding that cost three times as much, most of it flattening the
 * concatenated string (docs/benchmarks.md, `reports`). A UTF-16 unit takes at most 3 bytes.
 */
export function csvBytes(rows: readonly (readonly Cell[])[]): Buffer[] {
  const chunks: Buffer[] = [];
  let chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  let used = 0;
  for (const row of rows) {
    const record = csvRecord(row);
    if (used + record.length * 3 > chunk.length) {
      if (used > 0) chunks.push(chunk.subarray(0, used));
      chunk = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, record.length * 3));
      used = 0;
    }
    used += chunk.write(record, used);
  }
  if (used > 0) chunks.push(chunk.subarray(0, used));
  return chunks;
}

async function put(out: Writable, data: string | Buffer): Promise<void> {
  if (data.length > 0 && !out.write(data)) await once(out, 'drain');
}

export function csvWriter({ columns, out }: WriterInput): ReportWriter {
  let header: Promise<void> | null = put(
    out,
    stringify([columns.map((c) => headerOf(c, 'csv'))], { ...csvOptions, bom: true }),
  );
  const headerWritten = async () => {
    if (header !== null) {
      await header;
      header = null;
    }
  };
  return {
    async write(rows) {
      await headerWritten();
      for (const chunk of csvBytes(rows)) await put(out, chunk);
    },
    async writeRecords(bytes) {
      await headerWritten();
      await put(out, bytes);
    },
    async end() {
      if (header !== null) await header;
      out.end();
    },
  };
}

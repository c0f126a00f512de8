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
 * Each batch becomes one string through csv-stringify's synchronous API and one write: the streaming
 * API wrote every row as a chunk of its own through two more streams, and that per-row work, not the
 * text, was most of an export's time (docs/benchmarks.md, `reports`). A batch is answered once the
 * output has taken it (drain), so memory holds about one batch whatever the size of the export.
 */

const options: Options = {
  escape_formulas: true,
  cast: { boolean: (b) => (b ? 'true' : 'false') },
};

const cellsOf = (row: readonly Cell[]) => row.map((c) => (c === null ? '' : c));

async function put(out: Writable, text: string): Promise<void> {
  if (text !== '' && !out.write(text)) await once(out, 'drain');
}

export function csvWriter({ columns, out }: WriterInput): ReportWriter {
  let header: Promise<void> | null = put(
    out,
    stringify([columns.map((c) => headerOf(c, 'csv'))], { ...options, bom: true }),
  );
  return {
    async write(rows) {
      if (header !== null) {
        await header;
        header = null;
      }
      await put(out, stringify(rows.map(cellsOf), options));
    },
    async end() {
      if (header !== null) await header;
      out.end();
    },
  };
}

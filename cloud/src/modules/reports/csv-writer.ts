import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import type { Cell } from './sources.js';
import { headerOf, type ReportWriter, type WriterInput } from './writers.js';

/*
 * CSV (docs/reports.md, "Formats"): RFC 4180 with a byte-order mark so spreadsheets read UTF-8,
 * values as computed (fractions for percentages, minutes for durations, UTC instants), no row cap.
 * A cell starting with = + - @ would run as a formula where the file is opened: it gets a leading '.
 */
export function csvWriter({ columns, out }: WriterInput): ReportWriter {
  const stringifier = stringify({
    bom: true,
    escape_formulas: true,
    cast: { boolean: (b) => (b ? 'true' : 'false') },
  });
  const done = pipeline(stringifier, out, { end: false });
  done.catch(() => undefined);
  const push = async (cells: readonly Cell[]) => {
    if (!stringifier.write(cells.map((c) => (c === null ? '' : c)))) await once(stringifier, 'drain');
  };
  let header: Promise<void> | null = push(columns.map((c) => headerOf(c, 'csv')));
  return {
    async write(rows) {
      if (header !== null) {
        await header;
        header = null;
      }
      for (const row of rows) {
        if (!stringifier.write(row.map((c) => (c === null ? '' : c)))) await once(stringifier, 'drain');
      }
    },
    async end() {
      if (header !== null) await header;
      stringifier.end();
      await done;
      out.end();
    },
  };
}

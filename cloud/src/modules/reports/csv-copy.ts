import type { SQL } from 'drizzle-orm';
import type { Database } from '../../db/index.js';
import type { Scope } from '../../platform/index.js';
import type { DataSource, SourceContext } from './sources.js';
import type { ReportWriter } from './writers.js';

/*
 * A CSV extract written by the database server (docs/reports.md, "Formats"): `COPY (query) TO STDOUT
 * WITH (format csv)` over the source's copyQuery, whose cells are already what csvField writes, so
 * the file is byte for byte the one the application would write (reports-copy.test.ts) — without
 * parsing every row into JavaScript values and formatting it again, which was most of an export's
 * time (docs/benchmarks.md, `reports`). The records are counted and handed on in batches of whole
 * records, so progress, a cancel and a takeover work as they do for the application's CSV.
 */

const LINE_FEED = 0x0a;
const QUOTE = 0x22;
const EMPTY = Buffer.alloc(0);

/** Whole records of a CSV stream, `batchRows` at a time (fewer at the end of a chunk). */
export class CsvRecordBatches {
  readonly #batchRows: number;
  /** Bytes after the last whole record, and how many of them were already scanned. */
  #tail: Buffer = EMPTY;
  #scanned = 0;
  #inQuotes = false;

  constructor(batchRows: number) {
    this.#batchRows = batchRows;
  }

  /**
   * The whole records of what came so far. A line feed ends a record outside quotes only: a quoted
   * cell may hold line feeds, and a quote inside one is doubled, so counting quotes tells inside from
   * outside.
   */
  *push(chunk: Buffer): Generator<{ bytes: Buffer; records: number }> {
    const data = this.#tail.length === 0 ? chunk : Buffer.concat([this.#tail, chunk]);
    let pos = this.#scanned;
    let batchStart = 0;
    let recordsEnd = 0;
    let records = 0;
    let quote = data.indexOf(QUOTE, pos);
    for (;;) {
      const feed = data.indexOf(LINE_FEED, pos);
      if (feed < 0) break;
      while (quote !== -1 && quote < feed) {
        this.#inQuotes = !this.#inQuotes;
        quote = data.indexOf(QUOTE, quote + 1);
      }
      pos = feed + 1;
      if (this.#inQuotes) continue;
      recordsEnd = pos;
      records += 1;
      if (records === this.#batchRows) {
        yield { bytes: data.subarray(batchStart, recordsEnd), records };
        batchStart = recordsEnd;
        records = 0;
      }
    }
    if (records > 0) yield { bytes: data.subarray(batchStart, recordsEnd), records };
    // Quotes after the last line feed are scanned again with the next chunk.
    this.#tail = data.subarray(recordsEnd);
    this.#scanned = pos - recordsEnd;
  }

  /** Refuses a stream that ended inside a record. */
  finish(): void {
    if (this.#tail.length > 0) throw new Error('The CSV from the database ended inside a record');
  }
}

/**
 * What a CSV extract needs to be written by the database server, or null when the application writes
 * it: the engine cannot (the embedded one), the output is no CSV, the source has no copyQuery, rows
 * are filtered (filters.ts runs in the application), or the report has one column (COPY would quote a
 * lone cell reading \. where the application does not).
 */
export function serverCsvOf(input: {
  readonly db: Database;
  readonly source: DataSource;
  readonly writer: ReportWriter;
  readonly context: SourceContext;
  readonly keys: readonly string[];
  readonly filters: readonly unknown[];
}) {
  const { db, source, writer, context, keys, filters } = input;
  const { copyOut } = db;
  const { writeRecords } = writer;
  if (source.kind !== 'extract' || source.copyQuery === undefined) return null;
  if (copyOut === undefined || writeRecords === undefined || filters.length > 0 || keys.length < 2)
    return null;
  return { copyOut, query: source.copyQuery(context, keys), writeRecords: writeRecords.bind(writer) };
}

export interface CopyCsvInput {
  readonly copyOut: NonNullable<Database['copyOut']>;
  readonly scope: Scope;
  readonly query: SQL;
  readonly batchRows: number;
  /** Before each batch is written: may throw to stop the run there. */
  readonly beforeBatch: () => Promise<void>;
  readonly write: (bytes: Buffer, records: number) => Promise<void>;
}

/** Writes the rows of `query` as CSV records, as the server writes them. */
export async function copyCsvRecords(input: CopyCsvInput): Promise<void> {
  const batches = new CsvRecordBatches(input.batchRows);
  await input.copyOut(input.scope, input.query, 'format csv', async (chunk) => {
    for (const batch of batches.push(chunk)) {
      await input.beforeBatch();
      await input.write(batch.bytes, batch.records);
    }
  });
  batches.finish();
}

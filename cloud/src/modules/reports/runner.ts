import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import { type Database, everyTenantId, rows } from '../../db/index.js';
import { DomainError, type JobQueue, type Scheduler, type Scope } from '../../platform/index.js';
import { tenantLogo } from '../settings/index.js';
import { copyCsvRecords, serverCsvOf } from './csv-copy.js';
import { csvWriter } from './csv-writer.js';
import type { ReportFormat } from './execution.js';
import { cellsOf, rowPasses } from './filters.js';
import { openOutputFile } from './output-file.js';
import { pdfWriter } from './pdf-writer.js';
import { type ExecutionRow, executionContext, metaOf } from './run-context.js';
import type { Cell, ExtractSource } from './sources.js';
import { type ReportWriter, RowCapError, type WriterInput } from './writers.js';
import { xlsxWriter } from './xlsx-writer.js';

/*
 * The runs of reports (docs/reports.md, "Runs"): a run is a report_executions row, queued by
 * `reports.run` and done by a job. The job claims the row (queued → running, with a token of its own),
 * writes the output into the reports store as rows are read (a CSV extract on a PostgreSQL server is
 * written by the server itself, csv-copy.ts), and records rows, bytes, SHA-256 and
 * duration, or the error. Progress goes to the row as it writes. A cloud that starts finds the runs
 * left queued or running — by a stop, a crash — and runs them again from the start; a run taken over
 * that way notices before its next batch (the token changed) and stops writing; so does a run
 * cancelled by reports.runCancel (the status changed), which also deletes what it had written.
 */

export const REPORT_JOB = 'report-run';

export interface ReportStoreOptions {
  /** Where outputs are kept: REPORTS_DIR, by default `<data dir>/reports`. */
  readonly dir: string;
  /** Days an output is kept: REPORT_RETENTION_DAYS. */
  readonly retentionDays: number;
}

export interface RunnerOptions extends ReportStoreOptions {
  readonly db: Database;
  readonly log: Logger;
  readonly queue: JobQueue;
  /** Rows read per page or cursor batch. */
  readonly batchRows?: number;
  /** Called before each batch is read; tests hold a run here to stop it midway. */
  readonly beforeBatch?: (executionId: string) => Promise<void>;
  /**
   * Whether a CSV extract may be written by the database server (csv-copy.ts) where the engine can;
   * false: always by the application, for tests that compare the two. Default true.
   */
  readonly serverCsv?: boolean;
  /**
   * How often, at most, a run looks whether it was cancelled or taken over (before a batch); 0: before
   * every batch, for tests that stop a run at a given batch.
   */
  readonly recheckMs?: number;
}

interface RunJob {
  readonly tenantId: string;
  readonly executionId: string;
}

const PROGRESS_EVERY_MS = 500;
// A look costs a transaction; before every batch it was a tenth of a fast export's time, and a quarter
// of a second is soon enough to stop writing what nobody will download.
const RECHECK_EVERY_MS = 250;

const writers: Record<ReportFormat, (input: WriterInput) => ReportWriter | Promise<ReportWriter>> = {
  csv: csvWriter,
  xlsx: xlsxWriter,
  pdf: pdfWriter,
};

export const extensionOf: Record<ReportFormat, string> = { csv: 'csv', xlsx: 'xlsx', pdf: 'pdf' };

/** Every plant of the tenant, for the runner's own bookkeeping (the run's reads use the run's scope). */
const tenantScope = (tenantId: string): Scope => ({ tenantId, plantIds: 'all' });

class TakenOver extends Error {}

export class ReportRunner {
  readonly #options: RunnerOptions;
  readonly #batchRows: number;

  constructor(options: RunnerOptions) {
    this.#options = options;
    // 500: a batch's rows stay reachable until it is written, and larger batches outlive the young
    // generation's collections, are promoted and swell the heap (measured in docs/benchmarks.md,
    // `reports`: 5 000 rows took 2–3 times the memory of 1 000; over 5 million rows 1 000 peaked at
    // 305 MB and 500 at 255 MB, at the same rate).
    this.#batchRows = options.batchRows ?? 500;
  }

  get retentionDays(): number {
    return this.#options.retentionDays;
  }

  /** Starts the queue with this runner's worker, then sends again the runs a stop left behind. */
  async start(): Promise<void> {
    this.#options.queue.work<RunJob>(REPORT_JOB, (job, signal) => this.execute(job, signal));
    await this.#options.queue.start();
    const resumed = await this.resume();
    if (resumed > 0) this.#options.log.info({ resumed }, 'report runs resumed');
  }

  /** Stops the queue: a run in progress stops at its next batch and stays to be resumed. */
  async stop(): Promise<void> {
    await this.#options.queue.stop();
  }

  /** Sends a queued run to the queue. */
  async enqueue(tenantId: string, executionId: string): Promise<void> {
    await this.#options.queue.send(REPORT_JOB, { tenantId, executionId }, { singletonKey: executionId });
  }

  /** Sends again every run left queued or running (after a restart); call once the queue has started. */
  async resume(): Promise<number> {
    let resumed = 0;
    for (const tenantId of await everyTenantId(this.#options.db)) {
      const pending = await this.#options.db.transact(tenantScope(tenantId), (tx) =>
        rows<{ id: string }>(
          tx,
          sql`update report_executions set status = 'queued', job_id = null
               where tenant_id = ${tenantId}::uuid and status in ('queued', 'running')
               returning id::text as id`,
        ),
      );
      for (const run of pending) await this.enqueue(tenantId, run.id);
      resumed += pending.length;
    }
    return resumed;
  }

  /** Periodic: deletes outputs past their retention; the rows stay, as expired history. */
  schedule(scheduler: Scheduler): void {
    scheduler.every('report-retention', 3_600_000, () => this.expire().then(() => undefined));
  }

  async expire(now = Date.now()): Promise<number> {
    let expired = 0;
    for (const tenantId of await everyTenantId(this.#options.db)) {
      const due = await this.#options.db.transact(tenantScope(tenantId), (tx) =>
        rows<{ output_path: string }>(
          tx,
          sql`update report_executions e set output_path = null
                from report_executions old
               where old.id = e.id and e.tenant_id = ${tenantId}::uuid and e.output_path is not null
                 and e.expires_at <= ${new Date(now).toISOString()}::timestamptz
               returning old.output_path`,
        ),
      );
      for (const file of due) await rm(join(this.#options.dir, file.output_path), { force: true });
      expired += due.length;
    }
    return expired;
  }

  /** The absolute path of a stored output. */
  pathOf(outputPath: string): string {
    return join(this.#options.dir, outputPath);
  }

  async execute(job: RunJob, signal: AbortSignal): Promise<void> {
    const { db, log } = this.#options;
    const token = randomUUID();
    const scope = tenantScope(job.tenantId);
    const [execution] = await db.transact(scope, (tx) =>
      rows<ExecutionRow>(
        tx,
        sql`update report_executions
               set status = 'running', job_id = ${token}, started_at = now(), progress_rows = 0, error = null
             where id = ${job.executionId}::uuid and status = 'queued'
             returning id::text as id, tenant_id::text as tenant_id, plant_id::text as plant_id, report_key,
                       report_name, format, parameters, resolved, requested_by::text as requested_by`,
      ),
    );
    if (execution === undefined) return;
    const started = Date.now();
    const relative = `${job.tenantId}/${execution.id}.${extensionOf[execution.format]}`;
    const file = await openOutputFile(join(this.#options.dir, relative));
    let lastProgress = 0;
    let lastCheck = 0;
    const recheckMs = this.#options.recheckMs ?? RECHECK_EVERY_MS;
    // Before a batch: a stop, a takeover or a cancel ends the run there, not at the end.
    const checkpoint = async () => {
      if (signal.aborted) throw new TakenOver('stopped');
      if (Date.now() - lastCheck < recheckMs) return;
      lastCheck = Date.now();
      const [now] = await db.transact(scope, (tx) =>
        rows<{ status: string; job_id: string | null }>(
          tx,
          sql`select status, job_id from report_executions where id = ${execution.id}::uuid`,
        ),
      );
      if (now?.status === 'cancelled') throw new TakenOver('cancelled');
      if (now?.job_id !== token) throw new TakenOver('taken over');
    };
    const progress = async (count: number, force = false) => {
      if (signal.aborted) throw new TakenOver('stopped');
      if (!force && Date.now() - lastProgress < PROGRESS_EVERY_MS) return;
      lastProgress = Date.now();
      const updated = await db.transact(scope, (tx) =>
        rows(
          tx,
          sql`update report_executions set progress_rows = ${count}
               where id = ${execution.id}::uuid and job_id = ${token} and status = 'running'
               returning 1 as ok`,
        ),
      );
      if (updated.length === 0) await checkpoint();
    };
    try {
      const context = executionContext(execution);
      // Read once per run, and only for the format that draws it (docs/reports.md, "Formats").
      const logo = execution.format === 'pdf' ? await db.transact(scope, (tx) => tenantLogo(tx)) : null;
      const writer = await writers[execution.format]({
        columns: context.columns,
        meta: { ...metaOf(execution, context, new Date()), logo: logo?.data ?? null },
        out: file.stream,
      });
      const runScope: Scope = {
        tenantId: execution.tenant_id,
        userId: execution.requested_by ?? undefined,
        plantIds: execution.plant_id === null ? 'all' : [execution.plant_id],
      };
      let count = 0;
      const emit = async (batch: readonly (readonly Cell[])[]) => {
        if (batch.length > 0) await writer.write(batch);
        count += batch.length;
        await progress(count);
      };
      const keys = context.definition.columns;
      const filters = context.definition.filters;
      const { source } = context;
      const serverCsv =
        this.#options.serverCsv === false
          ? null
          : serverCsvOf({ db, source, writer, context: context.sourceContext, keys, filters });
      if (source.kind === 'computed') {
        await this.#options.beforeBatch?.(execution.id);
        await checkpoint();
        // One instant of the database, read on two connections where the engine can (db/parallel-reads.ts).
        const reading = db.transactReading ?? db.transact;
        const found = await reading(runScope, (tx) => source.load(tx, context.sourceContext));
        await checkpoint();
        const passing = found.filter((r) => rowPasses(r, filters)).map((r) => cellsOf(r, keys));
        await this.#setExpected(scope, execution.id, passing.length);
        await emit(passing);
      } else if (serverCsv !== null) {
        await this.#expectCount(source, context.sourceContext, runScope, execution.id);
        await copyCsvRecords({
          ...serverCsv,
          scope: runScope,
          batchRows: this.#batchRows,
          beforeBatch: async () => {
            await this.#options.beforeBatch?.(execution.id);
            await checkpoint();
          },
          write: async (bytes, records) => {
            await serverCsv.writeRecords(bytes);
            count += records;
            await progress(count);
          },
        });
      } else {
        await this.#extract(
          source,
          context.sourceContext,
          runScope,
          execution.id,
          async (raw) => {
            const batch: Cell[][] = [];
            for (const r of raw) {
              const row = source.map(r);
              if (filters.length === 0 || rowPasses(row, filters)) batch.push(cellsOf(row, keys));
            }
            await emit(batch);
          },
          checkpoint,
        );
      }
      await writer.end();
      const { sha256, bytes } = await file.finish();
      await progress(count, true);
      const durationMs = Date.now() - started;
      const recorded = await db.transact(scope, (tx) =>
        rows(
          tx,
          sql`update report_executions
             set status = 'succeeded', rows = ${count}, progress_rows = ${count}, duration_ms = ${durationMs},
                 output_bytes = ${bytes}, output_sha256 = ${sha256}, output_path = ${relative},
                 finished_at = now(), expires_at = now() + make_interval(days => ${this.#options.retentionDays})
           where id = ${execution.id}::uuid and job_id = ${token} and status = 'running'
           returning 1 as ok`,
        ),
      );
      if (recorded.length === 0) {
        // Cancelled or taken over after the last batch: the output is nobody's.
        await rm(join(this.#options.dir, relative), { force: true });
        log.info({ executionId: execution.id }, 'report run ended by a cancel or a takeover; output deleted');
        return;
      }
      log.info({ executionId: execution.id, rows: count, bytes, durationMs }, 'report run finished');
    } catch (error) {
      await file.discard();
      if (error instanceof TakenOver) {
        if (error.message === 'cancelled') {
          log.info({ executionId: execution.id }, 'report run cancelled; partial output deleted');
          return;
        }
        log.info(
          { executionId: execution.id, why: error.message },
          'report run stopped; it runs again at start',
        );
        return;
      }
      const message =
        error instanceof DomainError || error instanceof RowCapError
          ? error.message
          : 'The run failed on the server; the log has the details';
      if (!(error instanceof DomainError || error instanceof RowCapError)) {
        log.error({ err: error, executionId: execution.id }, 'report run failed');
      }
      await db.transact(scope, (tx) =>
        tx.execute(sql`update report_executions
             set status = 'failed', error = ${message}, duration_ms = ${Date.now() - started}, finished_at = now()
           where id = ${execution.id}::uuid and job_id = ${token} and status = 'running'`),
      );
    }
  }

  async #setExpected(scope: Scope, executionId: string, expected: number) {
    await this.#options.db.transact(scope, (tx) =>
      tx.execute(
        sql`update report_executions set expected_rows = ${expected} where id = ${executionId}::uuid`,
      ),
    );
  }

  /** Records how many rows an extract will write, when its source counts them. */
  async #expectCount(
    source: ExtractSource,
    context: Parameters<ExtractSource['query']>[0],
    runScope: Scope,
    executionId: string,
  ) {
    const counting = source.count(context);
    if (counting === null) return;
    const [counted] = await this.#options.db.transact(runScope, (tx) => rows<{ n: number }>(tx, counting));
    await this.#setExpected(tenantScope(runScope.tenantId), executionId, Number(counted?.n ?? 0));
  }

  /**
   * An extract, written as it is read: through a cursor on a PostgreSQL server, in keyset pages of
   * short transactions on the embedded engine (its one connection is never held for a whole export).
   */
  async #extract(
    source: ExtractSource,
    context: Parameters<ExtractSource['query']>[0],
    runScope: Scope,
    executionId: string,
    each: (raw: Record<string, unknown>[]) => Promise<void>,
    checkpoint: () => Promise<void>,
  ) {
    const { db } = this.#options;
    await this.#expectCount(source, context, runScope, executionId);
    if (db.cursor !== undefined) {
      await db.cursor(runScope, source.query(context, null, null), this.#batchRows, async (raw) => {
        await this.#options.beforeBatch?.(executionId);
        await checkpoint();
        await each(raw);
      });
      return;
    }
    let after: number | null = null;
    for (;;) {
      await this.#options.beforeBatch?.(executionId);
      await checkpoint();
      const page = await db.transact(runScope, (tx) =>
        rows<Record<string, unknown>>(tx, source.query(context, after, this.#batchRows)),
      );
      if (page.length > 0) await each(page);
      const last = page.at(-1);
      if (last === undefined || page.length < this.#batchRows) return;
      after = source.keyOf(last);
    }
  }
}

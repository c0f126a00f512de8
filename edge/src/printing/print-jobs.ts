import { setTimeout as sleep } from 'node:timers/promises';
import { PRINT_JOBS_MAX_WAIT_MS, type PrintJob, type PrintResultReport } from '@plantline/schema';
import { z } from 'zod';
import { type BackoffOptions, backoffDelay } from '../cloud/backoff';
import { fetchPrintJobs, postPrintResult } from '../cloud/cloud-api';
import type { Logger } from '../logger';
import type { Unit } from '../unit';
import type { PrintResult } from './print-result';
import type { PrinterClient } from './printer-client';

/*
 * The plant's print jobs, from the cloud to the printers (docs/labels.md, "Issuing and printing"): a
 * long poll on `logistics.printing.jobs` with the edge's API key, each job sent to its printer by the
 * printer client, and what the printer said reported with `logistics.printing.result`. A job the cloud
 * handed out is printed at most once here; if its result cannot be reported, the cloud fails it after
 * five minutes and a person decides whether to reprint.
 */

export const printJobsStatusSchema = z.object({
  state: z.enum(['starting', 'waiting', 'printing', 'backing-off', 'stopped']),
  printedTotal: z.number(),
  failedTotal: z.number(),
  lastPrintedAt: z.string().nullable(),
  lastError: z.string().nullable(),
  lastErrorAt: z.string().nullable(),
});
export type PrintJobsStatus = z.infer<typeof printJobsStatusSchema>;

export interface PrintJobRunnerOptions {
  cloudUrl: string;
  apiKey: string;
  printers: Pick<PrinterClient, 'print'>;
  log: Logger;
  /** How long each poll lets the cloud wait for a job (at most 25 s). */
  waitMs?: number;
  /** Between failed polls and failed reports. */
  backoff?: BackoffOptions;
  /** Ask the printer's status before each job and send it only to a printer that reports no problem. */
  checkStatus?: boolean;
  /** How long reporting one result may take, also while stopping. */
  reportTimeoutMs?: number;
  random?: () => number;
}

/** What a poll may take beyond the wait it asked for: the cloud's claim and rendering, the network. */
const POLL_MARGIN_MS = 15_000;

export class PrintJobRunner implements Unit {
  readonly name = 'print-jobs';
  #stopper: AbortController | undefined;
  #loop: Promise<void> | undefined;
  #status: PrintJobsStatus = {
    state: 'stopped',
    printedTotal: 0,
    failedTotal: 0,
    lastPrintedAt: null,
    lastError: null,
    lastErrorAt: null,
  };

  constructor(private readonly options: PrintJobRunnerOptions) {}

  async start(): Promise<void> {
    if (this.#loop !== undefined) return;
    const stopper = new AbortController();
    this.#stopper = stopper;
    this.#status.state = 'starting';
    this.#loop = this.#run(stopper.signal).catch((err: unknown) => {
      this.options.log.error({ err }, 'print jobs stopped unexpectedly');
    });
  }

  /** Ends the poll at once; a job already at a printer finishes and its result is reported first. */
  async stop(): Promise<void> {
    this.#stopper?.abort();
    await this.#loop;
    this.#loop = undefined;
    this.#stopper = undefined;
    this.#status.state = 'stopped';
  }

  status(): PrintJobsStatus {
    return { ...this.#status };
  }

  async #run(signal: AbortSignal): Promise<void> {
    const waitMs = Math.min(this.options.waitMs ?? PRINT_JOBS_MAX_WAIT_MS, PRINT_JOBS_MAX_WAIT_MS);
    let failures = 0;
    while (!signal.aborted) {
      this.#status.state = 'waiting';
      const answer = await fetchPrintJobs(this.options.cloudUrl, this.options.apiKey, waitMs, {
        signal,
        timeoutMs: waitMs + POLL_MARGIN_MS,
      });
      if (signal.aborted) return;
      if (!answer.ok) {
        failures++;
        this.#noteError(answer.error);
        if (failures === 1 || failures % 10 === 0)
          this.options.log.warn({ error: answer.error, failures }, 'print jobs not fetched; backing off');
        if (!(await this.#backOff(failures, signal))) return;
        continue;
      }
      failures = 0;
      if (answer.jobs.length === 0) continue;
      this.#status.state = 'printing';
      // Jobs to different printers go out side by side; the printer client keeps each printer's in order.
      await Promise.all(answer.jobs.map((job) => this.#printAndReport(job, signal)));
    }
  }

  async #printAndReport(job: PrintJob, signal: AbortSignal): Promise<void> {
    const { host, port } = job.printer;
    const result = await this.options.printers.print({ host, port }, job.zpl, {
      checkStatus: this.options.checkStatus ?? true,
    });
    if (result.ok) {
      this.#status.printedTotal++;
      this.#status.lastPrintedAt = new Date().toISOString();
    } else {
      this.#status.failedTotal++;
      this.#noteError(`${job.printer.code}: ${result.error.message}`);
    }
    this.options.log.info(
      { printId: job.printId, printer: job.printer.code, ok: result.ok, error: result.error?.code ?? null },
      result.ok ? 'label printed' : 'label not printed',
    );
    await this.#report(reportOf(job, result), signal);
  }

  /**
   * Reports until the cloud takes the result or refuses it for good; a stop during the wait between
   * tries leaves one last try. A result that never arrives leaves the job `sent`, which the cloud
   * fails after five minutes.
   */
  async #report(report: PrintResultReport, signal: AbortSignal): Promise<void> {
    const request = {
      // Not tied to the stop: the printer has answered, and the cloud should hear it.
      signal: new AbortController().signal,
      timeoutMs: this.options.reportTimeoutMs ?? 5000,
    };
    for (let failures = 1; ; failures++) {
      const answer = await postPrintResult(this.options.cloudUrl, this.options.apiKey, report, request);
      if (answer.ok) return;
      this.#noteError(answer.error);
      if (answer.rejected || signal.aborted) {
        this.options.log.warn({ printId: report.printId, error: answer.error }, 'print result not reported');
        return;
      }
      await this.#backOff(failures, signal);
    }
  }

  /** Waits before the next try; false when stopped meanwhile. */
  async #backOff(failures: number, signal: AbortSignal): Promise<boolean> {
    this.#status.state = 'backing-off';
    const delay = backoffDelay(
      failures,
      this.options.backoff ?? { baseMs: 1000, capMs: 30_000 },
      this.options.random,
    );
    return sleep(delay, true, { signal }).catch(() => false);
  }

  #noteError(error: string): void {
    this.#status.lastError = error;
    this.#status.lastErrorAt = new Date().toISOString();
  }
}

/** The printer client's answer as the cloud takes it. */
export function reportOf(job: PrintJob, result: PrintResult): PrintResultReport {
  return {
    printId: job.printId,
    ok: result.ok,
    status: result.status,
    error: result.ok ? null : { code: result.error.code, message: result.error.message.slice(0, 1000) },
  };
}

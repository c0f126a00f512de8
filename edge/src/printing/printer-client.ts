import { setTimeout as sleep } from 'node:timers/promises';
import { type BackoffOptions, backoffDelay } from '../cloud/backoff';
import type { Logger } from '../logger';
import type { Unit } from '../unit';
import { failed, type PrintResult, retryableCodes } from './print-result';
import { type ConnectionTimeouts, type PrinterAddress, runSession, type Session } from './printer-connection';

export interface PrinterClientOptions {
  log: Logger;
  timeouts?: Partial<ConnectionTimeouts>;
  /** Connection attempts per job for refused, unreachable and busy printers, the first included. */
  maxAttempts?: number;
  backoff?: BackoffOptions;
  /** Jobs waiting per printer beyond the one being sent; more are refused with `queue_full`. */
  maxQueued?: number;
  random?: () => number;
}

export interface PrintOptions {
  /** Ask `~HS` first and send the job only to a printer that reports no problem. */
  checkStatus?: boolean;
}

const defaultTimeouts: ConnectionTimeouts = {
  connectMs: 5000,
  statusMs: 3000,
  sendMs: 30_000,
  closeGraceMs: 2000,
};

interface PrinterQueue {
  tail: Promise<unknown>;
  waiting: number;
}

/**
 * Sends ZPL to network label printers on their raw port. A printer takes one connection at a time, so
 * each printer has its own queue and jobs to it go out one after the other; jobs to different printers
 * do not wait for each other. Results are values (print-result.ts): a printer's trouble is the normal
 * course of a shop floor, not an exception. See docs/labels.md, "The edge's printer client".
 */
export class PrinterClient implements Unit {
  readonly name = 'printer-client';
  readonly #timeouts: ConnectionTimeouts;
  readonly #queues = new Map<string, PrinterQueue>();
  #stopper: AbortController | undefined;

  constructor(private readonly options: PrinterClientOptions) {
    this.#timeouts = { ...defaultTimeouts, ...options.timeouts };
  }

  async start(): Promise<void> {
    this.#stopper = new AbortController();
  }

  /** Ends the job being sent, answers every waiting one with `stopped`, and waits for all of them. */
  async stop(): Promise<void> {
    this.#stopper?.abort();
    this.#stopper = undefined;
    await Promise.all([...this.#queues.values()].map((queue) => queue.tail));
  }

  print(printer: PrinterAddress, zpl: string, options: PrintOptions = {}): Promise<PrintResult> {
    return this.#enqueue(printer, { askStatus: options.checkStatus ?? false, zpl });
  }

  /** The printer's `~HS` status, asked in its turn between jobs. */
  status(printer: PrinterAddress): Promise<PrintResult> {
    return this.#enqueue(printer, { askStatus: true, zpl: null });
  }

  #enqueue(printer: PrinterAddress, session: Session): Promise<PrintResult> {
    const signal = this.#stopper?.signal;
    if (signal === undefined)
      return Promise.resolve(failed('stopped', 'the printer client is not running', 0));
    const key = `${printer.host}:${printer.port ?? 9100}`;
    const queue = this.#queues.get(key) ?? { tail: Promise.resolve(), waiting: 0 };
    this.#queues.set(key, queue);
    const maxQueued = this.options.maxQueued ?? 100;
    if (queue.waiting > maxQueued) {
      return Promise.resolve(failed('queue_full', `${maxQueued} jobs already wait for printer ${key}`, 0));
    }
    queue.waiting++;
    const job = queue.tail.then(() => this.#withRetries(printer, session, signal));
    queue.tail = job.finally(() => {
      queue.waiting--;
      if (queue.waiting === 0 && this.#queues.get(key) === queue) this.#queues.delete(key);
    });
    return job;
  }

  async #withRetries(printer: PrinterAddress, session: Session, signal: AbortSignal): Promise<PrintResult> {
    const maxAttempts = this.options.maxAttempts ?? 4;
    const backoff = this.options.backoff ?? { baseMs: 500, capMs: 5000 };
    for (let attempt = 1; ; attempt++) {
      if (signal.aborted) return failed('stopped', 'the printer client stopped', attempt - 1);
      const outcome = await runSession(printer, session, this.#timeouts, signal);
      if (outcome.ok) return { ok: true, status: outcome.status, error: null };
      const retry = retryableCodes.has(outcome.code) && attempt < maxAttempts;
      this.options.log.warn(
        { printer: `${printer.host}:${printer.port ?? 9100}`, code: outcome.code, attempt, retry },
        outcome.message,
      );
      if (!retry) return failed(outcome.code, outcome.message, attempt, outcome.status);
      const delay = backoffDelay(attempt, backoff, this.options.random);
      const waited = await sleep(delay, true, { signal }).catch(() => false);
      if (!waited) return failed('stopped', 'the printer client stopped', attempt);
    }
  }
}

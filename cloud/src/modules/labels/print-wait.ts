import { PRINT_JOBS_PER_CLAIM, type PrintJob } from '@plantline/schema';
import type { Logger } from 'pino';
import { canSeePlant, type EventBus, type Principal } from '../../platform/index.js';
import type { Transact } from '../../trpc/procedures.js';
import type { BarcodePool } from './barcode-pool.js';
import {
  type ClaimedJob,
  checkEdgeCaller,
  claimPrintJobs,
  failUnrendered,
  renderPrintJob,
} from './print-jobs.js';

/*
 * The edge's long poll for print jobs (docs/labels.md, "Issuing and printing"): claim what is queued,
 * or wait for the bus to say a print was queued at one of the caller's plants, and claim again. It
 * listens before it looks, so a print queued between the look and the wait still wakes it. On one cloud
 * instance a job reaches a waiting edge at once; a print queued on another instance is found when the
 * edge's wait ends and it asks again.
 */

export type WakeReason = 'queued' | 'timeout' | 'aborted';

export interface QueuedPrintListener {
  /** Resolves when a print is queued at the caller's plants, `timeoutMs` passes or `signal` aborts. */
  until(timeoutMs: number, signal?: AbortSignal): Promise<WakeReason>;
  stop(): void;
}

/** Listens on the bus from now on: a print queued before `until` is called is not missed. */
export function listenForQueuedPrints(
  bus: EventBus,
  caller: Pick<Principal, 'tenantId' | 'plantIds'>,
): QueuedPrintListener {
  let queued = false;
  let wake: ((reason: WakeReason) => void) | undefined;
  const stopListening = bus.on('labels.print-queued', ({ tenantId, plantId }) => {
    if (tenantId !== caller.tenantId || !canSeePlant(caller, plantId)) return;
    queued = true;
    wake?.('queued');
  });
  return {
    until(timeoutMs, signal) {
      if (queued) return Promise.resolve('queued');
      if (signal?.aborted) return Promise.resolve('aborted');
      return new Promise<WakeReason>((resolve) => {
        const finish = (reason: WakeReason) => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          wake = undefined;
          resolve(reason);
        };
        const onAbort = () => finish('aborted');
        const timer = setTimeout(() => finish('timeout'), timeoutMs);
        signal?.addEventListener('abort', onAbort, { once: true });
        wake = finish;
      });
    },
    stop() {
      stopListening();
      wake?.('aborted');
    },
  };
}

export interface TakeJobsCall {
  principal: Principal;
  transact: Transact;
  deps: { bus: EventBus; barcodes: BarcodePool };
  log: Logger;
}

/**
 * Claims the caller's plants' queued jobs, waiting up to `waitMs` for one when there are none. A call
 * whose client has gone (the signal) claims nothing more: a job handed to nobody would stay `sent`.
 */
export async function takePrintJobs(
  call: TakeJobsCall,
  waitMs: number,
  signal: AbortSignal | undefined,
): Promise<{ jobs: PrintJob[] }> {
  checkEdgeCaller(call.principal);
  const deadline = Date.now() + waitMs;
  for (;;) {
    const listener = listenForQueuedPrints(call.deps.bus, call.principal);
    try {
      if (signal?.aborted) return { jobs: [] };
      const claimed = await call.transact((tx) => claimPrintJobs(tx, PRINT_JOBS_PER_CLAIM));
      if (claimed.length > 0) return { jobs: await renderClaimed(call, claimed) };
      const left = deadline - Date.now();
      if (left <= 0 || (await listener.until(left, signal)) !== 'queued') return { jobs: [] };
    } finally {
      listener.stop();
    }
  }
}

/** Each claimed job's ZPL; a job that cannot be rendered fails with the reason instead of going out. */
async function renderClaimed(call: TakeJobsCall, claimed: readonly ClaimedJob[]): Promise<PrintJob[]> {
  const jobs: PrintJob[] = [];
  for (const job of claimed) {
    try {
      jobs.push(await renderPrintJob(call.deps.barcodes, job));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      call.log.warn({ err: error, printId: job.printId }, 'a print job could not be rendered');
      await call.transact((tx) => failUnrendered(tx, job, message));
    }
  }
  return jobs;
}

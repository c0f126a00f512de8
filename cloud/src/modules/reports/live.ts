import type { Database } from '../../db/index.js';
import { type Principal, scopeOf } from '../../platform/index.js';
import { getRun, type RunSummary } from './runs.js';

/*
 * A run's progress, live (docs/reports.md, "Runs"): the run at once, then again whenever its status
 * or rows written change, until it has finished. It reads the row every half second rather than
 * listening on this instance's bus, because the job may run on another cloud instance.
 */

const POLL_MS = 500;

const finished = (run: RunSummary) =>
  run.status === 'succeeded' || run.status === 'failed' || run.status === 'cancelled';

export async function* runLive(
  db: Database,
  principal: Principal,
  id: string,
  signal: AbortSignal | undefined,
): AsyncGenerator<RunSummary> {
  const read = () => db.transact(scopeOf(principal), (tx) => getRun(tx, principal, id));
  let run = await read();
  yield run;
  while (!finished(run) && !signal?.aborted) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, POLL_MS);
      signal?.addEventListener('abort', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    if (signal?.aborted) return;
    const next = await read();
    if (
      next.status !== run.status ||
      next.progressRows !== run.progressRows ||
      next.expectedRows !== run.expectedRows
    ) {
      yield next;
    }
    run = next;
  }
}

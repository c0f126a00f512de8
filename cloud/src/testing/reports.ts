import type { SignedIn } from './app.js';

/** A report run once its job has finished it (succeeded or failed), polled as the runs page does. */
export async function finishedRun(client: Pick<SignedIn, 'trpc'>, id: string) {
  for (let i = 0; i < 400; i++) {
    const run = await client.trpc.reports.runGet.query({ id });
    if (run.status === 'succeeded' || run.status === 'failed') return run;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`run ${id} did not finish`);
}

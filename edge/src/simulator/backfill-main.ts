import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { EdgeEnvError, loadEdgeEnv } from '../env';
import { runBackfill } from './backfill';

const USAGE = `Usage: node --import tsx edge/src/simulator/backfill-main.ts --progress-file FILE [options]

Sends the demo plants' past days through the cloud's ingest (docs/demo.md); pnpm start runs it on
the demo's first start. The API key comes from EDGE_API_KEY, the cloud from EDGE_CLOUD_URL.

  --progress-file FILE   the plan and progress (the cloud's data folder, demo-history.json)
  --to ISO               where the history ends if the plan does not say yet (default: now)
  --batch N              events per ingest.push call (default 1000)
  --pause MS             pause after each batch (default 20)
`;

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      'progress-file': { type: 'string' },
      to: { type: 'string' },
      batch: { type: 'string' },
      pause: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const env = loadEdgeEnv();
  const progressFile = values['progress-file'];
  if (progressFile === undefined) throw new Error('--progress-file is required');
  if (env.apiKey === undefined) throw new Error('EDGE_API_KEY is required');
  const to = values.to === undefined ? new Date() : new Date(values.to);
  if (Number.isNaN(to.getTime())) throw new Error('--to must be an ISO 8601 time');
  const log = pino({ level: env.logLevel, base: { service: 'plantline-history' } }, pino.destination(2));
  const stop = new AbortController();
  const abort = () => stop.abort();
  process.once('SIGINT', abort);
  process.once('SIGTERM', abort);
  // Started by the stack launcher: when it goes away, stop (the progress file keeps the place).
  process.once('disconnect', abort);
  try {
    const progress = await runBackfill({
      cloudUrl: env.cloudUrl,
      apiKey: env.apiKey,
      progressFile,
      to,
      batchSize: Number(values.batch ?? 1000),
      pauseMs: Number(values.pause ?? 20),
      log,
      signal: stop.signal,
    });
    return progress.state === 'done' || stop.signal.aborted ? 0 : 1;
  } finally {
    // A 'disconnect' listener keeps the IPC channel, and so the process, alive.
    process.off('disconnect', abort);
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (err) {
  const message = err instanceof EdgeEnvError || err instanceof Error ? err.message : String(err);
  process.stderr.write(`plantline-history: ${message}\n\n${USAGE}`);
  process.exitCode = 2;
}

import { mkdir } from 'node:fs/promises';
import { CloudLink } from './cloud/cloud-link';
import type { EdgeReadyMessage } from './edge-ready';
import { type EdgeEnv, EdgeEnvError, loadEdgeEnv } from './env';
import { createLogger, type Logger } from './logger';
import type { EdgeStatus } from './status/edge-status';
import { StatusServer } from './status/status-server';
import { StatusUrlFile } from './status/status-url-file';
import { UnitGroup } from './unit';
import { EDGE_VERSION } from './version';

function buildEdge(env: EdgeEnv, log: Logger) {
  const startedAt = new Date();
  const cloudLink = new CloudLink({
    cloudUrl: env.cloudUrl,
    apiKey: env.apiKey,
    log: log.child({ unit: 'cloud' }),
  });
  const statusServer = new StatusServer({
    host: env.statusHost,
    port: env.statusPort,
    log: log.child({ unit: 'status' }),
    getStatus: (): EdgeStatus => ({
      name: env.name,
      version: EDGE_VERSION,
      startedAt: startedAt.toISOString(),
      uptimeS: Math.floor((Date.now() - startedAt.getTime()) / 1000),
      dataDir: env.dataDir,
      cloud: cloudLink.status(),
    }),
  });
  const statusUrlFile = new StatusUrlFile({
    dataDir: env.dataDir,
    getStatusUrl: () => statusServer.statusUrl,
  });
  // Order matters: the status server reads the others, the URL file advertises a server that is up.
  const units = new UnitGroup([cloudLink, statusServer, statusUrlFile], log);
  return { units, statusServer };
}

/** First signal: orderly stop, exit 0. Second: the operator insists, exit 1 right away. */
function installShutdown(units: UnitGroup, log: Logger): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      log.warn({ signal }, 'second signal, exiting without finishing the stop');
      process.exit(1);
    }
    stopping = true;
    log.info({ signal }, 'stopping');
    void units.stop().then(() => {
      log.info('edge stopped');
      process.exit(0);
    });
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // Started by a launcher (pnpm start): when the launcher dies, stop rather than run orphaned.
  process.on('disconnect', () => onSignal('SIGTERM'));
  // An unattended gateway is better restarted by its supervisor than left half-working.
  process.on('uncaughtException', (err) => {
    log.fatal({ err }, 'uncaught exception');
    process.exit(1);
  });
  process.on('unhandledRejection', (reason) => {
    log.fatal({ err: reason }, 'unhandled rejection');
    process.exit(1);
  });
}

async function main(): Promise<void> {
  let env: EdgeEnv;
  try {
    env = loadEdgeEnv();
  } catch (err) {
    if (!(err instanceof EdgeEnvError)) throw err;
    process.stderr.write(`plantline-edge: ${err.message}\n`);
    process.exit(1);
  }
  const log = createLogger(env);
  const { units, statusServer } = buildEdge(env, log);
  installShutdown(units, log);
  try {
    await mkdir(env.dataDir, { recursive: true });
    await units.start();
  } catch (err) {
    log.fatal({ err }, 'edge failed to start');
    process.exit(1);
  }
  if (units.stopping) return;
  log.info(
    { version: EDGE_VERSION, statusUrl: statusServer.statusUrl, dataDir: env.dataDir },
    'edge started',
  );
  if (process.send) {
    const ready: EdgeReadyMessage = { type: 'edge-ready', statusUrl: statusServer.statusUrl };
    process.send(ready, undefined, {}, (err) => {
      if (err) log.warn({ err }, 'could not tell the launcher that the edge is ready');
    });
  }
}

await main();

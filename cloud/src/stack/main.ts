import { type ChildProcess, fork } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEMO_HISTORY_FILE, DEMO_PLANTS, demoHistoryProgress } from '@plantline/schema';
import { loadCloudEnv } from '../env.js';
import {
  DEMO_DEVICE_FILE,
  DEMO_LINE_ORDERS_FILE,
  type DemoDeviceLogins,
  type DemoLineOrders,
} from '../modules/demo/index.js';

/*
 * `pnpm start`: the whole demo stack as real processes — the cloud (with the built web UI on its
 * own port), one edge enrolled with the demo tenant's edge key, a simulator per demo plant and, on
 * the first start, the history backfill (docs/demo.md). Each child reports readiness over IPC with
 * the URL it ended up on (ports move when taken), so the edge is pointed at the cloud's real port.
 * Ctrl-C stops them all cleanly.
 */
const cloudMain = fileURLToPath(new URL('../main.ts', import.meta.url));
/** The cloud built into one file (`pnpm --filter @plantline/cloud build`), which `pnpm start` runs. */
const builtCloudMain = fileURLToPath(new URL('../../dist/bin/main.mjs', import.meta.url));
/** Through tsx, from the sources: the other children, and the cloud unless `--built` is given. */
const FROM_SOURCE = ['--import', 'tsx'];
const edgeMain = fileURLToPath(new URL('../../../edge/src/main.ts', import.meta.url));
const simulatorMain = fileURLToPath(new URL('../../../edge/src/simulator/simulate.ts', import.meta.url));
const backfillMain = fileURLToPath(new URL('../../../edge/src/simulator/backfill-main.ts', import.meta.url));

interface Ready {
  type: string;
  url?: string;
  statusUrl?: string;
  mqttUrl?: string | null;
}

/** Forks a child and registers it at once, so that a Ctrl-C during start-up stops it too. */
function start(
  script: string,
  env: NodeJS.ProcessEnv,
  readyType: string,
  children: ChildProcess[],
  execArgv: string[] = FROM_SOURCE,
): Promise<{ child: ChildProcess; ready: Ready }> {
  const child = fork(script, [], { execArgv, env, stdio: 'inherit' });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.on('message', (message: Ready) => {
      if (message.type === readyType) resolve({ child, ready: message });
    });
    child.once('exit', (code) => reject(new Error(`${script} exited with code ${code} before it was ready`)));
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

async function main() {
  const env = loadCloudEnv();
  const children: ChildProcess[] = [];
  let stopping = false;
  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    await Promise.all([...children].reverse().map(stopChild));
    process.exit(code);
  };
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));

  try {
    // `pnpm start` runs the built cloud: plain Node, no transpiler in memory (scripts/build.mjs).
    const cloud = process.argv.includes('--built')
      ? await start(builtCloudMain, process.env, 'cloud-ready', children, [])
      : await start(cloudMain, process.env, 'cloud-ready', children);
    cloud.child.once('exit', () => void stopAll(1));

    const keyFile = join(env.dataDir, 'demo-edge.key');
    const edgeEnv = {
      ...process.env,
      EDGE_CLOUD_URL: cloud.ready.url,
      EDGE_DATA_DIR: join(env.dataDir, 'edge'),
      ...(existsSync(keyFile) && process.env.EDGE_API_KEY === undefined
        ? { EDGE_API_KEY: readFileSync(keyFile, 'utf8').trim() }
        : {}),
    };
    const edge = await start(edgeMain, edgeEnv, 'edge-ready', children);
    edge.child.once('exit', () => void stopAll(1));
    if (env.DEMO_SIMULATOR && edge.ready.mqttUrl) {
      // The live simulators and the history backfill share this instant: the past ends where the
      // present starts (docs/demo.md).
      const liveFrom = new Date();
      startBackfill(env.dataDir, cloud.ready.url!, edgeEnv.EDGE_API_KEY, liveFrom, children);
      // The demo plants come alive: one seeded simulator per plant, each with its own device login
      // (seeded with the tenant; through the environment, not the command line) and --shift-zone, so
      // its breaks fall in its plant's shifts (06:00/14:00/22:00 local time).
      const deviceFile = join(env.dataDir, DEMO_DEVICE_FILE);
      const logins = existsSync(deviceFile)
        ? (JSON.parse(readFileSync(deviceFile, 'utf8')) as DemoDeviceLogins)
        : {};
      // Each line's end counts for the order the cloud has in progress there, so the counts go into
      // that order's lot (docs/demo.md, "Materials and stock"); the cloud wrote them as it started.
      const ordersFile = join(env.dataDir, DEMO_LINE_ORDERS_FILE);
      const orders = existsSync(ordersFile)
        ? (JSON.parse(readFileSync(ordersFile, 'utf8')) as DemoLineOrders)
        : {};
      for (const plant of DEMO_PLANTS) {
        const login = logins[plant.code];
        const lineOrders = orders[plant.code];
        const simulator = fork(
          simulatorMain,
          [
            ...['--broker', edge.ready.mqttUrl, '--plant', plant.code, '--shift-zone', plant.timezone],
            ...(lineOrders === undefined ? [] : ['--orders', JSON.stringify(lineOrders)]),
          ],
          {
            execArgv: FROM_SOURCE,
            stdio: 'inherit',
            env: login
              ? { ...process.env, EDGE_MQTT_USERNAME: login.username, EDGE_MQTT_PASSWORD: login.password }
              : process.env,
          },
        );
        children.push(simulator);
        const lines = plant.lines.map((line) => line.code).join(', ');
        process.stdout.write(
          `  Simulator: ${plant.name} (${plant.code}), lines ${lines}, publishing to ${edge.ready.mqttUrl}\n`,
        );
      }
    }
    // The edge's page asks for the edge's API key once it has one (docs/device-integration.md).
    const edgePage = (edge.ready.statusUrl ?? '').replace(/\/status$/, '/');
    const signIn = edgeEnv.EDGE_API_KEY
      ? ` (any user name; the password is the edge's API key${existsSync(keyFile) ? `, in ${keyFile}` : ''})`
      : '';
    process.stdout.write(
      `  Edge page: ${edgePage}${signIn}\n  Open ${cloud.ready.url} in a browser. Ctrl-C stops everything.\n\n`,
    );
  } catch (error) {
    // A child that exits because Ctrl-C arrived during start-up is not a failure.
    if (stopping) return;
    throw error;
  }
}

/**
 * On the demo's first start (the seed planned it) and after a restart that interrupted it: the
 * simulated past through the cloud's ingest. A child of the stack using the edge's own uplink
 * client, rather than a task inside the cloud: the events travel the whole real path (HTTP, gzip,
 * API key, ingest.push), the cloud needs no simulator code, and progress is a file in the cloud's
 * data folder that the backfill writes and `demo.history` reads.
 */
function startBackfill(
  dataDir: string,
  cloudUrl: string,
  apiKey: string | undefined,
  liveFrom: Date,
  children: ChildProcess[],
) {
  const progressFile = join(dataDir, DEMO_HISTORY_FILE);
  if (apiKey === undefined || !existsSync(progressFile)) return;
  const plan = demoHistoryProgress.safeParse(JSON.parse(readFileSync(progressFile, 'utf8')));
  if (!plan.success || plan.data.state === 'done') return;
  const backfill = fork(backfillMain, ['--progress-file', progressFile, '--to', liveFrom.toISOString()], {
    execArgv: FROM_SOURCE,
    stdio: 'inherit',
    env: { ...process.env, EDGE_CLOUD_URL: cloudUrl, EDGE_API_KEY: apiKey },
  });
  children.push(backfill);
  process.stdout.write(`  History: ${plan.data.days} days of both demo plants, in the background\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `Plantline failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});

import { type ChildProcess, fork } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCloudEnv } from '../env.js';
import { DEMO_DEVICE_FILE, demoSimulatedPlant } from '../modules/tenancy/index.js';

/*
 * `pnpm start`: the whole demo stack as real processes — the cloud (with the built web UI on its
 * own port) and one edge enrolled with the demo tenant's edge key. Each child reports readiness
 * over IPC with the URL it ended up on (ports move when taken), so the edge is pointed at the
 * cloud's real port. Ctrl-C stops both cleanly.
 */
const cloudMain = fileURLToPath(new URL('../main.ts', import.meta.url));
const edgeMain = fileURLToPath(new URL('../../../edge/src/main.ts', import.meta.url));
const simulatorMain = fileURLToPath(new URL('../../../edge/src/simulator/simulate.ts', import.meta.url));

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
): Promise<{ child: ChildProcess; ready: Ready }> {
  const child = fork(script, [], { execArgv: ['--import', 'tsx'], env, stdio: 'inherit' });
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
    const cloud = await start(cloudMain, process.env, 'cloud-ready', children);
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
      // The demo plant comes alive: the seeded simulator drives Riverside Assembly's machines.
      // --shift-zone: its breaks then fall in the demo calendar's shifts (06:00/14:00/22:00 Berlin time).
      // Its device login (seeded with the tenant) goes through the environment, not the command line.
      const deviceFile = join(env.dataDir, DEMO_DEVICE_FILE);
      const login = existsSync(deviceFile)
        ? (JSON.parse(readFileSync(deviceFile, 'utf8')) as { username: string; password: string })
        : undefined;
      const simulator = fork(
        simulatorMain,
        ['--broker', edge.ready.mqttUrl, '--shift-zone', demoSimulatedPlant.timezone],
        {
          execArgv: ['--import', 'tsx'],
          stdio: 'inherit',
          env: login
            ? { ...process.env, EDGE_MQTT_USERNAME: login.username, EDGE_MQTT_PASSWORD: login.password }
            : process.env,
        },
      );
      children.push(simulator);
      process.stdout.write(
        `  Simulator: Riverside Assembly (RIV), lines L1 and L2, publishing to ${edge.ready.mqttUrl}\n`,
      );
    }
    process.stdout.write(
      `  Edge status: ${edge.ready.statusUrl}\n  Open ${cloud.ready.url} in a browser. Ctrl-C stops everything.\n\n`,
    );
  } catch (error) {
    // A child that exits because Ctrl-C arrived during start-up is not a failure.
    if (stopping) return;
    throw error;
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `Plantline failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});

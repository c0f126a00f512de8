import { type ChildProcess, fork } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { edgeEnvKeys, isEdgeReadyMessage } from '@plantline/edge';
import { cloudEnvKeys } from '../env.js';

/*
 * The cloud and the edge as real processes, forked the way `pnpm start` forks them (stack/main.ts):
 * `node --import tsx` with an IPC channel on which each announces the URL it ended up on. `pnpm start`
 * runs the cloud built into one file instead; `{ built: true }` does too (built-cloud.e2e.test.ts).
 */
const cloudDir = fileURLToPath(new URL('../..', import.meta.url));
const edgeDir = fileURLToPath(new URL('../../../edge', import.meta.url));

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ChildHandle {
  child: ChildProcess;
  exited: Promise<Exit>;
  /** stdout and stderr so far, for failure messages. */
  output(): string;
}

export interface CloudProcess extends ChildHandle {
  url: string;
}

export interface EdgeProcess extends ChildHandle {
  statusUrl: string;
  mqttUrl: string;
  /** What its status port asks for: an edge with an API key lets only that key read its status. */
  statusHeaders: Record<string, string>;
}

/** Only the variables a test sets reach a child, so a developer's own settings cannot leak in. */
function childEnv(vars: Record<string, string>): Record<string, string> {
  const owned = new Set([...cloudEnvKeys, ...edgeEnvKeys, 'TEST_DATABASE_URL']);
  const base = Object.fromEntries(
    Object.entries(process.env).filter(
      (entry): entry is [string, string] => entry[1] !== undefined && !owned.has(entry[0]),
    ),
  );
  return { ...base, ...vars };
}

/*
 * BENCH_CPU_PROF_DIR writes a V8 CPU profile of each child on its exit (docs/benchmarks.md,
 * "Profiling"): Node refuses --cpu-prof in NODE_OPTIONS, so it is passed here.
 */
function profileArgs(): string[] {
  const dir = process.env.BENCH_CPU_PROF_DIR;
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [];
}

function forkTs(cwd: string, script: string, vars: Record<string, string>): ChildHandle {
  return forkScript(cwd, script, vars, ['--import', 'tsx']);
}

function forkScript(
  cwd: string,
  script: string,
  vars: Record<string, string>,
  execArgv: string[],
): ChildHandle {
  const child = fork(script, [], {
    cwd,
    execArgv: [...execArgv, ...profileArgs()],
    env: childEnv(vars),
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output = '';
  const append = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const exited = new Promise<Exit>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, exited, output: () => output };
}

/** Resolves with the first IPC message `accept` takes; rejects if the child exits or is too slow. */
function awaitReady<T>(
  handle: ChildHandle,
  what: string,
  accept: (message: unknown) => T | undefined,
  timeoutMs: number,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`${what} not ready within ${timeoutMs} ms:\n${handle.output()}`));
    }, timeoutMs);
    handle.child.on('message', (message) => {
      const ready = accept(message);
      if (ready === undefined) return;
      clearTimeout(timer);
      resolve(ready);
    });
    void handle.exited.then((exit) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited before it was ready (${JSON.stringify(exit)}):\n${handle.output()}`));
    });
  });
}

export async function startCloudProcess(
  vars: Record<string, string>,
  timeoutMs = 30_000,
  /** The cloud built into one file (scripts/build.mjs), run by plain Node as `pnpm start` runs it. */
  options: { built?: boolean } = {},
) {
  const handle = options.built
    ? forkScript(cloudDir, 'dist/bin/main.mjs', vars, [])
    : forkTs(cloudDir, 'src/main.ts', vars);
  const url = await awaitReady(
    handle,
    'cloud',
    (message) => {
      const m = message as { type?: unknown; url?: unknown };
      return m?.type === 'cloud-ready' && typeof m.url === 'string' ? m.url : undefined;
    },
    timeoutMs,
  ).catch(async (error: unknown) => {
    await killProcess(handle);
    throw error;
  });
  return { ...handle, url } satisfies CloudProcess;
}

export async function startEdgeProcess(vars: Record<string, string>, timeoutMs = 30_000) {
  const handle = forkTs(edgeDir, 'src/main.ts', vars);
  const ready = await awaitReady(
    handle,
    'edge',
    (message) => (isEdgeReadyMessage(message) ? message : undefined),
    timeoutMs,
  ).catch(async (error: unknown) => {
    await killProcess(handle);
    throw error;
  });
  if (ready.mqttUrl === null) throw new Error('the edge runs no embedded broker');
  const apiKey = vars.EDGE_API_KEY;
  const statusHeaders: Record<string, string> = apiKey ? { authorization: `Bearer ${apiKey}` } : {};
  return {
    ...handle,
    statusUrl: ready.statusUrl,
    mqttUrl: ready.mqttUrl,
    statusHeaders,
  } satisfies EdgeProcess;
}

/**
 * An edge enrolled with the demo tenant's edge key, which the cloud's first start wrote into its data
 * folder (only when it seeded, i.e. into an empty database), with its broker and status on free ports
 * unless `vars` says otherwise (a fixed MQTT port to restart on, a plant broker to be a client of).
 */
export async function startDemoEdge(options: {
  name: string;
  cloudUrl: string;
  cloudDataDir: string;
  edgeDataDir: string;
  vars?: Record<string, string>;
}) {
  const apiKey = (
    await readFile(join(options.cloudDataDir, 'demo-edge.key'), 'utf8').catch(() => {
      throw new Error('no demo edge key: the cloud must have seeded an empty database');
    })
  ).trim();
  return startEdgeProcess({
    EDGE_NAME: options.name,
    EDGE_CLOUD_URL: options.cloudUrl,
    EDGE_API_KEY: apiKey,
    EDGE_DATA_DIR: options.edgeDataDir,
    EDGE_MQTT_PORT: '0',
    // The e2e devices connect without a login; device logins are tested in the edge's devices/.
    EDGE_MQTT_ALLOW_ANONYMOUS: 'true',
    EDGE_STATUS_PORT: '0',
    LOG_LEVEL: 'warn',
    ...options.vars,
  });
}

export function isRunning(handle: ChildHandle): boolean {
  return handle.child.exitCode === null && handle.child.signalCode === null;
}

/** SIGKILL if still running; for clean-up, where an orderly stop is not what is being tested. */
export async function killProcess(handle: ChildHandle | undefined): Promise<void> {
  if (handle === undefined) return;
  if (isRunning(handle)) handle.child.kill('SIGKILL');
  await handle.exited;
}

/** Polls until `probe` returns a value other than undefined; real processes need real time. */
export async function waitFor<T>(
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
  describe: () => string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`not met within ${timeoutMs} ms: ${describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A port nothing listens on right now (another process grabbing it in between is unlikely). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

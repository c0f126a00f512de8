import { fork } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type EdgeStatus, edgeStatusSchema } from '@plantline/edge';
import {
  type ChildHandle,
  type CloudProcess,
  type EdgeProcess,
  type Exit,
  killProcess,
  startCloudProcess,
  startDemoEdge,
} from '../e2e/processes.js';
import { loadCloudEnv } from '../env.js';
import type { LiveBatch } from '../modules/events/index.js';
import { signIn, wsClient } from '../testing/api.js';
import type { DevicesConfig, DevicesMessage, DevicesTotals } from './e2e-devices.js';

const RATE = Number(process.env.BENCH_RATE ?? 30_000);
const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 20_000);
/** How long after the last publish an acknowledged event may take to reach the subscriber before it counts as lost. */
const DRAIN_MS = Number(process.env.BENCH_DRAIN_MS ?? 60_000);
/** The devices' window of unacknowledged QoS 1 publishes (the simulator allows 1000; 14 devices here). */
const IN_FLIGHT = Number(process.env.BENCH_IN_FLIGHT ?? 5000);
const ADMIN_PASSWORD = 'benchmark-password-1';
/**
 * The first seconds pay for a cold pipeline (JIT, the cloud's first ingest, the uplink's batch size
 * growing from its start value), which at low rates dominates p99; `p99_steady_ms` leaves them out.
 */
const WARMUP_MS = 5000;

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/** CPU seconds a process has used so far (user + system), from /proc; null where there is no /proc. */
function cpuSeconds(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    // Fields after the parenthesised command name; utime and stime are the 14th and 15th overall.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/**
 * CPU seconds of every local PostgreSQL server process (comm "postgres"): with DATABASE_URL on this
 * machine the database shares the two cores, so its share belongs in the breakdown.
 */
function postgresCpuSeconds(): number | null {
  let total = 0;
  let found = false;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (!stat.includes('(postgres)')) continue;
      found = true;
      total += cpuSeconds(Number(entry)) ?? 0;
    } catch {
      // Gone between the listing and the read.
    }
  }
  return found ? total : null;
}

/**
 * SIGTERM first, so a process can flush what it writes on exit (a `--cpu-prof` profile, when
 * NODE_OPTIONS asks for one), then SIGKILL whatever is still running after a few seconds.
 */
async function stopProcess(handle: ChildHandle | undefined): Promise<void> {
  if (handle === undefined) return;
  if (handle.child.exitCode === null && handle.child.signalCode === null) handle.child.kill('SIGTERM');
  const timer = setTimeout(() => void killProcess(handle), 5000);
  await handle.exited;
  clearTimeout(timer);
}

function forkDevices(config: DevicesConfig): ChildHandle {
  const script = fileURLToPath(new URL('./e2e-devices.ts', import.meta.url));
  const child = fork(script, [JSON.stringify(config)], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const exited = new Promise<Exit>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, exited, output: () => '' };
}

/** Resolves with the first message from the devices that `accept` takes; rejects if they exit first. */
function nextMessage<T extends DevicesMessage>(
  devices: ChildHandle,
  accept: (message: DevicesMessage) => message is T,
  timeoutMs: number,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      devices.child.off('message', onMessage);
      reject(new Error(`the devices sent nothing expected within ${timeoutMs} ms`));
    }, timeoutMs);
    const onMessage = (message: DevicesMessage) => {
      if (!accept(message)) return;
      clearTimeout(timer);
      devices.child.off('message', onMessage);
      resolve(message);
    };
    devices.child.on('message', onMessage);
    void devices.exited.then((exit) => {
      clearTimeout(timer);
      reject(new Error(`the devices exited (${JSON.stringify(exit)})`));
    });
  });
}

/**
 * `pnpm bench e2e` (docs/benchmarks.md): simulated devices → MQTT → edge → cloud → database → live
 * subscriber, all real processes. The devices stamp each payload with its publish time, the cloud
 * keeps it as the event time, and the subscriber (this process, over WebSocket as a signed-in admin)
 * takes its receive time minus that as the latency.
 */
export async function e2eBenchmark() {
  const env = loadCloudEnv();
  const database = env.DATABASE_URL === undefined ? 'embedded' : 'server';
  const cloudDataDir = await mkdtemp(join(tmpdir(), 'plantline-bench-e2e-cloud-'));
  const edgeDataDir = await mkdtemp(join(tmpdir(), 'plantline-bench-e2e-edge-'));
  let cloud: CloudProcess | undefined;
  let edge: EdgeProcess | undefined;
  let devices: ChildHandle | undefined;
  let subscriber: ReturnType<typeof wsClient> | undefined;
  let statusTimer: NodeJS.Timeout | undefined;
  try {
    process.stderr.write(`e2e: starting the cloud (${database}) and the edge\n`);
    cloud = await startCloudProcess(
      {
        PORT: '0',
        HOST: '127.0.0.1',
        PLANTLINE_DATA_DIR: cloudDataDir,
        DEMO_ADMIN_PASSWORD: ADMIN_PASSWORD,
        LOG_LEVEL: 'warn',
        ...(env.DATABASE_URL === undefined ? {} : { DATABASE_URL: env.DATABASE_URL }),
      },
      120_000,
    );
    edge = await startDemoEdge({ name: 'bench-edge', cloudUrl: cloud.url, cloudDataDir, edgeDataDir });
    const statusUrl = edge.statusUrl;
    const statusHeaders = edge.statusHeaders;

    const admin = await signIn(cloud.url, env.DEMO_ADMIN_EMAIL, ADMIN_PASSWORD);
    const plants = await admin.trpc.tenancy.plants.list.query();
    const plant = plants.find((p) => p.code === 'RIV');
    if (plant === undefined) throw new Error('the demo plant RIV is missing');

    // Latencies in a preallocated array: at the target rate a growing JS array would itself cost.
    const latencies = new Float64Array(Math.ceil(RATE * (DURATION_MS / 1000)) + 1_000_000);
    const steady = new Float64Array(latencies.length);
    let steadyCount = 0;
    let steadyFrom = Number.POSITIVE_INFINITY;
    const seen = new Set<string>();
    let lastReceiveAt = 0;
    let subscriptionError: unknown = null;
    const ws = wsClient(cloud.url, { token: admin.token });
    subscriber = ws;
    let started: () => void = () => {};
    const subscribed = new Promise<void>((resolve) => {
      started = resolve;
    });
    const onData = ({ data }: { data: LiveBatch }) => {
      const now = Date.now();
      for (const event of data.events) {
        if (seen.has(event.id)) continue;
        seen.add(event.id);
        const publishedAt = Date.parse(event.time);
        if (seen.size <= latencies.length) latencies[seen.size - 1] = now - publishedAt;
        if (publishedAt >= steadyFrom && steadyCount < steady.length)
          steady[steadyCount++] = now - publishedAt;
      }
      lastReceiveAt = now;
    };
    // A subscriber slower than the plant is not cut off: the cloud falls back to reading its commit
    // log for it (live.ts), so any error here is a real one.
    const subscription = ws.trpc.events.live.subscribe(
      { plantIds: [plant.id] },
      {
        onStarted: () => started(),
        onData,
        onError: (error) => {
          subscriptionError = error;
        },
      },
    );
    await subscribed;

    devices = forkDevices({
      brokerUrl: edge.mqttUrl,
      rate: RATE,
      durationMs: DURATION_MS,
      inFlight: IN_FLIGHT,
      seed: 1,
    });
    const connected = await nextMessage(
      devices,
      (m): m is Extract<DevicesMessage, { type: 'connected' }> => m.type === 'connected',
      30_000,
    );
    process.stderr.write(
      `e2e: ${connected.devices} devices at ${RATE} events/s for ${DURATION_MS / 1000} s against ${database}\n`,
    );

    let progress: DevicesTotals | undefined;
    devices.child.on('message', (m: DevicesMessage) => {
      if (m.type === 'progress') progress = m;
    });
    let maxBacklog = 0;
    let lastStatus: EdgeStatus | undefined;
    const pollStatus = async () => {
      try {
        const response = await fetch(statusUrl, { headers: statusHeaders });
        const status = edgeStatusSchema.parse(await response.json());
        lastStatus = status;
        maxBacklog = Math.max(maxBacklog, status.outbox?.backlogEvents ?? 0);
        process.stderr.write(
          `e2e: published ${progress?.published ?? 0} acked ${progress?.acknowledged ?? 0} | edge in ${status.rates?.receivedPerS ?? 0}/s out ${status.rates?.sentPerS ?? 0}/s backlog ${status.outbox?.backlogEvents ?? 0} batch ${status.uplink?.lastBatch?.events ?? 0} in ${status.uplink?.lastBatch?.ms ?? 0} ms | received ${seen.size}\n`,
        );
      } catch (error) {
        process.stderr.write(`e2e: edge status unavailable: ${String(error)}\n`);
      }
    };
    statusTimer = setInterval(() => void pollStatus(), 1000);

    const pids = { cloud: cloud.child.pid, edge: edge.child.pid };
    const sampleCpu = () => {
      const own = process.cpuUsage();
      return {
        at: Date.now(),
        cloud: cpuSeconds(pids.cloud),
        edge: cpuSeconds(pids.edge),
        postgres: database === 'server' ? postgresCpuSeconds() : null,
        subscriber: (own.user + own.system) / 1e6,
      };
    };
    const cpuAtStart = sampleCpu();
    const done = nextMessage(
      devices,
      (m): m is Extract<DevicesMessage, { type: 'done' }> => m.type === 'done',
      DURATION_MS + DRAIN_MS,
    );
    steadyFrom = Date.now() + WARMUP_MS;
    devices.child.send({ type: 'start' });
    const totals = await done;
    const cpuAtDone = sampleCpu();
    const drainDeadline = totals.lastAt + DRAIN_MS;
    while (seen.size < totals.acknowledged && Date.now() < drainDeadline && subscriptionError === null) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const cpuAtEnd = sampleCpu();
    // Share of one core per process, while the devices publish and while the pipeline drains: on two
    // cores this says which process the time goes to.
    const share = (from: ReturnType<typeof sampleCpu>, to: ReturnType<typeof sampleCpu>) => {
      const seconds = Math.max(0.001, (to.at - from.at) / 1000);
      const pct = (a: number | null, b: number | null) =>
        a === null || b === null ? null : Math.round(((b - a) / seconds) * 100);
      return {
        seconds: Number(seconds.toFixed(1)),
        cloud: pct(from.cloud, to.cloud),
        edge: pct(from.edge, to.edge),
        postgres: pct(from.postgres, to.postgres),
        subscriber: pct(from.subscriber, to.subscriber),
      };
    };
    const cpu = {
      publish: {
        ...share(cpuAtStart, cpuAtDone),
        devices: Math.round((totals.cpuS / ((cpuAtDone.at - cpuAtStart.at) / 1000)) * 100),
      },
      drain: share(cpuAtDone, cpuAtEnd),
    };
    clearInterval(statusTimer);
    await pollStatus();
    subscription.unsubscribe();
    if (subscriptionError !== null) throw subscriptionError;

    const received = seen.size;
    process.stderr.write(`e2e: cpu % of one core ${JSON.stringify(cpu)}\n`);
    // CPU per event delivered, publish and drain together: unlike the rate, it stays comparable on a
    // machine that other work shares.
    const perEvent = (a: number | null, b: number | null) =>
      a === null || b === null || received === 0 ? null : Math.round(((b - a) * 1e6) / received);
    const measured = latencies.subarray(0, Math.min(received, latencies.length)).sort();
    const sustainedS = (lastReceiveAt - totals.firstAt) / 1000;
    return {
      database,
      target_rate: RATE,
      events_per_s: received === 0 ? 0 : Math.round(received / sustainedS),
      p50_ms: percentile(measured, 50),
      p99_ms: percentile(measured, 99),
      max_ms: measured.at(-1) ?? 0,
      p99_steady_ms: steadyCount === 0 ? null : percentile(steady.subarray(0, steadyCount).sort(), 99),
      // Acknowledged by the edge (QoS 1 PUBACK) and never seen by the subscriber within the drain time.
      lost: Math.max(0, totals.acknowledged - received),
      published: totals.published,
      acknowledged: totals.acknowledged,
      received,
      published_per_s: Math.round(totals.published / ((totals.lastAt - totals.firstAt) / 1000)),
      edge_max_backlog: maxBacklog,
      edge_last_batch: lastStatus?.uplink?.lastBatch ?? null,
      cpu_pct: cpu,
      cpu_us_per_event: {
        edge: perEvent(cpuAtStart.edge, cpuAtEnd.edge),
        cloud: perEvent(cpuAtStart.cloud, cpuAtEnd.cloud),
        postgres: perEvent(cpuAtStart.postgres, cpuAtEnd.postgres),
        devices: perEvent(0, totals.cpuS),
      },
      load_avg_1m: Number(loadavg()[0]?.toFixed(2)),
    };
  } finally {
    clearInterval(statusTimer);
    subscriber?.close();
    await Promise.all([stopProcess(devices), stopProcess(edge), stopProcess(cloud)]);
    await Promise.all([cloudDataDir, edgeDataDir].map((dir) => rm(dir, { recursive: true, force: true })));
  }
}

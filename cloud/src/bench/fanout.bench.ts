import { fork } from 'node:child_process';
import { rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { writeHeapSnapshot } from 'node:v8';
import { loadCloudEnv } from '../env.js';
import type { LiveKpiMessage } from '../modules/kpi/index.js';
import { apiClient, signIn, wsClient } from '../testing/api.js';
import { envelope } from '../testing/events.js';
import { TEST_PASSWORD } from '../testing/tenants.js';
import { startMeasuredCloud } from './measured-cloud.js';

/*
 * `pnpm bench fanout` (docs/benchmarks.md): BENCH_SUBSCRIBERS (default 1000) kpi.live subscribers
 * on one plant of BENCH_MACHINES machines (default 100, on BENCH_LINES lines), over
 * BENCH_CONNECTIONS WebSocket connections (default 50: a browser opens one connection and
 * multiplexes its subscriptions on it, and 1000 sockets of one client process on 2 cores would
 * measure the client). The subscribers run in a child process so their parsing does not share the
 * server's event loop. Ingest gets one count per machine per second through the real HTTP path
 * (ingest.push with an API key), spread over the second in 10 batches, so every machine changes
 * every second. The cloud runs as `pnpm start` runs it, built and in a process of its own; rss_mb is
 * that process's peak resident memory (measured-cloud.ts; BENCH_CLOUD_IN_PROCESS=1 runs it in this
 * process from the sources instead, which also gives heap_mb and BENCH_HEAP_SNAPSHOT).
 *
 * deliveries_per_s = entity updates (machine, line or plant figures) received by all subscribers per
 * second; p99_ms = from a machine's newest event (its device time, stamped when sent) to receipt,
 * which includes the up-to-1-s coalescing the subscription promises; fanout_p99_ms = from the hub's
 * computation (the update's asOf) to receipt.
 */

const FLAG = '--fanout-clients';

interface ClientsConfig {
  url: string;
  token: string;
  plantId: string;
  subscribers: number;
  connections: number;
}

type ClientsMessage =
  | { type: 'ready'; snapshots: number; errors: number }
  | {
      type: 'done';
      deliveries: number;
      messages: number;
      bytes: number;
      eventLatency: number[];
      fanoutLatency: number[];
      cpuS: number;
      errors: number;
    };

const LATENCY_BUCKETS = 60_000;

/** Percentiles of a per-millisecond histogram. */
function percentiles(histogram: number[], ps: number[]): number[] {
  const total = histogram.reduce((a, b) => a + b, 0);
  return ps.map((p) => {
    const target = Math.ceil((p / 100) * total);
    let seen = 0;
    for (let ms = 0; ms < histogram.length; ms++) {
      seen += histogram[ms] ?? 0;
      if (seen >= target && target > 0) return ms;
    }
    return histogram.length;
  });
}

async function runClients(config: ClientsConfig): Promise<void> {
  // Resolves once the message is handed to the channel: exiting before that would drop it.
  const send = (message: ClientsMessage) =>
    new Promise<void>((resolve) => process.send?.(message, undefined, {}, () => resolve()));
  process.on('disconnect', () => process.exit(0));
  const eventLatency = new Array<number>(LATENCY_BUCKETS).fill(0);
  const fanoutLatency = new Array<number>(LATENCY_BUCKETS).fill(0);
  let measuring = false;
  let deliveries = 0;
  let messages = 0;
  let snapshots = 0;
  let errors = 0;
  const clients = Array.from({ length: config.connections }, () =>
    wsClient(config.url, { token: config.token }),
  );
  const onData = (message: LiveKpiMessage) => {
    if (message.type === 'snapshot') {
      snapshots++;
      return;
    }
    if (!measuring) return;
    const now = Date.now();
    messages++;
    deliveries += message.machines.length + message.lines.length + (message.plant === null ? 0 : 1);
    fanoutLatency[Math.min(LATENCY_BUCKETS - 1, Math.max(0, now - message.asOf))]!++;
    for (const m of message.machines) {
      if (m.lastEventAt != null)
        eventLatency[Math.min(LATENCY_BUCKETS - 1, Math.max(0, now - m.lastEventAt))]!++;
    }
  };
  for (let k = 0; k < config.subscribers; k++) {
    clients[k % clients.length]!.trpc.kpi.live.subscribe(
      { plantId: config.plantId },
      {
        onData,
        onError: () => {
          errors++;
        },
      },
    );
  }
  while (snapshots + errors < config.subscribers) await new Promise((r) => setTimeout(r, 50));
  await send({ type: 'ready', snapshots, errors });
  const cpuAtStart = await new Promise<NodeJS.CpuUsage>((resolve) => {
    process.once('message', () => {
      measuring = true;
      resolve(process.cpuUsage());
    });
  });
  await new Promise<void>((resolve) => process.once('message', () => resolve()));
  measuring = false;
  const cpu = process.cpuUsage(cpuAtStart);
  await send({
    type: 'done',
    deliveries,
    messages,
    bytes: 0,
    eventLatency,
    fanoutLatency,
    cpuS: (cpu.user + cpu.system) / 1e6,
    errors,
  });
  for (const c of clients) c.close();
}

function nextMessage<T extends ClientsMessage['type']>(
  child: ReturnType<typeof fork>,
  type: T,
  timeoutMs: number,
): Promise<Extract<ClientsMessage, { type: T }>> {
  return new Promise((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`no "${type}" from the clients in ${timeoutMs} ms`));
    }, timeoutMs);
    const onMessage = (message: ClientsMessage) => {
      if (message.type !== type) return;
      done();
      resolve(message as Extract<ClientsMessage, { type: T }>);
    };
    const onExit = (code: number | null) => {
      done();
      reject(new Error(`the clients exited (${code})`));
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

export async function fanoutBenchmark() {
  const subscribers = Number(process.env.BENCH_SUBSCRIBERS ?? 1000);
  const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
  const machineCount = Number(process.env.BENCH_MACHINES ?? 100);
  const lineCount = Number(process.env.BENCH_LINES ?? 5);
  const durationMs = Number(process.env.BENCH_DURATION_MS ?? 15_000);
  const env = loadCloudEnv({
    ...process.env,
    PORT: '0',
    DEMO_SEED: 'false',
    PLANTLINE_DATA_DIR: `/tmp/plantline-bench-fanout-${process.pid}`,
    // One account stands in for a thousand people at their boards: lift its per-user bound.
    MAX_SUBSCRIPTIONS_PER_USER: String(subscribers),
    WS_MAX_SUBSCRIPTIONS_PER_CONNECTION: String(Math.ceil(subscribers / connections)),
  });
  const suffix = Math.random().toString(36).slice(2, 8);
  const database = env.DATABASE_URL === undefined ? 'embedded' : 'server';
  // As `pnpm start` runs it, in a process of its own, unless BENCH_CLOUD_IN_PROCESS=1 (measured-cloud.ts).
  const cloud = await startMeasuredCloud(env, {
    name: 'Fanout bench',
    slug: `fanout-${suffix}`,
    plants: [{ code: 'F1', name: 'Fanout plant', timezone: 'UTC' }],
    admin: {
      email: `fanout-${suffix}@bench.plantline.local`,
      displayName: 'Bench',
      password: TEST_PASSWORD,
    },
  });
  let child: ReturnType<typeof fork> | null = null;
  let driver: NodeJS.Timeout | null = null;
  try {
    const admin = await signIn(cloud.url, `fanout-${suffix}@bench.plantline.local`);
    const [plant] = await admin.trpc.tenancy.plants.list.query();
    if (plant === undefined) throw new Error('the bench tenant has no plant');
    const plantId = plant.id;
    process.stderr.write(
      `fanout: ${machineCount} machines on ${lineCount} lines against ${database}, the cloud ${cloud.inProcess ? 'in this process from the sources' : 'built, in a process of its own'}\n`,
    );
    const addresses: { plant: string; line: string; machine: string }[] = [];
    for (let l = 0; l < lineCount; l++) {
      const line = await admin.trpc.masterdata.lines.create.mutate({
        plantId,
        code: `L${l + 1}`,
        name: `Line ${l + 1}`,
      });
      for (let m = l; m < machineCount; m += lineCount) {
        const code = `M${String(m + 1).padStart(3, '0')}`;
        const machine = await admin.trpc.masterdata.machines.create.mutate({
          lineId: line.id,
          code,
          name: code,
        });
        await admin.trpc.production.idealCycleTimes.set.mutate({
          machineId: machine.id,
          productId: null,
          secondsPerUnit: 1,
        });
        addresses.push({ plant: 'F1', line: `L${l + 1}`, machine: code });
      }
    }
    const shiftStart = Date.now() - 3_600_000;
    await admin.trpc.production.shifts.create.mutate({
      plantId,
      name: 'Bench',
      startsAt: new Date(shiftStart),
      endsAt: new Date(shiftStart + 4 * 3_600_000),
    });
    const key = await admin.trpc.apiKeys.create.mutate({
      name: 'bench edge',
      scopes: ['ingest.write'],
      plantIds: [plantId],
    });
    const edge = apiClient(cloud.url, { apiKey: key.key });
    await edge.trpc.ingest.push.mutate({
      events: addresses.map((a) => envelope(a, 'state', { state: 'RUNNING' }, new Date(shiftStart))),
    });

    const script = fileURLToPath(import.meta.url);
    const config: ClientsConfig = { url: cloud.url, token: admin.token, plantId, subscribers, connections };
    child = fork(script, [FLAG, JSON.stringify(config)], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    const ready = await nextMessage(child, 'ready', 120_000);
    process.stderr.write(
      `fanout: ${ready.snapshots} subscribers over ${connections} connections have their snapshot (${ready.errors} errors)\n`,
    );

    // Each machine once a second, in 10 batches spread over the second.
    let slot = 0;
    let ingestFailures = 0;
    driver = setInterval(() => {
      const batch = addresses.filter((_, k) => k % 10 === slot % 10);
      slot++;
      edge.trpc.ingest.push
        .mutate({ events: batch.map((a) => envelope(a, 'count', { good: 1, scrap: 0 })) })
        .catch(() => {
          ingestFailures++;
        });
    }, 100);
    await new Promise((r) => setTimeout(r, 3000));
    const serverCpuAtStart = cloud.cpuSeconds();
    // The cloud's resident memory, sampled through the measured window; the peak is reported.
    let atPeak = cloud.memory();
    const memorySampler = setInterval(() => {
      const memory = cloud.memory();
      if (memory.rss > atPeak.rss) atPeak = memory;
    }, 100);
    child.send('start');
    await new Promise((r) => setTimeout(r, durationMs));
    child.send('stop');
    clearInterval(memorySampler);
    const serverCpuS = cloud.cpuSeconds() - serverCpuAtStart;
    const heapUsed = cloud.memory().heapUsed;
    const heapMb = heapUsed === null ? null : Math.round(heapUsed / 1e6);
    // BENCH_HEAP_SNAPSHOT=<file>: what the heap holds at the end of the window, for Chrome DevTools.
    if (process.env.BENCH_HEAP_SNAPSHOT && cloud.inProcess)
      writeHeapSnapshot(process.env.BENCH_HEAP_SNAPSHOT);
    const mb = (bytes: number | null) => (bytes === null ? '?' : String(Math.round(bytes / 1e6)));
    process.stderr.write(
      `fanout: cloud RSS peak ${mb(atPeak.rss)} MB (then heap ${mb(atPeak.heapUsed)} of ${mb(atPeak.heapTotal)} MB), heap in use at the end ${heapMb ?? '?'} MB\n`,
    );
    const done = await nextMessage(child, 'done', 30_000);
    const [p50, p99] = percentiles(done.eventLatency, [50, 99]);
    const [fanoutP50, fanoutP99] = percentiles(done.fanoutLatency, [50, 99]);
    return {
      database,
      cloud: cloud.inProcess ? 'in-process' : 'built',
      deliveries_per_s: Math.round(done.deliveries / (durationMs / 1000)),
      messages_per_s: Math.round(done.messages / (durationMs / 1000)),
      p50_ms: p50,
      p99_ms: p99,
      fanout_p50_ms: fanoutP50,
      fanout_p99_ms: fanoutP99,
      subscribers,
      connections,
      machines: machineCount,
      lines: lineCount,
      subscriber_errors: done.errors,
      ingest_failures: ingestFailures,
      rss_mb: Math.round(atPeak.rss / 1e6),
      heap_mb: heapMb,
      server_cpu_pct: Math.round((serverCpuS / (durationMs / 1000)) * 100),
      clients_cpu_pct: Math.round((done.cpuS / (durationMs / 1000)) * 100),
      load_avg_1m: Number(loadavg()[0]?.toFixed(2)),
    };
  } finally {
    if (driver !== null) clearInterval(driver);
    child?.kill();
    await cloud.stop();
    rmSync(env.dataDir, { recursive: true, force: true });
  }
}

// Forked by fanoutBenchmark as the subscribers' process; importing this file runs nothing.
if (process.argv[2] === FLAG && import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  runClients(JSON.parse(process.argv[3] ?? '{}') as ClientsConfig).then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(
        `fanout clients: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exit(1);
    },
  );
}

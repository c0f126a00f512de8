import { type ChildProcess, fork, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { type AddressInfo, createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import {
  createLogger,
  DeadLetterStore,
  Ingress,
  Outbox,
  PlantBrokerClient,
  UnitGroup,
} from '@plantline/edge';
import { connectAsync } from 'mqtt';
import { percentile } from './bench-support.js';
import type {
  BrokerDevicesCommand,
  BrokerDevicesConfig,
  BrokerDevicesMessage,
  BrokerDevicesTotals,
} from './broker-devices.js';

/*
 * `pnpm bench broker` (docs/benchmarks.md, "broker"): the edge as a client of a plant broker. The edge's
 * ingress units (plant-broker client, ingress, outbox, dead letters; no uplink, so everything stays in
 * the outbox) run in this process against a Mosquitto — its own, started from BENCH_MOSQUITTO, or the
 * one at BENCH_BROKER_URL; DEVICES machines in a
 * child process (broker-devices.ts) publish QoS 1 counts to it, as fast as the edge stores them (at
 * most WINDOW ahead) or at BENCH_RATE. Reported: events/s the edge acknowledged in the measured window
 * after WARMUP_MS, the latency from a device's publish to the edge's acknowledgement (taken when the
 * ingress resolves, which is when the PUBACK is written unless an earlier message is still being
 * stored), how many messages each outbox sync carried, and after a drain the outbox read back from
 * disk: `lost` (acknowledged by the edge and not in the outbox), `not_delivered` (published and not
 * in the outbox: dropped by the broker, or not stored by the end of the drain), duplicates, and
 * messages out of order per machine.
 */
/** Unset: a Mosquitto of the benchmark's own (below); e.g. mqtt://127.0.0.1:1883 for the system's. */
const BROKER_URL = process.env.BENCH_BROKER_URL;
const MOSQUITTO = process.env.BENCH_MOSQUITTO ?? '/usr/sbin/mosquitto';
const DEVICES = Number(process.env.BENCH_DEVICES ?? 8);
const RATE = Number(process.env.BENCH_RATE ?? 0);
/**
 * Messages published and not yet stored by the edge, at most. The broker holds them: the edge's
 * receive maximum (1000) in flight plus its queue for the edge, which Mosquitto caps at
 * max_queued_messages (1000 by default) and beyond which it drops QoS 1 messages (`not_delivered`).
 */
const WINDOW = Number(process.env.BENCH_WINDOW ?? 1000);
const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 15_000);
const WARMUP_MS = Number(process.env.BENCH_WARMUP_MS ?? 3000);
/** How long after the last publish the edge may take to store the rest before it counts as lost. */
const DRAIN_MS = Number(process.env.BENCH_DRAIN_MS ?? 15_000);

const MACHINES = Array.from({ length: DEVICES }, (_, n) => `M${n + 1}`);
const say = (line: string) => process.stderr.write(`broker: ${line}\n`);
const ORDER = /"order":"(\d+)@([\d.]+)"/;

/** The ingress, counting what it stored and when, for the benchmark only. */
class MeasuredIngress extends Ingress {
  stored = 0;
  measuring = false;
  measuredStored = 0;
  latencies: number[] = [];
  /** What was acknowledged, as `<machine>/<seq>`: each must be found in the outbox afterwards. */
  acknowledged = new Set<string>();

  override async accept(...args: Parameters<Ingress['accept']>): ReturnType<Ingress['accept']> {
    const outcome = await super.accept(...args);
    if (outcome !== 'stored') return outcome;
    this.stored++;
    const order = ORDER.exec(args[1].toString('latin1'));
    if (order === null) return outcome;
    this.acknowledged.add(`${args[0].split('/')[4]}/${order[1]}`);
    if (this.measuring) {
      this.measuredStored++;
      this.latencies.push(performance.timeOrigin + performance.now() - Number(order[2]));
    }
    return outcome;
  }
}

export async function brokerBenchmark() {
  const broker =
    BROKER_URL === undefined ? await startMosquitto() : { url: BROKER_URL, stop: async () => {} };
  try {
    return await measure(broker.url);
  } finally {
    await broker.stop();
  }
}

async function measure(brokerUrl: string) {
  const plant = `B${randomBytes(4).toString('hex')}`;
  const clientId = `plantline-bench-edge-${plant}`;
  const dataDir = await mkdtemp(join(tmpdir(), 'plantline-bench-broker-'));
  const outboxDir = join(dataDir, 'outbox');
  const log = createLogger({ logLevel: 'warn', name: 'edge' });
  const outbox = new Outbox({ dir: outboxDir, maxBytes: 1 << 30, log });
  const deadLetters = new DeadLetterStore({ dir: dataDir, log });
  const ingress = new MeasuredIngress({ outbox, deadLetters });
  const client = new PlantBrokerClient({
    url: brokerUrl,
    clientId,
    username: undefined,
    password: undefined,
    ingress,
    log,
  });
  let syncs = 0;
  outbox.on('durable', () => syncs++);
  const units = new UnitGroup([outbox, ingress, deadLetters, client], log);
  let devices: ChildProcess | undefined;
  try {
    say(`edge of plant ${plant} against ${brokerUrl}, ${DEVICES} devices, window ${WINDOW}`);
    await units.start();
    await until(() => client.status().connected, 10_000, 'the edge did not connect to the broker');
    devices = forkDevices({
      brokerUrl,
      plant,
      machines: MACHINES,
      rate: RATE,
      window: WINDOW,
      durationMs: WARMUP_MS + DURATION_MS,
    });
    await nextMessage(devices, 'connected', 15_000);
    // The edge subscribes right after CONNACK: let Mosquitto register it before anything is published.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const feed = setInterval(() => command(devices!, { type: 'stored', count: ingress.stored }), 2);
    let last: BrokerDevicesTotals | undefined;
    devices.on('message', (message: BrokerDevicesMessage) => {
      if (message.type !== 'progress') return;
      last = message;
      say(`published ${message.published}, edge stored ${ingress.stored}, outbox syncs ${syncs}`);
    });
    const done = nextMessage(devices, 'done', WARMUP_MS + DURATION_MS + 30_000);
    command(devices, { type: 'start' });
    await new Promise((resolve) => setTimeout(resolve, WARMUP_MS));
    const syncsBefore = syncs;
    ingress.measuring = true;
    const measuredFrom = performance.now();
    await new Promise((resolve) => setTimeout(resolve, DURATION_MS));
    ingress.measuring = false;
    const measuredS = (performance.now() - measuredFrom) / 1000;
    const measuredSyncs = syncs - syncsBefore;
    const totals = await done;
    clearInterval(feed);
    say(`devices done (${totals.published} published, last progress ${last?.published ?? 0}); draining`);
    await until(() => ingress.stored >= totals.published, DRAIN_MS, '').catch(() => undefined);
    await units.stop();
    const check = await checkOutbox(outboxDir, totals, ingress.acknowledged);
    const latencies = Float64Array.from(ingress.latencies).sort();
    return {
      broker: BROKER_URL ?? 'mosquitto (own, max_queued_messages 0)',
      devices: DEVICES,
      window: WINDOW,
      rate: RATE || 'max',
      events_per_s: Math.round(ingress.measuredStored / measuredS),
      published: totals.published,
      broker_acked: totals.brokerAcked,
      stored: ingress.stored,
      in_outbox: check.found,
      lost: check.lost,
      not_delivered: check.notDelivered,
      duplicates: check.duplicates,
      out_of_order: check.outOfOrder,
      events_per_sync: measuredSyncs > 0 ? Math.round(ingress.measuredStored / measuredSyncs) : 0,
      p50_ms: round(percentile(latencies, 50)),
      p99_ms: round(percentile(latencies, 99)),
      max_ms: round(latencies.at(-1) ?? 0),
      load_1m: Number(loadavg()[0]!.toFixed(2)),
    };
  } finally {
    devices?.kill('SIGKILL');
    await units.stop();
    await forgetSession(brokerUrl, clientId);
    await rm(dataDir, { recursive: true, force: true });
  }
}

const round = (ms: number) => Number(ms.toFixed(1));

/**
 * Reads the outbox back from disk. `lost`: acknowledged by the edge and not there (must be 0);
 * `notDelivered`: published and not there, i.e. the broker dropped it or the edge never got it.
 */
async function checkOutbox(dir: string, totals: BrokerDevicesTotals, acknowledged: Set<string>) {
  const outbox = new Outbox({
    dir,
    maxBytes: 1 << 30,
    log: createLogger({ logLevel: 'warn', name: 'check' }),
  });
  await outbox.start();
  const seen = MACHINES.map(() => new Set<number>());
  const lastSeen = MACHINES.map(() => 0);
  const deviceOf = new Map(MACHINES.map((machine, device) => [machine, device]));
  let found = 0;
  let duplicates = 0;
  let outOfOrder = 0;
  try {
    for (;;) {
      const records = await outbox.read(5000, 8 << 20);
      if (records.length === 0) break;
      for (const record of records) {
        const event = JSON.parse(record.body.toString('utf8')) as {
          machine: string;
          payload: { order?: string };
        };
        const device = deviceOf.get(event.machine);
        const seq = Number(event.payload.order?.split('@')[0]);
        if (device === undefined || !Number.isInteger(seq)) continue;
        found++;
        if (seen[device]!.has(seq)) duplicates++;
        else seen[device]!.add(seq);
        if (seq < lastSeen[device]!) outOfOrder++;
        lastSeen[device] = Math.max(lastSeen[device]!, seq);
      }
    }
  } finally {
    await outbox.stop();
  }
  let lost = 0;
  for (const key of acknowledged) {
    const [machine, seq] = key.split('/');
    if (!seen[deviceOf.get(machine!)!]!.has(Number(seq))) lost++;
  }
  let notDelivered = 0;
  totals.lastSeq.forEach((last, device) => {
    for (let seq = 1; seq <= last; seq++) if (!seen[device]!.has(seq)) notDelivered++;
  });
  return { found, lost, notDelivered, duplicates, outOfOrder };
}

/** The edge's persistent session would keep queueing `plantline/#` on the shared broker for a week. */
async function forgetSession(brokerUrl: string, clientId: string): Promise<void> {
  const session = await connectAsync(brokerUrl, {
    clientId,
    protocolVersion: 5,
    clean: true,
    properties: { sessionExpiryInterval: 0 },
    reconnectPeriod: 0,
  }).catch(() => undefined);
  await session?.endAsync();
}

/**
 * A Mosquitto on a free port, set up as docs/device-integration.md asks of a plant broker serving the
 * edge: no cap on the messages it queues for a client. With the default cap (1000) Mosquitto 2.0
 * dropped messages for the edge in runs here even with far fewer outstanding (`not_delivered`).
 */
async function startMosquitto(): Promise<{ url: string; stop: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'plantline-bench-mosquitto-'));
  const port = await freePort();
  const config = join(dir, 'mosquitto.conf');
  await writeFile(
    config,
    `listener ${port} 127.0.0.1\nallow_anonymous true\npersistence false\nmax_queued_messages 0\nlog_dest none\n`,
  );
  const child = spawn(MOSQUITTO, ['-c', config], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `mqtt://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    await rm(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 10_000;
  for (;;) {
    const probe = await connectAsync(url, { reconnectPeriod: 0, connectTimeout: 500 }).catch(() => undefined);
    if (probe) {
      await probe.endAsync(true);
      return { url, stop };
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`mosquitto (${MOSQUITTO}) did not start on port ${port}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function forkDevices(config: BrokerDevicesConfig): ChildProcess {
  const script = fileURLToPath(new URL('./broker-devices.ts', import.meta.url));
  return fork(script, [JSON.stringify(config)], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
}

function command(devices: ChildProcess, message: BrokerDevicesCommand): void {
  if (devices.connected) devices.send(message);
}

function nextMessage<K extends BrokerDevicesMessage['type']>(
  devices: ChildProcess,
  type: K,
  timeoutMs: number,
): Promise<Extract<BrokerDevicesMessage, { type: K }>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => finish(new Error(`no "${type}" from the devices in ${timeoutMs} ms`)),
      timeoutMs,
    );
    const onMessage = (message: BrokerDevicesMessage) => {
      if (message.type === type) finish(undefined, message as Extract<BrokerDevicesMessage, { type: K }>);
    };
    const onExit = (code: number | null) => finish(new Error(`the devices exited (${code})`));
    const finish = (error?: Error, message?: Extract<BrokerDevicesMessage, { type: K }>) => {
      clearTimeout(timer);
      devices.off('message', onMessage);
      devices.off('exit', onExit);
      if (error) reject(error);
      else resolve(message!);
    };
    devices.on('message', onMessage);
    devices.once('exit', onExit);
  });
}

async function until(condition: () => boolean, timeoutMs: number, failure: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(failure || 'timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

import { performance } from 'node:perf_hooks';
import { connectAsync, type MqttClient } from 'mqtt';

/*
 * The devices of `pnpm bench broker`, as their own process so that they do not share the edge's event
 * loop: DEVICES machines, one MQTT connection each to the plant broker, publishing QoS 1 counts. Each
 * payload's `order` is `<seq>@<publish time>` (seq counts per machine from 1; the time is epoch ms with
 * microseconds, from the same clock as the parent's), so the parent can check order and completeness
 * in the outbox and take the latency from publish to the edge's acknowledgement.
 *
 * The broker acknowledges a device at once; what paces the devices is the edge. The parent passes the
 * number of messages the edge has stored (`stored`), and the devices keep at most `window` messages
 * published and not yet stored — or follow `rate` (events/s) when it is set.
 *
 * Protocol over the IPC channel: argv[2] is BrokerDevicesConfig; this process sends `connected`, waits
 * for `start`, sends `progress` each second and `done` at the end.
 */
export interface BrokerDevicesConfig {
  brokerUrl: string;
  plant: string;
  /** Machine codes, one device (MQTT connection) each. */
  machines: string[];
  /** Events/s across all devices; 0: as fast as the edge stores them (within `window`). */
  rate: number;
  window: number;
  durationMs: number;
}

export interface BrokerDevicesTotals {
  published: number;
  /** Publishes the broker acknowledged (PUBACK to the device). */
  brokerAcked: number;
  failed: number;
  /** Per machine (index = device), the last seq published. */
  lastSeq: number[];
}

export type BrokerDevicesMessage =
  | { type: 'connected' }
  | ({ type: 'progress' } & BrokerDevicesTotals)
  | ({ type: 'done' } & BrokerDevicesTotals);

export type BrokerDevicesCommand = { type: 'start' } | { type: 'stored'; count: number };

async function run(config: BrokerDevicesConfig): Promise<void> {
  const send = (message: BrokerDevicesMessage) => process.send?.(message);
  process.on('disconnect', () => process.exit(0));
  const clients: MqttClient[] = [];
  for (const machine of config.machines) {
    clients.push(
      await connectAsync(config.brokerUrl, {
        clientId: `plantline-bench-device-${config.plant}-${machine}`,
        reconnectPeriod: 500,
      }),
    );
  }
  const topics = config.machines.map((machine) => `plantline/v1/${config.plant}/L1/${machine}/count`);
  let stored = 0;
  let started: () => void = () => {};
  const start = new Promise<void>((resolve) => {
    started = resolve;
  });
  process.on('message', (command: BrokerDevicesCommand) => {
    if (command.type === 'stored') stored = command.count;
    else if (command.type === 'start') started();
  });
  send({ type: 'connected' });
  await start;

  const totals: BrokerDevicesTotals = {
    published: 0,
    brokerAcked: 0,
    failed: 0,
    lastSeq: clients.map(() => 0),
  };
  const progress = setInterval(() => send({ type: 'progress', ...totals }), 1000);
  const startedAt = Date.now();
  let next = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const elapsed = Date.now() - startedAt;
      if (elapsed >= config.durationMs) return resolve();
      const due = config.rate > 0 ? Math.floor((elapsed / 1000) * config.rate) : Number.POSITIVE_INFINITY;
      // At most a window's worth per tick, so progress messages and the edge's counts get through.
      let budget = config.window;
      while (totals.published < due && totals.published - stored < config.window && budget-- > 0) {
        const device = next;
        next = (next + 1) % clients.length;
        const seq = ++totals.lastSeq[device]!;
        const at = (performance.timeOrigin + performance.now()).toFixed(3);
        totals.published++;
        clients[device]!.publish(topics[device]!, `{"good":1,"order":"${seq}@${at}"}`, { qos: 1 }, (err) => {
          if (err) totals.failed++;
          else totals.brokerAcked++;
        });
      }
      setTimeout(tick, 1);
    };
    tick();
  });
  // The broker's PUBACKs for the last publishes, before the totals are final.
  const waitUntil = Date.now() + 10_000;
  while (totals.brokerAcked + totals.failed < totals.published && Date.now() < waitUntil) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  clearInterval(progress);
  send({ type: 'done', ...totals });
  await Promise.all(clients.map((client) => client.endAsync()));
}

run(JSON.parse(process.argv[2] ?? '{}') as BrokerDevicesConfig).then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(
      `broker devices: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);

import { demoLayout, PlantModel } from '@plantline/edge';
import { connectAsync, type MqttClient } from 'mqtt';

/*
 * The devices of `pnpm bench e2e`, as their own process: the demo plant's machines and stations from
 * the simulator's seeded plant model, one MQTT connection each, QoS 1, paced at a target rate. Unlike
 * the simulator's --rate mode, every payload carries its publish time as the device `ts` (epoch ms),
 * which the cloud keeps as the event time, so the subscriber can measure device publish → receive.
 *
 * Protocol over the IPC channel: the parent passes DevicesConfig as argv[2]; this process sends
 * `connected`, waits for `start`, sends `progress` each second and `done` at the end.
 */
export interface DevicesConfig {
  brokerUrl: string;
  rate: number;
  durationMs: number;
  /** Unacknowledged publishes allowed at once across all devices; beyond it the devices wait. */
  inFlight: number;
  seed: number;
}

export interface DevicesTotals {
  published: number;
  acknowledged: number;
  failed: number;
  /** Epoch ms of the first and last publish. */
  firstAt: number;
  lastAt: number;
  /** How long the devices waited on the in-flight window, in ticks that could not publish all that was due. */
  stalledTicks: number;
  /** CPU seconds this process used while publishing, for the benchmark's breakdown. */
  cpuS: number;
}

export type DevicesMessage =
  | { type: 'connected'; devices: number }
  | ({ type: 'progress' } & DevicesTotals)
  | ({ type: 'done' } & DevicesTotals);

const TICK_MS = 5;

async function run(config: DevicesConfig): Promise<void> {
  const send = (message: DevicesMessage) => process.send?.(message);
  // Started by the benchmark: when it goes away, so do the devices.
  process.on('disconnect', () => process.exit(0));
  const layout = demoLayout();
  const model = new PlantModel(layout, config.seed);
  const clients = new Map<string, MqttClient>();
  for (const line of layout.lines) {
    for (const device of [...line.machines, ...line.stations]) {
      const client = await connectAsync(config.brokerUrl, {
        clientId: `plantline-bench-${layout.plant}-${line.code}-${device}-${process.pid}`,
        reconnectPeriod: 500,
      });
      clients.set(`${line.code}/${device}`, client);
    }
  }
  send({ type: 'connected', devices: clients.size });
  await new Promise<void>((resolve) => {
    process.on('message', (message: { type?: unknown }) => {
      if (message?.type === 'start') resolve();
    });
  });

  const totals: DevicesTotals = {
    published: 0,
    acknowledged: 0,
    failed: 0,
    firstAt: 0,
    lastAt: 0,
    stalledTicks: 0,
    cpuS: 0,
  };
  const cpuAtStart = process.cpuUsage();
  let inFlight = 0;
  const startedAt = Date.now();
  totals.firstAt = startedAt;
  const progress = setInterval(() => send({ type: 'progress', ...totals }), 1000);

  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = Date.now();
      const elapsed = now - startedAt;
      const due = Math.floor((Math.min(elapsed, config.durationMs) / 1000) * config.rate);
      while (totals.published < due && inFlight < config.inFlight) {
        const event = model.next();
        const [, , , line, device] = event.topic.split('/');
        const client = clients.get(`${line}/${device}`);
        if (client === undefined) continue;
        const ts = Date.now();
        totals.published++;
        totals.lastAt = ts;
        inFlight++;
        client.publish(event.topic, JSON.stringify({ ...event.payload, ts }), { qos: 1 }, (err) => {
          inFlight--;
          if (err) totals.failed++;
          else totals.acknowledged++;
        });
      }
      if (totals.published < due) totals.stalledTicks++;
      if (elapsed >= config.durationMs && inFlight === 0) return resolve();
      // Past the duration only the outstanding PUBACKs are awaited; a broker that never answers
      // leaves them counted as failed by the parent's timeout, not here.
      setTimeout(tick, TICK_MS);
    };
    tick();
  });
  clearInterval(progress);
  const cpu = process.cpuUsage(cpuAtStart);
  totals.cpuS = (cpu.user + cpu.system) / 1e6;
  send({ type: 'done', ...totals });
  await Promise.all([...clients.values()].map((client) => client.endAsync()));
}

run(JSON.parse(process.argv[2] ?? '{}') as DevicesConfig).then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(
      `e2e devices: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);

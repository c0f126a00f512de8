import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { EdgeEnvError, loadEdgeEnv } from '../env';
import { readMqttUrl } from '../ingress/mqtt-url-file';
import { parseLineOrders } from './line-orders';
import { demoLayout } from './plant-model';
import { Simulator } from './simulator';

const USAGE = `Usage: pnpm --filter @plantline/edge simulate [options]

  --broker URL      MQTT broker (default: the running edge's, from its data dir, else mqtt://127.0.0.1:1883)
  --username, --password   MQTT credentials (EDGE_MQTT_USERNAME / EDGE_MQTT_PASSWORD by default)
  --plant CODE      plant code (default RIV); a demo plant (RIV, LAK) runs as seeded (docs/demo.md)
  --lines L1,L2     instead: these line codes (default L1,L2), every machine typical
  --machines N      instead: machines per line, M1..MN (default 5)
  --stations N      instead: scan stations per line, S1..SN (default 2)
  --seed N          same seed, same sequence of events (default 1)
  --rate N          publish N events/s, ignoring simulated time (benchmarks)
  --speed X         without --rate: simulated time runs X times faster than the clock (default 1)
  --shift-zone TZ   the plant's time zone (e.g. Europe/Berlin): planned breaks follow its shifts
                    at 06:00, 14:00 and 22:00 local (wall-clock speed only)
  --orders JSON     the plant's orders in progress by line, {"L1":{"number":…,"product":…,"quantity":N}}:
                    each line's last machine counts N good parts for its order (pnpm start passes them)
  --duration S      stop after S seconds (default: until Ctrl-C)
  --events N        stop after N events

Prints one JSON line with the totals when it stops.
`;

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      broker: { type: 'string' },
      username: { type: 'string' },
      password: { type: 'string' },
      plant: { type: 'string' },
      lines: { type: 'string' },
      machines: { type: 'string' },
      stations: { type: 'string' },
      seed: { type: 'string' },
      rate: { type: 'string' },
      speed: { type: 'string' },
      duration: { type: 'string' },
      'shift-zone': { type: 'string' },
      events: { type: 'string' },
      orders: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const env = loadEdgeEnv();
  const number = (name: string, value: string | undefined, fallback?: number) => {
    if (value === undefined) return fallback;
    const parsed = Number(value);
    if (!Number.isFinite(parsed) || parsed <= 0) throw new Error(`--${name} must be a positive number`);
    return parsed;
  };
  const log = pino({ level: env.logLevel, base: { service: 'plantline-simulator' } }, pino.destination(2));
  const brokerUrl = values.broker ?? (await readMqttUrl(env.dataDir)) ?? 'mqtt://127.0.0.1:1883';
  const zone = values['shift-zone'];
  if (zone !== undefined && !Intl.supportedValuesOf('timeZone').includes(zone) && zone !== 'UTC')
    throw new Error(`--shift-zone must be an IANA time zone such as Europe/Berlin, not "${zone}"`);
  const simulator = new Simulator({
    brokerUrl,
    username: values.username ?? env.mqttUsername,
    password: values.password ?? env.mqttPassword,
    layout: demoLayout({
      plant: values.plant,
      lines: values.lines?.split(',').map((line) => line.trim()),
      machines: number('machines', values.machines),
      stations: values.stations === '0' ? 0 : number('stations', values.stations),
    }),
    seed: number('seed', values.seed, 1)!,
    rate: number('rate', values.rate),
    speed: number('speed', values.speed, 1)!,
    maxEvents: number('events', values.events),
    shiftZone: zone,
    ...(values.orders === undefined ? {} : { orders: parseLineOrders(values.orders) }),
    log,
  });
  const duration = number('duration', values.duration);
  const stopped = new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
    if (duration !== undefined) setTimeout(resolve, duration * 1000).unref();
  });
  await simulator.start();
  await Promise.race([simulator.done, stopped]);
  await simulator.stop();
  const stats = simulator.stats();
  const seconds = (Date.now() - stats.startedAt) / 1000;
  const summary = { ...stats, seconds, events_per_s: Math.round(stats.acknowledged / seconds) };
  process.stdout.write(`${JSON.stringify(summary)}\n`);
  return stats.failed > 0 ? 1 : 0;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (err) {
  const message = err instanceof EdgeEnvError || err instanceof Error ? err.message : String(err);
  process.stderr.write(`plantline-simulate: ${message}\n\n${USAGE}`);
  process.exitCode = 2;
}

import { connectAsync, type MqttClient } from 'mqtt';
import type { Logger } from '../logger';
import type { Unit } from '../unit';
import { type LineOrder, type PlantLayout, PlantModel, type SimEvent, shiftPhaseAt } from './plant-model';

export interface SimulatorOptions {
  brokerUrl: string;
  username?: string;
  password?: string;
  layout: PlantLayout;
  seed: number;
  /**
   * Events per second regardless of simulated time (benchmarks), or undefined to follow simulated time
   * on the wall clock, `speed` times faster.
   */
  rate?: number;
  speed: number;
  /**
   * The plant's IANA time zone: on the wall clock (speed 1, no rate) the planned breaks then fall
   * where the plant's shift calendar has them (shifts at 06:00, 14:00, 22:00 local).
   */
  shiftZone?: string;
  /** Stop after this many events (undefined: run until stopped). */
  maxEvents?: number;
  /** Per line code, the plant's order in progress there, which the line's last machine counts for. */
  orders?: Readonly<Record<string, LineOrder>>;
  log: Logger;
}

export interface SimulatorStats {
  published: number;
  acknowledged: number;
  failed: number;
  startedAt: number;
}

/** Unacknowledged QoS 1 publishes allowed at once; beyond it the simulator waits, as a device would. */
const IN_FLIGHT = 1000;
const TICK_MS = 20;

/**
 * Drives the plant model's events into a broker over MQTT (QoS 1), one connection per simulated
 * machine or station like real devices, so the edge sees its device count and per-device order.
 */
export class Simulator implements Unit {
  readonly name = 'simulator';
  #model: PlantModel | undefined;
  #clients = new Map<string, MqttClient>();
  #timer: NodeJS.Timeout | undefined;
  #pending: SimEvent | undefined;
  #inFlight = 0;
  #stats: SimulatorStats = { published: 0, acknowledged: 0, failed: 0, startedAt: 0 };
  #done: Promise<void>;
  #resolveDone: () => void = () => {};

  constructor(private readonly options: SimulatorOptions) {
    this.#done = new Promise((resolve) => {
      this.#resolveDone = resolve;
    });
  }

  /** Resolves when maxEvents were published and acknowledged (or the simulator was stopped). */
  get done(): Promise<void> {
    return this.#done;
  }

  stats(): SimulatorStats {
    return { ...this.#stats };
  }

  async start(): Promise<void> {
    const { layout, brokerUrl, username, password, seed } = this.options;
    const realtime = this.options.rate === undefined && this.options.speed === 1;
    const shiftPhaseMs =
      realtime && this.options.shiftZone !== undefined
        ? shiftPhaseAt(new Date(), this.options.shiftZone)
        : undefined;
    this.#model = new PlantModel(layout, seed, {
      shiftPhaseMs,
      ...(this.options.orders === undefined ? {} : { orders: this.options.orders }),
    });
    const devices = layout.lines.flatMap((line) =>
      [...line.machines, ...line.stations].map((code) => `${line.code}/${code}`),
    );
    for (const device of devices) {
      const clientId = `plantline-sim-${layout.plant}-${device.replace('/', '-')}-${seed}`;
      const client = await connectAsync(brokerUrl, { clientId, username, password, reconnectPeriod: 500 });
      this.#clients.set(device, client);
    }
    this.options.log.info(
      { brokerUrl, devices: devices.length, seed, rate: this.options.rate ?? null },
      'simulator connected',
    );
    this.#stats.startedAt = Date.now();
    this.#tick();
  }

  async stop(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await Promise.all([...this.#clients.values()].map((client) => client.endAsync()));
    this.#clients.clear();
    this.#resolveDone();
  }

  #tick = (): void => {
    const model = this.#model;
    if (!model) return;
    const elapsed = Date.now() - this.#stats.startedAt;
    const { rate, speed, maxEvents } = this.options;
    const due = (event: SimEvent, index: number) =>
      rate === undefined ? event.at <= elapsed * speed : index < Math.floor((elapsed / 1000) * rate);
    while (this.#inFlight < IN_FLIGHT && (maxEvents === undefined || this.#stats.published < maxEvents)) {
      const event = this.#pending ?? model.next();
      if (!due(event, this.#stats.published)) {
        this.#pending = event;
        break;
      }
      this.#pending = undefined;
      this.#publish(event);
    }
    if (maxEvents !== undefined && this.#stats.acknowledged + this.#stats.failed >= maxEvents) {
      this.#resolveDone();
      return;
    }
    this.#timer = setTimeout(this.#tick, TICK_MS);
  };

  #publish(event: SimEvent): void {
    const [, , , line, device] = event.topic.split('/');
    const client = this.#clients.get(`${line}/${device}`);
    if (!client) return;
    // Device time only when simulated time runs at wall-clock speed; a faster clock would run ahead of
    // the edge's skew bound (5 minutes) within minutes.
    const realtime = this.options.rate === undefined && this.options.speed === 1;
    const payload = realtime
      ? { ...event.payload, ts: new Date(this.#stats.startedAt + event.at).toISOString() }
      : event.payload;
    this.#stats.published++;
    this.#inFlight++;
    client.publish(event.topic, JSON.stringify(payload), { qos: 1 }, (err) => {
      this.#inFlight--;
      if (err) this.#stats.failed++;
      else this.#stats.acknowledged++;
    });
  }
}

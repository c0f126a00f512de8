import { connectAsync, type IPublishPacket, type MqttClient, Store } from 'mqtt';

/*
 * Plant devices for the end-to-end fault tests: MQTT clients that publish counts with QoS 1 and a
 * per-device sequence number in `order`, so every stored row says which publish it came from.
 */

type StoredPacket = Parameters<Store['put']>[0];

/**
 * MQTT 3.1.1 and 5 §3.3.1.1: a sender MUST set DUP = 1 when it re-delivers a PUBLISH and 0 on the
 * first attempt. mqtt.js 5 resends unacknowledged publishes from its outgoing store after a reconnect
 * but never sets DUP (https://github.com/mqttjs/MQTT.js/issues/692), unlike Paho or libmosquitto;
 * the edge can only recognise a resend of a message it stored before the PUBACK was lost by that
 * flag (edge-crash.e2e.test.ts: no duplicates). This store marks exactly the packets that were
 * written to some connection and not yet acknowledged when the store is replayed; a publish queued
 * while offline keeps DUP = 0 on its first attempt.
 */
class ResendMarkingStore extends Store {
  readonly #written = new Set<number>();

  /** mqtt.js emits `packetsend` for every packet it writes to the socket. */
  noteWritten(packet: { cmd: string; messageId?: number | undefined; qos?: number }): void {
    if (packet.cmd === 'publish' && packet.qos !== 0 && packet.messageId !== undefined) {
      this.#written.add(packet.messageId);
    }
  }

  override del(packet: Pick<StoredPacket, 'messageId'>, cb: Parameters<Store['del']>[1]) {
    if (packet.messageId !== undefined) this.#written.delete(packet.messageId);
    return super.del(packet, cb);
  }

  override createStream() {
    for (const messageId of this.#written) {
      // The in-memory store answers synchronously; the packet is the one the replay sends.
      this.get({ messageId }, (err, stored) => {
        if (!err && stored?.cmd === 'publish') (stored as IPublishPacket).dup = true;
      });
    }
    return super.createStream();
  }
}

export interface Device {
  readonly client: MqttClient;
  /** QoS 1: resolves on the PUBACK (which the edge sends only once the event is on its disk). */
  publish(topic: string, payload: string | object, timeoutMs?: number): Promise<void>;
}

/**
 * Reconnects every 100 ms and resends what was not acknowledged, as a PLC gateway with QoS 1 would.
 * The client id is fixed: it is what the receiver knows a resend by.
 */
export async function connectDevice(url: string, clientId: string): Promise<Device> {
  const store = new ResendMarkingStore();
  const client = await connectAsync(url, { clientId, reconnectPeriod: 100, outgoingStore: store });
  client.on('packetsend', (packet) => store.noteWritten(packet));
  // A device keeps running when its broker goes away; the tests read the outcome from PUBACKs.
  client.on('error', () => {});
  return {
    client,
    publish: async (topic, payload, timeoutMs = 15_000) => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no PUBACK within ${timeoutMs} ms for ${topic}`)),
          timeoutMs,
        );
      });
      const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
      try {
        await Promise.race([client.publishAsync(topic, body, { qos: 1 }), timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

export interface Stream {
  /** Sequence numbers PUBACKed so far, per machine. */
  readonly acked: ReadonlyMap<string, ReadonlySet<number>>;
  ackedCount(): number;
  /** Publishes sent and not yet acknowledged, across devices. */
  inFlight(): number;
  /** Resolves once every device got every PUBACK; rejects on the first missing one. */
  readonly done: Promise<void>;
}

/**
 * One device per machine publishing counts 1..perDevice in order, with up to `window` publishes
 * awaiting their PUBACK at a time (a gateway's in-flight window) and `pauseMs` between windows.
 */
export function streamCounts(options: {
  devices: ReadonlyMap<string, Device>;
  topic: (machine: string) => string;
  product: string;
  perDevice: number;
  window: number;
  pauseMs: number;
  pubackTimeoutMs?: number;
  /** Awaited before each window: lets a test hold the devices between two windows. */
  gate?: () => Promise<void>;
}): Stream {
  const acked = new Map<string, Set<number>>();
  let inFlight = 0;
  const run = async (machine: string, device: Device) => {
    const mine = new Set<number>();
    acked.set(machine, mine);
    for (let from = 1; from <= options.perDevice; from += options.window) {
      await options.gate?.();
      const to = Math.min(from + options.window - 1, options.perDevice);
      const pending: Promise<void>[] = [];
      for (let n = from; n <= to; n++) {
        const payload = { good: 1, product: options.product, order: String(n) };
        inFlight++;
        pending.push(
          device
            .publish(options.topic(machine), payload, options.pubackTimeoutMs)
            .then(() => void mine.add(n))
            .finally(() => {
              inFlight--;
            }),
        );
      }
      await Promise.all(pending);
      if (options.pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, options.pauseMs));
    }
  };
  const done = Promise.all([...options.devices].map(([machine, device]) => run(machine, device))).then(
    () => undefined,
  );
  // Observed through `done` by the test; without this an early rejection would be reported unhandled.
  done.catch(() => {});
  return {
    acked,
    ackedCount: () => [...acked.values()].reduce((sum, set) => sum + set.size, 0),
    inFlight: () => inFlight,
    done,
  };
}

export async function disconnectAll(devices: Iterable<Device>): Promise<void> {
  await Promise.all([...devices].map((device) => device.client.endAsync(true)));
}

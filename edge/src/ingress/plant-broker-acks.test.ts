import { join } from 'node:path';
import type { EventEnvelope } from '@plantline/schema';
import { connectAsync, type MqttClient } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { DeadLetterStore } from '../dead-letter/dead-letter-store';
import { createLogger } from '../logger';
import { Outbox } from '../outbox/outbox';
import { deadLettersOnDisk, eventsOnDisk } from '../testing/outbox-on-disk';
import { startPrivateMosquitto } from '../testing/private-mosquitto';
import { tempDir } from '../testing/temp-dir';
import { waitFor } from '../testing/wait-for';
import { UnitGroup } from '../unit';
import { Ingress } from './ingress';
import { PlantBrokerClient } from './plant-broker-client';

/*
 * Acknowledgements to a plant broker with many messages in flight (docs/device-integration.md,
 * "Plant broker: throughput and the acknowledgement"), against a Mosquitto of the test's own: its
 * queue for the edge must not drop anything, and a test's leftover session must not reach others.
 */
const log = createLogger({ logLevel: 'silent', name: 'test' });
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const CLIENT_ID = 'plantline-edge-acks-test';

async function setUp() {
  const mosquitto = await startPrivateMosquitto();
  cleanups.push(mosquitto.stop);
  const temp = await tempDir('broker-acks');
  cleanups.push(temp.remove);
  const outboxDir = join(temp.dir, 'outbox');
  const startEdge = async (makeIngress: (deps: ConstructorParameters<typeof Ingress>[0]) => Ingress) => {
    const outbox = new Outbox({
      dir: outboxDir,
      maxBytes: 1 << 30,
      recoverOrigins: { maxRecords: 10_000, maxAgeMs: 120_000 },
      log,
    });
    const deadLetters = new DeadLetterStore({ dir: temp.dir, log });
    const ingress = makeIngress({ outbox, deadLetters });
    const client = new PlantBrokerClient({
      url: mosquitto.url,
      clientId: CLIENT_ID,
      username: undefined,
      password: undefined,
      ingress,
      log,
    });
    const units = new UnitGroup([outbox, ingress, deadLetters, client], log);
    await units.start();
    cleanups.push(() => units.stop());
    await waitFor(() => (client.status().connected ? true : undefined));
    // The subscription is sent right after CONNACK; give Mosquitto a moment to register it.
    await new Promise((resolve) => setTimeout(resolve, 200));
    return { units, ingress, client };
  };
  const device = async (): Promise<MqttClient> => {
    const client = await connectAsync(mosquitto.url, { reconnectPeriod: 0 });
    cleanups.push(() => client.endAsync(true));
    return client;
  };
  return { outboxDir, dataDir: temp.dir, startEdge, device };
}

const order = (event: EventEnvelope) => Number((event.payload as { order: string }).order);
const ofMachine = (events: EventEnvelope[], machine: string) =>
  events.filter((event) => event.machine === machine).map(order);
const oneTo = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

/** Holds every acknowledgement until `count` messages have arrived: only possible with all in flight at once. */
class IngressHoldingAcks extends Ingress {
  arrived = 0;
  #open: () => void = () => {};
  readonly #gate = new Promise<void>((resolve) => {
    this.#open = resolve;
  });

  constructor(
    deps: ConstructorParameters<typeof Ingress>[0],
    private readonly count: number,
  ) {
    super(deps);
  }

  override async accept(...args: Parameters<Ingress['accept']>): ReturnType<Ingress['accept']> {
    const outcome = super.accept(...args);
    if (++this.arrived >= this.count) this.#open();
    await this.#gate;
    return outcome;
  }
}

describe('PlantBrokerClient acknowledgements (against Mosquitto)', () => {
  it('takes many messages in flight, stores them in order per machine, dead-letters the malformed, acknowledges all', async () => {
    const { outboxDir, dataDir, startEdge, device } = await setUp();
    const perMachine = 150;
    const machines = ['M1', 'M2', 'M3'];
    const malformedEvery = 10;
    const malformed = Math.floor(perMachine / malformedEvery) * machines.length;
    const total = perMachine * machines.length + malformed;
    const edge = await startEdge((deps) => new IngressHoldingAcks(deps, total));
    const publisher = await device();
    const publishes: Promise<unknown>[] = [];
    for (let n = 1; n <= perMachine; n++) {
      for (const machine of machines) {
        const topic = `plantline/v1/RIV/L1/${machine}/count`;
        publishes.push(
          publisher.publishAsync(topic, JSON.stringify({ good: 1, order: String(n) }), { qos: 1 }),
        );
        if (n % malformedEvery === 0) publishes.push(publisher.publishAsync(topic, '{"good":', { qos: 1 }));
      }
    }
    await Promise.all(publishes);
    // Every acknowledgement waits until all messages have arrived: one message at a time would stall here.
    await waitFor(() => ((edge.ingress as IngressHoldingAcks).arrived >= total ? true : undefined), 10_000);
    const events = await waitFor(async () => {
      const onDisk = await eventsOnDisk(outboxDir);
      return onDisk.length >= perMachine * machines.length ? onDisk : undefined;
    }, 10_000);
    expect(events).toHaveLength(perMachine * machines.length);
    for (const machine of machines) expect(ofMachine(events, machine)).toEqual(oneTo(perMachine));
    expect(await deadLettersOnDisk(dataDir)).toHaveLength(malformed);

    // All were acknowledged: the next run on the same session gets only what is published after.
    await edge.units.stop();
    const next = await startEdge((deps) => new Ingress(deps));
    await publisher.publishAsync('plantline/v1/RIV/L1/M9/count', '{"good":1,"order":"1"}', { qos: 1 });
    await waitFor(() => (next.ingress.stats().storedTotal === 1 ? true : undefined));
    expect(next.ingress.stats()).toMatchObject({ receivedTotal: 1, resendsRecognisedTotal: 0 });
  });

  it('acknowledges nothing from a refused message on, and stores the redelivery once and in order', async () => {
    const { outboxDir, startEdge, device } = await setUp();
    const total = 400;
    const refuseFrom = 120;
    /** Refuses from the refuseFrom-th message until the connection is given up, as a full outbox would. */
    class IngressRunningFull extends Ingress {
      arrived = 0;
      full = false;
      override accept(...args: Parameters<Ingress['accept']>): ReturnType<Ingress['accept']> {
        if (++this.arrived === refuseFrom) this.full = true;
        if (this.full) return Promise.reject(new Error('outbox full (test)'));
        return super.accept(...args);
      }
    }
    const edge = await startEdge((deps) => new IngressRunningFull(deps));
    const ingress = edge.ingress as IngressRunningFull;
    const publisher = await device();
    const publishes: Promise<unknown>[] = [];
    for (let n = 1; n <= total; n++) {
      const payload = JSON.stringify({ good: 1, order: String(n) });
      publishes.push(publisher.publishAsync('plantline/v1/RIV/L1/M1/count', payload, { qos: 1 }));
    }
    await Promise.all(publishes);
    await waitFor(() => (ingress.full && !edge.client.status().connected ? true : undefined), 10_000);
    expect(edge.client.status().lastError).toBe('outbox full (test)');
    // Room again once the edge has given up the connection; the broker redelivers on the next one.
    ingress.full = false;
    const events = await waitFor(async () => {
      const onDisk = await eventsOnDisk(outboxDir);
      return onDisk.length >= total ? onDisk : undefined;
    }, 15_000);
    // None missing, none twice, in order; a little longer, in case anything else came.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(ofMachine(await eventsOnDisk(outboxDir), 'M1')).toEqual(oneTo(total));
    expect(events).toHaveLength(total);
  });

  it('stores once what was on disk but never acknowledged when the edge went down: the redelivery is recognised', async () => {
    const { outboxDir, startEdge, device } = await setUp();
    const total = 300;
    // The acknowledgements never go out: as if the edge died right after the outbox's sync.
    const first = await startEdge((deps) => new IngressHoldingAcks(deps, Number.POSITIVE_INFINITY));
    const publisher = await device();
    await Promise.all(
      oneTo(total).map((n) =>
        publisher.publishAsync(
          'plantline/v1/RIV/L1/M1/count',
          JSON.stringify({ good: 1, order: String(n) }),
          {
            qos: 1,
          },
        ),
      ),
    );
    await waitFor(async () => ((await eventsOnDisk(outboxDir)).length === total ? true : undefined), 10_000);
    await first.units.stop();

    // The broker redelivers all of them with DUP = 1; the origins kept in the outbox tell them apart.
    const second = await startEdge((deps) => new Ingress(deps));
    await waitFor(() => (second.ingress.stats().resendsRecognisedTotal === total ? true : undefined), 10_000);
    expect(second.ingress.stats()).toMatchObject({ receivedTotal: total, storedTotal: 0 });
    expect(ofMachine(await eventsOnDisk(outboxDir), 'M1')).toEqual(oneTo(total));
  });
});

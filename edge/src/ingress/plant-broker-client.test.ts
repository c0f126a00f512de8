import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { connectAsync } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { DeadLetterStore } from '../dead-letter/dead-letter-store';
import { createLogger } from '../logger';
import { Outbox } from '../outbox/outbox';
import { deadLettersOnDisk, eventsOnDisk } from '../testing/outbox-on-disk';
import { tempDir } from '../testing/temp-dir';
import { waitFor } from '../testing/wait-for';
import { UnitGroup } from '../unit';
import { Ingress } from './ingress';
import { PlantBrokerClient } from './plant-broker-client';

// The Mosquitto that runs on this machine: client mode is tested against a real plant broker.
const MOSQUITTO = 'mqtt://127.0.0.1:1883';
const log = createLogger({ logLevel: 'silent', name: 'test' });
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** An edge in client mode with its outbox in `outboxDir`, connected and subscribed. */
async function startEdge(dir: string, outboxDir: string, clientId: string) {
  const outbox = new Outbox({ dir: outboxDir, maxBytes: 1 << 30, log });
  const deadLetters = new DeadLetterStore({ dir, log });
  const ingress = new Ingress({ outbox, deadLetters });
  const client = new PlantBrokerClient({
    url: MOSQUITTO,
    clientId,
    username: undefined,
    password: undefined,
    ingress,
    log,
  });
  const units = new UnitGroup([outbox, deadLetters, client], log);
  await units.start();
  await waitFor(() => (client.status().connected ? true : undefined));
  // The subscription is sent right after CONNACK; give Mosquitto a moment to register it.
  await new Promise((resolve) => setTimeout(resolve, 200));
  return { units, client };
}

describe('PlantBrokerClient (against Mosquitto)', () => {
  it('stores what devices publish, dead-letters the malformed, and catches up on its persistent session', async () => {
    const temp = await tempDir('client');
    cleanups.push(temp.remove);
    // A plant code and client id of this run only, so runs and other tests on the shared broker never mix.
    const plant = `T${randomBytes(4).toString('hex')}`;
    const clientId = `plantline-edge-test-${plant}`;
    const outboxDir = join(temp.dir, 'outbox');

    const device = await connectAsync(MOSQUITTO, { reconnectPeriod: 0 });
    cleanups.push(() => device.endAsync(true));
    const first = await startEdge(temp.dir, outboxDir, clientId);
    let stopped = false;
    cleanups.push(async () => {
      if (!stopped) await first.units.stop();
    });
    expect(first.client.status()).toMatchObject({ mode: 'client', connected: true, connectedDevices: null });
    for (let n = 1; n <= 10; n++) {
      await device.publishAsync(`plantline/v1/${plant}/L1/M1/count`, JSON.stringify({ good: n }), { qos: 1 });
      if (n % 5 === 0)
        await device.publishAsync(`plantline/v1/${plant}/L1/M1/state`, '{"state":', { qos: 1 });
    }
    await waitFor(async () => ((await eventsOnDisk(outboxDir)).length === 10 ? true : undefined));
    await waitFor(async () => ((await deadLettersOnDisk(temp.dir)).length === 2 ? true : undefined));

    // Away for a while: Mosquitto queues for the persistent session, the edge gets it all on return.
    await first.units.stop();
    stopped = true;
    for (let n = 11; n <= 15; n++) {
      await device.publishAsync(`plantline/v1/${plant}/L1/M1/count`, JSON.stringify({ good: n }), { qos: 1 });
    }
    const second = await startEdge(temp.dir, outboxDir, clientId);
    cleanups.push(() => second.units.stop());
    const events = await waitFor(async () => {
      const onDisk = await eventsOnDisk(outboxDir);
      return onDisk.length >= 15 ? onDisk : undefined;
    });
    expect(events.map((event) => (event.payload as { good: number }).good)).toEqual(
      Array.from({ length: 15 }, (_, n) => n + 1),
    );
    expect(events.every((event) => event.plant === plant)).toBe(true);
  });

  it('dead-letters plantline/ topics that are not contract topics', async () => {
    const temp = await tempDir('client');
    cleanups.push(temp.remove);
    const plant = `T${randomBytes(4).toString('hex')}`;
    const { units } = await startEdge(temp.dir, join(temp.dir, 'outbox'), `plantline-edge-test-${plant}`);
    cleanups.push(() => units.stop());
    const device = await connectAsync(MOSQUITTO, { reconnectPeriod: 0 });
    cleanups.push(() => device.endAsync(true));
    const topics = [`plantline/v2/${plant}`, `plantline//${plant}/b/c/state`];
    for (const topic of topics) await device.publishAsync(topic, '{"good":1}', { qos: 1 });
    // Other runs may share this broker: only this run's topics count.
    const ours = await waitFor(async () => {
      const dead = (await deadLettersOnDisk(temp.dir)).filter((letter) => letter.topic.includes(plant));
      return dead.length === 2 ? dead : undefined;
    });
    expect(ours.map((letter) => letter.topic)).toEqual(topics);
    expect(ours.every((letter) => letter.reason.startsWith('topic must be plantline/v1/'))).toBe(true);
  });

  it('stores QoS 0 messages too (nothing to acknowledge), in order with the QoS 1 ones', async () => {
    const temp = await tempDir('client');
    cleanups.push(temp.remove);
    const plant = `T${randomBytes(4).toString('hex')}`;
    const outboxDir = join(temp.dir, 'outbox');
    const { units } = await startEdge(temp.dir, outboxDir, `plantline-edge-test-${plant}`);
    cleanups.push(() => units.stop());
    const device = await connectAsync(MOSQUITTO, { reconnectPeriod: 0 });
    cleanups.push(() => device.endAsync(true));
    const topic = `plantline/v1/${plant}/L1/M1/count`;
    for (let n = 1; n <= 6; n++) {
      await device.publishAsync(topic, JSON.stringify({ good: n }), { qos: n % 2 === 0 ? 0 : 1 });
    }
    const events = await waitFor(async () => {
      const onDisk = await eventsOnDisk(outboxDir);
      return onDisk.length >= 6 ? onDisk : undefined;
    });
    expect(events.map((event) => (event.payload as { good: number }).good)).toEqual([1, 2, 3, 4, 5, 6]);
  });
});

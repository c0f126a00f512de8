import { join } from 'node:path';
import { connectAsync, type MqttClient } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { DeadLetterStore } from '../dead-letter/dead-letter-store';
import { DeviceAuth } from '../devices/device-auth';
import { createLogger } from '../logger';
import { Outbox } from '../outbox/outbox';
import { startIngressOnDisk } from '../testing/ingress-on-disk';
import { FixedPacketId, ResendMarkingStore } from '../testing/mqtt-devices';
import { deadLettersOnDisk, eventsOnDisk } from '../testing/outbox-on-disk';
import { occupyPort } from '../testing/ports';
import { tempDir } from '../testing/temp-dir';
import { waitFor } from '../testing/wait-for';
import { UnitGroup } from '../unit';
import { EmbeddedBroker } from './embedded-broker';
import { Ingress } from './ingress';

const log = createLogger({ logLevel: 'silent', name: 'test' });
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function startBroker(localLogin?: { username: string; password: string }, port = 0, dataDir?: string) {
  const auth = localLogin ? new DeviceAuth({ localLogin, allowAnonymous: false }) : undefined;
  return startIngressOnDisk({ log, onCleanup: (cleanup) => cleanups.push(cleanup), auth, port, dataDir });
}

async function device(
  url: string,
  options: { username?: string; password?: string } = {},
): Promise<MqttClient> {
  const client = await connectAsync(url, { reconnectPeriod: 0, ...options });
  cleanups.push(() => client.endAsync(true));
  return client;
}

/** Reconnects at once and resends with DUP = 1, as the spec asks (mqtt-devices.ts). */
async function resendingDevice(url: string): Promise<MqttClient> {
  const outgoingStore = new ResendMarkingStore();
  const client = await connectAsync(url, { reconnectPeriod: 50, clientId: 'press-9', outgoingStore });
  outgoingStore.watch(client);
  cleanups.push(() => client.endAsync(true));
  return client;
}

describe('EmbeddedBroker', () => {
  it('acknowledges a QoS 1 publish only once the event is on disk', async () => {
    const edge = await startBroker();
    const client = await device(edge.url);
    const payload = JSON.stringify({ good: 3, scrap: 1, product: 'P-100', ts: new Date().toISOString() });
    await client.publishAsync('plantline/v1/RIV/L1/M1/count', payload, { qos: 1 });
    // Read from the files, not from memory: this is what a crash right after the PUBACK leaves.
    const [event] = await eventsOnDisk(edge.outboxDir);
    expect(event).toMatchObject({
      plant: 'RIV',
      line: 'L1',
      machine: 'M1',
      kind: 'count',
      payload: { good: 3, scrap: 1 },
    });
    expect(event?.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
    expect(edge.broker.status()).toMatchObject({ mode: 'embedded', connectedDevices: 1 });
  });

  it('keeps valid events in order and puts malformed ones in the dead-letter store', async () => {
    const edge = await startBroker();
    const client = await device(edge.url);
    const malformed: [string, string][] = [
      ['plantline/v1/RIV/L1/M1/count', '{"good": -1}'],
      ['plantline/v1/RIV/L1/M1/state', 'not json'],
      ['plantline/v1/RIV/L1/M1/temperature', '{"values":{"t":1}}'],
      ['plantline/v1/RIV/L1/count', '{"good":1}'],
      ['plantline/v1/RIV/L1/M1/scan', '{"code":"A","extra":true}'],
    ];
    for (let n = 0; n < 20; n++) {
      await client.publishAsync('plantline/v1/RIV/L1/M2/count', JSON.stringify({ good: n + 1 }), { qos: 1 });
      const bad = malformed[n / 4];
      if (bad) await client.publishAsync(bad[0], bad[1], { qos: 1 });
    }
    await client.publishAsync('factory/other/topic', 'not ours', { qos: 1 });
    const events = await eventsOnDisk(edge.outboxDir);
    expect(events.map((event) => (event.payload as { good: number }).good)).toEqual(
      Array.from({ length: 20 }, (_, n) => n + 1),
    );
    const dead = await deadLettersOnDisk(edge.dataDir);
    expect(dead).toHaveLength(5);
    expect(dead.map((letter) => letter.reason)).toEqual([
      expect.stringContaining('invalid count payload'),
      'payload is not JSON',
      expect.stringContaining('kind "temperature"'),
      expect.stringContaining('{plant}'),
      expect.stringContaining('invalid scan payload'),
    ]);
    expect(dead[1]).toMatchObject({ topic: 'plantline/v1/RIV/L1/M1/state', payload: 'not json' });
    expect(edge.ingress.stats()).toMatchObject({ receivedTotal: 25, storedTotal: 20, deadLetteredTotal: 5 });
  });

  it("recognises a device's DUP = 1 resend by client id, packet id and content, and stores DUP = 0", async () => {
    const edge = await startBroker();
    const client = await connectAsync(edge.url, {
      reconnectPeriod: 0,
      clientId: 'press-7',
      messageIdProvider: new FixedPacketId(17),
    });
    cleanups.push(() => client.endAsync(true));
    const topic = 'plantline/v1/RIV/L1/M1/count';
    const payload = JSON.stringify({ good: 1, order: 'PO-1' });
    await client.publishAsync(topic, payload, { qos: 1 });
    // What the device sends after a lost PUBACK: the same packet id and bytes, DUP = 1.
    await client.publishAsync(topic, payload, { qos: 1, dup: true });
    // The id acknowledged and used again without DUP: a new message (MQTT 3.1.1 §4.3.2).
    await client.publishAsync(topic, payload, { qos: 1 });
    expect(await eventsOnDisk(edge.outboxDir)).toHaveLength(2);
    expect(edge.ingress.stats()).toMatchObject({
      receivedTotal: 3,
      storedTotal: 2,
      resendsRecognisedTotal: 1,
    });
  });

  /*
   * The outbox emits 'durable' synchronously once a batch is on disk, before the awaiting code runs and
   * aedes writes the PUBACK: cutting the connection there is exactly the lost-PUBACK moment.
   */
  it('recognises the resend of a message whose PUBACK was lost with the connection', async () => {
    const edge = await startBroker();
    const client = await resendingDevice(edge.url);
    edge.outbox.once('durable', () => client.stream.destroy());
    await client.publishAsync('plantline/v1/RIV/L1/M1/count', JSON.stringify({ good: 1 }), { qos: 1 });
    expect(await eventsOnDisk(edge.outboxDir)).toHaveLength(1);
    expect(edge.ingress.stats()).toMatchObject({ storedTotal: 1, resendsRecognisedTotal: 1 });
  });

  it('recognises after a restart the resend of a message stored just before the edge went down', async () => {
    const temp = await tempDir('restart');
    cleanups.push(temp.remove);
    const first = await startBroker(undefined, 0, temp.dir);
    const port = Number(new URL(first.url).port);
    const client = await resendingDevice(first.url);
    // On disk, no PUBACK: the broker's stop cuts every device off before anything else runs.
    first.outbox.once('durable', () => void first.broker.stop());
    const acked = client.publishAsync('plantline/v1/RIV/L1/M1/count', JSON.stringify({ good: 1 }), {
      qos: 1,
    });
    await waitFor(() => (first.broker.url === null ? true : undefined));
    await first.stop();

    const second = await startBroker(undefined, port, temp.dir);
    expect(second.url).toBe(first.url);
    await acked;
    expect(await eventsOnDisk(second.outboxDir)).toHaveLength(1);
    expect(second.ingress.stats()).toMatchObject({
      receivedTotal: 1,
      storedTotal: 0,
      resendsRecognisedTotal: 1,
    });
  });

  it('moves to the next free port when the configured one is taken', async () => {
    const taken = await occupyPort();
    cleanups.push(taken.release);
    const edge = await startBroker(undefined, taken.port);
    const port = Number(new URL(edge.url).port);
    expect(port).toBeGreaterThan(taken.port);
    const client = await device(edge.url);
    await client.publishAsync('plantline/v1/RIV/L1/M1/state', '{"state":"RUNNING"}', { qos: 1 });
    expect(await eventsOnDisk(edge.outboxDir)).toHaveLength(1);
  });

  it('refuses devices with the wrong password when credentials are configured', async () => {
    const edge = await startBroker({ username: 'device', password: 's3cret' });
    await expect(device(edge.url, { username: 'device', password: 'wrong' })).rejects.toThrow(
      /Bad username or password|Not authorized/i,
    );
    const client = await device(edge.url, { username: 'device', password: 's3cret' });
    await client.publishAsync('plantline/v1/RIV/L1/M1/state', '{"state":"RUNNING"}', { qos: 1 });
    expect(await eventsOnDisk(edge.outboxDir)).toHaveLength(1);
  });

  it('does not acknowledge when the outbox is full, so the device keeps the message', async () => {
    const temp = await tempDir('full');
    cleanups.push(temp.remove);
    const outbox = new Outbox({ dir: join(temp.dir, 'outbox'), maxBytes: 300, log });
    const deadLetters = new DeadLetterStore({ dir: temp.dir, log });
    const broker = new EmbeddedBroker({
      host: '127.0.0.1',
      port: 0,
      auth: new DeviceAuth({ localLogin: undefined, allowAnonymous: true }),
      ingress: new Ingress({ outbox, deadLetters }),
      log,
    });
    const units = new UnitGroup([outbox, deadLetters, broker], log);
    await units.start();
    cleanups.push(() => units.stop());
    const client = await device(broker.url!);
    await client.publishAsync('plantline/v1/RIV/L1/M1/count', '{"good":1}', { qos: 1 });
    const refused = client.publishAsync('plantline/v1/RIV/L1/M1/count', '{"good":2}', { qos: 1 });
    const outcome = await Promise.race([
      refused.then(
        () => 'acked',
        () => 'error',
      ),
      new Promise((r) => setTimeout(() => r('no ack'), 1000)),
    ]);
    expect(outcome).not.toBe('acked');
    expect(outbox.stats()).toMatchObject({ quotaState: 'full', backlogEvents: 1 });
  });
});

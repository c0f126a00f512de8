import { connectAsync, type MqttClient } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { DeviceAuth } from '../devices/device-auth';
import { createLogger } from '../logger';
import { deviceCredential } from '../testing/device-credentials';
import { startIngressOnDisk } from '../testing/ingress-on-disk';
import { deadLettersOnDisk, eventsOnDisk } from '../testing/outbox-on-disk';
import { MAX_PAYLOAD_BYTES } from './ingress';

const log = createLogger({ logLevel: 'silent', name: 'test' });
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function startBroker(auth?: DeviceAuth) {
  return startIngressOnDisk({ log, onCleanup: (cleanup) => cleanups.push(cleanup), auth });
}

/** A device whose connection ends, for whatever reason; resolves once it is closed. */
function closed(client: MqttClient): Promise<void> {
  // The edge may reset the connection mid-packet; events.once would reject on that error.
  client.on('error', () => undefined);
  return new Promise<void>((resolve) => client.once('close', () => resolve()));
}

async function device(url: string, options: { username?: string; password?: string } = {}) {
  const client = await connectAsync(url, { reconnectPeriod: 0, ...options });
  cleanups.push(() => client.endAsync(true));
  return client;
}

/** Resolves with everything `client` received once a round trip on its own connection is done. */
function collect(client: MqttClient) {
  const received: string[] = [];
  client.on('message', (topic) => received.push(topic));
  return async () => {
    // The broker writes to one connection in order: anything sent before this PUBACK arrived first.
    await client.publishAsync('other/ping', '', { qos: 1 });
    return received;
  };
}

const count = JSON.stringify({ good: 1 });

describe('EmbeddedBroker: what devices may read', () => {
  it.each(['#', '$SYS/#', 'plantline/#', 'plantline/v1/RIV/L1/M1/count', '+/v1/#'])(
    'refuses a subscription to %s and delivers nothing',
    async (filter) => {
      const edge = await startBroker();
      const reader = await device(edge.url);
      // SUBACK return code 0x80, failure (MQTT 3.1.1 §3.9.3); mqtt.js turns it into an error.
      await expect(reader.subscribeAsync(filter, { qos: 1 })).rejects.toMatchObject({
        packet: { cmd: 'suback', granted: [128] },
      });
      const receivedByReader = collect(reader);
      const writer = await device(edge.url);
      await writer.publishAsync('plantline/v1/RIV/L1/M1/count', count, { qos: 1 });
      expect(await receivedByReader()).toEqual([]);
      expect(await eventsOnDisk(edge.outboxDir)).toHaveLength(1);
    },
  );

  it('refuses publishing to $SYS topics', async () => {
    const edge = await startBroker();
    const client = await device(edge.url);
    const ended = closed(client);
    client.publish('$SYS/broker/fake', 'x', { qos: 1 });
    await ended;
    expect(edge.ingress.stats().receivedTotal).toBe(0);
  });
});

describe('EmbeddedBroker: packet size', () => {
  it('closes the connection of a device sending a packet above the limit, storing nothing', async () => {
    const edge = await startBroker();
    const client = await device(edge.url);
    const ended = closed(client);
    client.publish('plantline/v1/RIV/L1/M1/scan', Buffer.alloc(MAX_PAYLOAD_BYTES + 4096, 32), { qos: 1 });
    await ended;
    expect(edge.ingress.stats().receivedTotal).toBe(0);
    expect(await deadLettersOnDisk(edge.dataDir)).toEqual([]);
  });

  it('takes a packet carrying the largest payload the contract allows', async () => {
    const edge = await startBroker();
    const client = await device(edge.url);
    const code = 'A'.repeat(40);
    const padded = JSON.stringify({ code }).padEnd(MAX_PAYLOAD_BYTES, ' ');
    await client.publishAsync('plantline/v1/RIV/L1/M1/scan', padded, { qos: 1 });
    expect(await eventsOnDisk(edge.outboxDir)).toHaveLength(1);
  });
});

describe('EmbeddedBroker: malformed plantline topics', () => {
  it('dead-letters every plantline/ topic that is not a contract topic, ignores the rest', async () => {
    const edge = await startBroker();
    const client = await device(edge.url);
    for (const topic of ['plantline/v2/x', 'plantline//a/b/c/state', 'plantline', 'plantline/v1']) {
      await client.publishAsync(topic, count, { qos: 1 });
    }
    await client.publishAsync('plantlinex/v1/RIV/L1/M1/count', count, { qos: 1 });
    await client.publishAsync('factory/other', count, { qos: 1 });
    const dead = await deadLettersOnDisk(edge.dataDir);
    expect(dead.map((letter) => letter.topic)).toEqual([
      'plantline/v2/x',
      'plantline//a/b/c/state',
      'plantline',
      'plantline/v1',
    ]);
    expect(dead[0]?.reason).toMatch(/topic must be plantline\/v1\/\{plant\}/);
    expect(dead[1]?.reason).toMatch(/topic must be plantline\/v1\/\{plant\}/);
    expect(edge.ingress.stats()).toMatchObject({ deadLetteredTotal: 4, storedTotal: 0 });
  });
});

describe('EmbeddedBroker: device logins and rights', () => {
  function authWith(options: { local?: boolean; anonymous?: boolean } = {}) {
    const auth = new DeviceAuth({
      localLogin: options.local ? { username: 'edge-local', password: 'local-secret' } : undefined,
      allowAnonymous: options.anonymous ?? false,
    });
    auth.replace({
      credentials: [
        deviceCredential('press-1', 'press-secret', { plant: 'RIV', line: 'L1', machine: 'M1' }),
        deviceCredential('line-2', 'line-secret', { plant: 'RIV', line: 'L2' }),
        deviceCredential('old-scanner', 'old-secret', { plant: 'RIV', revoked: true }),
      ],
    });
    return auth;
  }

  it('refuses anonymous devices unless allowed, unknown usernames and wrong passwords', async () => {
    const edge = await startBroker(authWith({ local: true }));
    await expect(device(edge.url)).rejects.toThrow(/Not authorized/i);
    await expect(device(edge.url, { username: 'nobody', password: 'x' })).rejects.toThrow(
      /Bad username or password/i,
    );
    await expect(device(edge.url, { username: 'press-1', password: 'wrong' })).rejects.toThrow(
      /Bad username or password/i,
    );
    await expect(device(edge.url, { username: 'edge-local', password: 'wrong' })).rejects.toThrow(
      /Bad username or password/i,
    );
    await expect(device(edge.url, { username: 'old-scanner', password: 'old-secret' })).rejects.toThrow(
      /Bad username or password/i,
    );
    expect(edge.broker.status().connectedDevices).toBe(0);
  });

  it('refuses every device when no login is possible at all', async () => {
    const edge = await startBroker(new DeviceAuth({ localLogin: undefined, allowAnonymous: false }));
    await expect(device(edge.url)).rejects.toThrow(/Not authorized/i);
    await expect(device(edge.url, { username: 'press-1', password: 'x' })).rejects.toThrow(/Bad username/i);
  });

  it('lets a device publish within its plant, line and machine only', async () => {
    const edge = await startBroker(authWith());
    const press = await device(edge.url, { username: 'press-1', password: 'press-secret' });
    await press.publishAsync('plantline/v1/RIV/L1/M1/count', count, { qos: 1 });
    // Inside its rights but malformed: the ingress dead-letters it, as for any device.
    await press.publishAsync('plantline/v1/RIV/L1/M1/bogus', count, { qos: 1 });
    const ended = closed(press);
    press.publish('plantline/v1/RIV/L1/M2/count', count, { qos: 1 });
    await ended;

    const line = await device(edge.url, { username: 'line-2', password: 'line-secret' });
    await line.publishAsync('plantline/v1/RIV/L2/M7/state', '{"state":"RUNNING"}', { qos: 1 });
    for (const outside of [
      'plantline/v1/RIV/L1/M1/count',
      'plantline/v1/HAM/L2/M7/count',
      'plantline/v2/x',
    ]) {
      const other = await device(edge.url, { username: 'line-2', password: 'line-secret' });
      const otherEnded = closed(other);
      other.publish(outside, count, { qos: 1 });
      await otherEnded;
    }
    const events = await eventsOnDisk(edge.outboxDir);
    expect(events.map((event) => `${event.line}/${event.machine}/${event.kind}`)).toEqual([
      'L1/M1/count',
      'L2/M7/state',
    ]);
    expect((await deadLettersOnDisk(edge.dataDir)).map((letter) => letter.topic)).toEqual([
      'plantline/v1/RIV/L1/M1/bogus',
    ]);
  });

  // The edge's API key confines these to its plants in the cloud, which rejects any other plant's events.
  it('leaves the local login and anonymous devices (when allowed) unscoped at the broker', async () => {
    const edge = await startBroker(authWith({ local: true, anonymous: true }));
    const local = await device(edge.url, { username: 'edge-local', password: 'local-secret' });
    await local.publishAsync('plantline/v1/RIV/L9/M9/count', count, { qos: 1 });
    await local.publishAsync('plantline/v1/HAM/L1/M1/count', count, { qos: 1 });
    const anonymous = await device(edge.url);
    await anonymous.publishAsync('plantline/v1/RIV/L3/M3/count', count, { qos: 1 });
    await anonymous.publishAsync('plantline/v2/x', count, { qos: 1 });
    expect(await eventsOnDisk(edge.outboxDir)).toHaveLength(3);
    expect((await deadLettersOnDisk(edge.dataDir)).map((letter) => letter.topic)).toEqual(['plantline/v2/x']);
  });

  it('refuses a credential revoked by a later sync, also on a connection already open', async () => {
    const auth = authWith();
    const edge = await startBroker(auth);
    const press = await device(edge.url, { username: 'press-1', password: 'press-secret' });
    await press.publishAsync('plantline/v1/RIV/L1/M1/count', count, { qos: 1 });
    auth.replace({
      credentials: [deviceCredential('press-1', 'press-secret', { plant: 'RIV', revoked: true })],
    });
    const ended = closed(press);
    press.publish('plantline/v1/RIV/L1/M1/count', count, { qos: 1 });
    await ended;
    await expect(device(edge.url, { username: 'press-1', password: 'press-secret' })).rejects.toThrow(
      /Bad username or password/i,
    );
    expect(await eventsOnDisk(edge.outboxDir)).toHaveLength(1);
  });
});

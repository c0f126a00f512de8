import { type StationAnswerMessage, stationAnswerMessage } from '@plantline/schema';
import { connectAsync, type MqttClient } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { DeviceAuth } from '../devices/device-auth';
import { decideSubscribe } from '../devices/device-rights';
import { createLogger } from '../logger';
import { deviceCredential } from '../testing/device-credentials';
import { startIngressOnDisk } from '../testing/ingress-on-disk';
import { deadLettersOnDisk, eventsOnDisk } from '../testing/outbox-on-disk';
import { waitFor } from '../testing/wait-for';

/*
 * Answers at a station (docs/device-integration.md, "Answers at a station") on the embedded broker:
 * a scanner subscribes to its own answer topic and receives what the edge publishes there; it may
 * not read other devices' answers or events, nor publish answers itself; and the ingress never takes
 * an answer for an event.
 */
const log = createLogger({ logLevel: 'silent', name: 'test' });
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const ANSWER = 'plantline/v1/RIV/L1/PACK-1/answer';
const answer: StationAnswerMessage = {
  event: '0190b3a0-0000-7000-8000-000000000001',
  result: 'ok',
  message: '1 × BRK-100 packed: 2 to go',
  station: 'PACK-1',
  shipment: 'SHP-RIV-2026-00001',
  item: { productCode: 'BRK-100', packed: 1, quantity: 3 },
  ts: '2026-03-04T10:00:00.000Z',
};

async function startBroker() {
  const auth = new DeviceAuth({ localLogin: undefined, allowAnonymous: false });
  auth.replace({
    credentials: [
      deviceCredential('pack-1', 'pack-secret', { plant: 'RIV', line: 'L1', machine: 'PACK-1' }),
      deviceCredential('riv', 'riv-secret', { plant: 'RIV' }),
    ],
  });
  return startIngressOnDisk({ log, onCleanup: (cleanup) => cleanups.push(cleanup), auth });
}

async function device(url: string, username: string, password: string): Promise<MqttClient> {
  const client = await connectAsync(url, { reconnectPeriod: 0, username, password });
  client.on('error', () => undefined);
  cleanups.push(() => client.endAsync(true));
  return client;
}

function messages(client: MqttClient) {
  const received: { topic: string; body: unknown; retain: boolean }[] = [];
  client.on('message', (topic, payload, packet) =>
    received.push({ topic, body: JSON.parse(payload.toString('utf8')), retain: packet.retain }),
  );
  return received;
}

describe('answers at a station on the embedded broker', () => {
  it('delivers the edge’s answer to the scanner subscribed to its answer topic, not retained', async () => {
    const edge = await startBroker();
    const scanner = await device(edge.url, 'pack-1', 'pack-secret');
    const received = messages(scanner);
    await scanner.subscribeAsync(ANSWER, { qos: 1 });
    await edge.broker.publishAnswer(ANSWER, Buffer.from(JSON.stringify(answer)));
    await waitFor(() => (received.length === 1 ? true : undefined));
    expect(received[0]).toEqual({ topic: ANSWER, body: answer, retain: false });
    expect(stationAnswerMessage.parse(received[0]!.body)).toEqual(answer);
    // A device connecting later does not read an old answer as its own.
    const late = await device(edge.url, 'pack-1', 'pack-secret');
    const lateReceived = messages(late);
    await late.subscribeAsync(ANSWER, { qos: 1 });
    await late.publishAsync('other/ping', '', { qos: 1 });
    expect(lateReceived).toEqual([]);
    // Answers are not events: nothing of them reached the outbox or the dead letters.
    expect(await eventsOnDisk(edge.outboxDir)).toEqual([]);
    expect(await deadLettersOnDisk(edge.dataDir)).toEqual([]);
  });

  it('refuses subscriptions outside the device’s rights and to anything but answers', async () => {
    const edge = await startBroker();
    const scanner = await device(edge.url, 'pack-1', 'pack-secret');
    for (const filter of [
      'plantline/v1/RIV/L1/PACK-2/answer',
      'plantline/v1/RIV/L1/+/answer',
      'plantline/v1/RIV/L1/PACK-1/scan',
      'plantline/v1/RIV/L1/PACK-1/#',
    ])
      await expect(scanner.subscribeAsync(filter, { qos: 1 })).rejects.toMatchObject({
        packet: { cmd: 'suback', granted: [128] },
      });
    // A plant-wide login may follow every station of its plant.
    const supervisor = await device(edge.url, 'riv', 'riv-secret');
    const received = messages(supervisor);
    await supervisor.subscribeAsync('plantline/v1/RIV/+/+/answer', { qos: 1 });
    await edge.broker.publishAnswer(ANSWER, Buffer.from(JSON.stringify(answer)));
    await waitFor(() => (received.length === 1 ? true : undefined));
  });

  it('closes the connection of a device publishing on an answer topic, storing nothing', async () => {
    const edge = await startBroker();
    const scanner = await device(edge.url, 'pack-1', 'pack-secret');
    const ended = new Promise<void>((resolve) => scanner.once('close', () => resolve()));
    scanner.publish(ANSWER, JSON.stringify(answer), { qos: 1 });
    await ended;
    expect(edge.ingress.stats().receivedTotal).toBe(0);
  });

  it('has the ingress ignore answer topics, as a plant broker delivers them back to the edge', async () => {
    const edge = await startBroker();
    expect(await edge.ingress.accept(ANSWER, Buffer.from(JSON.stringify(answer)))).toBe('ignored');
    expect(await edge.ingress.accept('plantline/v1/RIV/L1/bad code/answer', Buffer.from('x'))).toBe(
      'ignored',
    );
    expect(edge.ingress.stats()).toMatchObject({ receivedTotal: 0, deadLetteredTotal: 0 });
  });
});

describe('decideSubscribe', () => {
  const machine = { plants: ['RIV'], line: 'L1', machine: 'PACK-1' };
  it.each([
    [machine, ANSWER, true],
    [machine, 'plantline/v1/RIV/L1/+/answer', false],
    [machine, 'plantline/v1/HAM/L1/PACK-1/answer', false],
    [{ plants: ['RIV'], line: 'L1', machine: null }, 'plantline/v1/RIV/L1/+/answer', true],
    [{ plants: ['RIV'], line: null, machine: null }, 'plantline/v1/RIV/+/+/answer', true],
    [{ plants: ['RIV'], line: null, machine: null }, 'plantline/v1/+/+/+/answer', false],
    [{ plants: null, line: null, machine: null }, 'plantline/v1/+/+/+/answer', true],
    [{ plants: null, line: null, machine: null }, 'plantline/v1/RIV/L1/M1/count', false],
    [{ plants: null, line: null, machine: null }, 'plantline/v1/RIV/L1/#', false],
  ])('%o subscribing to %s: %s', (rights, filter, allowed) => {
    expect(decideSubscribe(rights, filter).allowed).toBe(allowed);
  });
});

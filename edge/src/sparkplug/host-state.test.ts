import { createServer, Socket } from 'node:net';
import { connectAsync, type MqttClient } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { DeadLetterStore } from '../dead-letter/dead-letter-store';
import { DeviceAuth } from '../devices/device-auth';
import { Ingress } from '../ingress/ingress';
import { PlantBrokerClient } from '../ingress/plant-broker-client';
import { createLogger } from '../logger';
import { Outbox } from '../outbox/outbox';
import { startIngressOnDisk } from '../testing/ingress-on-disk';
import { startPrivateMosquitto } from '../testing/private-mosquitto';
import { tempDir } from '../testing/temp-dir';
import { waitFor } from '../testing/wait-for';
import { UnitGroup } from '../unit';
import { SparkplugIngress } from './sparkplug-ingress';

/*
 * The edge as a Sparkplug primary host (docs/device-integration.md, "Sparkplug B"): its STATE is
 * retained online while it runs and offline once it stops, cleanly or not, with one timestamp per
 * connection, so nodes that wait for their primary host publish to it.
 */
const log = createLogger({ logLevel: 'silent', name: 'test' });
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const LOGIN = { username: 'plc', password: 'plc-secret' };
type State = { online: boolean; timestamp: number };

/** A node's view of its primary host: every STATE it receives, retained ones included. */
async function watchState(url: string, hostId: string, login = {}) {
  const client = await connectAsync(url, { reconnectPeriod: 0, ...login });
  cleanups.push(() => client.endAsync(true));
  const states: State[] = [];
  client.on('message', (_topic, payload) => states.push(JSON.parse(payload.toString()) as State));
  await client.subscribeAsync(`spBv1.0/STATE/${hostId}`, { qos: 1 });
  return { client, states };
}

describe('the edge as Sparkplug primary host', () => {
  it('keeps its STATE on the embedded broker, and devices cannot pose as it', async () => {
    const edge = await startIngressOnDisk({
      log,
      onCleanup: (cleanup) => cleanups.push(cleanup),
      auth: new DeviceAuth({ localLogin: LOGIN, allowAnonymous: false }),
      sparkplug: { rules: [] },
      sparkplugHostId: 'plantline',
    });
    const node = await watchState(edge.url, 'plantline', LOGIN);
    await waitFor(() => (node.states.length === 1 ? true : undefined));
    const [online] = node.states;
    expect(online).toEqual({ online: true, timestamp: expect.any(Number) });

    const impostor: MqttClient = await connectAsync(edge.url, { reconnectPeriod: 0, ...LOGIN });
    cleanups.push(() => impostor.endAsync(true));
    const closed = new Promise<void>((resolve) => impostor.once('close', () => resolve()));
    impostor.publish('spBv1.0/STATE/plantline', JSON.stringify({ online: false, timestamp: Date.now() }), {
      qos: 1,
      retain: true,
    });
    await closed;

    await edge.stop();
    await waitFor(() => (node.states.length === 2 ? true : undefined));
    expect(node.states[1]).toEqual({ online: false, timestamp: online!.timestamp });
  });

  it('sends STATE to a plant broker, with its will when the connection drops', async () => {
    const mosquitto = await startPrivateMosquitto();
    cleanups.push(mosquitto.stop);
    const brokerPort = Number(new URL(mosquitto.url).port);
    // A cable between the edge and the broker that the test can cut.
    const sockets = new Set<Socket>();
    const proxy = createServer((socket) => {
      const upstream = new Socket();
      upstream.connect(brokerPort, '127.0.0.1');
      socket.pipe(upstream).pipe(socket);
      for (const s of [socket, upstream]) {
        sockets.add(s);
        s.on('error', () => undefined);
        s.on('close', () => sockets.delete(s));
      }
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => proxy.close(() => resolve())));
    const proxyUrl = `mqtt://127.0.0.1:${(proxy.address() as { port: number }).port}`;

    const temp = await tempDir('sparkplug-host');
    cleanups.push(temp.remove);
    const outbox = new Outbox({ dir: `${temp.dir}/outbox`, maxBytes: 1 << 30, log });
    const deadLetters = new DeadLetterStore({ dir: temp.dir, log });
    const ingress = new Ingress({ outbox, deadLetters });
    const sparkplug = new SparkplugIngress({
      ingress,
      deadLetters,
      mapping: { rules: [] },
      publishCommand: (topic, payload): Promise<void> => client.publishCommand(topic, payload),
      log,
    });
    const client: PlantBrokerClient = new PlantBrokerClient({
      url: proxyUrl,
      clientId: 'plantline-edge-host',
      username: undefined,
      password: undefined,
      ingress: sparkplug,
      sparkplug: true,
      sparkplugHostId: 'plantline',
      log,
    });
    const node = await watchState(mosquitto.url, 'plantline');
    const units = new UnitGroup([outbox, deadLetters, sparkplug, client], log);
    await units.start();
    cleanups.push(() => units.stop());
    await waitFor(() => (node.states.length === 1 ? true : undefined));
    const timestamp = node.states[0]!.timestamp;
    expect(node.states[0]).toEqual({ online: true, timestamp });

    // The connection drops without a DISCONNECT: the broker publishes the will.
    for (const socket of sockets) socket.destroy();
    await waitFor(() => (node.states.length >= 2 ? true : undefined), 10_000);
    expect(node.states[1]).toEqual({ online: false, timestamp });
    // The edge reconnects and is online again; a clean stop says offline itself.
    await waitFor(() => (node.states.length >= 3 ? true : undefined), 10_000);
    expect(node.states[2]).toEqual({ online: true, timestamp });
    await units.stop();
    await waitFor(() => (node.states.length >= 4 ? true : undefined), 10_000);
    expect(node.states[3]).toEqual({ online: false, timestamp });
  }, 30_000);
});

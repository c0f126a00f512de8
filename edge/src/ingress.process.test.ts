import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventEnvelope } from '@plantline/schema';
import { connectAsync, type IClientOptions, type MqttClient } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { edgeStatusSchema } from './status/edge-status';
import { type EdgeProcess, runToExit, startEdgeProcess, stopEdgeProcess } from './testing/edge-process';
import { FAKE_CLOUD_KEY, startFakeCloud } from './testing/fake-cloud';
import { ResendMarkingStore } from './testing/mqtt-devices';
import { closedPort } from './testing/ports';
import { startPrivateMosquitto } from './testing/private-mosquitto';
import { waitFor } from './testing/wait-for';

/*
 * Fault tests on the edge's side (no loss, nothing stored twice, malformed input kept aside), with
 * real processes: a real edge (its embedded broker), real MQTT devices, and a small real HTTP
 * server speaking the cloud's ingest contract.
 */
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** `vars` switches the edge to client mode (EDGE_BROKER_URL) where a test needs it. */
async function setUp(vars: Record<string, string> = {}) {
  const cloud = await startFakeCloud();
  cleanups.push(cloud.close);
  const dataDir = await mkdtemp(join(tmpdir(), 'plantline-edge-ingest-'));
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
  const mqttPort = await closedPort();
  const start = async () => {
    const edge = await startEdgeProcess({
      EDGE_NAME: 'ingest-test-edge',
      EDGE_STATUS_PORT: '0',
      EDGE_MQTT_PORT: String(mqttPort),
      // These devices connect without a login; device logins are tested in devices/.
      EDGE_MQTT_ALLOW_ANONYMOUS: 'true',
      EDGE_CLOUD_URL: cloud.url,
      EDGE_API_KEY: FAKE_CLOUD_KEY,
      EDGE_DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      ...vars,
    });
    cleanups.push(() => stopEdgeProcess(edge));
    return edge;
  };
  return { cloud, dataDir, mqttUrl: `mqtt://127.0.0.1:${mqttPort}`, start };
}

async function status(edge: EdgeProcess) {
  // The edge has an API key, so its status port asks for it (status/status-auth.ts).
  const headers = { authorization: `Bearer ${FAKE_CLOUD_KEY}` };
  return edgeStatusSchema.parse(await (await fetch(edge.statusUrl, { headers })).json());
}

/** `marksResends`: resends carry DUP = 1 as the spec requires; mqtt.js alone would not (mqtt-devices.ts). */
async function device(
  url: string,
  { marksResends = false, ...options }: IClientOptions & { marksResends?: boolean } = {},
): Promise<MqttClient> {
  const outgoingStore = marksResends ? new ResendMarkingStore() : undefined;
  // Reconnects fast and resends what was not acknowledged, as a PLC gateway with QoS 1 would.
  const client = await connectAsync(url, {
    reconnectPeriod: 100,
    clientId: `device-${Math.random()}`,
    ...(outgoingStore ? { outgoingStore } : {}),
    ...options,
  });
  outgoingStore?.watch(client);
  cleanups.push(() => client.endAsync(true));
  return client;
}

const counter = (event: EventEnvelope) => Number((event.payload as { order?: string }).order);

describe('edge ingest (processes)', () => {
  it('stores valid events through a cloud outage, dead-letters the malformed, and reports it all', async () => {
    const { cloud, start, mqttUrl, dataDir } = await setUp();
    cloud.state.mode = 'down';
    const edge = await start();
    expect(edge.mqttUrl).toBe(mqttUrl);
    const client = await device(mqttUrl);
    const publishes: Promise<unknown>[] = [];
    for (let n = 1; n <= 400; n++) {
      publishes.push(
        client.publishAsync('plantline/v1/RIV/L1/M1/count', JSON.stringify({ good: 1, order: String(n) }), {
          qos: 1,
        }),
      );
      if (n % 10 === 0)
        publishes.push(client.publishAsync('plantline/v1/RIV/L1/M1/count', `{"good":"${n}"`, { qos: 1 }));
    }
    await Promise.all(publishes);
    const during = await waitFor(async () => {
      const s = await status(edge);
      return s.uplink?.state === 'backing-off' && s.outbox?.backlogEvents === 400 ? s : undefined;
    }, 15_000);
    expect(during.deadLetters).toMatchObject({ count: 40, lastReason: 'payload is not JSON' });
    expect(during.broker).toMatchObject({ mode: 'embedded', connectedDevices: 1 });
    expect(during.outbox?.oldestAgeS).toBeGreaterThanOrEqual(0);
    const cli = await runToExit('src/cli.ts', ['status'], {
      EDGE_DATA_DIR: dataDir,
      EDGE_API_KEY: FAKE_CLOUD_KEY,
    });
    expect(cli.stdout).toMatch(/outbox +400 event\(s\) waiting/);
    expect(cli.stdout).toMatch(/dead +40 dead letter\(s\), last: payload is not JSON/);
    expect(cli.stdout).toMatch(/uplink +backing-off/);

    cloud.state.mode = 'up';
    await waitFor(async () => ((await status(edge)).outbox?.backlogEvents === 0 ? true : undefined), 15_000);
    const stored = [...cloud.state.stored.values()];
    expect(stored.map(counter)).toEqual(Array.from({ length: 400 }, (_, n) => n + 1));
    expect(new Set(cloud.state.received).size).toBe(400);
    expect((await status(edge)).uplink).toMatchObject({ sentTotal: 400, lastError: null });
  });

  it('stores every acknowledged message exactly once when killed with SIGKILL mid-stream and restarted', async () => {
    const { cloud, start, mqttUrl } = await setUp();
    let edge = await start();
    const client = await device(mqttUrl, { marksResends: true });
    const total = 1500;
    const acked = new Set<number>();
    let sent = 0;
    const pump = (async () => {
      // 20 in flight at a time, like a gateway with a small inflight window.
      while (sent < total) {
        const window: Promise<void>[] = [];
        for (let i = 0; i < 20 && sent < total; i++) {
          const n = ++sent;
          const payload = JSON.stringify({ good: 1, order: String(n) });
          window.push(
            client
              .publishAsync('plantline/v1/RIV/L2/M3/count', payload, { qos: 1 })
              .then(() => void acked.add(n)),
          );
        }
        await Promise.all(window);
      }
    })();
    // Several kills: each lands at a random point of the write → PUBACK sequence, and only a kill between
    // the two (message on disk, PUBACK not yet out) leaves something to recognise.
    const ackedBeforeKill = new Set<number>();
    for (const killAfter of [300, 700, 1100]) {
      await waitFor(() => (acked.size >= killAfter ? true : undefined), 10_000);
      edge.child.kill('SIGKILL');
      await edge.exited;
      for (const n of acked) ackedBeforeKill.add(n);
      expect(ackedBeforeKill.size).toBeLessThan(total);
      edge = await start();
    }
    await pump;
    expect(acked.size).toBe(total);
    await waitFor(
      async () =>
        (await status(edge)).outbox?.backlogEvents === 0 && cloud.state.stored.size >= total
          ? true
          : undefined,
      15_000,
    );

    const storedCounters = [...cloud.state.stored.values()].map(counter);
    for (const n of ackedBeforeKill) expect(storedCounters).toContain(n);
    // Messages written but not yet acknowledged at the kill come again with DUP = 1 after the restart;
    // the edge knows them from the origins kept in its outbox and does not store them twice.
    expect(storedCounters).toHaveLength(total);
    expect(new Set(storedCounters).size).toBe(total);
    // Per machine in order.
    expect(storedCounters).toEqual([...storedCounters].sort((a, b) => a - b));
    // Four edge starts through tsx: more than the default 20 s when the 2 cores are busy.
  }, 60_000);

  it('in client mode, stores exactly once what the plant broker redelivers after each SIGKILL', async () => {
    const mosquitto = await startPrivateMosquitto();
    cleanups.push(mosquitto.stop);
    const { cloud, start } = await setUp({
      EDGE_BROKER_URL: mosquitto.url,
      EDGE_BROKER_CLIENT_ID: 'plantline-edge-sigkill-test',
    });
    let edge = await start();
    const client = await device(mosquitto.url, { reconnectPeriod: 0 });
    // Published until one arrives, so the edge's subscription is in place before the counted stream.
    await waitFor(async () => {
      await client.publishAsync('plantline/v1/RIV/L9/M9/state', '{"state":"RUNNING"}', { qos: 1 });
      await new Promise((resolve) => setTimeout(resolve, 100));
      return cloud.state.stored.size > 0 ? true : undefined;
    }, 10_000);
    const total = 4000;
    const published = (async () => {
      for (let n = 1; n <= total; n += 500) {
        const window: Promise<unknown>[] = [];
        for (let m = n; m < n + 500 && m <= total; m++) {
          const payload = JSON.stringify({ good: 1, order: String(m) });
          window.push(client.publishAsync('plantline/v1/RIV/L2/M3/count', payload, { qos: 1 }));
        }
        await Promise.all(window);
      }
    })();
    const countedStored = () =>
      [...cloud.state.stored.values()].filter((event) => event.machine === 'M3').map(counter);
    // Mosquitto keeps up to the edge's receive maximum (1000) in flight to it, written to the outbox in
    // groups: each kill, timed by what this edge process has received, leaves some on disk without a
    // PUBACK, and Mosquitto redelivers them (DUP = 1, same packet id) to the restarted edge.
    for (let kill = 0; kill < 3; kill++) {
      await waitFor(
        async () => ((await status(edge)).ingress?.receivedTotal ?? 0) >= 400 || undefined,
        30_000,
      );
      edge.child.kill('SIGKILL');
      await edge.exited;
      edge = await start();
    }
    await published;
    await waitFor(
      async () =>
        (await status(edge)).outbox?.backlogEvents === 0 && countedStored().length >= total
          ? true
          : undefined,
      30_000,
    );
    const stored = countedStored();
    expect(stored).toHaveLength(total);
    expect(new Set(stored).size).toBe(total);
    expect(stored).toEqual([...stored].sort((a, b) => a - b));
    // Four edge starts through tsx and 4000 events through the cloud: past 20 s on a busy machine.
  }, 90_000);
});

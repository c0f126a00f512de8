import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventEnvelope, TelemetryDeadband } from '@plantline/schema';
import { connectAsync, type MqttClient } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { edgeStatusSchema } from '../status/edge-status';
import { type EdgeProcess, startEdgeProcess, stopEdgeProcess } from '../testing/edge-process';
import { FAKE_CLOUD_KEY, startFakeCloud } from '../testing/fake-cloud';
import { closedPort } from '../testing/ports';
import { waitFor } from '../testing/wait-for';
import { DEADBANDS_FILE } from './deadband-sync';

/*
 * The deadband end to end on the edge's side: rules fetched from a server speaking the cloud's contract,
 * applied by a real edge process to what a real MQTT device publishes, counted in the status, and
 * kept on disk for a restart without the cloud.
 */
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const plantRule: TelemetryDeadband = {
  plant: 'RIV',
  line: null,
  machine: null,
  metric: null,
  mode: 'absolute',
  deadband: 0.5,
  heartbeatS: 3600,
};

async function setUp() {
  const cloud = await startFakeCloud();
  cleanups.push(cloud.close);
  const dataDir = await mkdtemp(join(tmpdir(), 'plantline-edge-deadband-'));
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
  const mqttPort = await closedPort();
  const start = async () => {
    const edge = await startEdgeProcess({
      EDGE_STATUS_PORT: '0',
      EDGE_MQTT_PORT: String(mqttPort),
      EDGE_MQTT_ALLOW_ANONYMOUS: 'true',
      EDGE_CLOUD_URL: cloud.url,
      EDGE_API_KEY: FAKE_CLOUD_KEY,
      EDGE_DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
    });
    cleanups.push(() => stopEdgeProcess(edge));
    const client = await connectAsync(`mqtt://127.0.0.1:${mqttPort}`, { reconnectPeriod: 0 });
    cleanups.push(() => client.endAsync(true));
    return { edge, client };
  };
  return { cloud, dataDir, start };
}

async function status(edge: EdgeProcess) {
  // The edge has an API key, so its status port asks for it (status/status-auth.ts).
  const headers = { authorization: `Bearer ${FAKE_CLOUD_KEY}` };
  return edgeStatusSchema.parse(await (await fetch(edge.statusUrl, { headers })).json());
}

const base = Date.now() - 60_000;
/** One message at a time, each acknowledged before the next, at one second steps of device time. */
async function publish(client: MqttClient, messages: [kind: string, payload: object][], from = 0) {
  let second = from;
  for (const [kind, payload] of messages) {
    const body = JSON.stringify({ ...payload, ts: base + second++ * 1000 });
    await client.publishAsync(`plantline/v1/RIV/L1/M1/${kind}`, body, { qos: 1 });
  }
}

const ofKind = (events: EventEnvelope[], kind: string) => events.filter((event) => event.kind === kind);

describe('telemetry deadband (edge process)', () => {
  it('stores only telemetry that leaves its band, never drops counts or states, and reports the saving', async () => {
    const { cloud, dataDir, start } = await setUp();
    cloud.state.telemetryDeadbands = { rules: [plantRule] };
    const first = await start();
    await publish(first.client, [
      ['telemetry', { values: { temp: 20, power: 7 } }],
      ['telemetry', { values: { temp: 20.2, power: 7 } }],
      ['count', { good: 1 }],
      ['count', { good: 1 }],
      ['state', { state: 'RUNNING' }],
      ['state', { state: 'RUNNING' }],
      ['telemetry', { values: { temp: 20.4, power: 9 } }],
      ['telemetry', { values: { temp: 20.6, power: 9 } }],
      ['count', { good: 1 }],
    ]);
    const stored = await waitFor(() =>
      cloud.state.stored.size === 8 ? [...cloud.state.stored.values()] : undefined,
    );
    expect(ofKind(stored, 'telemetry').map((event) => event.payload)).toEqual([
      { values: { temp: 20, power: 7 }, ts: base },
      { values: { power: 9 }, ts: base + 6000 },
      { values: { temp: 20.6 }, ts: base + 7000 },
    ]);
    expect(ofKind(stored, 'count')).toHaveLength(3);
    expect(ofKind(stored, 'state')).toHaveLength(2);
    const seen = await status(first.edge);
    expect(seen.deadband).toMatchObject({
      source: 'cloud',
      rules: 1,
      lastError: null,
      samplesReceived: 8,
      samplesSuppressed: 4,
      messagesSuppressed: 1,
      metrics: [
        { name: 'power', received: 4, suppressed: 2 },
        { name: 'temp', received: 4, suppressed: 2 },
      ],
    });
    expect(seen.ingress).toMatchObject({ receivedTotal: 9, storedTotal: 8, suppressedTotal: 1 });
    expect(JSON.parse(await readFile(join(dataDir, DEADBANDS_FILE), 'utf8'))).toMatchObject({
      rules: [plantRule],
    });

    // Without the cloud, the copy on disk keeps filtering after a restart.
    await waitFor(async () => ((await status(first.edge)).outbox?.backlogEvents === 0 ? true : undefined));
    await stopEdgeProcess(first.edge);
    cloud.state.mode = 'down';
    const second = await start();
    expect((await status(second.edge)).deadband).toMatchObject({ source: 'disk', rules: 1 });
    await publish(
      second.client,
      [
        ['telemetry', { values: { temp: 30 } }],
        ['telemetry', { values: { temp: 30.3 } }],
        ['telemetry', { values: { temp: 31 } }],
      ],
      20,
    );
    const after = await status(second.edge);
    expect(after.deadband).toMatchObject({ samplesReceived: 3, samplesSuppressed: 1 });
    expect(after.outbox?.backlogEvents).toBe(2);
  });

  it('filters nothing when the cloud has no rules, nor before it ever answered', async () => {
    const { cloud, start } = await setUp();
    cloud.state.mode = 'down';
    const { edge, client } = await start();
    const same = Array.from({ length: 4 }, (): [string, object] => ['telemetry', { values: { temp: 20 } }]);
    await publish(client, same);
    expect((await status(edge)).deadband).toMatchObject({
      source: 'none',
      rules: 0,
      samplesReceived: 4,
      samplesSuppressed: 0,
      lastError: expect.stringMatching(/503|SERVICE_UNAVAILABLE/),
    });
    expect((await status(edge)).outbox?.backlogEvents).toBe(4);
  });
});

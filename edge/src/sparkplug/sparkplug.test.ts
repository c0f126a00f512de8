import { randomBytes } from 'node:crypto';
import type { EventEnvelope, SparkplugMapping } from '@plantline/schema';
import { connectAsync } from 'mqtt';
import { newClient, type UPayload } from 'sparkplug-client';
import { afterEach, describe, expect, it } from 'vitest';
import { DeadLetterStore } from '../dead-letter/dead-letter-store';
import { DeviceAuth } from '../devices/device-auth';
import { Ingress } from '../ingress/ingress';
import { PlantBrokerClient } from '../ingress/plant-broker-client';
import { createLogger } from '../logger';
import { Outbox } from '../outbox/outbox';
import { startIngressOnDisk } from '../testing/ingress-on-disk';
import { deadLettersOnDisk, eventsOnDisk } from '../testing/outbox-on-disk';
import { tempDir } from '../testing/temp-dir';
import { waitFor } from '../testing/wait-for';
import { UnitGroup } from '../unit';
import { SparkplugIngress } from './sparkplug-ingress';

const log = createLogger({ logLevel: 'silent', name: 'test' });
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const LOGIN = { username: 'plc', password: 'plc-secret' };

function mapping(group: string): SparkplugMapping {
  const where = { group, node: 'PLC-7', device: 'Press1', plant: 'RIV', line: 'L1', machine: 'M1' };
  return {
    rules: [
      { ...where, metric: 'Status/State', kind: 'state', states: { '1': 'RUNNING', '2': 'DOWN' } },
      { ...where, metric: 'Counts/Good', kind: 'count', count: 'good' },
      { ...where, metric: 'Counts/Scrap', kind: 'count', count: 'scrap' },
      { ...where, metric: 'Spindle/Temp', kind: 'telemetry', name: 'spindle_temp_c' },
      { ...where, device: 'Press2', machine: 'M2', metric: 'Counts/Good', kind: 'count', count: 'good' },
      { ...where, node: 'PLC-9', machine: 'M9', metric: 'Status/State', kind: 'state' },
    ],
  };
}

/** The birth metrics of Press1, with aliases its DDATA then uses alone. */
function pressBirth(good: number): UPayload {
  return {
    timestamp: Date.now(),
    metrics: [
      { name: 'Status/State', alias: 1, type: 'Int32', value: 1 },
      { name: 'Counts/Good', alias: 2, type: 'UInt64', value: good },
      { name: 'Counts/Scrap', alias: 3, type: 'UInt64', value: 0 },
      { name: 'Spindle/Temp', alias: 4, type: 'Double', value: 61.5 },
      { name: 'Unmapped/Thing', alias: 5, type: 'Int32', value: 7 },
    ],
  };
}

/** A Sparkplug B edge node on Eclipse Tahu's client that answers rebirth requests with its births. */
async function sparkplugNode(url: string, group: string, node: string, births = true) {
  const client = newClient({
    serverUrl: url,
    ...LOGIN,
    groupId: group,
    edgeNode: node,
    clientId: `${group}-${node}`,
    publishDeath: true,
  });
  const rebirths: UPayload[] = [];
  let good = 100;
  const birth = () => {
    client.publishNodeBirth({
      timestamp: Date.now(),
      metrics: [{ name: 'Node Control/Rebirth', type: 'Boolean', value: false }],
    });
    client.publishDeviceBirth('Press1', pressBirth(good));
  };
  client.on('ncmd', (payload) => {
    rebirths.push(payload);
    if (payload.metrics?.some((m) => m.name === 'Node Control/Rebirth' && m.value === true)) birth();
  });
  await new Promise<void>((resolve, reject) => {
    client.on('birth', () => {
      if (births) birth();
      resolve();
    });
    client.on('error', reject);
  });
  let stopped = false;
  cleanups.push(async () => {
    if (!stopped) client.stop();
  });
  return {
    client,
    rebirths,
    setGood: (value: number) => {
      good = value;
    },
    /** The next message's seq skips one: as if a message had been lost on the way. */
    loseOne: () => {
      (client as unknown as { seq: number }).seq += 1;
    },
    stop: () => {
      stopped = true;
      client.stop();
    },
  };
}

const machine = (events: EventEnvelope[], code: string, kind: string) =>
  events.filter((event) => event.machine === code && event.kind === kind).map((event) => event.payload);

type Edge = {
  url: string;
  outboxDir: string;
  dataDir: string;
  sparkplug: SparkplugIngress;
};

async function scenario(edge: Edge, group: string) {
  const press = await sparkplugNode(edge.url, group, 'PLC-7');
  // Births: the state and telemetry are taken; a counter's first value is only its baseline.
  await waitFor(async () => {
    const events = await eventsOnDisk(edge.outboxDir);
    return machine(events, 'M1', 'telemetry').length === 1 ? true : undefined;
  });
  expect(edge.sparkplug.status().presence).toContainEqual({
    group,
    node: 'PLC-7',
    device: 'Press1',
    online: true,
    machines: ['RIV/L1/M1'],
  });
  press.client.publishDeviceData(
    'Press1',
    {
      timestamp: Date.now(),
      metrics: [
        { alias: 2, type: 'UInt64', value: 103 },
        { alias: 3, type: 'UInt64', value: 1 },
        { alias: 1, type: 'Int32', value: 2 },
        { alias: 4, type: 'Double', value: 62 },
        { alias: 5, type: 'Int32', value: 8 },
      ],
    },
    // Compressed as Tahu compresses (the edge inflates it).
    { compress: true, algorithm: 'GZIP' },
  );
  await waitFor(async () =>
    machine(await eventsOnDisk(edge.outboxDir), 'M1', 'count').length === 2 ? true : undefined,
  );

  // A lost message: the next one is dropped, a rebirth requested, and the new birth counts what the
  // counter grew by in between.
  press.loseOne();
  press.setGood(110);
  press.client.publishDeviceData('Press1', {
    timestamp: Date.now(),
    metrics: [{ alias: 2, type: 'UInt64', value: 105 }],
  });
  await waitFor(() => (press.rebirths.length === 1 ? true : undefined));
  await waitFor(async () =>
    machine(await eventsOnDisk(edge.outboxDir), 'M1', 'count').length === 3 ? true : undefined,
  );

  // Data from a node the edge has no birth of is not taken; the node is asked for one.
  const stranger = await sparkplugNode(edge.url, group, 'PLC-9', false);
  stranger.client.publishDeviceData('Press1', {
    timestamp: Date.now(),
    metrics: [{ name: 'Status/State', type: 'String', value: 'JAMMED' }],
  });
  await waitFor(() => (stranger.rebirths.length === 1 ? true : undefined));
  await waitFor(async () =>
    machine(await eventsOnDisk(edge.outboxDir), 'M9', 'state').length > 0 ? true : undefined,
  );

  // Not a Sparkplug payload at all.
  const raw = await connectAsync(edge.url, { reconnectPeriod: 0, ...LOGIN });
  cleanups.push(() => raw.endAsync(true));
  await raw.publishAsync(`spBv1.0/${group}/DDATA/PLC-7/Press1`, 'not protobuf', { qos: 1 });
  await waitFor(async () => ((await deadLettersOnDisk(edge.dataDir)).length === 1 ? true : undefined));

  press.client.publishDeviceDeath('Press1', { timestamp: Date.now(), metrics: [] });
  await waitFor(() =>
    edge.sparkplug.status().presence.some((e) => e.device === 'Press1' && e.node === 'PLC-7' && !e.online)
      ? true
      : undefined,
  );
  press.stop();
  await waitFor(() =>
    edge.sparkplug.status().presence.some((e) => e.device === null && e.node === 'PLC-7' && !e.online)
      ? true
      : undefined,
  );

  expect(edge.sparkplug.status().presence.filter((entry) => entry.node === 'PLC-7')).toEqual([
    { group, node: 'PLC-7', device: null, online: false, machines: [] },
    { group, node: 'PLC-7', device: 'Press1', online: false, machines: ['RIV/L1/M1'] },
  ]);

  const events = await eventsOnDisk(edge.outboxDir);
  expect(machine(events, 'M1', 'state').map((p) => (p as { state: string }).state)).toEqual([
    'RUNNING',
    'DOWN',
    'RUNNING',
  ]);
  expect(machine(events, 'M1', 'count')).toEqual([
    expect.objectContaining({ good: 3, scrap: 0 }),
    expect.objectContaining({ good: 0, scrap: 1 }),
    expect.objectContaining({ good: 7, scrap: 0 }),
  ]);
  expect(machine(events, 'M1', 'telemetry').map((p) => (p as { values: object }).values)).toEqual([
    { spindle_temp_c: 61.5 },
    { spindle_temp_c: 62 },
    { spindle_temp_c: 61.5 },
  ]);
  // The stranger's state before its birth is not taken; the one in the birth it answered with is.
  expect(machine(events, 'M9', 'state')).toEqual([expect.objectContaining({ state: '1' })]);
  expect(events.every((event) => event.machine === 'M1' || event.machine === 'M9')).toBe(true);
  expect(press.rebirths[0]?.metrics).toEqual([
    expect.objectContaining({ name: 'Node Control/Rebirth', value: true }),
  ]);
  const [dead] = await deadLettersOnDisk(edge.dataDir);
  expect(dead).toMatchObject({
    topic: `spBv1.0/${group}/DDATA/PLC-7/Press1`,
    reason: expect.stringContaining('not a Sparkplug B payload'),
  });
  expect(edge.sparkplug.status()).toMatchObject({
    rules: 6,
    eventsTotal: 10,
    // Unmapped/Thing in Press1's DBIRTH, its DDATA and its rebirth's DBIRTH; four of the five metrics
    // of the stranger's DBIRTH, for which the mapping names only Status/State.
    unmappedMetricsTotal: 7,
    malformedTotal: 1,
    droppedTotal: { 'seq-gap': 1, 'no-birth': 1 },
    rebirthRequestsTotal: 2,
  });
}

describe('Sparkplug B at the edge', () => {
  it('takes births, aliased data, rebirths and deaths through the embedded broker', async () => {
    const group = 'Plant1';
    const edge = await startIngressOnDisk({
      log,
      onCleanup: (cleanup) => cleanups.push(cleanup),
      auth: new DeviceAuth({ localLogin: LOGIN, allowAnonymous: false }),
      sparkplug: mapping(group),
    });
    await scenario({ ...edge, sparkplug: edge.sparkplug! }, group);
  }, 30_000);

  it('does the same as a client of a plant broker (Mosquitto on 127.0.0.1:1883)', async () => {
    const temp = await tempDir('sparkplug-client');
    cleanups.push(temp.remove);
    // A group of this run only, so runs and other tests on the shared broker never mix.
    const group = `T${randomBytes(4).toString('hex')}`;
    const outboxDir = `${temp.dir}/outbox`;
    const outbox = new Outbox({ dir: outboxDir, maxBytes: 1 << 30, log });
    const deadLetters = new DeadLetterStore({ dir: temp.dir, log });
    const ingress = new Ingress({ outbox, deadLetters });
    const sparkplug = new SparkplugIngress({
      ingress,
      deadLetters,
      mapping: mapping(group),
      publishCommand: (topic, payload): Promise<void> => client.publishCommand(topic, payload),
      log,
    });
    const client: PlantBrokerClient = new PlantBrokerClient({
      url: 'mqtt://127.0.0.1:1883',
      clientId: `plantline-edge-test-${group}`,
      username: undefined,
      password: undefined,
      ingress: sparkplug,
      sparkplug: true,
      log,
    });
    const units = new UnitGroup([outbox, deadLetters, sparkplug, client], log);
    await units.start();
    cleanups.push(() => units.stop());
    await waitFor(() => (client.status().connected ? true : undefined));
    await new Promise((resolve) => setTimeout(resolve, 200));
    await scenario({ url: 'mqtt://127.0.0.1:1883', outboxDir, dataDir: temp.dir, sparkplug }, group);
  }, 30_000);
});

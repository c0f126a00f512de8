import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { deflateSync, gzipSync } from 'node:zlib';
import type { SparkplugMapping } from '@plantline/schema';
import { get } from 'sparkplug-payload';
import type { UPayload } from 'sparkplug-payload/lib/sparkplugbpayload';
import { afterEach, describe, expect, it } from 'vitest';
import { DeadLetterStore } from '../dead-letter/dead-letter-store';
import { Ingress } from '../ingress/ingress';
import { createLogger } from '../logger';
import { Outbox } from '../outbox/outbox';
import { deadLettersOnDisk, eventsOnDisk } from '../testing/outbox-on-disk';
import { tempDir } from '../testing/temp-dir';
import { UnitGroup } from '../unit';
import { SPARKPLUG_COUNTERS_FILE } from './counter-baselines';
import { SparkplugIngress } from './sparkplug-ingress';
import { readSparkplugMapping } from './sparkplug-mapping';

const log = createLogger({ logLevel: 'silent', name: 'test' });
const codec = get('spBv1.0')!;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const where = { group: 'G', node: 'N', device: 'D', plant: 'RIV', line: 'L1', machine: 'M1' };
const MAPPING: SparkplugMapping = {
  rules: [
    { ...where, metric: 'State', kind: 'state' },
    { ...where, metric: 'Good', kind: 'count', count: 'good' },
    { ...where, metric: 'Mode', kind: 'state', states: { '1': 'RUNNING' } },
  ],
};

async function start(mapping: string | SparkplugMapping = MAPPING, dir?: string) {
  const temp = dir === undefined ? await tempDir('sparkplug') : { dir, remove: async () => {} };
  cleanups.push(temp.remove);
  const outboxDir = join(temp.dir, 'outbox');
  const outbox = new Outbox({ dir: outboxDir, maxBytes: 1 << 30, log });
  const deadLetters = new DeadLetterStore({ dir: temp.dir, log });
  const ingress = new Ingress({ outbox, deadLetters });
  const commands: string[] = [];
  const sparkplug = new SparkplugIngress({
    ingress,
    deadLetters,
    mapping,
    publishCommand: async (topic) => {
      commands.push(topic);
    },
    log,
    countersFile: join(temp.dir, SPARKPLUG_COUNTERS_FILE),
  });
  const units = new UnitGroup([outbox, deadLetters, sparkplug], log);
  await units.start();
  let stopped = false;
  const stop = async () => {
    if (!stopped) await units.stop();
    stopped = true;
  };
  cleanups.push(stop);
  let seq = 0;
  const send = (type: string, metrics: UPayload['metrics'], allows?: (topic: string) => boolean) => {
    const device = type.startsWith('D') ? '/D' : '';
    const payload = Buffer.from(codec.encodePayload({ timestamp: Date.now(), seq: seq++ % 256, metrics }));
    return sparkplug.accept(`spBv1.0/G/${type}/N${device}`, payload, undefined, new Date(), allows);
  };
  return { sparkplug, send, commands, outboxDir, dataDir: temp.dir, stop };
}

describe('SparkplugIngress', () => {
  it('counts a counter’s increase, and after a reset its new value', async () => {
    const edge = await start();
    await edge.send('NBIRTH', [{ name: 'bdSeq', type: 'UInt64', value: 0 }]);
    await edge.send('DBIRTH', [{ name: 'Good', type: 'UInt64', value: 40 }]);
    await edge.send('DDATA', [{ name: 'Good', type: 'UInt64', value: 45 }]);
    await edge.send('DDATA', [{ name: 'Good', type: 'UInt64', value: 45 }]);
    await edge.send('DDATA', [{ name: 'Good', type: 'UInt64', value: 2 }]);
    const counts = (await eventsOnDisk(edge.outboxDir)).map((event) => event.payload);
    expect(counts).toEqual([
      expect.objectContaining({ good: 5, scrap: 0 }),
      expect.objectContaining({ good: 2, scrap: 0 }),
    ]);
  });

  it('takes a state value as the code, or through the table; a value missing from it is a dead letter', async () => {
    const edge = await start();
    await edge.send('NBIRTH', []);
    await edge.send('DBIRTH', [
      { name: 'State', type: 'String', value: 'SETUP' },
      { name: 'Mode', type: 'Int32', value: 1 },
    ]);
    expect(await edge.send('DDATA', [{ name: 'Mode', type: 'Int32', value: 9 }])).toBe('stored');
    expect((await eventsOnDisk(edge.outboxDir)).map((event) => event.payload)).toEqual([
      expect.objectContaining({ state: 'SETUP' }),
      expect.objectContaining({ state: 'RUNNING' }),
    ]);
    expect(await deadLettersOnDisk(edge.dataDir)).toEqual([
      expect.objectContaining({
        topic: 'spBv1.0/G/DDATA/N/D',
        reason: 'Mode: no state code for the value 9',
      }),
    ]);
  });

  it('dead-letters a mapped metric whose machine the publisher may not write to', async () => {
    const edge = await start();
    await edge.send('NBIRTH', []);
    const outcome = await edge.send(
      'DBIRTH',
      [{ name: 'State', type: 'String', value: 'RUNNING' }],
      (topic) => topic.startsWith('plantline/v1/OTHER/'),
    );
    expect(outcome).toBe('stored');
    expect(await eventsOnDisk(edge.outboxDir)).toEqual([]);
    expect((await deadLettersOnDisk(edge.dataDir))[0]?.reason).toBe(
      "plantline/v1/RIV/L1/M1/state is outside the device's rights",
    );
  });

  it('inflates compressed payloads (DEFLATE by default, or GZIP), and dead-letters a body that does not', async () => {
    const edge = await start();
    const inner = (seq: number, metrics: UPayload['metrics']) =>
      Buffer.from(codec.encodePayload({ timestamp: Date.now(), seq, metrics }));
    const wrap = (body: Buffer, algorithm?: string) =>
      Buffer.from(
        codec.encodePayload({
          uuid: 'SPBV1.0_COMPRESSED',
          body: new Uint8Array(body),
          metrics: algorithm === undefined ? [] : [{ name: 'algorithm', type: 'String', value: algorithm }],
        }),
      );
    expect(await edge.sparkplug.accept('spBv1.0/G/NBIRTH/N', wrap(deflateSync(inner(0, []))))).toBe(
      'ignored',
    );
    const birth = inner(1, [{ name: 'State', type: 'String', value: 'RUNNING' }]);
    expect(await edge.sparkplug.accept('spBv1.0/G/DBIRTH/N/D', wrap(gzipSync(birth), 'GZIP'))).toBe('stored');
    expect((await eventsOnDisk(edge.outboxDir)).map((event) => event.payload)).toEqual([
      expect.objectContaining({ state: 'RUNNING' }),
    ]);
    expect(await edge.sparkplug.accept('spBv1.0/G/DDATA/N/D', wrap(Buffer.from([1, 2, 3]), 'GZIP'))).toBe(
      'dead-letter',
    );
    expect(await edge.sparkplug.accept('spBv1.0/G/DDATA/N/D', wrap(deflateSync(birth), 'LZ4'))).toBe(
      'dead-letter',
    );
    expect((await deadLettersOnDisk(edge.dataDir)).map((letter) => letter.reason)).toEqual([
      expect.stringMatching(/^not a Sparkplug B payload: compressed body does not inflate \(GZIP\)/),
      'not a Sparkplug B payload: unknown compression LZ4',
    ]);
  });

  it('ignores STATE and command topics, and passes Plantline topics on to the ingress', async () => {
    const edge = await start();
    expect(await edge.sparkplug.accept('spBv1.0/STATE/host-1', Buffer.from('{"online":true}'))).toBe(
      'ignored',
    );
    expect(await edge.sparkplug.accept('spBv1.0/G/NCMD/N', Buffer.from([]))).toBe('ignored');
    expect(await edge.sparkplug.accept('plantline/v1/RIV/L1/M1/count', Buffer.from('{"good":1}'))).toBe(
      'stored',
    );
    expect(edge.sparkplug.status().receivedTotal).toBe(0);
  });

  it('reads the mapping file and names what is wrong in it', async () => {
    const temp = await tempDir('sparkplug-mapping');
    cleanups.push(temp.remove);
    const good = join(temp.dir, 'good.json');
    await writeFile(good, JSON.stringify(MAPPING));
    expect((await readSparkplugMapping(good)).rules).toHaveLength(3);
    const bad = join(temp.dir, 'bad.json');
    await writeFile(
      bad,
      JSON.stringify({
        rules: [
          { ...where, metric: 'T', kind: 'telemetry', name: 'bad name' },
          { ...where, metric: 'Good', kind: 'count', count: 'good' },
          { ...where, metric: 'Good', kind: 'count', count: 'scrap' },
        ],
      }),
    );
    await expect(readSparkplugMapping(bad)).rejects.toThrow(
      /rules\.0\.name: must be a telemetry value name[\s\S]*rules\.2: a second rule/,
    );
    await expect(readSparkplugMapping(join(temp.dir, 'missing.json'))).rejects.toThrow(
      /Sparkplug mapping .*missing\.json/,
    );
  });

  it('maps by new rules from the next message, and asks the nodes whose rules changed for their births', async () => {
    const edge = await start({ rules: [] });
    await edge.send('NBIRTH', []);
    await edge.send('DBIRTH', [{ name: 'State', type: 'String', value: 'RUNNING' }]);
    await edge.send('DDATA', [{ name: 'State', type: 'String', value: 'DOWN' }]);
    expect(await eventsOnDisk(edge.outboxDir)).toEqual([]);

    edge.sparkplug.useMapping({ rules: [{ ...where, node: 'OTHER', metric: 'State', kind: 'state' }] });
    expect(edge.commands).toEqual([]);
    edge.sparkplug.useMapping(MAPPING);
    expect(edge.commands).toEqual(['spBv1.0/G/NCMD/N']);
    // The same rules again (each fetch brings them) ask for nothing.
    edge.sparkplug.useMapping({ rules: [...MAPPING.rules].reverse() });
    expect(edge.commands).toHaveLength(1);

    await edge.send('DDATA', [{ name: 'State', type: 'String', value: 'IDLE' }]);
    const states = (await eventsOnDisk(edge.outboxDir)).map((event) => event.payload);
    expect(states).toEqual([expect.objectContaining({ state: 'IDLE' })]);
  });

  it('puts a machine in its offline state when its node or device dies, and the birth brings it back', async () => {
    const edge = await start({
      rules: [
        { ...where, metric: 'State', kind: 'state', offline: 'OFFLINE' },
        { ...where, device: null, machine: 'M2', metric: 'Mode', kind: 'state', offline: 'NO_PLC' },
        { ...where, device: 'Other', machine: 'M3', metric: 'State', kind: 'state' },
      ],
    });
    const states = async () =>
      (await eventsOnDisk(edge.outboxDir)).map(
        (event) => `${event.machine} ${(event.payload as { state: string }).state}`,
      );
    await edge.send('NBIRTH', [{ name: 'Mode', type: 'String', value: 'AUTO' }]);
    await edge.send('DBIRTH', [{ name: 'State', type: 'String', value: 'RUNNING' }]);
    expect(await edge.send('DDEATH', [])).toBe('stored');
    await edge.send('DBIRTH', [{ name: 'State', type: 'String', value: 'IDLE' }]);
    expect(await edge.send('NDEATH', [])).toBe('stored');
    // The broker's will after the death certificate: nothing is online any more, nothing changes.
    expect(await edge.send('NDEATH', [])).toBe('ignored');
    expect(await states()).toEqual([
      'M2 AUTO',
      'M1 RUNNING',
      'M1 OFFLINE',
      'M1 IDLE',
      'M2 NO_PLC',
      'M1 OFFLINE',
    ]);
  });

  it('counts across a restart what a counter grew by while the edge was down', async () => {
    const first = await start();
    await first.send('NBIRTH', []);
    await first.send('DBIRTH', [{ name: 'Good', type: 'UInt64', value: 40 }]);
    await first.send('DDATA', [{ name: 'Good', type: 'UInt64', value: 45 }]);
    await first.stop();

    const second = await start(MAPPING, first.dataDir);
    await second.send('NBIRTH', []);
    await second.send('DBIRTH', [{ name: 'Good', type: 'UInt64', value: 52 }]);
    const counts = (await eventsOnDisk(second.outboxDir)).map((event) => event.payload);
    expect(counts).toEqual([
      expect.objectContaining({ good: 5, scrap: 0 }),
      expect.objectContaining({ good: 7, scrap: 0 }),
    ]);
  });

  it('hands a count over again under its id after a crash between its two writes', async () => {
    const temp = await tempDir('sparkplug-crash');
    cleanups.push(temp.remove);
    const key = JSON.stringify(['G', 'N', 'D', 'Good']);
    const pending = {
      id: '0193a8f0-0000-7000-8000-000000000001',
      topic: 'plantline/v1/RIV/L1/M1/count',
      payload: JSON.stringify({ good: 5, ts: '2026-12-05T08:00:00.000Z' }),
      receivedAt: '2026-12-05T08:00:00.100Z',
    };
    // The counter's value and its count were on disk; whether the outbox had the count is unknown.
    await writeFile(
      join(temp.dir, SPARKPLUG_COUNTERS_FILE),
      JSON.stringify({ counters: { [key]: 45 }, pending: [pending] }),
    );
    const edge = await start(MAPPING, temp.dir);
    const events = await eventsOnDisk(edge.outboxDir);
    expect(events).toEqual([
      expect.objectContaining({
        id: pending.id,
        ts: '2026-12-05T08:00:00.000Z',
        payload: expect.objectContaining({ good: 5 }),
      }),
    ]);
    await edge.send('NBIRTH', []);
    await edge.send('DBIRTH', [{ name: 'Good', type: 'UInt64', value: 46 }]);
    await edge.stop();
    const file = JSON.parse(await readFile(join(temp.dir, SPARKPLUG_COUNTERS_FILE), 'utf8'));
    expect(file).toEqual({ counters: { [key]: 46 }, pending: [] });
    expect((await eventsOnDisk(edge.outboxDir)).map((event) => event.payload)).toEqual([
      expect.objectContaining({ good: 5 }),
      expect.objectContaining({ good: 1 }),
    ]);
  });

  it('refuses a message whose counter cannot be kept on disk, and counts it when it comes again', async () => {
    const edge = await start();
    await edge.send('NBIRTH', []);
    await edge.send('DBIRTH', [{ name: 'Good', type: 'UInt64', value: 40 }]);
    const file = join(edge.dataDir, SPARKPLUG_COUNTERS_FILE);
    // A folder where the temporary file goes: the write fails.
    await mkdir(`${file}.tmp`);
    await expect(edge.send('DDATA', [{ name: 'Good', type: 'UInt64', value: 45 }])).rejects.toThrow();
    await rm(`${file}.tmp`, { recursive: true });
    await edge.send('DDATA', [{ name: 'Good', type: 'UInt64', value: 45 }]);
    expect((await eventsOnDisk(edge.outboxDir)).map((event) => event.payload)).toEqual([
      expect.objectContaining({ good: 5 }),
    ]);
  });
});

import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DeadLetterStore } from '../dead-letter/dead-letter-store';
import { DeadbandFilter } from '../deadband/deadband';
import { createLogger } from '../logger';
import { Outbox, OutboxFullError } from '../outbox/outbox';
import { eventsOnDisk } from '../testing/outbox-on-disk';
import { tempDir } from '../testing/temp-dir';
import { UnitGroup } from '../unit';
import { Ingress, MAX_PAYLOAD_BYTES, toEnvelope } from './ingress';
import type { Origin } from './resend-index';

const receivedAt = new Date('2026-11-24T12:00:00.000Z');
const envelope = (topic: string, payload: unknown) =>
  toEnvelope(topic, Buffer.from(JSON.stringify(payload)), receivedAt);

describe('toEnvelope', () => {
  it('wraps a valid message with an id, the address and the resolved time', () => {
    expect(
      envelope('plantline/v1/RIV/L1/M1/state', { state: 'DOWN', reason: 'JAM', ts: '2026-11-24T11:59:00Z' }),
    ).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{14}7/),
      plant: 'RIV',
      line: 'L1',
      machine: 'M1',
      kind: 'state',
      ts: '2026-11-24T11:59:00.000Z',
      receivedAt: '2026-11-24T12:00:00.000Z',
      payload: { state: 'DOWN', reason: 'JAM', ts: '2026-11-24T11:59:00Z' },
    });
  });

  it('uses the receive time for a device clock outside the skew bound, keeping the device value', () => {
    expect(envelope('plantline/v1/RIV/L1/M1/count', { good: 1, ts: '2027-01-01T00:00:00Z' })).toMatchObject({
      ts: '2026-11-24T12:00:00.000Z',
      deviceTs: '2027-01-01T00:00:00.000Z',
    });
  });

  it('says why a message is refused', () => {
    const big = Buffer.alloc(MAX_PAYLOAD_BYTES + 1, 32);
    expect(toEnvelope('plantline/v1/RIV/L1/M1/scan', big, receivedAt)).toEqual({
      reason: `payload of ${MAX_PAYLOAD_BYTES + 1} bytes exceeds ${MAX_PAYLOAD_BYTES}`,
    });
    expect(envelope('plantline/v1/RIV/L1/M1/count', { good: 0 })).toEqual({
      reason: 'invalid count payload: a count needs good or scrap above zero',
    });
    expect(envelope('plantline/v1/RIV/L1/M1/telemetry', { values: { 'bad name': 1 } })).toMatchObject({
      reason: expect.stringMatching(/^invalid telemetry payload: values/),
    });
  });
});

const log = createLogger({ logLevel: 'silent', name: 'test' });
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The ingress on a real outbox in `dir`, as main.ts wires it (origins reloaded at start). */
async function ingressOnDisk(
  dir: string,
  options: { maxBytes?: number; maxAgeMs?: number; deadband?: DeadbandFilter } = {},
) {
  const window = { maxEntries: 1000, maxAgeMs: options.maxAgeMs ?? 60_000 };
  const outbox = new Outbox({
    dir: join(dir, 'outbox'),
    maxBytes: options.maxBytes ?? 1 << 30,
    recoverOrigins: { maxRecords: window.maxEntries, maxAgeMs: window.maxAgeMs },
    log,
  });
  const deadLetters = new DeadLetterStore({ dir, log });
  const ingress = new Ingress({ outbox, deadLetters, resendWindow: window, deadband: options.deadband });
  const units = new UnitGroup([outbox, ingress, deadLetters], log);
  await units.start();
  let stopped = false;
  const stop = async () => {
    if (!stopped) await units.stop();
    stopped = true;
  };
  cleanups.push(stop);
  return { ingress, outbox, stop, stored: () => eventsOnDisk(join(dir, 'outbox')) };
}

async function newDir() {
  const temp = await tempDir('ingress');
  cleanups.push(temp.remove);
  return temp.dir;
}

const COUNT = 'plantline/v1/RIV/L1/M1/count';
const count = (good: number) => Buffer.from(JSON.stringify({ good }));
const from = (packetId: number, dup: boolean, client = 'press-7'): Origin => ({ client, packetId, dup });
const goods = (events: { payload: unknown }[]) =>
  events.map((event) => (event.payload as { good: number }).good);

describe('Ingress resend recognition', () => {
  it('acknowledges a DUP = 1 repeat of a stored message without storing it again', async () => {
    const edge = await ingressOnDisk(await newDir());
    expect(await edge.ingress.accept(COUNT, count(1), from(7, false))).toBe('stored');
    expect(await edge.ingress.accept(COUNT, count(1), from(7, true))).toBe('resend');
    expect(await edge.ingress.accept(COUNT, count(1), from(7, true))).toBe('resend');
    // Another device's identical message with the same packet id is its own.
    expect(await edge.ingress.accept(COUNT, count(1), from(7, true, 'press-8'))).toBe('stored');
    expect(goods(await edge.stored())).toEqual([1, 1]);
    expect(edge.ingress.stats()).toMatchObject({
      receivedTotal: 4,
      storedTotal: 2,
      resendsRecognisedTotal: 2,
    });
  });

  it('always stores DUP = 0, and a DUP = 1 publish unlike the newest message under its packet id', async () => {
    const edge = await ingressOnDisk(await newDir());
    // Same packet id and payload without DUP: the id was acknowledged and reused, a new message (MQTT 3.1.1 §4.3.2).
    expect(await edge.ingress.accept(COUNT, count(1), from(9, false))).toBe('stored');
    expect(await edge.ingress.accept(COUNT, count(1), from(9, false))).toBe('stored');
    // Reused for another message whose first attempt was lost: its resend is not the older message.
    expect(await edge.ingress.accept(COUNT, count(2), from(9, false))).toBe('stored');
    expect(await edge.ingress.accept(COUNT, count(1), from(9, true))).toBe('stored');
    // A dead letter or a foreign topic under the id ends what the index knew, too.
    expect(await edge.ingress.accept(COUNT, Buffer.from('{"good":'), from(9, false))).toBe('dead-letter');
    expect(await edge.ingress.accept(COUNT, count(1), from(9, true))).toBe('stored');
    expect(await edge.ingress.accept('factory/other', Buffer.from('x'), from(9, false))).toBe('ignored');
    expect(await edge.ingress.accept(COUNT, count(1), from(9, true))).toBe('stored');
    // QoS 0 has no packet id and nothing to recognise.
    expect(await edge.ingress.accept(COUNT, count(3))).toBe('stored');
    expect(goods(await edge.stored())).toEqual([1, 1, 2, 1, 1, 1, 3]);
    expect(edge.ingress.stats().resendsRecognisedTotal).toBe(0);
  });

  it('recognises a resend that arrives while its original is still being written', async () => {
    const edge = await ingressOnDisk(await newDir());
    const original = edge.ingress.accept(COUNT, count(1), from(3, false));
    const resend = edge.ingress.accept(COUNT, count(1), from(3, true));
    expect(await Promise.all([original, resend])).toEqual(['stored', 'resend']);
    expect(goods(await edge.stored())).toEqual([1]);
  });

  it('does not take the resend of a message the outbox refused for a repeat: it is offered again', async () => {
    const edge = await ingressOnDisk(await newDir(), { maxBytes: 100 });
    await expect(edge.ingress.accept(COUNT, count(1), from(4, false))).rejects.toThrow(OutboxFullError);
    await expect(edge.ingress.accept(COUNT, count(1), from(4, true))).rejects.toThrow(OutboxFullError);
    expect(edge.ingress.stats()).toMatchObject({ resendsRecognisedTotal: 0, refusedTotal: 2 });
  });

  it('after a restart, recognises resends of what the outbox holds from the previous run', async () => {
    const dir = await newDir();
    const first = await ingressOnDisk(dir);
    for (let id = 1; id <= 5; id++) await first.ingress.accept(COUNT, count(id), from(id, false));
    // Stored without an origin (QoS 0): nothing to reload, nothing to confuse.
    await first.ingress.accept(COUNT, count(6));
    await first.stop();

    const second = await ingressOnDisk(dir);
    for (let id = 1; id <= 5; id++)
      expect(await second.ingress.accept(COUNT, count(id), from(id, true))).toBe('resend');
    expect(await second.ingress.accept(COUNT, count(6), from(6, true))).toBe('stored');
    expect(goods(await second.stored())).toEqual([1, 2, 3, 4, 5, 6, 6]);
  });

  it('reloads only the origins within the window before the newest record', async () => {
    const dir = await newDir();
    const first = await ingressOnDisk(dir);
    await first.ingress.accept(COUNT, count(1), from(1, false));
    await new Promise((resolve) => setTimeout(resolve, 300));
    await first.ingress.accept(COUNT, count(2), from(2, false));
    await first.stop();

    const second = await ingressOnDisk(dir, { maxAgeMs: 200 });
    expect(await second.ingress.accept(COUNT, count(2), from(2, true))).toBe('resend');
    expect(await second.ingress.accept(COUNT, count(1), from(1, true))).toBe('stored');
  });
});

describe('Ingress with telemetry deadbands', () => {
  const TELEMETRY = 'plantline/v1/RIV/L1/M1/telemetry';
  const telemetry = (values: Record<string, number>, second: number) =>
    Buffer.from(JSON.stringify({ values, ts: `2026-11-24T11:59:${String(second).padStart(2, '0')}Z` }));
  const band = () => {
    const filter = new DeadbandFilter();
    filter.replaceRules([
      {
        plant: 'RIV',
        line: null,
        machine: null,
        metric: null,
        mode: 'absolute',
        deadband: 1,
        heartbeatS: 30,
      },
    ]);
    return filter;
  };
  const at = (second: number) => new Date(Date.parse('2026-11-24T11:59:00Z') + second * 1000 + 500);

  it('stores the values that leave the band, acknowledges the rest unstored, and never filters counts', async () => {
    const edge = await ingressOnDisk(await newDir(), { deadband: band() });
    const accept = (payload: Buffer, second: number, packetId: number) =>
      edge.ingress.accept(TELEMETRY, payload, from(packetId, false), at(second));
    expect(await accept(telemetry({ temp: 50, rpm: 1000 }, 0), 0, 1)).toBe('stored');
    expect(await accept(telemetry({ temp: 50.5, rpm: 1000 }, 1), 1, 2)).toBe('suppressed');
    expect(await accept(telemetry({ temp: 50.9, rpm: 1200 }, 2), 2, 3)).toBe('stored');
    // The heartbeat, per series: temp is unchanged but 31 s after its last kept value, rpm only 29 s.
    expect(await accept(telemetry({ temp: 50, rpm: 1200 }, 31), 31, 4)).toBe('stored');
    for (let n = 0; n < 3; n++)
      expect(await edge.ingress.accept(COUNT, count(1), from(10 + n, false))).toBe('stored');
    const stored = await edge.stored();
    expect(stored.map((event) => event.payload)).toEqual([
      { values: { temp: 50, rpm: 1000 }, ts: '2026-11-24T11:59:00Z' },
      { values: { rpm: 1200 }, ts: '2026-11-24T11:59:02Z' },
      { values: { temp: 50 }, ts: '2026-11-24T11:59:31Z' },
      { good: 1, scrap: 0 },
      { good: 1, scrap: 0 },
      { good: 1, scrap: 0 },
    ]);
    expect(edge.ingress.stats()).toMatchObject({ receivedTotal: 7, storedTotal: 6, suppressedTotal: 1 });
  });

  it('does not judge the resend of telemetry the outbox refused against itself', async () => {
    const filter = band();
    const edge = await ingressOnDisk(await newDir(), { maxBytes: 100, deadband: filter });
    const payload = telemetry({ temp: 50 }, 0);
    await expect(edge.ingress.accept(TELEMETRY, payload, from(5, false), at(0))).rejects.toThrow(
      OutboxFullError,
    );
    // Were its value remembered as kept, this would be acknowledged as suppressed and lost.
    await expect(edge.ingress.accept(TELEMETRY, payload, from(5, true), at(1))).rejects.toThrow(
      OutboxFullError,
    );
    expect(filter.stats()).toMatchObject({ samplesReceived: 2, samplesSuppressed: 0, series: 0 });
  });
});

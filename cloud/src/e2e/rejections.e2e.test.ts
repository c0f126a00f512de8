import { join } from 'node:path';
import { createLogger, Outbox } from '@plantline/edge';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { rows } from '../db/index.js';
import { signIn } from '../testing/api.js';
import { nextEventId } from '../testing/events.js';
import { connectDevice, type Device, disconnectAll } from './devices.js';
import { describeEachEngine, oneTo, START_MS, Stack, sequencesByMachine, storedCounts } from './stack.js';

/*
 * What must be refused without losing what is around it, through to the real cloud on
 * each database mode: malformed device payloads (refused by the edge into its dead-letter store,
 * docs/device-integration.md, "Dead letters") and events for a plant the edge's API key does not
 * cover (refused by the cloud, kept by the edge as dead letters). Both tests share one cloud and
 * edge per engine, and count from where the previous one left the edge's totals.
 */
const TOPIC = 'plantline/v1/RIV/L1/M1/count';

describeEachEngine('refused input (real processes, %s database)', (engine) => {
  let stack: Stack | undefined;
  const devices: Device[] = [];

  beforeAll(async () => {
    stack = await Stack.start(engine, 'refused');
    await stack.startEdge();
  }, START_MS);

  afterAll(async () => {
    await disconnectAll(devices);
    await stack?.close();
  });

  async function device(clientId: string): Promise<Device> {
    const connected = await connectDevice(stack!.edge.mqttUrl, clientId);
    devices.push(connected);
    return connected;
  }

  it.sequential('stores every valid event and dead-letters every malformed one interleaved with them, each with its reason', async () => {
    const plant = stack!;
    const product = 'e2e-malformed';
    // Over the contract's 64 KiB, yet within the broker's packet limit (64 KiB + 1 KiB of header room);
    // a larger packet closes the device's connection (edge/src/ingress/device-access.test.ts).
    const oversized = JSON.stringify({ good: 1, product, order: 'x'.repeat(65_600) });
    // What devices get wrong in the field, each with the reason the edge must give (schema/ contracts).
    const malformed = [
      { topic: TOPIC, payload: '{"good":1,', reason: 'payload is not JSON' },
      { topic: TOPIC, payload: '', reason: 'payload is not JSON' },
      {
        topic: TOPIC,
        payload: JSON.stringify({ good: -1, product, order: 'negative' }),
        reason: expect.stringMatching(/^invalid count payload: good: /),
      },
      {
        topic: TOPIC,
        payload: JSON.stringify({ good: 0, scrap: 0, product }),
        reason: 'invalid count payload: a count needs good or scrap above zero',
      },
      {
        topic: 'plantline/v1/RIV/L1/M1/weather',
        payload: JSON.stringify({ good: 1, product }),
        reason: expect.stringMatching(/^kind "weather" must be one of /),
      },
      {
        topic: 'plantline/v1/RIV/L 1/M1/count',
        payload: JSON.stringify({ good: 1, product }),
        reason: expect.stringContaining('"L 1" must be'),
      },
      {
        topic: TOPIC,
        payload: oversized,
        reason: `payload of ${Buffer.byteLength(oversized)} bytes exceeds 65536`,
      },
      // What the database cannot store: refused here, so it can never hold up the uplink.
      {
        topic: TOPIC,
        payload: JSON.stringify({ good: 1, product, order: 'PO\u00001' }),
        reason: expect.stringMatching(/^invalid count payload: order: must not contain control characters/),
      },
      {
        topic: TOPIC,
        payload: JSON.stringify({ good: 1, product, ts: '0000-01-01T00:00:00Z' }),
        reason: 'invalid count payload: ts: must lie in the years 0001–9999 (UTC)',
      },
    ];
    const validCount = (malformed.length + 1) * 10;
    const before = await plant.edgeStatus();
    const lettersBefore = (await plant.deadLetters()).length;

    const gateway = await device('e2e-RIV-L1-M1-malformed');
    // One connection carries both, so every PUBACK for a valid event is awaited after the malformed
    // one before it: a refusal that broke the connection or the edge would fail here.
    for (let n = 1; n <= validCount; n++) {
      await gateway.publish(TOPIC, { good: 1, product, order: String(n) });
      const letter = n % 10 === 0 ? malformed[n / 10 - 1] : undefined;
      if (letter !== undefined) await gateway.publish(letter.topic, letter.payload);
    }

    const status = await plant.waitForEdge(
      (s) =>
        s.outbox?.backlogEvents === 0 &&
        (s.ingress?.storedTotal ?? 0) >= (before.ingress?.storedTotal ?? 0) + validCount,
      30_000,
      'the valid events acknowledged by the cloud',
    );
    expect(status.ingress?.storedTotal).toBe((before.ingress?.storedTotal ?? 0) + validCount);
    expect(status.ingress?.deadLetteredTotal).toBe(
      (before.ingress?.deadLetteredTotal ?? 0) + malformed.length,
    );
    expect(status.deadLetters?.count).toBe((before.deadLetters?.count ?? 0) + malformed.length);
    expect(status.deadLetters?.lastReason).toBe(malformed.at(-1)?.reason);
    expect(status.uplink?.rejectedTotal).toBe(before.uplink?.rejectedTotal ?? 0);

    const letters = (await plant.deadLetters()).slice(lettersBefore);
    expect(letters).toEqual(
      malformed.map((letter) => ({
        at: expect.any(String),
        source: 'device',
        topic: letter.topic,
        reason: letter.reason,
        // Kept as received, cut at 4 KiB so a flooding device cannot fill the disk.
        payload: letter.payload.slice(0, 4096),
        payloadBytes: Buffer.byteLength(letter.payload),
      })),
    );

    const stored = await plant.inspect((db) => storedCounts(db, product));
    expect(Object.fromEntries(sequencesByMachine(stored))).toEqual({ 'RIV/L1/M1': oneTo(validCount) });
    expect(plant.cloudRunning()).toBe(true);
  }, 90_000);

  it.sequential("rejects events for a plant outside the edge key's plants and stores the plant's own around them", async () => {
    const plant = stack!;
    const product = 'e2e-foreign-plant';
    // The demo edge's key covers both demo plants; a plant the tenant adds later is outside it.
    const admin = await signIn(plant.cloud.url, 'admin@demo.plantline.local', 'e2e-admin-password');
    await admin.trpc.tenancy.plants.create.mutate({ code: 'OUT', name: 'Outside plant' });
    const riv = await device('e2e-RIV-L1-M1-own');
    const out = await device('e2e-OUT-L1-M1');
    const before = await plant.edgeStatus();
    const lettersBefore = (await plant.deadLetters()).length;
    const foreign = 3;
    for (let k = 1; k <= foreign; k++) {
      await riv.publish(TOPIC, { good: 1, product, order: String(k) });
      await out.publish('plantline/v1/OUT/L1/M1/count', { good: 1, product, order: `out-${k}` });
    }
    await riv.publish(TOPIC, { good: 1, product, order: String(foreign + 1) });

    // The edge takes them all (they are well formed); the cloud answers "rejected" for the outside plant's.
    const status = await plant.waitForEdge(
      (s) =>
        s.outbox?.backlogEvents === 0 &&
        (s.uplink?.rejectedTotal ?? 0) >= (before.uplink?.rejectedTotal ?? 0) + foreign,
      30_000,
      'the RIV events stored and the OUT events rejected',
    );
    expect(status.uplink?.rejectedTotal).toBe((before.uplink?.rejectedTotal ?? 0) + foreign);
    expect(status.deadLetters?.count).toBe((before.deadLetters?.count ?? 0) + foreign);
    expect(status.deadLetters?.lastReason).toContain("plant OUT is not in this API key's plants");

    const letters = (await plant.deadLetters()).slice(lettersBefore);
    expect(letters).toEqual(
      oneTo(foreign).map((k) => ({
        at: expect.any(String),
        source: 'cloud',
        topic: 'plantline/v1/OUT/L1/M1/count',
        reason: expect.stringContaining("plant OUT is not in this API key's plants"),
        payload: expect.stringContaining(`"order":"out-${k}"`),
        payloadBytes: expect.any(Number),
      })),
    );

    const { own, outside } = await plant.inspect(async (db) => ({
      own: await storedCounts(db, product),
      // Nothing for the outside plant anywhere: not in the event tables, and not held as unassigned either.
      outside: await rows<{ n: number }>(
        db,
        sql`select count(*)::int as n from (
              select plant_id from production_counts
              union all select plant_id from machine_state_events
              union all select plant_id from qr_code_scans
              union all select plant_id from sensor_readings
              union all select plant_id from unassigned_events
            ) e join plants p on p.id = e.plant_id where p.code = 'OUT'`,
      ),
    }));
    expect(Object.fromEntries(sequencesByMachine(own))).toEqual({ 'RIV/L1/M1': oneTo(foreign + 1) });
    expect(outside[0]?.n).toBe(0);
    expect(plant.cloudRunning()).toBe(true);
  }, 60_000);

  it.sequential('delivers everything behind poison events already in the outbox, dead-lettering only them', async () => {
    const plant = stack!;
    const product = 'e2e-poison';
    const lettersBefore = (await plant.deadLetters()).length;
    // Events an edge took under an older, looser contract and still holds in its durable outbox.
    const now = Date.now();
    const event = (order: string, changes: Record<string, unknown> = {}) => ({
      id: nextEventId(),
      plant: 'RIV',
      line: 'L1',
      machine: 'M1',
      kind: 'count',
      ts: new Date(now).toISOString(),
      receivedAt: new Date(now).toISOString(),
      payload: { good: 1, product, order },
      ...changes,
    });
    const poison = [
      event('year-0', { ts: '0000-01-01T00:00:00Z' }),
      event('nul', { payload: { good: 1, product, order: 'PO\u00001' } }),
      event('year-10000', { ts: '9999-12-31T23:59:59-05:00' }),
      event('ahead', { ts: new Date(now + 2 * 3_600_000).toISOString() }),
    ];
    const valid = 12;
    const outboxEvents = oneTo(valid).flatMap((n) => [
      event(String(n)),
      ...(n % 3 === 0 ? [poison[n / 3 - 1]!] : []),
    ]);
    await plant.killEdge();
    const log = createLogger({ logLevel: 'silent', name: 'e2e' });
    const outbox = new Outbox({ dir: join(plant.edgeDataDir, 'outbox'), maxBytes: 1 << 30, log });
    await outbox.start();
    for (const body of outboxEvents) await outbox.append(Buffer.from(JSON.stringify(body)));
    await outbox.stop();
    await plant.startEdge();

    // An edge that retried a poison event would hold everything behind it for good (its backoff
    // caps at 30 s and never gives up). Its totals count from the restart.
    const status = await plant.waitForEdge(
      (s) => s.outbox?.backlogEvents === 0 && (s.uplink?.rejectedTotal ?? 0) >= poison.length,
      30_000,
      'the valid events stored and the poison events rejected',
    );
    expect(status.uplink?.lastError).toBeNull();
    const letters = (await plant.deadLetters()).slice(lettersBefore);
    expect(letters).toEqual(
      poison.map((p) => ({
        at: expect.any(String),
        source: 'cloud',
        topic: TOPIC,
        reason: expect.any(String),
        payload: JSON.stringify(p),
        payloadBytes: Buffer.byteLength(JSON.stringify(p)),
      })),
    );
    expect(letters.map((l) => l.reason)).toEqual([
      'ts: must lie in the years 0001–9999 (UTC)',
      expect.stringMatching(/^payload: must not contain control characters/),
      'ts: must lie in the years 0001–9999 (UTC)',
      "ts is more than 1 hour ahead of the cloud's clock",
    ]);
    const stored = await plant.inspect((db) => storedCounts(db, product));
    expect(Object.fromEntries(sequencesByMachine(stored))).toEqual({ 'RIV/L1/M1': oneTo(valid) });
  }, 90_000);
});

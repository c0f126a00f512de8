import { join } from 'node:path';
import type { EventEnvelope } from '@plantline/schema';
import { afterEach, describe, expect, it } from 'vitest';
import { DeadLetterStore } from '../dead-letter/dead-letter-store';
import { toEnvelope } from '../ingress/ingress';
import { createLogger } from '../logger';
import { Outbox } from '../outbox/outbox';
import { FAKE_CLOUD_KEY, startFakeCloud } from '../testing/fake-cloud';
import { deadLettersOnDisk } from '../testing/outbox-on-disk';
import { tempDir } from '../testing/temp-dir';
import { waitFor } from '../testing/wait-for';
import { UnitGroup } from '../unit';
import type { AnswerPublisher } from './station-answers';
import { Uplink } from './uplink';

const log = createLogger({ logLevel: 'silent', name: 'test' });
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface SetUpOptions {
  requestTimeoutMs?: number;
  apiKey?: string;
  backoffMs?: number;
  answers?: AnswerPublisher;
  lanes?: number;
  maxInFlightEvents?: number;
}

async function setUp(options: SetUpOptions = {}) {
  const cloud = await startFakeCloud();
  cleanups.push(cloud.close);
  const temp = await tempDir('uplink');
  cleanups.push(temp.remove);
  /** The edge's outbox and uplink over the same folder: started again, they carry on where they were. */
  const startEdge = async () => {
    const outbox = new Outbox({ dir: join(temp.dir, 'outbox'), maxBytes: 1 << 30, log });
    const deadLetters = new DeadLetterStore({ dir: temp.dir, log });
    const uplink = new Uplink({
      cloudUrl: cloud.url,
      apiKey: options.apiKey ?? FAKE_CLOUD_KEY,
      outbox,
      deadLetters,
      receivedPerS: () => 0,
      log,
      backoff: { baseMs: options.backoffMs ?? 20, capMs: options.backoffMs ?? 100 },
      requestTimeoutMs: options.requestTimeoutMs ?? 5000,
      initialBatch: 8,
      // Generous: a loaded test machine must not make "fast" answers look slow.
      adapt: { fastMs: 10_000, slowMs: 20_000 },
      ...(options.answers === undefined ? {} : { answers: options.answers }),
      ...(options.lanes === undefined ? {} : { lanes: options.lanes }),
      ...(options.maxInFlightEvents === undefined ? {} : { maxInFlightEvents: options.maxInFlightEvents }),
    });
    const units = new UnitGroup([outbox, deadLetters, uplink], log);
    await units.start();
    let stopped = false;
    const stop = async () => {
      if (stopped) return;
      stopped = true;
      await units.stop();
    };
    cleanups.push(stop);
    return { outbox, uplink, stop };
  };
  const { outbox, uplink, stop } = await startEdge();
  const append = async (count: number, machine = 'M1') => {
    for (let n = 0; n < count; n++) await outbox.append(countRecord(machine, n + 1));
  };
  return { cloud, outbox, uplink, stop, startEdge, append, dataDir: temp.dir };
}

function countRecord(machine: string, good: number): Buffer {
  const event = toEnvelope(
    `plantline/v1/RIV/L1/${machine}/count`,
    Buffer.from(JSON.stringify({ good })),
    new Date(),
  );
  return Buffer.from(JSON.stringify(event));
}

const goods = (events: Iterable<EventEnvelope>) =>
  [...events].map((event) => (event.payload as { good: number }).good);

describe('Uplink', () => {
  it('delivers in order, growing the batch while the cloud answers fast, and trims the outbox', async () => {
    const { cloud, outbox, uplink, append } = await setUp();
    // Down while the backlog builds, so every batch after that is full.
    cloud.state.mode = 'down';
    await append(300);
    cloud.state.mode = 'up';
    await waitFor(() => (outbox.backlog === 0 && cloud.state.stored.size === 300 ? true : undefined));
    expect(goods(cloud.state.stored.values())).toEqual(Array.from({ length: 300 }, (_, n) => n + 1));
    expect(cloud.state.received).toHaveLength(300);
    expect(uplink.status()).toMatchObject({ sentTotal: 300, lastError: null, etaS: 0 });
    expect(uplink.status().batchSize).toBeGreaterThan(8);
  });

  it('holds the batch through an outage and delivers everything exactly once when the cloud is back', async () => {
    const { cloud, outbox, uplink, append } = await setUp();
    cloud.state.mode = 'down';
    await append(100);
    await waitFor(() => (uplink.status().state === 'backing-off' ? true : undefined));
    expect(uplink.status().lastError).toMatch(/SERVICE_UNAVAILABLE/);
    expect(outbox.stats()).toMatchObject({ backlogEvents: 100 });
    expect(outbox.stats().oldestAppendedAt).not.toBeNull();
    cloud.state.mode = 'up';
    await waitFor(() => (outbox.backlog === 0 ? true : undefined));
    expect(cloud.state.stored.size).toBe(100);
    expect(new Set(cloud.state.received).size).toBe(100);
    expect(uplink.status().lastError).toBeNull();
    expect(['sending', 'idle']).toContain(uplink.status().state);
  });

  it('retries at once when told the cloud is back, instead of waiting out its backoff', async () => {
    // A backoff far longer than the test: only retryNow() can make the delivery below happen in time.
    const { cloud, outbox, uplink, append } = await setUp({ backoffMs: 60_000 });
    cloud.state.mode = 'down';
    await append(20);
    await waitFor(() => (uplink.status().state === 'backing-off' ? true : undefined));
    cloud.state.mode = 'up';
    uplink.retryNow();
    await waitFor(() => (outbox.backlog === 0 ? true : undefined), 5_000);
    expect(cloud.state.stored.size).toBe(20);
  });

  it('retries a request that hangs, after its timeout', async () => {
    const { cloud, outbox, uplink, append } = await setUp({ requestTimeoutMs: 200 });
    cloud.state.mode = 'hang';
    await append(5);
    await waitFor(() => (uplink.status().lastError?.includes('no answer within 200 ms') ? true : undefined));
    cloud.state.mode = 'up';
    await waitFor(() => (outbox.backlog === 0 ? true : undefined));
    expect(goods(cloud.state.stored.values())).toEqual([1, 2, 3, 4, 5]);
  });

  it('dead-letters events the cloud rejects and goes on with the rest', async () => {
    const { cloud, outbox, uplink, append, dataDir } = await setUp();
    cloud.state.reject = (event) => (event.machine === 'BAD' ? 'unknown plant for this key' : undefined);
    await append(3);
    await append(2, 'BAD');
    await append(3);
    await waitFor(() => (outbox.backlog === 0 ? true : undefined));
    expect(goods(cloud.state.stored.values())).toEqual([1, 2, 3, 1, 2, 3]);
    const dead = await deadLettersOnDisk(dataDir);
    expect(dead).toHaveLength(2);
    expect(dead[0]).toMatchObject({
      topic: 'plantline/v1/RIV/L1/BAD/count',
      reason: 'unknown plant for this key',
    });
    expect(uplink.status().rejectedTotal).toBe(2);
  });

  it('dead-letters a single event the cloud refuses with 400 and delivers the rest without a retry wait', async () => {
    // A backoff far longer than the test: waiting to retry even once would fail it.
    const { cloud, outbox, uplink, append, dataDir } = await setUp({ backoffMs: 600_000 });
    cloud.state.refuseBatch = (events) => (goods(events).includes(5) ? 'Malformed value' : undefined);
    cloud.state.mode = 'down';
    await append(20);
    cloud.state.mode = 'up';
    uplink.retryNow();
    await waitFor(() => (outbox.backlog === 0 ? true : undefined));
    const rest = Array.from({ length: 20 }, (_, n) => n + 1).filter((good) => good !== 5);
    expect(goods(cloud.state.stored.values())).toEqual(rest);
    const dead = await deadLettersOnDisk(dataDir);
    expect(dead).toHaveLength(1);
    expect(dead[0]).toMatchObject({
      source: 'cloud',
      topic: 'plantline/v1/RIV/L1/M1/count',
      reason: 'ingest.push failed with BAD_REQUEST: Malformed value',
      payload: expect.stringContaining('"good":5'),
    });
    expect(uplink.status()).toMatchObject({ rejectedTotal: 1, sentTotal: 19, lastError: null });
  });

  it('dead-letters nothing for a failure that is not about one event', async () => {
    const { cloud, outbox, uplink, append, dataDir } = await setUp();
    // A 400 for several events says only that one of them is at fault: each is tried alone.
    cloud.state.refuseBatch = (events) => (events.length > 1 ? 'Malformed value' : undefined);
    cloud.state.mode = 'down';
    await append(3);
    cloud.state.mode = 'up';
    uplink.retryNow();
    await waitFor(() => (outbox.backlog === 0 ? true : undefined));
    expect(goods(cloud.state.stored.values())).toEqual([1, 2, 3]);
    // A single event the cloud cannot take right now (503) is kept and sent again.
    cloud.state.mode = 'down';
    await append(1);
    await waitFor(() => (uplink.status().state === 'backing-off' ? true : undefined));
    expect(outbox.backlog).toBe(1);
    cloud.state.mode = 'up';
    uplink.retryNow();
    await waitFor(() => (outbox.backlog === 0 ? true : undefined));
    expect(goods(cloud.state.stored.values())).toEqual([1, 2, 3, 1]);
    expect(await deadLettersOnDisk(dataDir)).toEqual([]);
    expect(uplink.status().rejectedTotal).toBe(0);
  });

  it('splits batches the cloud finds too large', async () => {
    const { cloud, outbox, append } = await setUp();
    cloud.state.maxEvents = 3;
    cloud.state.mode = 'down';
    await append(40);
    cloud.state.mode = 'up';
    await waitFor(() => (outbox.backlog === 0 ? true : undefined));
    expect(goods(cloud.state.stored.values())).toEqual(Array.from({ length: 40 }, (_, n) => n + 1));
    expect(cloud.state.tooLarge).toBeGreaterThan(0);
    expect(cloud.state.received).toHaveLength(40);
  });

  it('keeps everything while the cloud refuses the key, and says so', async () => {
    const { outbox, uplink, append } = await setUp({ apiKey: 'plk_revoked' });
    await append(2);
    await waitFor(() => (uplink.status().state === 'auth-error' ? true : undefined));
    expect(uplink.status().lastError).toMatch(/UNAUTHORIZED/);
    expect(outbox.backlog).toBe(2);
  });

  it('publishes the stations’ answers to the scanners’ answer topics, resent events too', async () => {
    const published: { topic: string; message: Record<string, unknown> }[] = [];
    const answers: AnswerPublisher = {
      publishAnswer: async (topic, payload) => {
        published.push({ topic, message: JSON.parse(payload.toString('utf8')) });
      },
    };
    const { cloud, outbox } = await setUp({ answers });
    cloud.state.answer = (event) =>
      event.kind === 'scan'
        ? {
            result: 'wrong_item',
            message: 'GTIN 1 is not on this shipment',
            station: 'PACK-1',
            shipment: 'SHP-1',
            item: null,
          }
        : undefined;
    const scan = toEnvelope('plantline/v1/RIV/L1/PACK-1/scan', Buffer.from('{"code":"(01)1"}'), new Date());
    const count = toEnvelope('plantline/v1/RIV/L1/M1/count', Buffer.from('{"good":1}'), new Date());
    await outbox.append(Buffer.from(JSON.stringify(count)));
    await outbox.append(Buffer.from(JSON.stringify(scan)));
    await waitFor(() => (published.length === 1 && outbox.backlog === 0 ? true : undefined));
    expect(published[0]).toEqual({
      topic: 'plantline/v1/RIV/L1/PACK-1/answer',
      message: {
        event: (scan as EventEnvelope).id,
        result: 'wrong_item',
        message: 'GTIN 1 is not on this shipment',
        station: 'PACK-1',
        shipment: 'SHP-1',
        item: null,
        ts: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
      },
    });
  });

  it('drops an answer it cannot read and still trims the batch', async () => {
    const published: string[] = [];
    const { cloud, outbox, uplink } = await setUp({
      answers: { publishAnswer: async (topic) => void published.push(topic) },
    });
    // A newer cloud's answer this edge does not know: the event is stored all the same.
    cloud.state.answer = () => ({ result: 'teleported' }) as never;
    const scan = toEnvelope('plantline/v1/RIV/L1/PACK-1/scan', Buffer.from('{"code":"x"}'), new Date());
    await outbox.append(Buffer.from(JSON.stringify(scan)));
    await waitFor(() => (outbox.backlog === 0 ? true : undefined));
    expect(uplink.status()).toMatchObject({ sentTotal: 1, rejectedTotal: 0 });
    expect(published).toEqual([]);
  });

  describe('with several batches in flight', () => {
    const MACHINES = Array.from({ length: 12 }, (_, n) => `M${n}`);
    const PER_MACHINE = 40;

    /** Appends PER_MACHINE counts per machine, interleaved, numbered 1.. per machine; written together. */
    const appendInterleaved = async (outbox: Outbox, from = 1) => {
      const writes: Promise<number>[] = [];
      for (let good = from; good < from + PER_MACHINE; good++)
        for (const machine of MACHINES) writes.push(outbox.append(countRecord(machine, good)));
      await Promise.all(writes);
    };

    /** Each machine's goods in the order the cloud first stored them. */
    const storedPerMachine = (stored: Map<string, EventEnvelope>) => {
      const out = new Map<string, number[]>();
      for (const event of stored.values()) {
        const list = out.get(event.machine) ?? [];
        list.push((event.payload as { good: number }).good);
        out.set(event.machine, list);
      }
      return out;
    };

    const expectEveryMachineInOrder = (stored: Map<string, EventEnvelope>, count: number) => {
      const perMachine = storedPerMachine(stored);
      expect([...perMachine.keys()].sort()).toEqual([...MACHINES].sort());
      for (const goods of perMachine.values())
        expect(goods).toEqual(Array.from({ length: count }, (_, n) => n + 1));
    };

    /** Answer times that vary from batch to batch, so overlapping batches finish out of order. */
    const jitter = (push: number) => 5 + ((push * 37) % 11) * 4;

    it('overlaps batches and keeps every machine in order', async () => {
      const { cloud, outbox, uplink } = await setUp({ lanes: 4 });
      cloud.state.delayMs = jitter;
      cloud.state.mode = 'down';
      await appendInterleaved(outbox);
      cloud.state.mode = 'up';
      uplink.retryNow();
      await waitFor(() => (outbox.backlog === 0 ? true : undefined), 20_000);
      expect(cloud.state.maxInFlight).toBeGreaterThan(1);
      expect(cloud.state.received).toHaveLength(MACHINES.length * PER_MACHINE);
      expectEveryMachineInOrder(cloud.state.stored, PER_MACHINE);
      expect(uplink.status()).toMatchObject({ lanes: 4, eventsInFlight: 0, lastError: null });
    });

    it('stores each event once when batches fail after the cloud stored them', async () => {
      const { cloud, outbox, uplink } = await setUp({ lanes: 4 });
      cloud.state.delayMs = jitter;
      // Every third answer is lost after the cloud committed: those batches are sent again.
      cloud.state.failAfterStore = (push) => push % 3 === 0;
      cloud.state.mode = 'down';
      await appendInterleaved(outbox);
      cloud.state.mode = 'up';
      uplink.retryNow();
      await waitFor(() => (outbox.backlog === 0 ? true : undefined), 20_000);
      const total = MACHINES.length * PER_MACHINE;
      expect(cloud.state.stored.size).toBe(total);
      // Resent, and answered as duplicates: the effect is once.
      expect(cloud.state.received.length).toBeGreaterThan(total);
      expect(uplink.status().duplicateTotal).toBeGreaterThan(0);
      expectEveryMachineInOrder(cloud.state.stored, PER_MACHINE);
    });

    it('loses and reorders nothing when the edge restarts with batches in flight', async () => {
      const { cloud, outbox, stop, startEdge } = await setUp({ lanes: 4 });
      cloud.state.delayMs = (push) => 20 + jitter(push);
      cloud.state.mode = 'down';
      await appendInterleaved(outbox);
      cloud.state.mode = 'up';
      await waitFor(() => (cloud.state.stored.size > 0 && cloud.state.inFlight > 1 ? true : undefined));
      // Stopped with batches in flight; their answers are lost, and the outbox is behind the cloud.
      await stop();
      const restarted = await startEdge();
      await appendInterleaved(restarted.outbox, PER_MACHINE + 1);
      await waitFor(() => (restarted.outbox.backlog === 0 ? true : undefined), 20_000);
      expect(cloud.state.stored.size).toBe(MACHINES.length * PER_MACHINE * 2);
      expectEveryMachineInOrder(cloud.state.stored, PER_MACHINE * 2);
    });

    it('holds at most maxInFlightEvents while the cloud does not answer', async () => {
      const { cloud, outbox, uplink } = await setUp({
        lanes: 3,
        maxInFlightEvents: 25,
        requestTimeoutMs: 60_000,
      });
      cloud.state.mode = 'hang';
      await appendInterleaved(outbox);
      await waitFor(() => (uplink.status().eventsInFlight === 25 ? true : undefined));
      // Time for the reader to take more if it would; it must not.
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(uplink.status().eventsInFlight).toBe(25);
      expect(outbox.backlog).toBe(MACHINES.length * PER_MACHINE);
    });
  });
});

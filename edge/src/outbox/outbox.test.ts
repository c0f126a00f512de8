import { appendFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../logger';
import { tempDir } from '../testing/temp-dir';
import { encodeRecord } from './framing';
import { Outbox, OutboxFullError } from './outbox';

const log = createLogger({ logLevel: 'silent', name: 'test' });
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function openOutbox(
  dir: string,
  options: {
    maxBytes?: number;
    segmentBytes?: number;
    recoverOrigins?: { maxRecords: number; maxAgeMs: number };
  } = {},
) {
  const outbox = new Outbox({
    dir,
    maxBytes: options.maxBytes ?? 1 << 30,
    segmentBytes: options.segmentBytes,
    recoverOrigins: options.recoverOrigins,
    log,
  });
  await outbox.start();
  cleanups.push(() => outbox.stop());
  return outbox;
}

async function newDir() {
  const temp = await tempDir('outbox');
  cleanups.push(temp.remove);
  return temp.dir;
}

const body = (n: number) => Buffer.from(JSON.stringify({ n }));
const numbers = (records: { body: Buffer }[]) =>
  records.map((record) => (JSON.parse(record.body.toString()) as { n: number }).n);

describe('Outbox', () => {
  it('reads back in append order and resumes after the acknowledged offset when reopened', async () => {
    const dir = await newDir();
    const first = await openOutbox(dir);
    await Promise.all(Array.from({ length: 10 }, (_, n) => first.append(body(n))));
    const records = await first.read(4, 1 << 20);
    expect(numbers(records)).toEqual([0, 1, 2, 3]);
    expect(numbers(await first.read(100, 1 << 20))).toEqual([4, 5, 6, 7, 8, 9]);
    await first.ack(records.at(-1)!.seq + 1);
    expect(first.stats()).toMatchObject({ backlogEvents: 6, appendedTotal: 10 });
    await first.stop();

    const second = await openOutbox(dir);
    expect(second.backlog).toBe(6);
    expect(second.stats().oldestAppendedAt).not.toBeNull();
    expect(numbers(await second.read(100, 1 << 20))).toEqual([4, 5, 6, 7, 8, 9]);
    await second.append(body(10));
    expect(numbers(await second.read(100, 1 << 20))).toEqual([10]);
  });

  it('cuts a torn last record after a crash and keeps every complete one', async () => {
    const dir = await newDir();
    const first = await openOutbox(dir);
    for (let n = 0; n < 3; n++) await first.append(body(n));
    await first.stop();
    const [segment] = (await readdir(dir)).filter((name) => name.endsWith('.log'));
    // What kill -9 in the middle of a write leaves: the first half of a frame.
    const torn = encodeRecord(body(3), Date.now());
    await appendFile(join(dir, segment!), torn.subarray(0, torn.length - 5));

    const second = await openOutbox(dir);
    expect(second.stats().discardedOnRecovery).toBe(1);
    await second.append(body(4));
    expect(numbers(await second.read(100, 1 << 20))).toEqual([0, 1, 2, 4]);
  });

  it('rolls segments and deletes those fully acknowledged', async () => {
    const dir = await newDir();
    const outbox = await openOutbox(dir, { segmentBytes: 200 });
    for (let n = 0; n < 40; n++) await outbox.append(body(n));
    const segmentsBefore = (await readdir(dir)).filter((name) => name.endsWith('.log')).length;
    expect(segmentsBefore).toBeGreaterThan(3);
    const records = await outbox.read(25, 1 << 20);
    expect(numbers(records)).toEqual(Array.from({ length: 25 }, (_, n) => n));
    await outbox.ack(records.at(-1)!.seq + 1);
    const segmentsAfter = (await readdir(dir)).filter((name) => name.endsWith('.log')).length;
    expect(segmentsAfter).toBeLessThan(segmentsBefore);
    expect(numbers(await outbox.read(100, 1 << 20))).toEqual(Array.from({ length: 15 }, (_, n) => n + 25));
  });

  it('refuses appends beyond the quota, says so, and takes them again once trimmed', async () => {
    const dir = await newDir();
    const outbox = await openOutbox(dir, { maxBytes: 600, segmentBytes: 100 });
    let refused: unknown;
    let stored = 0;
    for (let n = 0; n < 100 && !refused; n++) {
      try {
        await outbox.append(body(n));
        stored++;
      } catch (err) {
        refused = err;
      }
    }
    expect(refused).toBeInstanceOf(OutboxFullError);
    expect(outbox.stats()).toMatchObject({ quotaState: 'full', backlogEvents: stored, refusedTotal: 1 });
    const records = await outbox.read(100, 1 << 20);
    await outbox.ack(records.at(-1)!.seq + 1);
    await outbox.append(body(1000));
    expect(outbox.stats()).toMatchObject({ quotaState: 'ok', backlogEvents: 1 });
  });

  it('commits concurrent appends in groups (one sync for many events)', async () => {
    const dir = await newDir();
    const outbox = await openOutbox(dir);
    const event = Buffer.from(
      JSON.stringify({ id: '019ab5f0-7c00-7000-8000-000000000001', payload: { good: 1 } }),
    );
    const count = 20_000;
    const started = performance.now();
    await Promise.all(Array.from({ length: count }, () => outbox.append(event)));
    const perS = count / ((performance.now() - started) / 1000);
    expect(outbox.backlog).toBe(count);
    // Measured ~10^5/s here; the floor only catches a regression to one sync per event.
    expect(perS).toBeGreaterThan(5000);
  });

  it('keeps origins beside the bodies: never read back, recovered at start across segments', async () => {
    const dir = await newDir();
    const first = await openOutbox(dir, { segmentBytes: 200 });
    const origin = (n: number) => Buffer.from(`origin-${n}`);
    for (let n = 0; n < 30; n++) await first.append(body(n), n % 3 === 0 ? undefined : origin(n));
    const records = await first.read(100, 1 << 20);
    expect(numbers(records)).toEqual(Array.from({ length: 30 }, (_, n) => n));
    // Acknowledged records still count (the cloud having them says nothing about the devices' PUBACKs)
    // as long as their segment is on disk; the acknowledged older segments go.
    await first.ack(records[10]!.seq + 1);
    await first.stop();

    const second = await openOutbox(dir, {
      segmentBytes: 200,
      recoverOrigins: { maxRecords: 5, maxAgeMs: 60_000 },
    });
    const recovered = second.takeRecoveredOrigins();
    expect(recovered.map((r) => r.origin.toString())).toEqual([23, 25, 26, 28, 29].map((n) => `origin-${n}`));
    expect(second.takeRecoveredOrigins()).toEqual([]);
    expect((await readdir(dir)).filter((name) => name.endsWith('.log')).length).toBeGreaterThan(2);
    expect(numbers(await second.read(100, 1 << 20))).toEqual(Array.from({ length: 19 }, (_, n) => n + 11));
  });
});

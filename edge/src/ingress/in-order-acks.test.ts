import { describe, expect, it } from 'vitest';
import { InOrderAcks } from './in-order-acks';

function deferred() {
  let resolve!: () => void;
  let reject!: (err: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

function recorder() {
  const acknowledged: number[] = [];
  const refused: string[] = [];
  const acks = new InOrderAcks({
    acknowledge: (packetId) => acknowledged.push(packetId),
    refuse: (err) => refused.push(err.message),
    maxWaiting: 3,
  });
  return { acks, acknowledged, refused };
}

describe('InOrderAcks', () => {
  it('acknowledges in arrival order, a message stored early waiting for those before it', async () => {
    const { acks, acknowledged } = recorder();
    const writes = [deferred(), deferred(), deferred(), deferred()];
    for (const [n, write] of writes.entries()) acks.track(n + 10, write.promise);
    writes[2]!.resolve();
    writes[1]!.resolve();
    await settle();
    expect(acknowledged).toEqual([]);
    expect(acks.waiting).toBe(4);
    writes[0]!.resolve();
    await settle();
    expect(acknowledged).toEqual([10, 11, 12]);
    writes[3]!.resolve();
    await settle();
    expect(acknowledged).toEqual([10, 11, 12, 13]);
    expect(acks.waiting).toBe(0);
  });

  it('stops at the first message that cannot be stored: it and all after it stay unacknowledged', async () => {
    const { acks, acknowledged, refused } = recorder();
    const writes = [deferred(), deferred(), deferred(), deferred()];
    for (const [n, write] of writes.entries()) acks.track(n + 1, write.promise);
    writes[0]!.resolve();
    writes[2]!.resolve();
    writes[1]!.reject(new Error('outbox full'));
    writes[3]!.reject(new Error('outbox full again'));
    await settle();
    expect(acknowledged).toEqual([1]);
    expect(refused).toEqual(['outbox full']);
    expect(acks.stopped).toBe(true);
    // Whatever is tracked afterwards is not acknowledged either: the broker redelivers it all.
    acks.track(5, Promise.resolve());
    await settle();
    expect(acknowledged).toEqual([1]);
  });

  it('acknowledges nothing more once stopped, as when the connection closes', async () => {
    const { acks, acknowledged, refused } = recorder();
    const write = deferred();
    acks.track(7, write.promise);
    acks.stop();
    write.resolve();
    await settle();
    expect(acknowledged).toEqual([]);
    expect(refused).toEqual([]);
  });

  it('keeps acknowledging in order across many messages (memory is compacted behind the head)', async () => {
    const { acks, acknowledged } = recorder();
    const writes = Array.from({ length: 5000 }, () => deferred());
    for (const [n, write] of writes.entries()) acks.track(n + 1, write.promise);
    for (let n = writes.length - 1; n >= 0; n--) writes[n]!.resolve();
    await settle();
    expect(acknowledged).toEqual(writes.map((_, n) => n + 1));
  });

  it('holds the reader back while maxWaiting messages wait, and lets it on as they are acknowledged', async () => {
    const { acks, acknowledged } = recorder();
    const writes = Array.from({ length: 6 }, () => deferred());
    // As mqtt.js does: the next message is read only once the previous one lets it on.
    let read = 0;
    const readNext = () => {
      const n = ++read;
      if (n > writes.length) return;
      acks.track(n, writes[n - 1]!.promise);
      acks.admit(readNext);
    };
    readNext();
    expect(read).toBe(3);
    expect(acks.waiting).toBe(3);
    writes[0]!.resolve();
    await settle();
    expect(acknowledged).toEqual([1]);
    expect(read).toBe(4);
    for (const write of writes) write.resolve();
    await settle();
    expect(acknowledged).toEqual([1, 2, 3, 4, 5, 6]);
    expect(read).toBe(7);
  });

  it('lets a held reader on when the connection stops', () => {
    const { acks } = recorder();
    const readOn: number[] = [];
    for (let n = 1; n <= 4; n++) {
      acks.track(n, new Promise(() => {}));
      acks.admit(() => readOn.push(n));
    }
    expect(readOn).toEqual([1, 2]);
    acks.stop();
    expect(readOn).toEqual([1, 2, 3, 4]);
  });
});

import { describe, expect, it } from 'vitest';
import { decodeOrigin, encodeOrigin, messageDigest, ResendIndex } from './resend-index';

const digest = (payload: string, topic = 'plantline/v1/RIV/L1/M1/count') =>
  messageDigest(topic, Buffer.from(payload));

describe('ResendIndex', () => {
  it('matches the newest message under a client and packet id only with the same digest', () => {
    const index = new ResendIndex({ maxAgeMs: 60_000, maxEntries: 100 });
    index.remember('press-7', 42, digest('{"good":1}'), 0);
    expect(index.match('press-7', 42, digest('{"good":1}'), 10)).toBe(true);
    expect(index.match('press-7', 42, digest('{"good":2}'), 10)).toBeUndefined();
    expect(index.match('press-8', 42, digest('{"good":1}'), 10)).toBeUndefined();
    expect(index.match('press-7', 43, digest('{"good":1}'), 10)).toBeUndefined();

    // The packet id reused for another message: the older one can no longer be resent under it.
    index.remember('press-7', 42, digest('{"good":2}'), 20);
    expect(index.match('press-7', 42, digest('{"good":1}'), 30)).toBeUndefined();
    expect(index.match('press-7', 42, digest('{"good":2}'), 30)).toBe(true);
    expect(index.size).toBe(1);
  });

  it('tells the same payload on another topic apart', () => {
    expect(digest('{"good":1}', 'plantline/v1/RIV/L1/M1/count')).not.toBe(
      digest('{"good":1}', 'plantline/v1/RIV/L1/M2/count'),
    );
    // The separator keeps topic and payload from sliding into each other.
    expect(messageDigest('a/b', Buffer.from('c'))).not.toBe(messageDigest('a/', Buffer.from('bc')));
    // Bytes that are not UTF-8 are hashed as they are, not replaced.
    expect(messageDigest('a', Buffer.from([0xff]))).not.toBe(messageDigest('a', Buffer.from([0xfe])));
    expect(messageDigest('a', Buffer.from('x'))).toHaveLength(32);
  });

  it('answers with the write of an original still on its way, and keeps it only if the write succeeds', () => {
    const index = new ResendIndex({ maxAgeMs: 60_000, maxEntries: 100 });
    const written = Promise.resolve(7);
    const pending = index.remember('press-7', 1, 'd1', 0, written)!;
    expect(index.match('press-7', 1, 'd1', 1)).toBe(written);
    index.settle('press-7', 1, pending, true);
    expect(index.match('press-7', 1, 'd1', 2)).toBe(true);

    const failed = index.remember('press-7', 2, 'd2', 3, Promise.resolve())!;
    index.settle('press-7', 2, failed, false);
    expect(index.match('press-7', 2, 'd2', 4)).toBeUndefined();
    // A write that ends after its packet id was reused leaves the newer message alone.
    const old = index.remember('press-7', 3, 'd3', 5, Promise.resolve())!;
    index.remember('press-7', 3, 'd4', 6);
    index.settle('press-7', 3, old, false);
    expect(index.match('press-7', 3, 'd4', 7)).toBe(true);
  });

  it('forgets a packet id used for something not stored', () => {
    const index = new ResendIndex({ maxAgeMs: 60_000, maxEntries: 100 });
    index.remember('press-7', 1, 'd1', 0);
    index.forget('press-7', 1);
    index.forget('press-9', 1);
    expect(index.match('press-7', 1, 'd1', 1)).toBeUndefined();
    expect(index.size).toBe(0);
  });

  it('lets entries go after maxAgeMs', () => {
    const index = new ResendIndex({ maxAgeMs: 1000, maxEntries: 100 });
    index.remember('a', 1, 'd', 0);
    index.remember('a', 2, 'd', 500);
    expect(index.match('a', 1, 'd', 999)).toBe(true);
    expect(index.match('a', 1, 'd', 1000)).toBeUndefined();
    expect(index.match('a', 2, 'd', 1000)).toBe(true);
    expect(index.size).toBe(1);
    expect(index.match('a', 2, 'd', 1500)).toBeUndefined();
    expect(index.size).toBe(0);
  });

  it('keeps at most maxEntries, dropping the oldest, and does not count replaced ones twice', () => {
    const index = new ResendIndex({ maxAgeMs: 60_000, maxEntries: 3 });
    for (let id = 1; id <= 3; id++) index.remember('a', id, 'd', id);
    // Replacing id 1 makes it the newest; the oldest is now id 2.
    index.remember('a', 1, 'e', 4);
    index.remember('b', 5, 'd', 5);
    expect(index.size).toBe(3);
    expect(index.match('a', 2, 'd', 6)).toBeUndefined();
    expect(index.match('a', 3, 'd', 6)).toBe(true);
    expect(index.match('a', 1, 'e', 6)).toBe(true);
    expect(index.match('b', 5, 'd', 6)).toBe(true);
  });

  it('stays bounded when one client reuses a packet id over and over', () => {
    const index = new ResendIndex({ maxAgeMs: 60_000, maxEntries: 10 });
    index.remember('slow', 1, 'd', 0);
    for (let n = 0; n < 10_000; n++) index.remember('busy', 1, `d${n}`, 1);
    expect(index.size).toBe(2);
    expect(index.match('slow', 1, 'd', 2)).toBe(true);
    expect(index.match('busy', 1, 'd9999', 2)).toBe(true);
  });
});

describe('origin encoding', () => {
  it('round-trips client id, packet id and digest', () => {
    const digest = messageDigest('plantline/v1/RIV/L1/M1/count', Buffer.from('{"good":1}'));
    const origin = encodeOrigin('Presse-Süd 7', 65535, digest);
    expect(origin.length).toBe(2 + 32 + Buffer.byteLength('Presse-Süd 7'));
    expect(decodeOrigin(origin)).toEqual({ client: 'Presse-Süd 7', packetId: 65535, digest });
    expect(decodeOrigin(Buffer.alloc(5))).toBeUndefined();
  });
});

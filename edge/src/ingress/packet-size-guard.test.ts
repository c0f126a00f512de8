import { Duplex } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { limitPacketSize, PacketSizeScanner } from './packet-size-guard';

/** A fixed header (type byte, remaining length as MQTT's variable byte integer) and its body. */
function packet(remaining: number): Buffer {
  const length: number[] = [];
  let left = remaining;
  do {
    let byte = left % 128;
    left = Math.floor(left / 128);
    if (left > 0) byte |= 0x80;
    length.push(byte);
  } while (left > 0);
  return Buffer.concat([Buffer.from([0x30, ...length]), Buffer.alloc(remaining)]);
}

describe('PacketSizeScanner', () => {
  it('passes packets up to the limit, several in one chunk', () => {
    const scanner = new PacketSizeScanner(1000);
    expect(scanner.feed(Buffer.concat([packet(0), packet(127), packet(128), packet(1000)]))).toBeNull();
  });

  it('refuses a packet above the limit as soon as its length is known, however the bytes arrive', () => {
    const bytes = Buffer.concat([packet(10), packet(1001)]);
    const whole = new PacketSizeScanner(1000);
    expect(whole.feed(bytes)).toBe('packet of more than 1000 bytes');
    const byteByByte = new PacketSizeScanner(1000);
    const verdicts = [...bytes].map((byte) => byteByByte.feed(Buffer.from([byte])));
    // Packet 1 is 12 bytes; packet 2's type byte is byte 13 and its length ends at byte 15.
    expect(verdicts.findIndex((verdict) => verdict !== null)).toBe(14);
  });

  it('refuses a remaining length longer than four bytes (MQTT 3.1.1 §2.2.3)', () => {
    const scanner = new PacketSizeScanner(Number.MAX_SAFE_INTEGER);
    expect(scanner.feed(Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff, 0x01]))).toBe(
      'malformed remaining length',
    );
  });
});

describe('limitPacketSize', () => {
  it('passes what is written in order, joining what was written while the socket was busy', async () => {
    const writes: Buffer[] = [];
    // A socket whose writes complete a moment later, as a TCP socket's do.
    const socket = new Duplex({
      read() {},
      write(chunk: Buffer, _encoding, callback) {
        writes.push(chunk);
        setImmediate(callback);
      },
    });
    const guarded = limitPacketSize(socket, 1000, () => undefined);
    const acks = Array.from({ length: 100 }, (_, n) => Buffer.from([0x40, 0x02, n >> 8, n & 0xff]));
    for (const ack of acks) guarded.write(ack);
    await new Promise<void>((resolve) => guarded.end(resolve));
    expect(Buffer.concat(writes)).toEqual(Buffer.concat(acks));
    expect(writes.length).toBeLessThan(10);
  });
});

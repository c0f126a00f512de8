import { Duplex } from 'node:stream';

/**
 * Follows the MQTT fixed headers in a connection's byte stream (MQTT 3.1.1 §2.2 and 5.0 §2.1: one type
 * byte, then the remaining length as a variable byte integer of one to four bytes) and tells, as soon
 * as a header is complete, whether the packet is too large. The parser aedes uses (mqtt-packet) has no
 * size limit and buffers a whole packet before looking at it, so the check has to happen in front of it.
 */
export class PacketSizeScanner {
  /** Bytes of the current packet still to skip; -1 while reading a fixed header. */
  #skip = 0;
  #inHeader = false;
  #length = 0;
  #multiplier = 1;
  #lengthBytes = 0;

  constructor(private readonly maxRemainingLength: number) {}

  /** The reason the connection must end, or null while every packet so far is within the limit. */
  feed(chunk: Buffer): string | null {
    let at = 0;
    while (at < chunk.length) {
      if (this.#skip > 0) {
        const taken = Math.min(this.#skip, chunk.length - at);
        this.#skip -= taken;
        at += taken;
        continue;
      }
      if (!this.#inHeader) {
        // The type byte; the remaining length follows.
        this.#inHeader = true;
        this.#length = 0;
        this.#multiplier = 1;
        this.#lengthBytes = 0;
        at++;
        continue;
      }
      const byte = chunk[at++]!;
      this.#length += (byte & 0x7f) * this.#multiplier;
      this.#multiplier *= 128;
      this.#lengthBytes++;
      if (this.#length > this.maxRemainingLength) {
        return `packet of more than ${this.maxRemainingLength} bytes`;
      }
      if (byte & 0x80) {
        if (this.#lengthBytes === 4) return 'malformed remaining length';
        continue;
      }
      this.#inHeader = false;
      this.#skip = this.#length;
    }
    return null;
  }
}

/**
 * The socket as aedes sees it, with bytes passed on only while every packet stays within
 * `maxRemainingLength`. The first packet above it ends the connection before any of it reaches the
 * parser: nothing of it is acknowledged or stored, and a device cannot make the edge buffer it.
 */
export function limitPacketSize(
  socket: Duplex,
  maxRemainingLength: number,
  onRefused: (reason: string) => void,
): Duplex {
  const scanner = new PacketSizeScanner(maxRemainingLength);
  const guarded: Duplex = new Duplex({
    read() {
      socket.resume();
    },
    write(chunk: Buffer, _encoding, callback) {
      socket.write(chunk, callback);
    },
    /*
     * What aedes wrote while the socket's last write was under way, in one write: a PUBACK is four
     * bytes, and writing each on its own (a system call and, with TCP_NODELAY, a segment each) took
     * about a third of the edge's CPU at 8 000 events/s in a CPU profile of `pnpm bench e2e`.
     */
    writev(chunks, callback) {
      socket.write(Buffer.concat(chunks.map(({ chunk }) => chunk as Buffer)), callback);
    },
    final(callback) {
      socket.end(callback);
    },
    destroy(err, callback) {
      socket.destroy();
      callback(err);
    },
  });
  socket.on('data', (chunk: Buffer) => {
    if (guarded.destroyed) return;
    const refused = scanner.feed(chunk);
    if (refused !== null) {
      onRefused(refused);
      guarded.destroy();
      return;
    }
    if (!guarded.push(chunk)) socket.pause();
  });
  socket.on('end', () => guarded.push(null));
  socket.on('error', (err) => guarded.destroy(err));
  socket.on('close', () => guarded.destroy());
  return guarded;
}

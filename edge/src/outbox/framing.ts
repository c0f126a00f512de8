import { crc32 } from 'node:zlib';

/*
 * One record on disk: [length u32][crc32 u32][appendedAt ms f64][content]. The length says where the
 * next record starts; the CRC (of the content) tells a complete record from one torn by a power cut or
 * kill -9 (the tail of the file may hold any prefix of the last write). Little-endian throughout.
 *
 * The content is the body (what the uplink sends), unless bit 31 of the length is set: then it is
 * [origin length u16][origin][body]. The origin is the ingress's note of where the message came from
 * (see ingress/resend-index.ts); it shares the body's write and fsync and never leaves the edge. Records
 * written before origins existed have the bit clear and read as before. An older edge takes a flagged
 * record for garbage, so downgrade only with an empty outbox.
 */
export const HEADER_BYTES = 16;
/**
 * Content (origin included) far above any event (the cloud takes at most 1 MiB per batch); a larger
 * length means garbage.
 */
export const MAX_RECORD_BYTES = 1 << 20;
const HAS_ORIGIN = 0x8000_0000;
/** The u16 in front of it; the ingress keeps origins far smaller. */
export const MAX_ORIGIN_BYTES = 0xffff;

/** Bytes a record's content takes: what MAX_RECORD_BYTES bounds. */
export function contentBytes(body: Buffer, origin?: Buffer): number {
  return body.length + (origin ? 2 + origin.length : 0);
}

export function encodeRecord(body: Buffer, appendedAt: number, origin?: Buffer): Buffer {
  const prefix = origin ? 2 + origin.length : 0;
  if (origin && origin.length > MAX_ORIGIN_BYTES) throw new RangeError('origin too large for the outbox');
  const frame = Buffer.allocUnsafe(HEADER_BYTES + prefix + body.length);
  if (origin) {
    frame.writeUInt16LE(origin.length, HEADER_BYTES);
    origin.copy(frame, HEADER_BYTES + 2);
  }
  body.copy(frame, HEADER_BYTES + prefix);
  const content = prefix + body.length;
  frame.writeUInt32LE(origin ? (content | HAS_ORIGIN) >>> 0 : content, 0);
  frame.writeUInt32LE(crc32(frame.subarray(HEADER_BYTES)), 4);
  frame.writeDoubleLE(appendedAt, 8);
  return frame;
}

export interface DecodedRecord {
  body: Buffer;
  /** Absent on records written without one (and before origins existed). */
  origin: Buffer | undefined;
  appendedAt: number;
  /** Bytes taken in the file, header included. */
  size: number;
}

export type DecodeResult =
  | { kind: 'record'; record: DecodedRecord }
  /** Not enough bytes yet (or a torn tail, when the buffer reaches the end of the file). */
  | { kind: 'incomplete' }
  | { kind: 'corrupt'; reason: string };

export function decodeRecord(buffer: Buffer, offset: number): DecodeResult {
  if (buffer.length - offset < HEADER_BYTES) return { kind: 'incomplete' };
  const word = buffer.readUInt32LE(offset);
  const hasOrigin = (word & HAS_ORIGIN) !== 0;
  const length = word & ~HAS_ORIGIN;
  if (length > MAX_RECORD_BYTES) return { kind: 'corrupt', reason: `record length ${length} is impossible` };
  if (buffer.length - offset < HEADER_BYTES + length) return { kind: 'incomplete' };
  const content = buffer.subarray(offset + HEADER_BYTES, offset + HEADER_BYTES + length);
  if (crc32(content) !== buffer.readUInt32LE(offset + 4)) return { kind: 'corrupt', reason: 'CRC mismatch' };
  let body = content;
  let origin: Buffer | undefined;
  if (hasOrigin) {
    const originBytes = length >= 2 ? content.readUInt16LE(0) : Number.POSITIVE_INFINITY;
    if (2 + originBytes > length) return { kind: 'corrupt', reason: 'origin longer than the record' };
    origin = content.subarray(2, 2 + originBytes);
    body = content.subarray(2 + originBytes);
  }
  return {
    kind: 'record',
    record: { body, origin, appendedAt: buffer.readDoubleLE(offset + 8), size: HEADER_BYTES + length },
  };
}

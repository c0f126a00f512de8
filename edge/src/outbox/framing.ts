import { crc32 } from 'node:zlib';

/*
 * One record on disk: [length u32][crc32 of body u32][appendedAt ms f64][body]. The length says where
 * the next record starts; the CRC tells a complete record from one torn by a power cut or kill -9
 * (the tail of the file may hold any prefix of the last write). Little-endian throughout.
 */
export const HEADER_BYTES = 16;
/** Far above any event (the cloud takes at most 1 MiB per batch); a larger length means garbage. */
export const MAX_RECORD_BYTES = 1 << 20;

export function encodeRecord(body: Buffer, appendedAt: number): Buffer {
  const frame = Buffer.allocUnsafe(HEADER_BYTES + body.length);
  frame.writeUInt32LE(body.length, 0);
  frame.writeUInt32LE(crc32(body), 4);
  frame.writeDoubleLE(appendedAt, 8);
  body.copy(frame, HEADER_BYTES);
  return frame;
}

export interface DecodedRecord {
  body: Buffer;
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
  const length = buffer.readUInt32LE(offset);
  if (length > MAX_RECORD_BYTES) return { kind: 'corrupt', reason: `record length ${length} is impossible` };
  if (buffer.length - offset < HEADER_BYTES + length) return { kind: 'incomplete' };
  const body = buffer.subarray(offset + HEADER_BYTES, offset + HEADER_BYTES + length);
  if (crc32(body) !== buffer.readUInt32LE(offset + 4)) return { kind: 'corrupt', reason: 'CRC mismatch' };
  return {
    kind: 'record',
    record: { body, appendedAt: buffer.readDoubleLE(offset + 8), size: HEADER_BYTES + length },
  };
}

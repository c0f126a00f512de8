import { open, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeRecord, HEADER_BYTES, MAX_RECORD_BYTES } from './framing';

/*
 * The outbox's files (outbox.ts): segment files `seg-<first seq>.log` of framed records
 * (framing.ts), and `acked`, the first seq the cloud has not stored yet. What is read and cut here
 * at start decides what survives a crash; the Outbox keeps the log's state in memory.
 */

export interface Segment {
  startSeq: number;
  path: string;
  /** Durable bytes in the file. */
  bytes: number;
}

/** A record found on disk at start that was appended with an origin. */
export interface RecoveredOrigin {
  /** A view into the segment read at start: decode it and let it go. */
  origin: Buffer;
  appendedAt: number;
}

const SEGMENT_PATTERN = /^seg-(\d{16})\.log$/;
export const segmentName = (startSeq: number) => `seg-${String(startSeq).padStart(16, '0')}.log`;

/** The segment files in the folder, oldest first, with their sizes on disk. */
export async function listSegments(dir: string): Promise<Segment[]> {
  const names = (await readdir(dir)).filter((name) => SEGMENT_PATTERN.test(name)).sort();
  const segments: Segment[] = [];
  for (const name of names) {
    const path = join(dir, name);
    segments.push({
      startSeq: Number(SEGMENT_PATTERN.exec(name)?.[1]),
      path,
      bytes: (await stat(path)).size,
    });
  }
  return segments;
}

/** The acknowledged seq as last persisted, or undefined when there is none (or it is unreadable). */
export async function readAcked(dir: string): Promise<number | undefined> {
  try {
    const value = Number((await readFile(join(dir, 'acked'), 'utf8')).trim());
    return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Replaces `acked` atomically (write, then rename), so a crash leaves the old value or the new. */
export async function writeAcked(dir: string, seq: number): Promise<void> {
  const path = join(dir, 'acked');
  await writeFile(`${path}.tmp`, String(seq));
  await rename(`${path}.tmp`, path);
}

/** Counts the intact records of a segment (up to `stopAtSeq`): how many, and where they end. */
export async function scanSegment(segment: Segment, stopAtSeq = Number.POSITIVE_INFINITY) {
  const data = await readFile(segment.path);
  let offset = 0;
  let count = 0;
  while (segment.startSeq + count < stopAtSeq) {
    const decoded = decodeRecord(data, offset);
    if (decoded.kind !== 'record') break;
    offset += decoded.record.size;
    count++;
  }
  return { validBytes: offset, count, data };
}

/** Cuts a segment to its intact records, durably. */
export async function truncateSegment(segment: Segment, validBytes: number): Promise<void> {
  const fd = await open(segment.path, 'r+');
  try {
    await fd.truncate(validBytes);
    await fd.sync();
  } finally {
    await fd.close();
  }
  segment.bytes = validBytes;
}

/** `length` bytes of a segment from `pos` (fewer at its end). */
export async function readSegment(path: string, pos: number, length: number): Promise<Buffer> {
  const chunk = Buffer.allocUnsafe(length);
  const fd = await open(path, 'r');
  try {
    const { bytesRead } = await fd.read(chunk, 0, length, pos);
    return bytesRead === length ? chunk : chunk.subarray(0, bytesRead);
  } finally {
    await fd.close();
  }
}

/** A segment's first record, if it has one intact: enough bytes for the largest. */
export function readHead(path: string): Promise<Buffer> {
  return readSegment(path, 0, MAX_RECORD_BYTES + HEADER_BYTES);
}

/**
 * Walks back from the newest record, segment by segment, until it has maxRecords origins or reaches
 * records older than the window. Acknowledged records count too: the cloud having an event says
 * nothing about whether its device got the PUBACK. `lastData` is the newest segment, already read.
 */
export async function recoverOrigins(
  segments: readonly Segment[],
  lastData: Buffer,
  limits: { maxRecords: number; maxAgeMs: number },
): Promise<RecoveredOrigin[]> {
  const parts: RecoveredOrigin[][] = [];
  let count = 0;
  let newest: number | undefined;
  for (let index = segments.length - 1; index >= 0 && count < limits.maxRecords; index--) {
    const data = index === segments.length - 1 ? lastData : await readFile(segments[index]!.path);
    const inSegment: RecoveredOrigin[] = [];
    let first: number | undefined;
    let last: number | undefined;
    for (let offset = 0; ; ) {
      const decoded = decodeRecord(data, offset);
      if (decoded.kind !== 'record') break;
      const { origin, appendedAt, size } = decoded.record;
      first ??= appendedAt;
      last = appendedAt;
      if (origin) inSegment.push({ origin, appendedAt });
      offset += size;
    }
    // Empty: a segment just started. Records without origins (QoS 0) still bound the walk by age.
    if (first === undefined || last === undefined) continue;
    newest ??= last;
    const oldestKept = newest - limits.maxAgeMs;
    const fresh = inSegment.filter((record) => record.appendedAt >= oldestKept);
    const kept = fresh.slice(Math.max(0, fresh.length - (limits.maxRecords - count)));
    parts.unshift(kept);
    count += kept.length;
    if (first < oldestKept) break;
  }
  return parts.flat();
}

/** A new file's directory entry must be durable too, or the file can vanish after a power cut. */
export async function syncDir(dir: string): Promise<void> {
  const fd = await open(dir, 'r');
  try {
    await fd.sync();
  } finally {
    await fd.close();
  }
}

import { EventEmitter } from 'node:events';
import { type FileHandle, mkdir, open, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../logger';
import type { Unit } from '../unit';
import { contentBytes, decodeRecord, encodeRecord, HEADER_BYTES, MAX_RECORD_BYTES } from './framing';
import {
  listSegments,
  type RecoveredOrigin,
  readAcked,
  readHead,
  readSegment,
  recoverOrigins,
  type Segment,
  scanSegment,
  segmentName,
  syncDir,
  truncateSegment,
  writeAcked,
} from './segments';

export type { RecoveredOrigin } from './segments';

export interface OutboxOptions {
  /** Folder of its own (segments and the acknowledged-offset file). */
  dir: string;
  /** Disk quota for the segments; appends beyond it are refused (see OutboxFullError). */
  maxBytes: number;
  /** A new segment file is started once the current one is this large. */
  segmentBytes?: number;
  /**
   * Keep, when opening, the origins of the newest records (at most maxRecords, appended at most
   * maxAgeMs before the newest one) for takeRecoveredOrigins(): the ingress's resend index after a crash.
   */
  recoverOrigins?: { maxRecords: number; maxAgeMs: number };
  log: Logger;
}

export interface OutboxRecord {
  /** Position in the log; ack(seq + 1) acknowledges this record and all before it. */
  seq: number;
  body: Buffer;
  appendedAt: number;
}

export interface OutboxStats {
  backlogEvents: number;
  bytes: number;
  maxBytes: number;
  /** bytes / maxBytes, 0..1. */
  quotaUsed: number;
  /** 'warning' from 80 % of the quota, 'full' when the last append was refused for lack of room. */
  quotaState: 'ok' | 'warning' | 'full';
  oldestAppendedAt: string | null;
  segments: number;
  appendedTotal: number;
  refusedTotal: number;
  /** Torn tails cut at start and corrupt records skipped; should stay 0 outside crashes. */
  discardedOnRecovery: number;
  /** Set once a write failed: the outbox refuses everything until the edge is restarted. */
  error: string | null;
}

/**
 * Refused because the quota is reached. The ingress then does not acknowledge the device, which keeps
 * the message and retries: the plant's data waits on the device rather than being dropped here.
 */
export class OutboxFullError extends Error {
  constructor(
    readonly bytes: number,
    readonly maxBytes: number,
  ) {
    super(`outbox full: ${bytes} of ${maxBytes} bytes used (EDGE_OUTBOX_MAX_BYTES)`);
    this.name = 'OutboxFullError';
  }
}

interface Pending {
  frame: Buffer;
  seq: number;
  resolve: (seq: number) => void;
  reject: (err: Error) => void;
}

/** One oldest-age checkpoint per second of appends keeps memory flat during a long outage. */
const CHECKPOINT_INTERVAL_MS = 1000;
/**
 * Near the quota the status says so loudly, before appends are refused (docs/device-integration.md,
 * "When the cloud is away").
 */
const QUOTA_WARNING = 0.8;

/**
 * The durable outbox (docs/architecture.md, "Delivered at least once, stored once"): an append-only
 * log of segment files. An append resolves only after fdatasync; appends that arrive while a sync
 * runs are written and synced together (group commit), so the disk sees one sync per batch rather
 * than one per event. Records are read back in append order
 * (hence per machine in order) and trimmed only after ack(), i.e. after the cloud has stored them:
 * whole segments are deleted once every record in them is acknowledged.
 */
export class Outbox extends EventEmitter implements Unit {
  readonly name = 'outbox';
  #segments: Segment[] = [];
  #fd: FileHandle | undefined;
  #pending: Pending[] = [];
  #pendingBytes = 0;
  #flushing: Promise<void> | undefined;
  #failed: Error | undefined;
  #nextSeq = 0;
  #durableSeq = 0;
  #ackedSeq = 0;
  #ackWrite: Promise<void> = Promise.resolve();
  #cursor = { segment: 0, pos: 0, seq: 0 };
  #checkpoints: { seq: number; appendedAt: number }[] = [];
  #appendedTotal = 0;
  #refusedTotal = 0;
  #lastRefusal = false;
  #discarded = 0;
  #warned = false;
  #recovered: RecoveredOrigin[] = [];

  constructor(private readonly options: OutboxOptions) {
    super();
  }

  async start(): Promise<void> {
    const { dir, log } = this.options;
    await mkdir(dir, { recursive: true });
    this.#segments = await listSegments(dir);
    const acked = await readAcked(dir);
    if (this.#segments.length === 0) {
      const startSeq = acked ?? 0;
      const path = join(dir, segmentName(startSeq));
      await writeFile(path, '');
      this.#segments.push({ startSeq, path, bytes: 0 });
    }
    const last = this.#segments.at(-1)!;
    const scan = await scanSegment(last);
    if (scan.validBytes < last.bytes) {
      // A torn tail is the expected result of kill -9 or a power cut mid-write: none of it was acknowledged.
      log.warn(
        { segment: last.path, discardedBytes: last.bytes - scan.validBytes },
        'outbox: cut a torn tail',
      );
      this.#discarded++;
      await truncateSegment(last, scan.validBytes);
    }
    // Before the acknowledged segments are trimmed below: their newest records may still be resent.
    const limits = this.options.recoverOrigins;
    if (limits) {
      this.#recovered = await recoverOrigins(this.#segments, scan.data.subarray(0, scan.validBytes), limits);
    }
    this.#nextSeq = this.#durableSeq = last.startSeq + scan.count;
    const first = this.#segments[0]!;
    this.#ackedSeq = Math.min(Math.max(acked ?? first.startSeq, first.startSeq), this.#durableSeq);
    await this.#trimSegments();
    await this.#positionCursor();
    this.#fd = await open(last.path, 'a');
    const backlog = this.#durableSeq - this.#ackedSeq;
    log.info({ backlogEvents: backlog, segments: this.#segments.length, dir }, 'outbox opened');
  }

  /** Writes what is pending, then closes. Appends after stop() are refused. */
  async stop(): Promise<void> {
    this.#failed ??= new Error('outbox stopped');
    while (this.#flushing) await this.#flushing;
    await this.#ackWrite;
    await this.#fd?.close();
    this.#fd = undefined;
  }

  /**
   * Resolves with the record's seq once it is on disk (fdatasync); rejects with OutboxFullError when full.
   * `origin` is stored with the body in the same write but never read back by read(): see framing.ts.
   */
  append(body: Buffer, origin?: Buffer): Promise<number> {
    if (this.#failed) return Promise.reject(this.#failed);
    if (contentBytes(body, origin) > MAX_RECORD_BYTES)
      return Promise.reject(new Error('record too large for the outbox'));
    const frame = encodeRecord(body, Date.now(), origin);
    const used = this.#diskBytes() + this.#pendingBytes;
    if (used + frame.length > this.options.maxBytes) {
      this.#refusedTotal++;
      if (!this.#lastRefusal) {
        this.options.log.error(
          { bytes: used, maxBytes: this.options.maxBytes },
          'outbox full: refusing device messages until the cloud catches up',
        );
      }
      this.#lastRefusal = true;
      return Promise.reject(new OutboxFullError(used, this.options.maxBytes));
    }
    this.#lastRefusal = false;
    const seq = this.#nextSeq++;
    this.#pendingBytes += frame.length;
    return new Promise<number>((resolve, reject) => {
      this.#pending.push({ frame, seq, resolve, reject });
      this.#flushing ??= this.#flushLoop();
    });
  }

  /** Reads up to `maxEvents` durable records after the last read, at most ~`maxBytes` of bodies. */
  async read(maxEvents: number, maxBytes: number): Promise<OutboxRecord[]> {
    const out: OutboxRecord[] = [];
    let bytes = 0;
    while (out.length < maxEvents && bytes < maxBytes) {
      const segment = this.#segments[this.#cursor.segment];
      if (!segment) break;
      const isLast = this.#cursor.segment === this.#segments.length - 1;
      const end = segment.bytes;
      if (this.#cursor.pos >= end) {
        if (isLast) break;
        this.#moveCursorTo(this.#cursor.segment + 1);
        continue;
      }
      const length = Math.min(
        end - this.#cursor.pos,
        Math.max(maxBytes - bytes, MAX_RECORD_BYTES + HEADER_BYTES),
      );
      const chunk = await readSegment(segment.path, this.#cursor.pos, length);
      let offset = 0;
      while (out.length < maxEvents && bytes < maxBytes) {
        const decoded = decodeRecord(chunk, offset);
        if (decoded.kind === 'incomplete') break;
        if (decoded.kind === 'corrupt') {
          // Only bit rot gets here (torn tails are cut at start). Skip to the next segment, loudly.
          this.options.log.error(
            { segment: segment.path, pos: this.#cursor.pos + offset, reason: decoded.reason },
            'outbox: corrupt record, skipping the rest of the segment',
          );
          this.#discarded++;
          if (isLast) return out;
          this.#moveCursorTo(this.#cursor.segment + 1);
          offset = -1;
          break;
        }
        const { body, appendedAt, size } = decoded.record;
        out.push({ seq: this.#cursor.seq, body: Buffer.from(body), appendedAt });
        bytes += body.length;
        offset += size;
        this.#cursor.seq++;
      }
      if (offset >= 0) this.#cursor.pos += offset;
    }
    return out;
  }

  /** Every record with seq < `seq` is stored in the cloud: persist that, drop segments no longer needed. */
  ack(seq: number): Promise<void> {
    if (seq <= this.#ackedSeq) return this.#ackWrite;
    this.#ackedSeq = Math.min(seq, this.#durableSeq);
    while (this.#checkpoints.length > 1 && this.#checkpoints[1]!.seq <= this.#ackedSeq)
      this.#checkpoints.shift();
    this.#ackWrite = this.#ackWrite.then(async () => {
      // Written before segments are deleted: after a crash the file may lag (→ a resend the cloud
      // deduplicates by id), but it never points past records that still need sending.
      await writeAcked(this.options.dir, this.#ackedSeq);
      await this.#trimSegments();
      this.#checkQuota();
    });
    return this.#ackWrite;
  }

  /** The origins found when opening (see OutboxOptions.recoverOrigins), oldest first; handed over once. */
  takeRecoveredOrigins(): RecoveredOrigin[] {
    const recovered = this.#recovered;
    this.#recovered = [];
    return recovered;
  }

  get backlog(): number {
    return this.#durableSeq - this.#ackedSeq;
  }

  stats(): OutboxStats {
    const bytes = this.#diskBytes();
    const quotaUsed = bytes / this.options.maxBytes;
    const quotaState = this.#lastRefusal ? 'full' : quotaUsed >= QUOTA_WARNING ? 'warning' : 'ok';
    const oldest = this.backlog > 0 ? this.#checkpoints[0]?.appendedAt : undefined;
    return {
      backlogEvents: this.backlog,
      bytes,
      maxBytes: this.options.maxBytes,
      quotaUsed,
      quotaState,
      oldestAppendedAt: oldest === undefined ? null : new Date(oldest).toISOString(),
      segments: this.#segments.length,
      appendedTotal: this.#appendedTotal,
      refusedTotal: this.#refusedTotal,
      discardedOnRecovery: this.#discarded,
      error: this.#failed && this.#fd ? this.#failed.message : null,
    };
  }

  /** Logged once per crossing, so the log shows when the edge started to run out of room and when it recovered. */
  #checkQuota(): void {
    const bytes = this.#diskBytes();
    const above = bytes >= QUOTA_WARNING * this.options.maxBytes;
    if (above === this.#warned) return;
    this.#warned = above;
    if (above)
      this.options.log.warn({ bytes, maxBytes: this.options.maxBytes }, 'outbox above 80 % of its quota');
    else
      this.options.log.info(
        { bytes, maxBytes: this.options.maxBytes },
        'outbox back below 80 % of its quota',
      );
  }

  #diskBytes(): number {
    let total = 0;
    for (const segment of this.#segments) total += segment.bytes;
    return total;
  }

  async #flushLoop(): Promise<void> {
    try {
      while (this.#pending.length > 0) {
        const batch = this.#pending;
        this.#pending = [];
        try {
          await this.#writeBatch(batch);
        } catch (err) {
          // A failing disk leaves the tail unknown; refuse everything until a restart re-checks it.
          this.#failed = err instanceof Error ? err : new Error(String(err));
          this.options.log.fatal({ err }, 'outbox write failed; refusing further appends');
          for (const item of [...batch, ...this.#pending]) item.reject(this.#failed);
          this.#pending = [];
          this.#pendingBytes = 0;
          return;
        }
      }
    } finally {
      this.#flushing = undefined;
    }
  }

  async #writeBatch(batch: Pending[]): Promise<void> {
    let active = this.#segments.at(-1)!;
    const first = batch[0]!;
    if (active.bytes >= (this.options.segmentBytes ?? 64 * 1024 * 1024)) {
      await this.#fd?.close();
      const path = join(this.options.dir, segmentName(first.seq));
      this.#fd = await open(path, 'a');
      active = { startSeq: first.seq, path, bytes: 0 };
      this.#segments.push(active);
      await syncDir(this.options.dir);
    }
    const data = batch.length === 1 ? first.frame : Buffer.concat(batch.map((item) => item.frame));
    await this.#fd!.write(data);
    await this.#fd!.datasync();
    active.bytes += data.length;
    this.#pendingBytes -= data.length;
    this.#durableSeq = batch.at(-1)!.seq + 1;
    this.#appendedTotal += batch.length;
    const appendedAt = first.frame.readDoubleLE(8);
    const lastCheckpoint = this.#checkpoints.at(-1);
    if (!lastCheckpoint || appendedAt - lastCheckpoint.appendedAt >= CHECKPOINT_INTERVAL_MS) {
      this.#checkpoints.push({ seq: first.seq, appendedAt });
    }
    for (const item of batch) item.resolve(item.seq);
    this.#checkQuota();
    this.emit('durable');
  }

  async #trimSegments(): Promise<void> {
    while (this.#segments.length > 1 && this.#segments[1]!.startSeq <= this.#ackedSeq) {
      const done = this.#segments.shift()!;
      // A cursor still at the end of the removed segment stands exactly at the next one's start.
      if (this.#cursor.segment === 0) this.#moveCursorTo(0);
      else this.#cursor.segment--;
      await rm(done.path, { force: true });
    }
  }

  /** Puts the read cursor on the first unacknowledged record and seeds the oldest-age checkpoints. */
  async #positionCursor(): Promise<void> {
    const index = this.#segments.findLastIndex((segment) => segment.startSeq <= this.#ackedSeq);
    const segment = this.#segments[Math.max(index, 0)]!;
    const { validBytes, data } = await scanSegment(segment, this.#ackedSeq);
    this.#cursor = { segment: Math.max(index, 0), pos: validBytes, seq: this.#ackedSeq };
    const checkpoint = (seq: number, buffer: Buffer, offset: number) => {
      const decoded = decodeRecord(buffer, offset);
      if (decoded.kind === 'record') this.#checkpoints.push({ seq, appendedAt: decoded.record.appendedAt });
    };
    checkpoint(this.#ackedSeq, data, validBytes);
    for (const later of this.#segments.slice(index + 1)) {
      checkpoint(later.startSeq, await readHead(later.path), 0);
    }
  }

  #moveCursorTo(segmentIndex: number): void {
    const segment = this.#segments[segmentIndex]!;
    this.#cursor = { segment: segmentIndex, pos: 0, seq: segment.startSeq };
  }
}

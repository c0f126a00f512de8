import { type EventEnvelope, MAX_BATCH_EVENTS, topicFor } from '@plantline/schema';
import { type BackoffOptions, backoffDelay } from '../cloud/backoff';
import type { DeadLetterStore } from '../dead-letter/dead-letter-store';
import type { Logger } from '../logger';
import type { Outbox, OutboxRecord } from '../outbox/outbox';
import { RateMeter } from '../rate';
import type { Unit } from '../unit';
import { AckFrontier } from './ack-frontier';
import { type IngestResults, pushEvents } from './ingest-api';
import { laneOf } from './lanes';
import { type AnswerPublisher, answerFor } from './station-answers';
import type { UplinkStatus } from './uplink-status';
import { Wakeup } from './wakeup';

export interface UplinkOptions {
  cloudUrl: string;
  apiKey: string | undefined;
  outbox: Outbox;
  deadLetters: DeadLetterStore;
  /** The ingress rate, to tell whether the backlog shrinks and by when it is gone. */
  receivedPerS: () => number;
  log: Logger;
  backoff?: BackoffOptions;
  requestTimeoutMs?: number;
  random?: () => number;
  /** Starting batch size; it adapts between 1 and MAX_BATCH_EVENTS. */
  initialBatch?: number;
  /** A full batch answered faster than fastMs lets the batch grow; one slower than slowMs shrinks it. */
  adapt?: { fastMs: number; slowMs: number };
  /** Where the stations' answers to scans are published for the scanners; none: they are dropped. */
  answers?: AnswerPublisher;
  /** Batches in flight at once, each machine's events always in the same one (lanes.ts). Default 4. */
  lanes?: number;
  /** Events read from the outbox and not yet stored in the cloud, at most; the reader waits beyond. */
  maxInFlightEvents?: number;
}

/*
 * Uncompressed bytes of events per request. The cloud takes 8 MiB by default (MAX_BODY_BYTES, after
 * gzip); 4 MB lets a full batch of MAX_BATCH_EVENTS typical events (~250 bytes each) go in one
 * request. A cloud configured smaller answers 413, and the batch is split (see `split` below).
 */
const MAX_BODY_EVENT_BYTES = 4_000_000;
const ADAPT = { fastMs: 1000, slowMs: 5000 };
const PROGRESS_LOG_MS = 10_000;
export const DEFAULT_LANES = 4;

interface Item {
  record: OutboxRecord;
  /** Its place in the acknowledgement frontier. */
  ticket: number;
}

interface Lane {
  queue: Item[];
  wakeup: Wakeup;
  /** Failed attempts of the batch at the head of the queue, for the backoff. */
  failures: number;
}

/**
 * Sends the outbox to the cloud over several lanes (docs/architecture.md, "The uplink"). A reader
 * takes records from the outbox in order and hands each to its machine's lane (lanes.ts); each lane
 * sends one batch at a time, so every machine's events reach the cloud in order while the lanes'
 * batches overlap. The outbox is acknowledged only up to the oldest record not yet stored
 * (ack-frontier.ts), and the reader holds at most maxInFlightEvents records: a slow or failing lane
 * holds the others back once that much is in flight, rather than letting memory grow.
 *
 * A batch is done only after the cloud answered with a result per event; accepted and duplicate
 * mean stored, rejected means never storable, so those go to the dead-letter store. Failures are
 * retried with exponential backoff and jitter, holding the same batch, so nothing is skipped.
 */
export class Uplink implements Unit {
  readonly name = 'uplink';
  #stop: AbortController | undefined;
  #loops: Promise<void>[] = [];
  /** Wakes the reader: new events are durable, or a lane finished and made room. */
  #readerWakeup = new Wakeup();
  #lanes: Lane[];
  #frontier = new AckFrontier();
  #maxInFlight: number;
  #sent = new RateMeter();
  #batchSize: number;
  /** Lanes whose last attempt failed; the status shows their error until all have recovered. */
  #failing = new Set<Lane>();
  /** Ends the backoff waits early (retryNow); one per lane waiting to retry. */
  #endBackoff = new Set<() => void>();
  #lastProgressLog = 0;
  #status: Omit<UplinkStatus, 'sentPerS' | 'etaS' | 'batchSize' | 'lanes' | 'eventsInFlight'>;

  constructor(private readonly options: UplinkOptions) {
    this.#batchSize = options.initialBatch ?? 500;
    const lanes = Math.max(1, options.lanes ?? DEFAULT_LANES);
    this.#lanes = Array.from({ length: lanes }, () => ({ queue: [], wakeup: new Wakeup(), failures: 0 }));
    this.#maxInFlight = Math.max(1, options.maxInFlightEvents ?? lanes * MAX_BATCH_EVENTS);
    this.#status = {
      state: 'idle',
      lastError: null,
      lastSuccessAt: null,
      sentTotal: 0,
      duplicateTotal: 0,
      rejectedTotal: 0,
      lastBatch: null,
    };
  }

  async start(): Promise<void> {
    const stop = new AbortController();
    this.#stop = stop;
    this.options.outbox.on('durable', this.#onDurable);
    const guard = (loop: Promise<void>) =>
      loop.catch((err: unknown) => {
        // The loops are written not to throw; if one does, the edge must not keep ingesting with no uplink.
        this.options.log.fatal({ err }, 'uplink stopped unexpectedly');
        throw err;
      });
    this.#loops = [
      guard(this.#read(stop.signal)),
      ...this.#lanes.map((lane) => guard(this.#send(lane, stop.signal))),
    ];
  }

  async stop(): Promise<void> {
    this.options.outbox.off('durable', this.#onDurable);
    this.#stop?.abort();
    for (const end of this.#endBackoff) end();
    await Promise.all(this.#loops.map((loop) => loop.catch(() => undefined)));
    this.#status.state = 'stopped';
  }

  /** The cloud is reachable again (CloudLink saw it): retry now instead of waiting out the backoff. */
  retryNow(): void {
    for (const end of this.#endBackoff) end();
  }

  status(): UplinkStatus {
    const sentPerS = this.#sent.perSecond();
    const net = sentPerS - this.options.receivedPerS();
    const backlog = this.options.outbox.backlog;
    return {
      ...this.#status,
      batchSize: this.#batchSize,
      lanes: this.#lanes.length,
      eventsInFlight: this.#frontier.outstanding,
      sentPerS,
      etaS: backlog === 0 ? 0 : net > 0 ? Math.ceil(backlog / net) : null,
    };
  }

  #onDurable = () => this.#readerWakeup.notify();

  /** Reads the outbox in order and deals the records out to their machines' lanes. */
  async #read(signal: AbortSignal): Promise<void> {
    const { outbox, apiKey } = this.options;
    while (!signal.aborted) {
      if (apiKey === undefined) {
        // Without a key nothing can be sent; the outbox keeps everything until one is configured.
        this.#status.state = 'no-api-key';
        await this.#readerWakeup.wait(60_000, signal);
        continue;
      }
      const room = this.#maxInFlight - this.#frontier.outstanding;
      if (room <= 0) {
        await this.#readerWakeup.wait(1000, signal);
        continue;
      }
      const records = await outbox.read(Math.min(room, MAX_BATCH_EVENTS), MAX_BODY_EVENT_BYTES);
      if (records.length === 0) {
        if (this.#frontier.outstanding === 0) this.#status.state = 'idle';
        await this.#readerWakeup.wait(1000, signal);
        continue;
      }
      const lanes = this.#lanes.length;
      const woken = new Set<Lane>();
      for (const record of records) {
        const lane = this.#lanes[laneOf(record.body, lanes)]!;
        lane.queue.push({ record, ticket: this.#frontier.add(record.seq) });
        woken.add(lane);
      }
      for (const lane of woken) lane.wakeup.notify();
    }
  }

  /** One lane: its queue's head batch, sent and answered before the next, so its machines stay in order. */
  async #send(lane: Lane, signal: AbortSignal): Promise<void> {
    const { apiKey, log } = this.options;
    while (!signal.aborted) {
      if (lane.queue.length === 0 || apiKey === undefined) {
        await lane.wakeup.wait(1000, signal);
        continue;
      }
      if (this.#failing.size === 0) this.#status.state = 'sending';
      const batch = lane.queue.slice(0, this.#batchSize);
      const started = Date.now();
      const result = await pushEvents(
        this.options.cloudUrl,
        apiKey,
        batch.map((item) => item.record.body),
        { signal, timeoutMs: this.options.requestTimeoutMs ?? 30_000 },
      );
      if (signal.aborted) return;
      const ms = Date.now() - started;
      if (result.kind === 'ok') {
        lane.queue.splice(0, batch.length);
        this.#status.lastBatch = { events: batch.length, ms, gzipBytes: result.gzipBytes };
        this.#adapt(batch.length, ms);
        await this.#stored(lane, batch, result.results);
        this.#logProgress();
        continue;
      }
      if (result.kind === 'split' && batch.length > 1) {
        this.#batchSize = Math.max(1, Math.min(this.#batchSize, Math.floor(batch.length / 2)));
        log.warn(
          { error: result.error, batchSize: this.#batchSize },
          'cloud refused the batch; sending smaller ones',
        );
        continue;
      }
      if (result.kind === 'split') {
        /*
         * The cloud refused this one event as too large or malformed (4xx, not a key or rate
         * problem): it will never take it, and keeping it would hold back every event behind it
         * across restarts. Kept as a dead letter with the cloud's reason instead.
         */
        const [item] = lane.queue.splice(0, 1);
        log.error({ error: result.error, seq: item!.record.seq }, 'cloud refused an event; dead-lettered');
        await this.#deadLetter(item!.record, result.error);
        await this.#done([item!]);
        continue;
      }
      lane.failures++;
      this.#failing.add(lane);
      const delay = backoffDelay(
        lane.failures,
        this.options.backoff ?? { baseMs: 500, capMs: 30_000 },
        this.options.random,
      );
      const auth = result.kind === 'retry' && result.auth;
      if (this.#status.lastError !== result.error)
        log.warn({ error: result.error, retryInMs: delay }, 'uplink failed; retrying');
      this.#status.state = auth ? 'auth-error' : 'backing-off';
      this.#status.lastError = result.error;
      await this.#backoff(delay, signal);
    }
  }

  /** Marks items done and moves the outbox's acknowledgement as far as every earlier record is done. */
  async #done(items: readonly Item[]): Promise<void> {
    const ackTo = this.#frontier.done(items.map((item) => item.ticket));
    this.#readerWakeup.notify();
    if (ackTo !== undefined) await this.options.outbox.ack(ackTo);
  }

  async #stored(lane: Lane, batch: readonly Item[], results: IngestResults): Promise<void> {
    const records = batch.map((item) => item.record);
    this.#publishAnswers(records, results);
    let duplicates = 0;
    let rejected = 0;
    for (const [index, result] of results.entries()) {
      if (result.status === 'duplicate') duplicates++;
      if (result.status === 'rejected') {
        rejected++;
        const reason = result.reason ?? 'rejected by the cloud';
        this.options.log.error({ id: result.id, reason }, 'cloud rejected an event; dead-lettered');
        await this.#deadLetter(records[index]!, reason);
      }
    }
    const stored = batch.length - rejected;
    this.#sent.add(stored);
    if (lane.failures > 0) this.options.log.info({ afterFailures: lane.failures }, 'uplink recovered');
    lane.failures = 0;
    this.#failing.delete(lane);
    const recovered = this.#failing.size === 0;
    this.#status = {
      ...this.#status,
      ...(recovered ? { state: 'sending' as const, lastError: null } : {}),
      lastSuccessAt: new Date().toISOString(),
      sentTotal: this.#status.sentTotal + stored,
      duplicateTotal: this.#status.duplicateTotal + duplicates,
    };
    // Counted first: the cloud has them, and status must not show the backlog gone but the events unsent.
    await this.#done(batch);
  }

  /**
   * The reply came after the cloud committed, so each answer is final: published at once, before the
   * outbox is trimmed, and not awaited — a slow plant broker must not hold back the next batch.
   */
  #publishAnswers(batch: readonly OutboxRecord[], results: IngestResults): void {
    const { answers, log } = this.options;
    if (answers === undefined) return;
    const now = new Date();
    for (const [index, result] of results.entries()) {
      if (result.answer === undefined) continue;
      const event = JSON.parse(batch[index]!.body.toString('utf8')) as EventEnvelope;
      const { topic, message } = answerFor(event, result.answer, now);
      answers
        .publishAnswer(topic, Buffer.from(JSON.stringify(message)))
        .catch((err: unknown) => log.warn({ err, topic }, 'could not publish a station answer'));
    }
  }

  async #deadLetter(record: OutboxRecord, reason: string): Promise<void> {
    this.#status.rejectedTotal++;
    let topic = '(unknown)';
    try {
      topic = topicFor(JSON.parse(record.body.toString('utf8')) as EventEnvelope);
    } catch {
      // The record is what the edge itself wrote; if it does not parse, the reason says enough.
    }
    await this.options.deadLetters.add({ source: 'cloud', topic, reason, payload: record.body });
  }

  /** Grows while full batches come back fast, shrinks when the cloud is slow, so a backlog drains quickly. */
  #adapt(sent: number, ms: number): void {
    const { fastMs, slowMs } = this.options.adapt ?? ADAPT;
    if (ms < fastMs && sent >= this.#batchSize)
      this.#batchSize = Math.min(MAX_BATCH_EVENTS, this.#batchSize * 2);
    else if (ms > slowMs) this.#batchSize = Math.max(1, Math.floor(this.#batchSize / 2));
  }

  #logProgress(): void {
    const backlog = this.options.outbox.backlog;
    const now = Date.now();
    if (backlog < 1000 || now - this.#lastProgressLog < PROGRESS_LOG_MS) return;
    this.#lastProgressLog = now;
    const { sentPerS, etaS } = this.status();
    this.options.log.info({ backlogEvents: backlog, sentPerS, etaS }, 'replaying backlog');
  }

  /** Waits `ms` before a retry, or less when retryNow() or stop() ends it. */
  #backoff(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        this.#endBackoff.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done);
      this.#endBackoff.add(done);
    });
  }
}

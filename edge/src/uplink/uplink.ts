import { type EventEnvelope, MAX_BATCH_EVENTS, topicFor } from '@plantline/schema';
import { type BackoffOptions, backoffDelay } from '../cloud/backoff';
import type { DeadLetterStore } from '../dead-letter/dead-letter-store';
import type { Logger } from '../logger';
import type { Outbox, OutboxRecord } from '../outbox/outbox';
import { RateMeter } from '../rate';
import type { Unit } from '../unit';
import { type IngestResults, pushEvents } from './ingest-api';
import { type AnswerPublisher, answerFor } from './station-answers';
import type { UplinkStatus } from './uplink-status';

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
}

/*
 * Uncompressed bytes of events per request. The cloud takes 8 MiB by default (MAX_BODY_BYTES, after
 * gzip); 4 MB lets a full batch of MAX_BATCH_EVENTS typical events (~250 bytes each) go in one
 * request. A cloud configured smaller answers 413, and the batch is split (see `split` below).
 */
const MAX_BODY_EVENT_BYTES = 4_000_000;
const ADAPT = { fastMs: 1000, slowMs: 5000 };
const PROGRESS_LOG_MS = 10_000;

/**
 * Sends the outbox to the cloud, one batch at a time so the cloud sees every machine's events in order.
 * A batch is trimmed from the outbox only after the cloud answered with a result per event; accepted and
 * duplicate mean stored, rejected means never storable, so those go to the dead-letter store. Failures
 * are retried with exponential backoff and jitter, holding the same batch, so nothing is skipped.
 */
export class Uplink implements Unit {
  readonly name = 'uplink';
  #stop: AbortController | undefined;
  #loop: Promise<void> | undefined;
  #wake: (() => void) | undefined;
  /** New events landed since the last read; a wake-up that came during the read must not be lost. */
  #dirty = false;
  #sent = new RateMeter();
  #batchSize: number;
  #failures = 0;
  /** Ends the current backoff wait early; set only while the uplink waits to retry. */
  #endBackoff: (() => void) | undefined;
  #lastProgressLog = 0;
  #status: Omit<UplinkStatus, 'sentPerS' | 'etaS' | 'batchSize'>;

  constructor(private readonly options: UplinkOptions) {
    this.#batchSize = options.initialBatch ?? 500;
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
    this.#stop = new AbortController();
    this.options.outbox.on('durable', this.#onDurable);
    this.#loop = this.#run(this.#stop.signal).catch((err: unknown) => {
      // The loop is written not to throw; if it does, the edge must not keep ingesting with no uplink.
      this.options.log.fatal({ err }, 'uplink stopped unexpectedly');
      throw err;
    });
  }

  async stop(): Promise<void> {
    this.options.outbox.off('durable', this.#onDurable);
    this.#stop?.abort();
    this.#wake?.();
    await this.#loop?.catch(() => undefined);
    this.#status.state = 'stopped';
  }

  /** The cloud is reachable again (CloudLink saw it): retry now instead of waiting out the backoff. */
  retryNow(): void {
    this.#endBackoff?.();
  }

  status(): UplinkStatus {
    const sentPerS = this.#sent.perSecond();
    const net = sentPerS - this.options.receivedPerS();
    const backlog = this.options.outbox.backlog;
    return {
      ...this.#status,
      batchSize: this.#batchSize,
      sentPerS,
      etaS: backlog === 0 ? 0 : net > 0 ? Math.ceil(backlog / net) : null,
    };
  }

  #onDurable = () => {
    this.#dirty = true;
    this.#wake?.();
  };

  async #run(signal: AbortSignal): Promise<void> {
    const { outbox, apiKey, log } = this.options;
    let inHand: OutboxRecord[] = [];
    while (!signal.aborted) {
      if (apiKey === undefined) {
        // Without a key nothing can be sent; the outbox keeps everything until one is configured.
        this.#status.state = 'no-api-key';
        await this.#sleep(60_000, signal);
        continue;
      }
      if (inHand.length === 0) {
        this.#dirty = false;
        inHand = await outbox.read(MAX_BATCH_EVENTS, MAX_BODY_EVENT_BYTES);
      }
      if (inHand.length === 0) {
        this.#status.state = 'idle';
        if (!this.#dirty) await this.#sleep(1000, signal);
        continue;
      }
      this.#status.state = this.#failures > 0 ? this.#status.state : 'sending';
      const batch = inHand.slice(0, this.#batchSize);
      const started = Date.now();
      const result = await pushEvents(
        this.options.cloudUrl,
        apiKey,
        batch.map((record) => record.body),
        { signal, timeoutMs: this.options.requestTimeoutMs ?? 30_000 },
      );
      if (signal.aborted) return;
      const ms = Date.now() - started;
      if (result.kind === 'ok') {
        await this.#stored(batch, result.results);
        inHand = inHand.slice(batch.length);
        this.#status.lastBatch = { events: batch.length, ms, gzipBytes: result.gzipBytes };
        this.#adapt(batch.length, ms);
        this.#logProgress();
        continue;
      }
      if (result.kind === 'split' && batch.length > 1) {
        this.#batchSize = Math.max(1, Math.floor(batch.length / 2));
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
        log.error({ error: result.error, seq: batch[0]!.seq }, 'cloud refused an event; dead-lettered');
        await this.#deadLetter(batch[0]!, result.error);
        await outbox.ack(batch[0]!.seq + 1);
        inHand = inHand.slice(1);
        continue;
      }
      this.#failures++;
      const delay = backoffDelay(
        this.#failures,
        this.options.backoff ?? { baseMs: 500, capMs: 30_000 },
        this.options.random,
      );
      const auth = result.kind === 'retry' && result.auth;
      if (this.#status.lastError !== result.error)
        log.warn({ error: result.error, retryInMs: delay }, 'uplink failed; retrying');
      this.#status.state = auth ? 'auth-error' : 'backing-off';
      this.#status.lastError = result.error;
      await this.#sleep(delay, signal, false);
    }
  }

  async #stored(batch: OutboxRecord[], results: IngestResults): Promise<void> {
    this.#publishAnswers(batch, results);
    let duplicates = 0;
    for (const [index, result] of results.entries()) {
      if (result.status === 'duplicate') duplicates++;
      if (result.status === 'rejected') {
        const reason = result.reason ?? 'rejected by the cloud';
        this.options.log.error({ id: result.id, reason }, 'cloud rejected an event; dead-lettered');
        await this.#deadLetter(batch[index]!, reason);
      }
    }
    const stored = batch.length - results.filter((r) => r.status === 'rejected').length;
    this.#sent.add(stored);
    if (this.#failures > 0) this.options.log.info({ afterFailures: this.#failures }, 'uplink recovered');
    this.#failures = 0;
    this.#status = {
      ...this.#status,
      state: 'sending',
      lastError: null,
      lastSuccessAt: new Date().toISOString(),
      sentTotal: this.#status.sentTotal + stored,
      duplicateTotal: this.#status.duplicateTotal + duplicates,
    };
    // Counted first: the cloud has them, and status must not show the backlog gone but the events unsent.
    await this.options.outbox.ack(batch.at(-1)!.seq + 1);
  }

  /**
   * The reply came after the cloud committed, so each answer is final: published at once, before the
   * outbox is trimmed, and not awaited — a slow plant broker must not hold back the next batch.
   */
  #publishAnswers(batch: OutboxRecord[], results: IngestResults): void {
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

  /** Waits `ms`, or less when new events land (wakeable) or the uplink stops. */
  #sleep(ms: number, signal: AbortSignal, wakeable = true): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        this.#wake = undefined;
        this.#endBackoff = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done);
      this.#wake = wakeable ? done : () => signal.aborted && done();
      this.#endBackoff = wakeable ? undefined : done;
    });
  }
}

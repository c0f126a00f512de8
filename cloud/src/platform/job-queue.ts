import PgBoss from 'pg-boss';
import type { Logger } from 'pino';

/*
 * One-off jobs behind one interface, beside the periodic ones (scheduler.ts): a report run is sent
 * once and done by one worker. Server: pg-boss, so a job sent survives a restart of the process and
 * instances share the work (claimed with SKIP LOCKED). Embedded: an in-process queue — the data folder
 * has one owner process, so there is nobody to share with; whoever sends jobs keeps their state in
 * its own tables and sends them again at start (the reports runner does, docs/reports.md).
 */
export interface JobQueue {
  /** The handler of a queue's jobs; register before start(). The signal aborts when the queue stops. */
  work<T extends object>(name: string, handler: (data: T, signal: AbortSignal) => Promise<void>): void;
  /** `singletonKey`: a second job with the same key while one waits is not added. */
  send(name: string, data: object, options?: { singletonKey?: string }): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

interface Lane {
  readonly handler: (data: object, signal: AbortSignal) => Promise<void>;
  readonly waiting: { data: object; key: string | undefined }[];
  running: Promise<void> | null;
}

/** In-process FIFO lanes, one job at a time per queue; stop() aborts the running job and waits for it. */
export class InProcessJobQueue implements JobQueue {
  readonly #log: Logger;
  readonly #lanes = new Map<string, Lane>();
  #abort = new AbortController();
  #started = false;

  constructor(log: Logger) {
    this.#log = log;
  }

  work<T extends object>(name: string, handler: (data: T, signal: AbortSignal) => Promise<void>): void {
    this.#lanes.set(name, {
      handler: handler as (data: object, signal: AbortSignal) => Promise<void>,
      waiting: [],
      running: null,
    });
  }

  async send(name: string, data: object, options: { singletonKey?: string } = {}): Promise<void> {
    const lane = this.#lanes.get(name);
    if (lane === undefined) throw new Error(`no worker for the job queue "${name}"`);
    const key = options.singletonKey;
    if (key !== undefined && lane.waiting.some((job) => job.key === key)) return;
    lane.waiting.push({ data, key });
    this.#drain(name, lane);
  }

  async start(): Promise<void> {
    this.#abort = new AbortController();
    this.#started = true;
    for (const [name, lane] of this.#lanes) this.#drain(name, lane);
  }

  async stop(): Promise<void> {
    this.#started = false;
    this.#abort.abort();
    await Promise.all([...this.#lanes.values()].map((lane) => lane.running));
  }

  #drain(name: string, lane: Lane): void {
    if (!this.#started || lane.running !== null) return;
    const job = lane.waiting.shift();
    if (job === undefined) return;
    const signal = this.#abort.signal;
    lane.running = lane
      .handler(job.data, signal)
      .catch((error: unknown) => this.#log.error({ err: error, queue: name }, 'job failed'))
      .finally(() => {
        lane.running = null;
        this.#drain(name, lane);
      });
  }
}

/** pg-boss on the server: a queue per name, one job at a time per instance, no retries (the sender decides). */
export class PgBossJobQueue implements JobQueue {
  readonly #boss: PgBoss;
  readonly #log: Logger;
  readonly #workers: { name: string; handler: (data: object, signal: AbortSignal) => Promise<void> }[] = [];
  #abort = new AbortController();
  #started = false;

  constructor(connectionString: string, log: Logger) {
    this.#boss = new PgBoss({ connectionString, schema: 'pgboss', max: 2 });
    this.#log = log;
  }

  work<T extends object>(name: string, handler: (data: T, signal: AbortSignal) => Promise<void>): void {
    this.#workers.push({ name, handler: handler as (data: object, signal: AbortSignal) => Promise<void> });
  }

  async send(name: string, data: object, options: { singletonKey?: string } = {}): Promise<void> {
    await this.#boss.send(
      name,
      data,
      options.singletonKey === undefined ? {} : { singletonKey: options.singletonKey },
    );
  }

  async start(): Promise<void> {
    this.#abort = new AbortController();
    this.#boss.on('error', (error: unknown) => this.#log.error({ err: error }, 'pg-boss error'));
    await this.#boss.start();
    this.#started = true;
    for (const { name, handler } of this.#workers) {
      // A long export runs for minutes; the expiry only hands a job whose worker died to another.
      await this.#boss.createQueue(name, {
        name,
        policy: 'standard',
        expireInSeconds: 6 * 3600,
        retryLimit: 0,
      });
      await this.#boss.work<object>(name, { batchSize: 1, pollingIntervalSeconds: 1 }, async ([job]) => {
        if (job !== undefined) await handler(job.data, this.#abort.signal);
      });
    }
  }

  async stop(): Promise<void> {
    this.#abort.abort();
    if (!this.#started) return;
    this.#started = false;
    await this.#boss.stop({ graceful: true, wait: true });
  }
}

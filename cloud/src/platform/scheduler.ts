import PgBoss from 'pg-boss';
import type { Logger } from 'pino';

/*
 * Periodic jobs behind one interface, such as the refresh of the KPI rollups (ROLLUP_REFRESH_SECONDS
 * in the README's configuration table).
 *
 * Server (DATABASE_URL): pg-boss 10, the last line whose engines allow the Node 20 this project
 * runs on (`npm view pg-boss@11 engines`: node >=22; 12.x: >=22.12.0). Its schedules fire once per
 * tick across all cloud instances and its queue runs each job on one of them (jobs
 * claimed with SKIP LOCKED), so N instances do not refresh N times.
 *
 * Embedded: an in-process interval. pg-boss does run on PGlite through a custom `db` adapter (probed
 * 2026-11-25: pg-boss 10.4.2 started in ~350 ms and ran jobs, sent and scheduled, with its
 * multi-statement install sent through `exec`), but there it is all cost and no benefit: one process
 * owns the data folder, so there is nobody to share jobs with, while its pollers and monitors (a worker
 * polls every 2 s by default) queue on the engine's single connection in front of requests, and
 * the adapter would need the raw PGlite client, which the database module deliberately hides.
 */
export interface Scheduler {
  /** Runs `task` every `intervalMs` after start(), never two runs of one task at once. */
  every(name: string, intervalMs: number, task: () => Promise<void>): void;
  start(): Promise<void>;
  stop(): Promise<void>;
}

interface Entry {
  readonly name: string;
  readonly intervalMs: number;
  readonly task: () => Promise<void>;
  timer: NodeJS.Timeout | null;
  running: Promise<void> | null;
}

/** In-process intervals: the next run is timed from the end of the previous one, so runs never overlap. */
export class IntervalScheduler implements Scheduler {
  readonly #log: Logger;
  readonly #entries: Entry[] = [];
  #started = false;

  constructor(log: Logger) {
    this.#log = log;
  }

  every(name: string, intervalMs: number, task: () => Promise<void>): void {
    this.#entries.push({ name, intervalMs, task, timer: null, running: null });
  }

  async start(): Promise<void> {
    this.#started = true;
    // The first run waits one interval too: startup (migrations, demo seed) has the engine busy enough.
    for (const entry of this.#entries) this.#plan(entry, entry.intervalMs);
  }

  async stop(): Promise<void> {
    this.#started = false;
    for (const entry of this.#entries) {
      if (entry.timer !== null) clearTimeout(entry.timer);
      entry.timer = null;
    }
    // A run in progress finishes before the database it uses is closed.
    await Promise.all(this.#entries.map((e) => e.running));
  }

  #plan(entry: Entry, delayMs: number): void {
    if (!this.#started) return;
    entry.timer = setTimeout(() => {
      entry.timer = null;
      entry.running = entry
        .task()
        .catch((error: unknown) => this.#log.error({ err: error, job: entry.name }, 'scheduled job failed'))
        .finally(() => {
          entry.running = null;
          this.#plan(entry, entry.intervalMs);
        });
    }, delayMs);
    entry.timer.unref();
  }
}

/**
 * A job's cron: pg-boss schedules are cron expressions, so the interval is rounded to whole minutes
 * below an hour, to whole hours below a day, and runs daily (at midnight UTC) from a day up.
 */
export function cronOf(intervalMs: number): string {
  const minutes = Math.max(1, Math.round(intervalMs / 60_000));
  if (minutes < 60) return minutes === 1 ? '* * * * *' : `*/${minutes} * * * *`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return hours === 1 ? '0 * * * *' : `0 */${hours} * * *`;
  return '0 0 * * *';
}

/**
 * pg-boss on the server: one "stately" queue per job (at most one queued and one running across the
 * cluster, so a slow refresh never piles up), a cron schedule, a worker in every instance, and one
 * run sent at start so a restarted cloud catches up without waiting for the next tick.
 */
export class PgBossScheduler implements Scheduler {
  readonly #boss: PgBoss;
  readonly #log: Logger;
  readonly #entries: { name: string; intervalMs: number; task: () => Promise<void> }[] = [];

  constructor(connectionString: string, log: Logger) {
    // Its own small pool: job polling must not take connections from requests.
    this.#boss = new PgBoss({ connectionString, schema: 'pgboss', max: 2 });
    this.#log = log;
  }

  every(name: string, intervalMs: number, task: () => Promise<void>): void {
    this.#entries.push({ name, intervalMs, task });
  }

  async start(): Promise<void> {
    this.#boss.on('error', (error: unknown) => this.#log.error({ err: error }, 'pg-boss error'));
    await this.#boss.start();
    for (const entry of this.#entries) {
      // A first refresh of a large history runs for minutes; the default 15-minute expiry would
      // hand it to a second worker while the first still runs. The next tick is the retry.
      await this.#boss.createQueue(entry.name, {
        name: entry.name,
        policy: 'stately',
        expireInSeconds: 6 * 3600,
        retryLimit: 0,
      });
      await this.#boss.schedule(entry.name, cronOf(entry.intervalMs), {}, { tz: 'UTC' });
      await this.#boss.work(entry.name, async () => {
        try {
          await entry.task();
        } catch (error) {
          this.#log.error({ err: error, job: entry.name }, 'scheduled job failed');
          throw error;
        }
      });
      await this.#boss.send(entry.name, {});
    }
  }

  async stop(): Promise<void> {
    // Graceful: a running job finishes before the database it uses is closed.
    await this.#boss.stop({ graceful: true, wait: true });
  }
}

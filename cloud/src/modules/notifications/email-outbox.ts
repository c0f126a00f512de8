import type { Logger } from 'pino';
import type { Database } from '../../db/index.js';
import type { EventBus, Scheduler } from '../../platform/index.js';
import { gatherDigests } from './digests.js';
import { type PassReport, sendDueEmails } from './email-sender.js';
import { PassRunner } from './pass-runner.js';
import type { EmailTransport } from './smtp.js';

/** How often the sender looks for due email unasked (on a server pg-boss rounds it to a minute). */
const SEND_EVERY_MS = 5_000;
/** How often digests are gathered: a digest goes at most this late. */
const DIGEST_EVERY_MS = 60_000;

export interface EmailOutboxOptions {
  db: Database;
  bus: EventBus;
  log: Logger;
  transport: EmailTransport;
  /** The web app's address for links in emails (PUBLIC_URL, else the address the cloud prints). */
  publicUrl: () => string;
  /** The outbox's clock: what is due, when a retry is. Tests move it forward instead of waiting. */
  clock?: () => Date;
}

/**
 * Notification email for one cloud process, when SMTP_URL is set (docs/notifications.md, "Email"). It
 * sends what notify() queued as soon as a notification commits (the bus says so) and on the
 * scheduler's tick, which also picks up retries and what other instances queued, and gathers digests.
 * Without SMTP_URL the app has none, and notify() queues no email.
 */
export class EmailOutbox {
  readonly enabled = true;
  readonly #options: EmailOutboxOptions;
  readonly #runner: PassRunner;
  readonly #clock: () => Date;
  readonly #stopListening: () => void;
  #lastReport: PassReport | null = null;

  constructor(options: EmailOutboxOptions) {
    this.#options = options;
    this.#clock = options.clock ?? (() => new Date());
    this.#runner = new PassRunner(
      async () => {
        this.#lastReport = await sendDueEmails(options, this.#clock);
      },
      (error) => options.log.error({ err: error }, 'notification email pass failed'),
    );
    this.#stopListening = options.bus.on('notifications.created', () => this.#runner.request());
  }

  /** Sends what is due now; resolves when done (jobs and tests). */
  async sendDue(): Promise<PassReport | null> {
    await this.#runner.run();
    return this.#lastReport;
  }

  /** Queues the digests that are due, then sends them. */
  async gatherDigests(): Promise<number> {
    const queued = await gatherDigests(this.#options.db, this.#clock());
    if (queued > 0) this.#runner.request();
    return queued;
  }

  /** The periodic jobs: the sender's tick and the digests. */
  schedule(scheduler: Pick<Scheduler, 'every'>): void {
    scheduler.every('notification-email', SEND_EVERY_MS, () => this.#runner.run());
    scheduler.every('notification-digests', DIGEST_EVERY_MS, async () => {
      const queued = await this.gatherDigests();
      if (queued > 0) this.#options.log.info({ queued }, 'notification digests queued');
    });
  }

  async stop(): Promise<void> {
    this.#stopListening();
    await this.#runner.stop();
    this.#options.transport.close();
  }
}

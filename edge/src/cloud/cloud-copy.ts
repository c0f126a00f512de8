import { readFile, rename, writeFile } from 'node:fs/promises';
import { z } from 'zod';
import type { Logger } from '../logger';
import type { EdgeQueryResult, RequestOptions } from './cloud-api';

export type CloudCopySource = 'none' | 'disk' | 'cloud';

export interface CloudCopyStatus {
  /** 'disk': the last good copy, read at start, not yet confirmed by the cloud. */
  source: CloudCopySource;
  syncedAt: string | null;
  lastError: string | null;
}

export interface CloudCopyOptions<T> {
  /** For the log, e.g. "device credentials". */
  what: string;
  /** Where the last good copy is kept, e.g. EDGE_DATA_DIR/device-credentials.json. */
  file: string;
  /** The contract the cloud's answer was parsed with; the file on disk is parsed with it too. */
  schema: z.ZodType<T>;
  /** Without a key there is nothing to fetch: only what is on disk applies. */
  apiKey: string | undefined;
  fetch: (request: RequestOptions) => Promise<EdgeQueryResult<T>>;
  /** Called with every good copy, from disk at start and from each successful fetch. */
  apply: (value: T, source: 'disk' | 'cloud') => void;
  log: Logger;
  /** Between fetches, also after a failed one: a change in the cloud reaches the edge within this time. */
  intervalMs: number;
  requestTimeoutMs: number;
}

/** The file holds the value with the time it came from the cloud beside its fields. */
const savedAtSchema = z.object({ syncedAt: z.string() });

/**
 * A piece of the edge's configuration that lives in the cloud (docs/device-integration.md: device logins,
 * telemetry deadbands): read at start from the last good copy on disk, so a restart without the cloud
 * keeps it, then fetched from the cloud at once and every interval. A failed fetch keeps what the edge
 * had; only a successful answer replaces it, and the file is rewritten only when the answer changed.
 */
export class CloudCopy<T extends object> {
  #timer: NodeJS.Timeout | undefined;
  #inFlight: Promise<void> | undefined;
  #stopController: AbortController | undefined;
  #status: CloudCopyStatus = { source: 'none', syncedAt: null, lastError: null };
  /** What the file on disk holds. */
  #saved = '';

  constructor(private readonly options: CloudCopyOptions<T>) {}

  /**
   * With a copy on disk, returns at once and fetches in the background. Without one (a first start),
   * it waits for the cloud's first answer, bounded by the request timeout, so what depends on it does
   * not start without a copy that was about to arrive.
   */
  async start(): Promise<void> {
    await this.#loadFromDisk();
    if (this.options.apiKey === undefined) return;
    const controller = new AbortController();
    this.#stopController = controller;
    if (this.#status.source !== 'none') {
      this.#schedule(0);
      return;
    }
    await this.#sync(controller.signal).catch((err: unknown) =>
      this.options.log.error({ err }, `${this.options.what} sync failed unexpectedly`),
    );
    if (!controller.signal.aborted) this.#schedule(this.options.intervalMs);
  }

  async stop(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#stopController?.abort();
    await this.#inFlight;
  }

  status(): CloudCopyStatus {
    return { ...this.#status };
  }

  async #loadFromDisk(): Promise<void> {
    const { file, schema, log, what } = this.options;
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      return;
    }
    let parsed: { value: T; syncedAt: string };
    try {
      const json: unknown = JSON.parse(text);
      parsed = { value: schema.parse(json), syncedAt: savedAtSchema.parse(json).syncedAt };
    } catch {
      log.error({ file }, `${what} on disk are unreadable; ignored`);
      return;
    }
    this.options.apply(parsed.value, 'disk');
    this.#status = { source: 'disk', syncedAt: parsed.syncedAt, lastError: null };
    this.#saved = JSON.stringify(parsed.value);
  }

  #schedule(delayMs: number): void {
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#inFlight = this.#syncAndReschedule().finally(() => {
        this.#inFlight = undefined;
      });
    }, delayMs);
  }

  async #syncAndReschedule(): Promise<void> {
    const signal = this.#stopController?.signal;
    if (!signal || signal.aborted) return;
    try {
      await this.#sync(signal);
    } catch (err) {
      this.options.log.error({ err }, `${this.options.what} sync failed unexpectedly`);
    }
    if (!signal.aborted) this.#schedule(this.options.intervalMs);
  }

  async #sync(signal: AbortSignal): Promise<void> {
    const answer = await this.options.fetch({ signal, timeoutMs: this.options.requestTimeoutMs });
    if (signal.aborted) return;
    if (!answer.ok) {
      if (this.#status.lastError !== answer.error) {
        this.options.log.warn(
          { error: answer.error, source: this.#status.source },
          `${this.options.what} not synced; keeping the last good copy`,
        );
      }
      this.#status = { ...this.#status, lastError: answer.error };
      return;
    }
    const syncedAt = new Date().toISOString();
    this.options.apply(answer.value, 'cloud');
    this.#status = { source: 'cloud', syncedAt, lastError: null };
    await this.#save(answer.value, syncedAt);
  }

  /**
   * Written only on change, through a temporary file, so a crash never leaves half a file. Owner-only:
   * nobody else on the gateway needs to read the edge's configuration (device logins carry hashes).
   */
  async #save(value: T, syncedAt: string): Promise<void> {
    const content = JSON.stringify(value);
    if (content === this.#saved) return;
    const temporary = `${this.options.file}.tmp`;
    await writeFile(temporary, `${JSON.stringify({ ...value, syncedAt }, null, 2)}\n`, { mode: 0o600 });
    await rename(temporary, this.options.file);
    this.#saved = content;
  }
}

import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type DeviceCredentialSet, deviceCredentialSetSchema } from '@plantline/schema';
import { z } from 'zod';
import { fetchDeviceCredentials } from '../cloud/cloud-api';
import type { Logger } from '../logger';
import type { Unit } from '../unit';
import type { DeviceAuth } from './device-auth';

export const CREDENTIALS_FILE = 'device-credentials.json';

const fileSchema = deviceCredentialSetSchema.extend({ syncedAt: z.string() });

export interface CredentialSyncOptions {
  cloudUrl: string;
  /** Without a key there is nothing to sync: only the local login (and anonymous, if allowed) apply. */
  apiKey: string | undefined;
  dataDir: string;
  auth: DeviceAuth;
  log: Logger;
  /** Between syncs, also after a failed one: a revocation reaches the edge within this time. */
  intervalMs?: number;
  requestTimeoutMs?: number;
}

export interface CredentialSyncStatus {
  /** 'disk': the last good copy, read at start, not yet confirmed by the cloud. */
  source: 'none' | 'disk' | 'cloud';
  credentials: number;
  syncedAt: string | null;
  lastError: string | null;
}

/**
 * Keeps the embedded broker's device logins in step with the cloud: at start from the last good copy
 * on disk (so a restart without the cloud still lets devices in), then from the cloud at once and every
 * interval. A failed sync keeps what the edge had; only a successful answer replaces it.
 */
export class CredentialSync implements Unit {
  readonly name = 'device-credential-sync';
  #timer: NodeJS.Timeout | undefined;
  #inFlight: Promise<void> | undefined;
  #stopController: AbortController | undefined;
  #status: CredentialSyncStatus = { source: 'none', credentials: 0, syncedAt: null, lastError: null };
  /** What the file on disk holds, to write only when the cloud's answer changes. */
  #saved = '';

  constructor(private readonly options: CredentialSyncOptions) {}

  get #file(): string {
    return join(this.options.dataDir, CREDENTIALS_FILE);
  }

  /**
   * With a copy on disk, returns at once and syncs in the background. Without one (a first start), it
   * waits for the cloud's first answer, bounded by the request timeout, so devices that connect right
   * after the edge comes up are not refused for want of a sync that was about to arrive.
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
      this.options.log.error({ err }, 'device credential sync failed unexpectedly'),
    );
    if (!controller.signal.aborted) this.#schedule(this.options.intervalMs ?? 30_000);
  }

  async stop(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#stopController?.abort();
    await this.#inFlight;
  }

  status(): CredentialSyncStatus {
    return { ...this.#status };
  }

  async #loadFromDisk(): Promise<void> {
    let text: string;
    try {
      text = await readFile(this.#file, 'utf8');
    } catch {
      return;
    }
    let parsed: z.infer<typeof fileSchema> | undefined;
    try {
      parsed = fileSchema.parse(JSON.parse(text));
    } catch {
      this.options.log.error({ file: this.#file }, 'device credentials on disk are unreadable; ignored');
      return;
    }
    this.#apply(parsed, 'disk', parsed.syncedAt);
    this.#saved = contentOf(parsed);
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
      this.options.log.error({ err }, 'device credential sync failed unexpectedly');
    }
    if (!signal.aborted) this.#schedule(this.options.intervalMs ?? 30_000);
  }

  async #sync(signal: AbortSignal): Promise<void> {
    const request = { signal, timeoutMs: this.options.requestTimeoutMs ?? 5000 };
    const answer = await fetchDeviceCredentials(this.options.cloudUrl, this.options.apiKey!, request);
    if (signal.aborted) return;
    if (!answer.ok) {
      if (this.#status.lastError !== answer.error) {
        this.options.log.warn(
          { error: answer.error, credentials: this.#status.credentials },
          'device credentials not synced; keeping the last good copy',
        );
      }
      this.#status = { ...this.#status, lastError: answer.error };
      return;
    }
    const syncedAt = new Date().toISOString();
    this.#apply(answer.set, 'cloud', syncedAt);
    await this.#save(answer.set, syncedAt);
  }

  #apply(set: DeviceCredentialSet, source: 'disk' | 'cloud', syncedAt: string): void {
    this.options.auth.replace(set);
    const credentials = set.credentials.length;
    if (source === 'disk' || this.#status.source !== 'cloud' || this.#status.credentials !== credentials) {
      const revoked = set.credentials.filter((credential) => credential.revokedAt !== null).length;
      this.options.log.info({ source, credentials, revoked }, 'device credentials loaded');
    }
    this.#status = { source, credentials, syncedAt, lastError: null };
  }

  /** Written only on change, through a temporary file, so a crash never leaves half a file. */
  async #save(set: DeviceCredentialSet, syncedAt: string): Promise<void> {
    const content = contentOf(set);
    if (content === this.#saved) return;
    const temporary = `${this.#file}.tmp`;
    // Hashes only, yet nobody else on the gateway needs to read them.
    await writeFile(temporary, `${JSON.stringify({ ...set, syncedAt }, null, 2)}\n`, { mode: 0o600 });
    await rename(temporary, this.#file);
    this.#saved = content;
  }
}

function contentOf(set: DeviceCredentialSet): string {
  return JSON.stringify({ credentials: set.credentials });
}

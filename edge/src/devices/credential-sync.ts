import { join } from 'node:path';
import { type DeviceCredentialSet, deviceCredentialSetSchema } from '@plantline/schema';
import { fetchDeviceCredentials } from '../cloud/cloud-api';
import { CloudCopy, type CloudCopySource } from '../cloud/cloud-copy';
import type { Logger } from '../logger';
import type { Unit } from '../unit';
import type { DeviceAuth } from './device-auth';

export const CREDENTIALS_FILE = 'device-credentials.json';

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
  source: CloudCopySource;
  credentials: number;
  syncedAt: string | null;
  lastError: string | null;
}

/**
 * Keeps the embedded broker's device logins in step with the cloud (edge.deviceCredentials), with the
 * last good copy on disk so a restart without the cloud still lets devices in (cloud/cloud-copy.ts).
 * Waiting for the first answer on a first start means devices that connect right after the edge comes
 * up are not refused for want of a sync that was about to arrive.
 */
export class CredentialSync implements Unit {
  readonly name = 'device-credential-sync';
  readonly #copy: CloudCopy<DeviceCredentialSet>;
  readonly #auth: DeviceAuth;
  #credentials = 0;

  constructor(options: CredentialSyncOptions) {
    const { cloudUrl, apiKey, log } = options;
    this.#auth = options.auth;
    this.#copy = new CloudCopy({
      what: 'device credentials',
      file: join(options.dataDir, CREDENTIALS_FILE),
      schema: deviceCredentialSetSchema,
      apiKey,
      fetch: (request) => fetchDeviceCredentials(cloudUrl, apiKey!, request),
      apply: (set, source) => this.#apply(set, source, log),
      log,
      intervalMs: options.intervalMs ?? 30_000,
      requestTimeoutMs: options.requestTimeoutMs ?? 5000,
    });
  }

  start(): Promise<void> {
    return this.#copy.start();
  }

  stop(): Promise<void> {
    return this.#copy.stop();
  }

  status(): CredentialSyncStatus {
    const { source, syncedAt, lastError } = this.#copy.status();
    return { source, credentials: this.#credentials, syncedAt, lastError };
  }

  #apply(set: DeviceCredentialSet, source: 'disk' | 'cloud', log: Logger): void {
    this.#auth.replace(set);
    const credentials = set.credentials.length;
    if (source === 'disk' || this.#copy.status().source !== 'cloud' || this.#credentials !== credentials) {
      const revoked = set.credentials.filter((credential) => credential.revokedAt !== null).length;
      log.info({ source, credentials, revoked }, 'device credentials loaded');
    }
    this.#credentials = credentials;
  }
}

import { join } from 'node:path';
import { type TelemetryDeadbandSet, telemetryDeadbandSetSchema } from '@plantline/schema';
import { fetchTelemetryDeadbands } from '../cloud/cloud-api';
import { CloudCopy, type CloudCopyStatus } from '../cloud/cloud-copy';
import type { Logger } from '../logger';
import type { Unit } from '../unit';
import type { DeadbandFilter, DeadbandStats } from './deadband';

export const DEADBANDS_FILE = 'telemetry-deadbands.json';

export interface DeadbandSyncOptions {
  cloudUrl: string;
  /** Without a key there is no cloud to ask: the copy on disk, if any, applies; else no deadband. */
  apiKey: string | undefined;
  dataDir: string;
  filter: DeadbandFilter;
  log: Logger;
  /** Between fetches: a rule changed in the cloud applies at the edge within this time. */
  intervalMs?: number;
  requestTimeoutMs?: number;
}

export type DeadbandStatus = CloudCopyStatus & DeadbandStats;

/**
 * Keeps the ingress's telemetry deadbands in step with the cloud (edge.telemetryDeadbands), with the
 * last good copy on disk so an offline restart filters as before (cloud/cloud-copy.ts). Until a first
 * copy arrives nothing is filtered: the default is no deadband.
 */
export class DeadbandSync implements Unit {
  readonly name = 'telemetry-deadband-sync';
  readonly #copy: CloudCopy<TelemetryDeadbandSet>;
  readonly #filter: DeadbandFilter;

  constructor(options: DeadbandSyncOptions) {
    const { cloudUrl, apiKey, log, filter } = options;
    this.#filter = filter;
    this.#copy = new CloudCopy({
      what: 'telemetry deadbands',
      file: join(options.dataDir, DEADBANDS_FILE),
      schema: telemetryDeadbandSetSchema,
      apiKey,
      fetch: (request) => fetchTelemetryDeadbands(cloudUrl, apiKey!, request),
      apply: (set, source) => {
        const before = filter.stats().rules;
        filter.replaceRules(set.rules);
        if (source === 'disk' || before !== set.rules.length)
          log.info({ source, rules: set.rules.length }, 'telemetry deadbands loaded');
      },
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

  status(): DeadbandStatus {
    return { ...this.#copy.status(), ...this.#filter.stats() };
  }
}

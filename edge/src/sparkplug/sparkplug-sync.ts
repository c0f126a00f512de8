import { join } from 'node:path';
import { type SparkplugMapping, sparkplugMappingSchema } from '@plantline/schema';
import { fetchSparkplugMapping } from '../cloud/cloud-api';
import { CloudCopy, type CloudCopyStatus } from '../cloud/cloud-copy';
import type { Logger } from '../logger';
import type { Unit } from '../unit';

export const SPARKPLUG_RULES_FILE = 'sparkplug-rules.json';

export interface SparkplugSyncOptions {
  cloudUrl: string;
  /** Without a key there is no cloud to ask: the copy on disk, if any, applies; else no rule. */
  apiKey: string | undefined;
  dataDir: string;
  /** Called with every good copy: the Sparkplug ingress maps by it from then on. */
  apply: (mapping: SparkplugMapping) => void;
  log: Logger;
  /** Between fetches: a rule changed in the cloud applies at the edge within this time. */
  intervalMs?: number;
  requestTimeoutMs?: number;
}

/**
 * Keeps the Sparkplug B mapping in step with the rules engineers keep in the cloud
 * (edge.sparkplugRules; docs/device-integration.md, "Sparkplug B"), with the last good copy on disk so
 * an offline restart maps as before (cloud/cloud-copy.ts). Until a first copy arrives no metric is
 * mapped. An edge given EDGE_SPARKPLUG_MAPPING reads that file instead and runs no sync.
 */
export class SparkplugSync implements Unit {
  readonly name = 'sparkplug-sync';
  readonly #copy: CloudCopy<SparkplugMapping>;

  constructor(options: SparkplugSyncOptions) {
    const { cloudUrl, apiKey, log } = options;
    let rules = -1;
    this.#copy = new CloudCopy({
      what: 'Sparkplug B rules',
      file: join(options.dataDir, SPARKPLUG_RULES_FILE),
      schema: sparkplugMappingSchema,
      apiKey,
      fetch: (request) => fetchSparkplugMapping(cloudUrl, apiKey!, request),
      apply: (mapping, source) => {
        options.apply(mapping);
        if (source === 'disk' || rules !== mapping.rules.length)
          log.info({ source, rules: mapping.rules.length }, 'Sparkplug B rules loaded');
        rules = mapping.rules.length;
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

  status(): CloudCopyStatus {
    return this.#copy.status();
  }
}

import type { EventBus } from '../../platform/index.js';
import { CodeCache } from './codes.js';

export { CodeCache } from './codes.js';
export { ingestEvents } from './ingest.js';
export { ingestRouter } from './ingest.router.js';

/** The ingest code cache, dropped per tenant whenever that tenant's master data changes. */
export function createCodeCache(bus: EventBus): CodeCache {
  const cache = new CodeCache();
  bus.on('masterdata.changed', ({ tenantId }) => cache.invalidate(tenantId));
  return cache;
}

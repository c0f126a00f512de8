export { eventsRouter } from './events.router.js';
export type { LiveBatch } from './live.js';

export { type BusRelay, startBusRelay } from './bus-relay.js';
export { eventsRouter } from './events.router.js';
export type { LiveBatch } from './live.js';

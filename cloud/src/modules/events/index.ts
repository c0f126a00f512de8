export { type AccessHolder, type BusEventName, type BusEvents, EventBus } from './bus.js';
export { eventsRouter } from './events.router.js';
export type { LiveBatch } from './live.js';
export type { LiveEvent, LiveEventData } from './live-event.js';

export * from './events.js';
export * from './identity.js';
export * from './masterdata.js';

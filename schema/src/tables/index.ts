export * from './configuration.js';
export * from './device-credentials.js';
export * from './events.js';
export * from './identity.js';
export * from './masterdata.js';
export * from './production.js';
export * from './production-orders.js';
export * from './quality.js';

export * from './events.js';
export * from './identity.js';
export * from './masterdata.js';
export * from './production.js';
export * from './quality.js';

export * from './device-credentials.js';
export * from './envelope.js';
export * from './payloads.js';
export * from './print-jobs.js';
export * from './quick-envelope.js';
export * from './station-answers.js';
export * from './timestamps.js';
export * from './topics.js';

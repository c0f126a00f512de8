export * from './convert.js';
export * from './field-pattern.js';
export * from './numbering.js';
export * from './types.js';
export * from './values.js';

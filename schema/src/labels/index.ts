export * from './builtin-templates.js';
export * from './kinds.js';
export * from './label-data.js';
export * from './label-elements.js';
export * from './placeholders.js';
export * from './template.js';

export * from './contracts/index.js';
export * from './countries.js';
export * from './demo-plant.js';
export * from './permissions.js';
export * from './settings.js';
export * as tables from './tables/index.js';

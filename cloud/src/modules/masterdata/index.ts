export { createLine, createMachine, createStation } from './masterdata.js';
export { masterdataRouter } from './masterdata.router.js';

export { auditSaved } from './audited-records.js';
export { createLine, createMachine, createStation } from './masterdata.js';
export { manageMasterdata, masterdataRouter } from './masterdata.router.js';
export { plantsRouter } from './plants.router.js';

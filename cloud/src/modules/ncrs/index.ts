export { ncrWorkflowEntity } from './ncr-entity.js';
export { createNcr, type NcrCall, type NcrFields, updateNcr } from './ncrs.js';
export { ncrsRouter } from './ncrs.router.js';

export { changeOrdersRouter } from './change-orders.router.js';
export { implementChangeOrder } from './implementation.js';
export { changeOrderWorkflowEntity } from './workflow-entity.js';

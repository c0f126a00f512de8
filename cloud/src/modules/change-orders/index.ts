export { changeOrdersRouter } from './change-orders.router.js';
export { seedDemoChangeOrder } from './demo.js';
export { implementChangeOrder } from './implementation.js';
export { changeOrderWorkflowEntity } from './workflow-entity.js';

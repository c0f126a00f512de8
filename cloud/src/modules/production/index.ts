export {
  createDefaultStateMapping,
  DEFAULT_STATE_CODES,
  DEMO_CYCLE_SECONDS,
  DEMO_DOWNTIME_REASONS,
  DEMO_PRODUCTS,
  DEMO_SHIFT_DAYS,
  seedDemoProduction,
} from './defaults.js';
export { productionRouter } from './production.router.js';
export {
  checkTransition,
  createProductionOrder,
  getProductionOrder,
  isFinalStatus,
  listProductionOrders,
  updateProductionOrder,
} from './production-orders.js';
export { firstOverlap, generateShiftInstances, instantOfWallClock, localDateOf } from './shift-generator.js';
export { extendShiftHorizon, SHIFT_HORIZON_DAYS, scheduleShiftHorizon } from './shift-horizon.js';

export {
  createDefaultStateMapping,
  DEFAULT_STATE_CODES,
  DEMO_CYCLE_SECONDS,
  DEMO_PRODUCTS,
  seedDemoProduction,
} from './defaults.js';
export { productionRouter } from './production.router.js';
export { scheduleShiftHorizon } from './shift-horizon.js';

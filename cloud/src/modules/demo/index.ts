export { demoRouter } from './demo.router.js';
export { DEMO_LINE_ORDERS_FILE, type DemoLineOrders, writeDemoLineOrders } from './demo-line-orders.js';
export { scheduleDemoReports, seedDemoReports } from './demo-reports.js';
export {
  DEMO_DEVICE_FILE,
  DEMO_DEVICE_USERNAMES,
  type DemoCredentials,
  type DemoDeviceLogins,
  seedDemoTenant,
} from './demo-seed.js';
export { type HistoryProgress, readHistoryProgress } from './history-progress.js';

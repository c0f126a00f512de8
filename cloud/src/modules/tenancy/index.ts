export { DEMO_DEVICE_FILE, type DemoCredentials, demoSimulatedPlant, seedDemoTenant } from './demo-seed.js';
export { tenancyRouter } from './tenancy.router.js';
export { createTenant } from './tenants.js';

export { DEMO_DEVICE_FILE, demoSimulatedPlant, seedDemoTenant } from './demo-seed.js';
export { tenancyRouter } from './tenancy.router.js';
export { type CreatedTenant, createTenant, type NewTenant } from './tenants.js';

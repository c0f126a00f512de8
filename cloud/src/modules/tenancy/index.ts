export { tenancyRouter } from './tenancy.router.js';
export { createTenant } from './tenants.js';

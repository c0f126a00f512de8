export { tenancyRouter } from './tenancy.router.js';
export { createTenant, type NewTenantOptions } from './tenants.js';

export { tenancyRouter } from './tenancy.router.js';
export { type CreatedTenant, createTenant, type NewTenant } from './tenants.js';

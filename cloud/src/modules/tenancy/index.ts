export { listTenants, resumeTenant, suspendTenant, type TenantSummary } from './provisioning.js';
export { tenancyRouter } from './tenancy.router.js';
export { createTenant, type NewTenantOptions } from './tenants.js';

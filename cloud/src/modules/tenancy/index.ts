export {
  createOperatorKey,
  findOperator,
  listOperatorKeys,
  type OperatorKeySummary,
  revokeOperatorKey,
} from './operator-keys.js';
export {
  listTenants,
  resumeTenant,
  suspendTenant,
  type TenantSummary,
  tenantSummary,
} from './provisioning.js';
export { tenancyRouter } from './tenancy.router.js';
export { newTenantInput, TENANT_SLUG, timezoneInput } from './tenant-input.js';
export { createTenant, type NewTenantOptions } from './tenants.js';

/*
 * Tenant settings (docs/settings.md). Other modules read a tenant's settings with
 * `tenantSettings(tx)`, complete with defaults, in the transaction they work in, and its logo with
 * `tenantLogo(tx)`.
 */
export { type LogoInfo, readLogoInfo, type TenantLogo, tenantLogo } from './logo.js';
export { readSettingsRecord, tenantSettings, updateSettings } from './settings.js';
export { settingsRouter } from './settings.router.js';

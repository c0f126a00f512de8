/*
 * Tenant settings (docs/settings.md). Other modules read a tenant's settings with
 * `tenantSettings(tx)`, complete with defaults, in the transaction they work in.
 */
export { readSettingsRecord, tenantSettings, updateSettings } from './settings.js';
export { settingsRouter } from './settings.router.js';

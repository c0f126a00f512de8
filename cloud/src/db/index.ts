export type { Database, DatabaseMode, Sql } from './database.js';
export { type DatabaseConfig, migratedEmbeddedSnapshot, openDatabase } from './open.js';
export { rows } from './rows.js';
export { APP_ROLE, enterTenantScope } from './scope.js';
export { everyTenantId } from './tenants.js';

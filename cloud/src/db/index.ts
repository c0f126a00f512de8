export { backupArchive } from './backup.js';
export { BackupSocket } from './backup-socket.js';
export type { Database, DatabaseMode, EngineBackup, NoticeHandlers, Opening, Sql } from './database.js';
export { type NamedStatement, namedRows } from './named.js';
export { type DatabaseConfig, migratedEmbeddedSnapshot, openDatabase } from './open.js';
export { readAlongside, readSideBySide } from './parallel-reads.js';
export { rows } from './rows.js';
export { APP_ROLE, type ScopeSetting, scopeSetting, withPlantsInScope } from './scope.js';
export { everyTenantId } from './tenants.js';

import { permissionCatalogue } from '@plantline/schema';
import { sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import { offerBuiltinPermissions } from './builtin-roles.js';
import type { Database } from './database.js';
import { openEmbeddedDatabase } from './embedded.js';
import { rows } from './rows.js';
import { openServerDatabase } from './server.js';

export interface DatabaseConfig {
  /** PostgreSQL server of the owner; the embedded engine when absent. */
  url?: string | undefined;
  appUrl?: string | undefined;
  appPassword?: string | undefined;
  /** A server for reads that may lag (a replica of `url`); needs `url`: the embedded engine has none. */
  readUrl?: string | undefined;
  /** Folder of the embedded engine; null keeps it in memory (tests). */
  dataDir: string | null;
  /** Embedded in memory only: a migrated engine's dump to start from (openEmbeddedDatabase). */
  embeddedSnapshot?: Blob | undefined;
  log: Logger;
}

/**
 * Opens the configured engine and brings it up to date: committed migrations, then the
 * permission catalogue. The cloud calls this at start; `pnpm db:migrate` calls it alone.
 */
export async function openDatabase(config: DatabaseConfig): Promise<Database> {
  if (config.readUrl !== undefined && config.url === undefined)
    throw new Error('A read server (DATABASE_READ_URL) needs a PostgreSQL server (DATABASE_URL)');
  const opened =
    config.url === undefined
      ? await openEmbeddedDatabase({ dataDir: config.dataDir, snapshot: config.embeddedSnapshot })
      : await openServerDatabase({
          url: config.url,
          appUrl: config.appUrl,
          appPassword: config.appPassword,
          readUrl: config.readUrl,
          log: config.log,
        });
  try {
    await opened.migrate();
    await syncPermissionCatalogue(opened.database);
  } catch (error) {
    await opened.database.close();
    throw error;
  }
  return opened.database;
}

/**
 * A migrated in-memory embedded engine with the permission catalogue, dumped for `embeddedSnapshot`:
 * the test suite migrates once and starts every embedded test database from this (docs/testing.md).
 */
export async function migratedEmbeddedSnapshot(): Promise<Blob> {
  const opened = await openEmbeddedDatabase({ dataDir: null });
  try {
    await opened.migrate();
    await syncPermissionCatalogue(opened.database);
    return await opened.dump();
  } finally {
    await opened.database.close();
  }
}

/**
 * The catalogue is code (schema/src/permissions.ts); the table mirrors it so role_permissions
 * can reference it. Built-in admin roles gain every new permission, tenant by tenant; the other
 * built-in roles gain what their definitions add, once (builtin-roles.ts).
 */
async function syncPermissionCatalogue(database: Database): Promise<void> {
  // sql.param binds each array as one parameter; a bare array would expand into a row.
  const keys = sql.param(permissionCatalogue.map((p) => p.key));
  const areas = sql.param(permissionCatalogue.map((p) => p.area));
  const descriptions = sql.param(permissionCatalogue.map((p) => p.description));
  const knownBefore = await database.ownerTransact(null, async (tx) => {
    const before = await rows<{ key: string }>(tx, sql`select key from permissions`);
    await tx.execute(sql`
      insert into permissions (key, area, description)
      select * from unnest(${keys}::text[], ${areas}::text[], ${descriptions}::text[])
      on conflict (key) do update set area = excluded.area, description = excluded.description`);
    await tx.execute(sql`delete from permissions where key <> all(${keys}::text[])`);
    return new Set(before.map((r) => r.key));
  });
  const tenantRows = await database.ownerTransact(null, (tx) =>
    rows<{ id: string }>(tx, sql`select id from tenants`),
  );
  for (const { id } of tenantRows) {
    await database.ownerTransact({ tenantId: id, plantIds: [] }, (tx) =>
      tx.execute(sql`
        insert into role_permissions (tenant_id, role_id, permission)
        select r.tenant_id, r.id, p.key from roles r cross join permissions p
        where r.key = 'admin' and r.builtin
        on conflict do nothing`),
    );
  }
  await offerBuiltinPermissions(database, knownBefore);
}

export type { Database, Sql } from './database.js';

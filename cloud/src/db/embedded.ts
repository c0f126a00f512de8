import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { timescaledb } from '@electric-sql/pglite/timescaledb';
import { migrationsFolder } from '@plantline/schema/migrations';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { acquireDataDirLock } from './data-dir-lock.js';
import type { Database, Sql } from './database.js';
import { APP_ROLE, scopeStatement } from './scope.js';

/**
 * The embedded engine: PostgreSQL 17 with TimescaleDB compiled to WebAssembly, in-process.
 * It has one connection, so the application role is taken per transaction with SET LOCAL ROLE
 * rather than by a second login.
 */
/** `dataDir` is Plantline's data folder; the engine keeps its files in `db/` inside it. */
export async function openEmbeddedDatabase(options: { dataDir: string | null }): Promise<{
  database: Database;
  migrate: () => Promise<void>;
}> {
  let releaseLock = () => {};
  // The lock file sits beside the engine's folder: PostgreSQL refuses to initialise a non-empty one.
  const engineDir = options.dataDir === null ? null : join(options.dataDir, 'db');
  if (options.dataDir !== null) {
    mkdirSync(options.dataDir, { recursive: true });
    releaseLock = acquireDataDirLock(options.dataDir);
  }
  let client: PGlite;
  try {
    // Options go in the first argument: PGlite ignores the second when the first is undefined.
    client = new PGlite({
      ...(engineDir === null ? {} : { dataDir: engineDir }),
      extensions: { timescaledb },
    });
    await client.waitReady;
  } catch (error) {
    releaseLock();
    throw error;
  }
  const owner = drizzle({ client }) as unknown as Sql;

  const database: Database = {
    mode: 'embedded',
    owner,
    transact: (scope, work) =>
      owner.transaction(async (tx) => {
        await tx.execute(scopeStatement(scope, APP_ROLE));
        return work(tx);
      }),
    ownerTransact: (scope, work) =>
      owner.transaction(async (tx) => {
        await tx.execute(scopeStatement(scope, null));
        return work(tx);
      }),
    close: async () => {
      await client.close();
      releaseLock();
    },
  };
  return {
    database,
    // One process owns the data folder (the lock above), so no migration can run concurrently.
    migrate: () => migrate(drizzle({ client }), { migrationsFolder }),
  };
}

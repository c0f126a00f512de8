import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { timescaledb } from '@electric-sql/pglite/timescaledb';
import { migrationsFolder } from '@plantline/schema/migrations';
import { type Query, sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { drizzle, PgliteSession, PgliteTransaction } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import type { Scope } from '../platform/index.js';
import { acquireDataDirLock } from './data-dir-lock.js';
import type { Database, ScopedWork, Sql } from './database.js';
import { executeText, type NamedStatement, prepareText, runNamedWith } from './named.js';
import { rows } from './rows.js';
import { APP_ROLE, runOpened, runScoped } from './scope.js';

/**
 * The embedded engine: PostgreSQL 17 with TimescaleDB compiled to WebAssembly, in-process.
 * It has one connection, so the application role is taken per transaction with SET LOCAL ROLE
 * rather than by a second login.
 */
/**
 * `dataDir` is Plantline's data folder; the engine keeps its files in `db/` inside it. `snapshot`, for
 * an in-memory engine only, is a dump of another engine's data folder (`dumpDataDir`) to start from
 * instead of an empty cluster: the tests start from one migrated dump (docs/testing.md).
 */
export async function openEmbeddedDatabase(options: {
  dataDir: string | null;
  snapshot?: Blob | undefined;
}): Promise<{
  database: Database;
  migrate: () => Promise<void>;
  /** The engine's data folder as an uncompressed tar, for `snapshot`. */
  dump: () => Promise<Blob>;
}> {
  if (options.snapshot !== undefined && options.dataDir !== null) {
    throw new Error('An embedded snapshot can only start an in-memory engine');
  }
  let releaseLock = () => {};
  // The lock file sits beside the engine's folder: PostgreSQL refuses to initialise a non-empty one.
  const engineDir = options.dataDir === null ? null : join(options.dataDir, 'db');
  if (options.dataDir !== null) {
    mkdirSync(options.dataDir, { recursive: true });
    releaseLock = acquireDataDirLock(options.dataDir);
  }
  let client: PGlite;
  try {
    client = await startEngine(engineDir, options.snapshot);
  } catch (error) {
    releaseLock();
    throw error;
  }
  const owner = drizzle({ client }) as unknown as Sql;

  // The engine has one connection: a transaction opened while another is open on the same async
  // path waits for itself forever. Say so at once instead (the caller should pass its `tx` down).
  const inTransaction = new AsyncLocalStorage<true>();
  const named = namedRunner();
  const exclusive = <T>(body: (tx: Sql) => Promise<T>): Promise<T> => {
    if (inTransaction.getStore()) {
      return Promise.reject(
        new Error('Nested transaction on the embedded engine: pass the open transaction down'),
      );
    }
    // drizzle's own transaction over the engine's, with named statements run the engine's way.
    return inTransaction.run(true, () =>
      client.transaction((engineTx) => {
        const tx = new PgliteTransaction(dialect, new PgliteSession(engineTx, dialect, undefined), undefined);
        runNamedWith(tx as unknown as Sql, (statement, query, values) =>
          named(engineTx, statement, query, values),
        );
        return body(tx as unknown as Sql);
      }),
    );
  };
  const run = <T>(scope: Scope | null, role: typeof APP_ROLE | null, work: ScopedWork<T>): Promise<T> =>
    exclusive((tx) => runScoped(tx, scope, role, work));

  const database: Database = {
    mode: 'embedded',
    owner,
    transact: (scope, work) => run(scope, APP_ROLE, work),
    // The connection is the owner's: the opening statement drops to plantline_app itself (scope.ts).
    transactOpened: (opening, work) => exclusive((tx) => runOpened(tx, opening, work)),
    ownerTransact: (scope, work) => run(scope, null, work),
    // In the queue of transactions, so no other is half-way; the checkpoint writes every committed
    // page into the files, so a load of the dump needs no replay of the log (docs/operations.md).
    backup: () =>
      exclusive(async (tx) => {
        const migrated = await rows<{ found: boolean }>(
          tx,
          sql`select to_regclass('drizzle.__drizzle_migrations') is not null as found`,
        );
        const latest = migrated[0]?.found
          ? (
              await rows<{ hash: string; created_at: string }>(
                tx,
                sql`select hash, created_at::text from drizzle.__drizzle_migrations order by created_at desc limit 1`,
              )
            )[0]
          : undefined;
        await tx.execute(sql`checkpoint`);
        const files = new Uint8Array(await (await client.dumpDataDir('none')).arrayBuffer());
        return {
          files,
          migration:
            latest === undefined ? null : { hash: latest.hash, createdAt: Number(latest.created_at) },
        };
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
    dump: () => client.dumpDataDir('none'),
  };
}

/**
 * Unpacks a dump (`Database.backup`'s files) into `engineDir`, which must not hold a cluster yet,
 * and starts the engine on it once, so a dump the engine cannot open fails here and not at the
 * cloud's next start. The caller holds the data folder's lock.
 */
export async function loadEmbeddedDump(engineDir: string, files: Uint8Array): Promise<void> {
  // Node's buffers sit on an ArrayBuffer, never a SharedArrayBuffer, which is what Blob asks.
  const client = await startEngine(engineDir, new Blob([files as Uint8Array<ArrayBuffer>]));
  try {
    await client.query('select 1');
  } finally {
    await client.close();
  }
}

async function startEngine(engineDir: string | null, load: Blob | undefined): Promise<PGlite> {
  // Options go in the first argument: PGlite ignores the second when the first is undefined.
  const client = new PGlite({
    ...(engineDir === null ? {} : { dataDir: engineDir }),
    ...(load === undefined ? {} : { loadDataDir: load }),
    extensions: { timescaledb, pg_trgm },
  });
  await client.waitReady;
  return client;
}

/**
 * Named statements on the engine's one connection: prepared once with `PREPARE`, then run with
 * `EXECUTE` and their values as literals, one simple-protocol message. The engine's parameterised
 * query costs several trips into it (parse, describe, bind, describe, execute) and plans every time.
 */
function namedRunner() {
  const prepared = new Set<string>();
  return async (
    engineTx: Transaction,
    statement: NamedStatement,
    query: Query,
    values: Record<string, unknown>,
  ): Promise<unknown[]> => {
    if (!prepared.has(statement.name)) {
      // Prepared statements outlive the transaction, whether it commits or not.
      await engineTx.exec(prepareText(statement, query));
      prepared.add(statement.name);
    }
    const results = await engineTx.exec(executeText(statement, query, values));
    return results[results.length - 1]?.rows ?? [];
  };
}

const dialect = new PgDialect();

import { migrationsFolder } from '@plantline/schema/migrations';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import type { Logger } from 'pino';
import type { Scope } from '../platform/index.js';
import type { Database, ScopedWork, Sql } from './database.js';
import { listenOn } from './listener.js';
import { allowReadsAlongside } from './parallel-reads.js';
import { rows } from './rows.js';
import { APP_ROLE, finishOpened, finishScoped, runScoped, scopeStatement } from './scope.js';
import { copyOut, readCursor } from './server-streams.js';
import { serverTransaction } from './server-transaction.js';

export interface ServerDatabaseOptions {
  /** The owner: runs migrations. */
  url: string;
  /** The application's login; derived from `url` with the user plantline_app when absent. */
  appUrl?: string | undefined;
  appPassword?: string | undefined;
  /**
   * A server for reads that may lag behind `url` (a streaming replica of it): report runs read there
   * (docs/architecture.md, "The database"). Only its address is used: the cloud logs in there as the
   * application, with the same credentials as on `url`.
   */
  readUrl?: string | undefined;
  poolSize?: number;
  log: Logger;
}

// An arbitrary constant shared by every Plantline process: holders of this advisory lock
// migrate one at a time, so two processes starting at once cannot apply a migration twice.
const MIGRATION_LOCK_KEY = 0x706c_616e;

export function deriveAppUrl(ownerUrl: string, password: string | undefined): string {
  const url = new URL(ownerUrl);
  url.username = APP_ROLE;
  url.password = password ?? '';
  return url.toString();
}

/**
 * The application's login at another server's address: a streaming replica has the primary's roles
 * and passwords, so the login that works on the primary works there.
 */
export function withLoginOf(serverUrl: string, appUrl: string): string {
  const url = new URL(serverUrl);
  const login = new URL(appUrl);
  url.username = login.username;
  url.password = login.password;
  return url.toString();
}

/** How the read pool's connections name themselves (pg_stat_activity.application_name). */
export const READ_POOL_NAME = 'plantline reads';

/** How a transaction that reads one instant, and its siblings, begin (parallel-reads.ts). */
const READING = 'begin isolation level repeatable read read only';

/** A PostgreSQL server (with or without TimescaleDB), through node-postgres. */
export async function openServerDatabase(options: ServerDatabaseOptions): Promise<{
  database: Database;
  migrate: () => Promise<void>;
}> {
  const ownerPool = new pg.Pool({ connectionString: options.url, max: 2 });
  const derivedAppUrl = options.appUrl === undefined;
  const appUrl = options.appUrl ?? deriveAppUrl(options.url, options.appPassword);
  const appPool = new pg.Pool({ connectionString: appUrl, max: options.poolSize ?? 10 });
  // Reads that may lag; without a read server they stay on the application's pool.
  const readPool =
    options.readUrl === undefined
      ? appPool
      : new pg.Pool({
          connectionString: withLoginOf(options.readUrl, appUrl),
          max: options.poolSize ?? 10,
          application_name: READ_POOL_NAME,
        });
  const pools = [...new Set([ownerPool, appPool, readPool])];
  // An idle client's error (server restart) must not crash the process; the next query reconnects.
  for (const pool of pools) {
    pool.on('error', (error) => options.log.warn({ err: error }, 'database connection lost'));
  }
  const owner = drizzle({ client: ownerPool }) as unknown as Sql;

  // On the read server when there is one. Its siblings open on the same pool, so on the same server,
  // where the snapshot was exported: a hot standby exports and imports snapshots too (PostgreSQL 10
  // and later; PostgreSQL's pg_dump reference, option --jobs, which relies on it on standbys).
  const transactReading = <T>(scope: Scope, work: ScopedWork<T>): Promise<T> =>
    serverTransaction(
      readPool,
      scopeStatement(scope, APP_ROLE),
      async (tx) => {
        const [exported] = await rows<{ id: string }>(tx, sql`select pg_export_snapshot() as id`);
        const snapshot = exported?.id ?? '';
        // The identifier is PostgreSQL's own (hex-hex-decimal); SET TRANSACTION SNAPSHOT takes no parameter.
        if (!/^[0-9A-F]+-[0-9A-F]+-[0-9]+$/i.test(snapshot))
          throw new Error(`unexpected snapshot id ${snapshot}`);
        allowReadsAlongside(tx, (read) =>
          serverTransaction(
            readPool,
            scopeStatement(scope, APP_ROLE),
            (sibling) => finishScoped(sibling, scope, read),
            `${READING}; set transaction snapshot '${snapshot}'`,
          ),
        );
        return finishScoped(tx, scope, work);
      },
      READING,
    );

  const database: Database = {
    mode: 'server',
    owner,
    // The login is already plantline_app; setting the role again costs nothing and keeps a
    // misconfigured DATABASE_APP_URL (say, the owner's) from silently bypassing the policies.
    transact: (scope, work) =>
      serverTransaction(appPool, scopeStatement(scope, APP_ROLE), (tx) => finishScoped(tx, scope, work)),
    // The login is plantline_app, and the opening statement sets the role too (scope.ts).
    transactOpened: (opening, work) =>
      serverTransaction(appPool, opening, (tx, rows) => finishOpened(tx, opening, rows, work)),
    ownerTransact: (scope, work) => owner.transaction((tx) => runScoped(tx, scope, null, work)),
    transactReading,
    ...(options.readUrl === undefined ? {} : { transactLagging: transactReading }),
    cursor: (scope, query, batchRows, each) => readCursor(readPool, scope, query, batchRows, each),
    copyOut: (scope, query, format, each) => copyOut(readPool, scope, query, format, each),
    listen: (channel, handlers) => listenOn(appUrl, channel, handlers, options.log),
    close: async () => {
      await Promise.all(pools.map((pool) => pool.end()));
    },
  };

  const runMigrations = async () => {
    const client = await ownerPool.connect();
    try {
      await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
      try {
        await migrate(drizzle({ client }), { migrationsFolder });
        if (derivedAppUrl) await enableAppLogin(client, options.appPassword, options.log);
      } finally {
        await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
      }
    } finally {
      client.release();
    }
  };
  return { database, migrate: runMigrations };
}

/**
 * The migration creates plantline_app without a login; when no DATABASE_APP_URL names a login
 * prepared by a DBA, the owner lets the role log in (needs CREATEROLE; otherwise say what to do).
 */
async function enableAppLogin(client: pg.PoolClient, password: string | undefined, log: Logger) {
  const passwordClause = password === undefined ? '' : ` PASSWORD ${client.escapeLiteral(password)}`;
  try {
    await client.query(`ALTER ROLE ${APP_ROLE} LOGIN${passwordClause}`);
  } catch (error) {
    log.warn(
      { err: error },
      `could not enable login for ${APP_ROLE}; grant it LOGIN yourself or set DATABASE_APP_URL`,
    );
  }
}

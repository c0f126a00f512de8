import type { SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type { Scope } from '../platform/index.js';
import type { NamedStatement } from './named.js';

/** Drizzle over either engine. Both drivers share the pg-core query builder. */
export type Sql = PgDatabase<PgQueryResultHKT>;

export type DatabaseMode = 'embedded' | 'server';

export type ScopedWork<T> = (tx: Sql) => Promise<T>;

/**
 * The first statement of a transaction that finds its own scope: it reads who is calling and sets
 * the role and the scope settings itself (scope.ts, `scopeSetting`), so a call needs no transaction
 * before its own to learn them (docs/security.md, "Sessions").
 */
export interface Opening<Found> extends NamedStatement {
  /** The placeholders' values for this call. */
  values: Record<string, unknown>;
  /** What the statement's rows say, and the scope they set (null when it set none). */
  read(rows: Record<string, unknown>[]): { found: Found; scope: Scope | null };
}

/** A copy of the embedded engine's files and the schema version they hold. */
export interface EngineBackup {
  files: Uint8Array;
  /** The last migration applied (drizzle's journal `when` and the file's hash); null before any. */
  migration: { hash: string; createdAt: number } | null;
}

export interface NoticeHandlers {
  notice(payload: string): void;
  connected(): void;
}

/**
 * One database, whichever engine runs it (docs/architecture.md, "The database"): the engine choice
 * stays behind this type, so the embedded engine can be swapped without touching its callers.
 */
export interface Database {
  readonly mode: DatabaseMode;
  /**
   * One transaction as plantline_app, the role that owns nothing, with the request scope set for
   * the RLS policies. Without a scope (authentication, before a tenant is known) every tenant
   * table is empty to it.
   */
  transact<T>(scope: Scope | null, work: ScopedWork<T>): Promise<T>;
  /**
   * One transaction as plantline_app whose scope is set by its first statement, `opening`, from what
   * that statement finds; `work` gets the finding and refuses by throwing (the transaction rolls back).
   */
  transactOpened<Found, T>(opening: Opening<Found>, work: (tx: Sql, found: Found) => Promise<T>): Promise<T>;
  /**
   * One transaction as the owner with the same scope settings: for seeding and maintenance.
   * Policies still bind a non-superuser owner (RLS is forced), so writes need a tenant scope.
   */
  ownerTransact<T>(scope: Scope | null, work: ScopedWork<T>): Promise<T>;
  /**
   * Server only: the rows of `query` read through a cursor in one scoped transaction as
   * plantline_app, handed over `batchRows` at a time, so a result of any length is read in constant
   * memory (docs/reports.md, "Formats"). The embedded engine has none: callers read keyset pages.
   * On the read server when one is configured (`DATABASE_READ_URL`): what it reads may lag.
   */
  readonly cursor?: (
    scope: Scope,
    query: SQL,
    batchRows: number,
    each: (rows: Record<string, unknown>[]) => Promise<void>,
  ) => Promise<void>;
  /**
   * Server only: the rows of `query` as the server writes them with `COPY (query) TO STDOUT WITH
   * (format)`, in the same kind of transaction as `cursor`, handed over in chunks as they arrive; the
   * next chunk is read once `each` is done. For outputs the server can write whole (a CSV extract,
   * docs/reports.md, "Formats"). Parameters are written into the statement as literals.
   */
  readonly copyOut?: (
    scope: Scope,
    query: SQL,
    format: string,
    each: (chunk: Buffer) => Promise<void>,
  ) => Promise<void>;
  /**
   * Server only: one read-only transaction as plantline_app that sees one instant of the database
   * (repeatable read), whose `readAlongside` reads run at the same time on other connections and
   * see the same instant (parallel-reads.ts). Callers fall back to `transact` without it.
   * On the read server when one is configured (`DATABASE_READ_URL`): that instant may lag behind the
   * primary, so only reads that tolerate it use this (docs/architecture.md, "The database").
   */
  readonly transactReading?: <T>(scope: Scope, work: ScopedWork<T>) => Promise<T>;
  /**
   * Only with a read server (`DATABASE_READ_URL`): `transactReading` on it, for API queries that may
   * read data a moment old. Absent, such queries run on the primary like any other call.
   */
  readonly transactLagging?: <T>(scope: Scope, work: ScopedWork<T>) => Promise<T>;
  /**
   * Server only: LISTEN on `channel` over a connection of its own, reconnecting when it is lost;
   * `connected` runs after every (re)connection, once listening — what was sent while the connection
   * was down is not heard, so a listener catches up there. Resolves, once first listening, with the stop.
   */
  readonly listen?: (channel: string, handlers: NoticeHandlers) => Promise<() => Promise<void>>;
  /**
   * Embedded only: the engine's files as an uncompressed tar, taken inside its queue of transactions
   * so none is half-way, with the last migration applied; `pnpm db:backup` wraps it
   * (docs/operations.md). A server is backed up with pg_dump instead.
   */
  readonly backup?: () => Promise<EngineBackup>;
  /** The owner connection itself, for migrations and tests. */
  readonly owner: Sql;
  close(): Promise<void>;
}

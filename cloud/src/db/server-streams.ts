import { fillPlaceholders, type SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import QueryStream from 'pg-query-stream';
import type { Scope } from '../platform/index.js';
import { inlineParameters } from './inline-parameters.js';
import { APP_ROLE, scopeStatement } from './scope.js';

/*
 * Long reads on a PostgreSQL server (Database.cursor and Database.copyOut): one read-only transaction
 * as plantline_app with the caller's scope, on a connection of its own, read as a stream so a result
 * of any length passes in constant memory (docs/reports.md, "Formats").
 */

const dialect = new PgDialect();

async function readOnlyScoped(
  pool: pg.Pool,
  scope: Scope,
  work: (client: pg.PoolClient) => Promise<void>,
): Promise<void> {
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query('begin read only');
    // Unnamed: this connection may hold the statement's name as a transaction's first statement.
    const setup = scopeStatement(scope, APP_ROLE);
    const setupQuery = dialect.sqlToQuery(setup.statement);
    await client.query(setupQuery.sql, fillPlaceholders(setupQuery.params, setup.values));
    await work(client);
    await client.query('commit');
  } catch (error) {
    // A COPY left midway keeps sending: such a connection is closed, not rolled back and reused.
    broken = true;
    throw error;
  } finally {
    client.release(broken);
  }
}

/** The rows of `query`, through a cursor, `batchRows` at a time. */
export function readCursor(
  pool: pg.Pool,
  scope: Scope,
  query: SQL,
  batchRows: number,
  each: (rows: Record<string, unknown>[]) => Promise<void>,
): Promise<void> {
  return readOnlyScoped(pool, scope, async (client) => {
    const compiled = dialect.sqlToQuery(query);
    const stream = client.query(new QueryStream(compiled.sql, compiled.params, { batchSize: batchRows }));
    let batch: Record<string, unknown>[] = [];
    for await (const row of stream as AsyncIterable<Record<string, unknown>>) {
      batch.push(row);
      if (batch.length >= batchRows) {
        await each(batch);
        batch = [];
      }
    }
    if (batch.length > 0) await each(batch);
  });
}

/**
 * The rows of `query` as the server writes them with COPY … TO STDOUT in `format` (a COPY option
 * list such as `format csv`), in chunks as they arrive; `each` is awaited before more is read.
 */
export function copyOut(
  pool: pg.Pool,
  scope: Scope,
  query: SQL,
  format: string,
  each: (chunk: Buffer) => Promise<void>,
): Promise<void> {
  return readOnlyScoped(pool, scope, async (client) => {
    const compiled = dialect.sqlToQuery(query);
    const text = inlineParameters(compiled.sql, compiled.params);
    const stream = client.query(copyTo(`copy (${text}) to stdout with (${format})`));
    for await (const chunk of stream as AsyncIterable<Buffer>) await each(chunk);
  });
}

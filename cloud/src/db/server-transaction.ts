import type { Query } from 'drizzle-orm';
import { NodePgSession, NodePgTransaction } from 'drizzle-orm/node-postgres';
import { PgDialect } from 'drizzle-orm/pg-core';
import type pg from 'pg';
import type { Sql } from './database.js';
import { compiledOnce, executeText, type NamedStatement, prepareText } from './named.js';

/** The first statement of a server transaction, a named statement (named.ts) with this transaction's values. */
export interface FirstStatement extends NamedStatement {
  values: Record<string, unknown>;
}

const dialect = new PgDialect();
/** The names prepared on each connection: prepared statements live as long as their connection. */
const preparedOn = new WeakMap<pg.ClientBase, Set<string>>();
/** One drizzle session per connection, reused by every transaction on it. */
const sessions = new WeakMap<pg.ClientBase, NodePgSession<Record<string, never>, never>>();

/**
 * A transaction on a pooled server connection whose BEGIN travels with its first statement in one
 * message (the simple query protocol runs several statements in one round trip), so before its own
 * work a transaction pays one round trip, not two (docs/architecture.md, "The database"). The first
 * statement is a named prepared statement, planned once per connection; its values travel as
 * literals quoted by the driver. `body` gets the transaction and the first statement's rows; a body
 * that throws rolls the transaction back.
 */
export async function serverTransaction<T>(
  pool: pg.Pool,
  first: FirstStatement,
  body: (tx: Sql, rows: Record<string, unknown>[]) => Promise<T>,
  /** What opens the transaction, when not a plain BEGIN: a constant of the caller (parallel reads). */
  opening = 'begin',
): Promise<T> {
  const client = await pool.connect();
  // A connection whose ROLLBACK failed is in an unknown state: the pool closes it instead of reusing it.
  let broken: Error | undefined;
  try {
    const rows = await begin(client, first, opening);
    const result = await body(transactionOn(client), rows);
    await client.query('commit');
    return result;
  } catch (error) {
    await client.query('rollback').catch((rollbackError: unknown) => {
      broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
    });
    throw error;
  } finally {
    client.release(broken);
  }
}

/**
 * BEGIN and the first statement in one round trip; its rows. A connection that lost the statement
 * (DEALLOCATE or DISCARD by anything else) prepares it again and tries once more.
 */
async function begin(
  client: pg.PoolClient,
  first: FirstStatement,
  opening: string,
): Promise<Record<string, unknown>[]> {
  const query = compiledOnce(first.statement);
  const text = `${opening}; ${executeText(first, query, first.values)}`;
  for (let attempt = 1; ; attempt++) {
    await prepareOnce(client, first, query);
    try {
      const results = (await client.query(text)) as unknown as pg.QueryResult[];
      return (results[results.length - 1]?.rows ?? []) as Record<string, unknown>[];
    } catch (error) {
      if ((error as { code?: string }).code !== INVALID_STATEMENT_NAME || attempt > 1) throw error;
      await client.query('rollback');
      preparedOn.get(client)?.delete(first.name);
    }
  }
}

const INVALID_STATEMENT_NAME = '26000';
const DUPLICATE_PREPARED_STATEMENT = '42P05';

/**
 * Prepares the statement on this connection the first time it meets it, in a round trip of its own
 * outside any transaction: prepared statements survive a rollback, so one prepared inside a failing
 * transaction would leave this bookkeeping unsure whether it exists.
 */
async function prepareOnce(client: pg.PoolClient, named: NamedStatement, query: Query): Promise<void> {
  let names = preparedOn.get(client);
  if (names === undefined) {
    names = new Set();
    preparedOn.set(client, names);
  }
  if (names.has(named.name)) return;
  try {
    await client.query(prepareText(named, query));
  } catch (error) {
    if ((error as { code?: string }).code !== DUPLICATE_PREPARED_STATEMENT) throw error;
  }
  names.add(named.name);
}

/** The drizzle transaction over a connection whose BEGIN has been sent. */
function transactionOn(client: pg.PoolClient): Sql {
  let session = sessions.get(client);
  if (session === undefined) {
    session = new NodePgSession(client, dialect, undefined);
    sessions.set(client, session);
  }
  return new NodePgTransaction(dialect, session, undefined) as unknown as Sql;
}

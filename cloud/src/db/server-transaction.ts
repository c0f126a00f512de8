import { Placeholder, type Query, type SQL } from 'drizzle-orm';
import { NodePgSession, NodePgTransaction } from 'drizzle-orm/node-postgres';
import { PgDialect } from 'drizzle-orm/pg-core';
import pg from 'pg';
import type { Sql } from './database.js';

/**
 * The first statement of a server transaction: built once with `sql.placeholder`s for what differs
 * between transactions, prepared once per connection under `name`, then executed by name.
 */
export interface FirstStatement {
  name: string;
  statement: SQL;
  values: Record<string, unknown>;
}

const dialect = new PgDialect();
const compiled = new WeakMap<SQL, Query>();
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
): Promise<T> {
  const client = await pool.connect();
  // A connection whose ROLLBACK failed is in an unknown state: the pool closes it instead of reusing it.
  let broken: Error | undefined;
  try {
    const rows = await begin(client, first);
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
async function begin(client: pg.PoolClient, first: FirstStatement): Promise<Record<string, unknown>[]> {
  const query = compiledOnce(first.statement);
  const text = `begin; execute ${first.name}(${literals(query, first.values)})`;
  for (let attempt = 1; ; attempt++) {
    await prepareOnce(client, first.name, query);
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

function compiledOnce(statement: SQL): Query {
  let query = compiled.get(statement);
  if (query === undefined) {
    query = dialect.sqlToQuery(statement);
    compiled.set(statement, query);
  }
  return query;
}

/**
 * Prepares the statement on this connection the first time it meets it, in a round trip of its own
 * outside any transaction: prepared statements survive a rollback, so one prepared inside a failing
 * transaction would leave this bookkeeping unsure whether it exists.
 */
async function prepareOnce(client: pg.PoolClient, name: string, query: Query): Promise<void> {
  let names = preparedOn.get(client);
  if (names === undefined) {
    names = new Set();
    preparedOn.set(client, names);
  }
  if (names.has(name)) return;
  try {
    await client.query(`prepare ${name} as ${query.sql}`);
  } catch (error) {
    if ((error as { code?: string }).code !== DUPLICATE_PREPARED_STATEMENT) throw error;
  }
  names.add(name);
}

/** The statement's parameters as quoted literals, placeholders filled from `values`. */
function literals(query: Query, values: Record<string, unknown>): string {
  return query.params
    .map((param) => literal(param instanceof Placeholder ? values[param.name] : param))
    .join(', ');
}

function literal(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return pg.escapeLiteral(value);
  if (value instanceof Date) return pg.escapeLiteral(value.toISOString());
  if (typeof value === 'number' || typeof value === 'boolean') return pg.escapeLiteral(String(value));
  throw new Error(
    `A first statement's value must be text, a time, a number or a boolean, not ${typeof value}`,
  );
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

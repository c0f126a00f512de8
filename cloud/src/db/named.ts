import { Placeholder, type Query, type SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import pg from 'pg';
import type { Sql } from './database.js';

/**
 * A statement on a path every call takes, built once with `sql.placeholder`s for what differs
 * between runs. It is compiled once and prepared once per connection under `name`, so the engine
 * plans it once and reuses the plan instead of parsing and planning it on every run (docs/
 * architecture.md, "The database"). The name must be unique to the statement.
 */
export interface NamedStatement {
  name: string;
  statement: SQL;
}

/**
 * How a transaction runs named statements when its engine has a way of its own (the embedded
 * engine, `namedRunner` in embedded.ts); otherwise the driver prepares them under their name.
 */
export type NamedRunner = (
  named: NamedStatement,
  query: Query,
  values: Record<string, unknown>,
) => Promise<unknown[]>;

const runners = new WeakMap<Sql, NamedRunner>();
const dialect = new PgDialect();
const compiled = new WeakMap<SQL, Query>();

/** Gives a transaction its engine's way of running named statements, for its whole life. */
export function runNamedWith(tx: Sql, runner: NamedRunner): void {
  runners.set(tx, runner);
}

/** The rows of a named statement with its placeholders filled from `values`. */
export async function namedRows<T>(
  tx: Sql,
  named: NamedStatement,
  values: Record<string, unknown>,
): Promise<T[]> {
  const query = compiledOnce(named.statement);
  const runner = runners.get(tx);
  if (runner !== undefined) return (await runner(named, query, values)) as T[];
  const prepared = tx._.session.prepareQuery(query, undefined, named.name, false);
  const result = (await prepared.execute(values)) as { rows: T[] };
  return result.rows;
}

export function compiledOnce(statement: SQL): Query {
  let query = compiled.get(statement);
  if (query === undefined) {
    query = dialect.sqlToQuery(statement);
    compiled.set(statement, query);
  }
  return query;
}

/** `PREPARE` of a named statement, for a connection that has not met it yet. */
export function prepareText(named: NamedStatement, query: Query): string {
  return `prepare ${named.name} as ${query.sql}`;
}

/**
 * `EXECUTE` of a prepared named statement with its values written in as literals, quoted by the
 * driver: one simple-protocol message, which can travel with other statements (server-transaction.ts).
 */
export function executeText(named: NamedStatement, query: Query, values: Record<string, unknown>): string {
  if (query.params.length === 0) return `execute ${named.name}`;
  const literals = query.params.map((param) =>
    literal(param instanceof Placeholder ? values[param.name] : param),
  );
  return `execute ${named.name}(${literals.join(', ')})`;
}

function literal(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return pg.escapeLiteral(value);
  if (value instanceof Date) return pg.escapeLiteral(value.toISOString());
  if (typeof value === 'number' || typeof value === 'boolean') return pg.escapeLiteral(String(value));
  throw new Error(
    `A named statement's value must be text, a time, a number or a boolean, not ${typeof value}`,
  );
}

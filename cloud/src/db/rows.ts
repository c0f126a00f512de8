import type { Query, SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { Sql } from './database.js';

/** Raw SQL rows. Both drivers return `{ rows }`; the shared pg-core type cannot say so. */
export async function rows<T>(db: Sql, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

/**
 * A statement on a path every call takes, built once with `sql.placeholder`s for what differs
 * between runs. It is compiled once, and a server prepares it once per connection under `name` and
 * reuses its plan, instead of parsing and planning it on every run (docs/architecture.md, "The
 * database"). The name must be unique to the statement.
 */
export interface NamedStatement {
  name: string;
  statement: SQL;
}

const dialect = new PgDialect();
const compiled = new WeakMap<SQL, Query>();

/** The rows of a named statement with its placeholders filled from `values`. */
export async function namedRows<T>(
  tx: Sql,
  named: NamedStatement,
  values: Record<string, unknown>,
): Promise<T[]> {
  let query = compiled.get(named.statement);
  if (query === undefined) {
    query = dialect.sqlToQuery(named.statement);
    compiled.set(named.statement, query);
  }
  const prepared = tx._.session.prepareQuery(query, undefined, named.name, false);
  const result = (await prepared.execute(values)) as { rows: T[] };
  return result.rows;
}

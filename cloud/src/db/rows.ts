import type { SQL } from 'drizzle-orm';
import type { Sql } from './database.js';

/** Raw SQL rows. Both drivers return `{ rows }`; the shared pg-core type cannot say so. */
export async function rows<T>(db: Sql, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

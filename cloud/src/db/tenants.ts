import { sql } from 'drizzle-orm';
import type { Database } from './database.js';
import { rows } from './rows.js';

/**
 * The id of every tenant, for jobs that work tenant by tenant in scoped transactions. Read as the
 * owner: the tenants table's sign-in lookup policy lets it see all of them without a scope
 * (schema/migrations/0001_security.sql).
 */
export async function everyTenantId(db: Database): Promise<string[]> {
  const found = await db.ownerTransact(null, (tx) =>
    rows<{ id: string }>(tx, sql`select id::text as id from tenants order by id`),
  );
  return found.map((tenant) => tenant.id);
}

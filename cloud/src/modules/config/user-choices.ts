import { tables } from '@plantline/schema';
import { asc, eq } from 'drizzle-orm';
import type { Sql } from '../../db/index.js';

/** Active users of the tenant by name, as a user reference field offers them (row-level security scopes the tenant). */
export function userChoices(tx: Sql) {
  return tx
    .select({ id: tables.users.id, displayName: tables.users.displayName })
    .from(tables.users)
    .where(eq(tables.users.isActive, true))
    .orderBy(asc(tables.users.displayName));
}

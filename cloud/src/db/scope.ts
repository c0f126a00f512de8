import { type Query, type SQL, sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { openAuditTrail, sealAuditTrail } from '../platform/audit-trail.js';
import type { Scope } from '../platform/index.js';
import type { Opening, ScopedWork, Sql } from './database.js';

export const APP_ROLE = 'plantline_app';

const dialect = new PgDialect();
/** Openings' statements compiled to text and parameters, once each. */
const compiledOpenings = new WeakMap<SQL, Query>();

/**
 * The statement that opens every scoped transaction: optionally drop to the application role and
 * set the request scope read by the policies (schema/migrations/0001_security.sql). All settings
 * are transaction-local (`is_local = true`), so nothing leaks to the next user of a pooled
 * connection.
 */
export function scopeStatement(scope: Scope | null, role: string | null): SQL {
  const plantIds = scope === null || scope.plantIds === 'all' ? '' : scope.plantIds.join(',');
  const allPlants = scope?.plantIds === 'all' ? 'on' : 'off';
  const setRole = role === null ? sql`` : sql`set_config('role', ${role}, true),`;
  return sql`select ${setRole}
    set_config('plantline.tenant_id', ${scope?.tenantId ?? ''}, true),
    set_config('plantline.user_id', ${scope?.userId ?? ''}, true),
    set_config('plantline.plant_ids', ${plantIds}, true),
    set_config('plantline.all_plants', ${allPlants}, true)`;
}

/** A scope setting an opening statement (database.ts, `Opening`) computes from what it reads. */
export type ScopeSetting = 'tenant_id' | 'user_id' | 'plant_ids' | 'all_plants';

/**
 * `set_config` of one scope setting, transaction-local, for an opening statement's select list. The
 * role comes with the tenant: whatever reads the tenant's rows after it runs as plantline_app.
 */
export function scopeSetting(setting: ScopeSetting, value: SQL): SQL {
  const config = `plantline.${setting}`;
  const setRole =
    setting === 'tenant_id' ? sql`set_config('role', ${APP_ROLE}, true) as scope_role, ` : sql``;
  return sql`${setRole}set_config(${config}, ${value}, true) as ${sql.identifier(`scope_${setting}`)}`;
}

/**
 * The body of a transaction opened by a statement that sets its own scope (`Opening`): the statement,
 * then the work with what it found, then the audit entries, sealed as in `runScoped`.
 */
export async function runOpened<Found, T>(
  tx: Sql,
  opening: Opening<Found>,
  work: (tx: Sql, found: Found) => Promise<T>,
): Promise<T> {
  let compiled = compiledOpenings.get(opening.statement);
  if (compiled === undefined) {
    compiled = dialect.sqlToQuery(opening.statement);
    compiledOpenings.set(opening.statement, compiled);
  }
  const prepared = tx._.session.prepareQuery(compiled, undefined, opening.name, false);
  const { rows } = (await prepared.execute(opening.values)) as { rows: Record<string, unknown>[] };
  const { found, scope } = opening.read(rows);
  openAuditTrail(tx, scope);
  const result = await work(tx, found);
  await sealAuditTrail(tx);
  return result;
}

/**
 * The body of every transaction either engine opens: the scope first, then the work, then the audit
 * entries the work recorded, sealed into the tenant's chain as the last statements before commit.
 */
export async function runScoped<T>(
  tx: Sql,
  scope: Scope | null,
  role: string | null,
  work: ScopedWork<T>,
): Promise<T> {
  await tx.execute(scopeStatement(scope, role));
  openAuditTrail(tx, scope);
  const result = await work(tx);
  await sealAuditTrail(tx);
  return result;
}

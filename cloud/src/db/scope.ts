import { type SQL, sql } from 'drizzle-orm';
import { openAuditTrail, sealAuditTrail } from '../platform/audit-trail.js';
import type { Scope } from '../platform/index.js';
import type { ScopedWork, Sql } from './database.js';

export const APP_ROLE = 'plantline_app';

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

/**
 * Moves a transaction opened without a scope into one tenant's (no plants), for a lookup that learns
 * the tenant on the way: an API key names its tenant, and reading its scopes in the same transaction
 * saves a second one on every call the key makes. Nothing is audited in such a transaction.
 */
export async function enterTenantScope(tx: Sql, tenantId: string): Promise<void> {
  await tx.execute(scopeStatement({ tenantId, plantIds: [] }, APP_ROLE));
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

import { type SQL, sql } from 'drizzle-orm';
import type { Scope } from '../platform/index.js';

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

import { isPermission, tables } from '@plantline/schema';
import { eq, sql } from 'drizzle-orm';
import type { Database, Sql } from '../../db/index.js';
import { rows } from '../../db/index.js';
import type { Principal } from '../../platform/index.js';
import { TENANT_SUSPENDED } from './callers.js';

/** What a user may do: the union of their roles' permissions, and the plants in reach. */
export async function loadUserPrincipal(
  db: Database,
  tenantId: string,
  userId: string,
  sessionId: string | null,
): Promise<Principal | null> {
  const access = await db.transact({ tenantId, userId, plantIds: [] }, (tx) =>
    readUserAccess(tx, userId, null, new Date()),
  );
  if (access === null || !access.active || !access.tenant_open) return null;
  return userPrincipal(tenantId, userId, sessionId, access);
}

interface UserAccess {
  active: boolean;
  /** Whether the session named is neither revoked nor expired (true when none is named). */
  session_live: boolean;
  /** False while the tenant is suspended (docs/security.md, "Tenants"). */
  tenant_open: boolean;
  permissions: string[];
  plant_ids: string[];
}

/**
 * A user's standing, roles' permissions and plants in one statement: a WebSocket re-checks this
 * on every call and a live subscription every few seconds (live-access.ts), so it stays one query.
 */
async function readUserAccess(
  tx: Sql,
  userId: string,
  sessionId: string | null,
  now: Date,
): Promise<UserAccess | null> {
  const sessionLive =
    sessionId === null
      ? sql`true`
      : sql`exists (
          select 1 from sessions s
           where s.id = ${sessionId}::uuid and s.revoked_at is null
             and s.idle_expires_at > ${now}::timestamptz and s.absolute_expires_at > ${now}::timestamptz)`;
  const [row] = await rows<UserAccess>(
    tx,
    sql`select u.is_active as active,
               ${sessionLive} as session_live,
               coalesce((select t.suspended_at is null from tenants t where t.id = u.tenant_id), false) as tenant_open,
               coalesce((select json_agg(distinct rp.permission)
                           from user_roles ur
                           join role_permissions rp on rp.tenant_id = ur.tenant_id and rp.role_id = ur.role_id
                          where ur.user_id = u.id), '[]'::json) as permissions,
               coalesce((select json_agg(upa.plant_id)
                           from user_plant_access upa
                          where upa.user_id = u.id), '[]'::json) as plant_ids
          from users u
         where u.id = ${userId}::uuid`,
  );
  return row ?? null;
}

function userPrincipal(
  tenantId: string,
  userId: string,
  sessionId: string | null,
  access: UserAccess,
): Principal {
  const permissions = new Set(access.permissions.filter(isPermission));
  const plantIds = permissions.has('plants.all') ? ('all' as const) : access.plant_ids;
  return { kind: 'user', tenantId, userId, apiKeyId: null, sessionId, permissions, plantIds };
}

export type PrincipalRecheck = { kind: 'valid'; principal: Principal } | { kind: 'refused'; problem: string };

/**
 * A WebSocket context is built once, when the connection opens. Each call on it, and each running
 * subscription from time to time, re-reads what may have changed since, so logout, deactivation,
 * key revocation and role changes apply at once. One query either way.
 */
export async function recheckPrincipal(db: Database, principal: Principal): Promise<PrincipalRecheck> {
  if (principal.apiKeyId !== null) {
    const apiKeyId = principal.apiKeyId;
    const [key] = await db.transact({ tenantId: principal.tenantId, plantIds: [] }, (tx) =>
      tx
        .select({
          revokedAt: tables.apiKeys.revokedAt,
          expiresAt: tables.apiKeys.expiresAt,
          tenantSuspendedAt: tables.tenants.suspendedAt,
        })
        .from(tables.apiKeys)
        .innerJoin(tables.tenants, eq(tables.tenants.id, tables.apiKeys.tenantId))
        .where(eq(tables.apiKeys.id, apiKeyId)),
    );
    if (key === undefined || key.revokedAt !== null)
      return { kind: 'refused', problem: 'API key has been revoked' };
    if (key.expiresAt !== null && key.expiresAt <= new Date())
      return { kind: 'refused', problem: 'API key has expired' };
    if (key.tenantSuspendedAt !== null) return { kind: 'refused', problem: TENANT_SUSPENDED };
    return { kind: 'valid', principal };
  }
  const { tenantId, userId, sessionId } = principal;
  if (userId === null) return { kind: 'refused', problem: 'Sign in first' };
  const access = await db.transact({ tenantId, userId, plantIds: [] }, (tx) =>
    readUserAccess(tx, userId, sessionId, new Date()),
  );
  if (access !== null && !access.session_live)
    return { kind: 'refused', problem: 'Your session has expired; sign in again' };
  if (access === null || !access.active) return { kind: 'refused', problem: 'This account is deactivated' };
  if (!access.tenant_open) return { kind: 'refused', problem: TENANT_SUSPENDED };
  return { kind: 'valid', principal: userPrincipal(tenantId, userId, sessionId, access) };
}

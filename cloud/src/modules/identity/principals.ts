import { isPermission, type Permission, tables } from '@plantline/schema';
import { and, eq, gt, isNull, or, sql } from 'drizzle-orm';
import type { Database, Sql } from '../../db/index.js';
import { rows } from '../../db/index.js';
import { type Principal, scopeOf } from '../../trpc/principal.js';
import { sha256 } from './secrets.js';
import { sessionEndsAt } from './sessions.js';

/** What a user may do: the union of their roles' permissions, and the plants in reach. */
export async function loadUserPrincipal(
  db: Database,
  tenantId: string,
  userId: string,
  sessionId: string | null,
): Promise<Principal | null> {
  return db.transact({ tenantId, userId, plantIds: [] }, async (tx) => {
    const [user] = await tx
      .select({ isActive: tables.users.isActive })
      .from(tables.users)
      .where(eq(tables.users.id, userId));
    if (user === undefined || !user.isActive) return null;
    const permissions = await userPermissions(tx, userId);
    const plantIds = permissions.has('plants.all') ? ('all' as const) : await userPlantIds(tx, userId);
    return { kind: 'user', tenantId, userId, apiKeyId: null, sessionId, permissions, plantIds };
  });
}

async function userPermissions(tx: Sql, userId: string): Promise<Set<Permission>> {
  const granted = await tx
    .selectDistinct({ permission: tables.rolePermissions.permission })
    .from(tables.userRoles)
    .innerJoin(
      tables.rolePermissions,
      and(
        eq(tables.rolePermissions.tenantId, tables.userRoles.tenantId),
        eq(tables.rolePermissions.roleId, tables.userRoles.roleId),
      ),
    )
    .where(eq(tables.userRoles.userId, userId));
  return new Set(granted.map((g) => g.permission).filter(isPermission));
}

async function userPlantIds(tx: Sql, userId: string): Promise<string[]> {
  const granted = await tx
    .select({ plantId: tables.userPlantAccess.plantId })
    .from(tables.userPlantAccess)
    .where(eq(tables.userPlantAccess.userId, userId));
  return granted.map((g) => g.plantId);
}

export type ApiKeyCheck =
  | { kind: 'valid'; principal: Principal }
  | { kind: 'revoked' | 'expired' | 'unknown' };

/** API keys are written last-used at most this often. */
const KEY_TOUCH_INTERVAL_MS = 60_000;

/** An API key's principal: its scopes (a subset of the catalogue) over its plants, never more. */
export async function checkApiKey(db: Database, key: string, now = new Date()): Promise<ApiKeyCheck> {
  const [found] = await db.transact(null, (tx) =>
    rows<{ api_key_id: string; tenant_id: string; expires_at: string | Date | null; revoked_at: unknown }>(
      tx,
      sql`select * from plantline.auth_api_key(${sha256(key)})`,
    ),
  );
  if (found === undefined) return { kind: 'unknown' };
  if (found.revoked_at !== null) return { kind: 'revoked' };
  if (found.expires_at !== null && new Date(found.expires_at) <= now) return { kind: 'expired' };
  const keyId = found.api_key_id;
  return db.transact({ tenantId: found.tenant_id, plantIds: [] }, async (tx) => {
    const [apiKey] = await tx
      .select({ scopes: tables.apiKeys.scopes })
      .from(tables.apiKeys)
      .where(eq(tables.apiKeys.id, keyId));
    const plants = await tx
      .select({ plantId: tables.apiKeyPlants.plantId })
      .from(tables.apiKeyPlants)
      .where(eq(tables.apiKeyPlants.apiKeyId, keyId));
    await tx
      .update(tables.apiKeys)
      .set({ lastUsedAt: now })
      .where(
        and(
          eq(tables.apiKeys.id, keyId),
          or(
            isNull(tables.apiKeys.lastUsedAt),
            gt(
              sql`${now}::timestamptz - ${tables.apiKeys.lastUsedAt}`,
              sql`${KEY_TOUCH_INTERVAL_MS} * interval '1 millisecond'`,
            ),
          ),
        ),
      );
    return {
      kind: 'valid' as const,
      principal: {
        kind: 'api-key' as const,
        tenantId: found.tenant_id,
        userId: null,
        apiKeyId: keyId,
        sessionId: null,
        permissions: new Set((apiKey?.scopes ?? []).filter(isPermission)),
        plantIds: plants.map((p) => p.plantId),
      },
    };
  });
}

export type PrincipalRecheck = { kind: 'valid'; principal: Principal } | { kind: 'refused'; problem: string };

/**
 * A WebSocket context is built once, when the connection opens. Each call on it re-reads what may
 * have changed since, so logout, deactivation, key revocation and role changes apply at once.
 */
export async function recheckPrincipal(db: Database, principal: Principal): Promise<PrincipalRecheck> {
  if (principal.apiKeyId !== null) {
    const apiKeyId = principal.apiKeyId;
    const [key] = await db.transact({ tenantId: principal.tenantId, plantIds: [] }, (tx) =>
      tx
        .select({ revokedAt: tables.apiKeys.revokedAt, expiresAt: tables.apiKeys.expiresAt })
        .from(tables.apiKeys)
        .where(eq(tables.apiKeys.id, apiKeyId)),
    );
    if (key === undefined || key.revokedAt !== null)
      return { kind: 'refused', problem: 'API key has been revoked' };
    if (key.expiresAt !== null && key.expiresAt <= new Date())
      return { kind: 'refused', problem: 'API key has expired' };
    return { kind: 'valid', principal };
  }
  if (principal.userId === null) return { kind: 'refused', problem: 'Sign in first' };
  if (principal.sessionId !== null) {
    const endsAt = await sessionEndsAt(db, scopeOf(principal), principal.sessionId);
    if (endsAt === null) return { kind: 'refused', problem: 'Your session has expired; sign in again' };
  }
  const fresh = await loadUserPrincipal(db, principal.tenantId, principal.userId, principal.sessionId);
  return fresh === null
    ? { kind: 'refused', problem: 'This account is deactivated' }
    : { kind: 'valid', principal: fresh };
}

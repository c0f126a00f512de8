import { isPermission, type Permission, tables } from '@plantline/schema';
import { and, eq, gt, isNull, or, sql } from 'drizzle-orm';
import type { Database, Sql } from '../../db/index.js';
import { rows } from '../../db/index.js';
import type { Principal } from '../../trpc/principal.js';
import { sha256 } from './secrets.js';

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

export async function userPermissions(tx: Sql, userId: string): Promise<Set<Permission>> {
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

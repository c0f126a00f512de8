import { randomBytes } from 'node:crypto';
import { type Permission, tables } from '@plantline/schema';
import { and, asc, desc, eq, inArray, isNull } from 'drizzle-orm';
import type { Sql } from '../../db/index.js';
import { audit, canSeePlant, notFound, type Principal } from '../../platform/index.js';
import { assertCanGrant } from '../rbac/index.js';
import { randomToken, sha256 } from './secrets.js';

/**
 * API keys for edge nodes and integrations: `plk_<prefix>_<secret>`. Only the SHA-256 of the
 * whole key is stored; the key is shown once, at creation. The prefix identifies it in lists.
 */
export async function createApiKey(
  tx: Sql,
  principal: Principal,
  input: { name: string; scopes: Permission[]; plantIds: string[]; expiresAt?: Date | undefined },
) {
  assertCanGrant(principal, input.scopes);
  const plantIds = [...new Set(input.plantIds)];
  const visible = await tx
    .select({ id: tables.plants.id, code: tables.plants.code })
    .from(tables.plants)
    .where(inArray(tables.plants.id, plantIds));
  if (visible.length !== plantIds.length) throw notFound('Plant');

  const prefix = randomBytes(4).toString('hex');
  const key = `plk_${prefix}_${randomToken()}`;
  const [created] = await tx
    .insert(tables.apiKeys)
    .values({
      tenantId: principal.tenantId,
      name: input.name,
      prefix,
      keyHash: sha256(key),
      scopes: [...new Set(input.scopes)],
      createdBy: principal.userId,
      expiresAt: input.expiresAt ?? null,
    })
    .returning({ id: tables.apiKeys.id, createdAt: tables.apiKeys.createdAt });
  await tx
    .insert(tables.apiKeyPlants)
    .values(plantIds.map((plantId) => ({ tenantId: principal.tenantId, apiKeyId: created!.id, plantId })));
  // The prefix names the key in lists and is no secret; the key itself and its hash never enter the
  // trail, which many more people may read than may use the key.
  audit(tx, {
    action: 'api_key.create',
    entityType: 'api_key',
    entityId: created!.id,
    entityLabel: input.name,
    after: {
      name: input.name,
      prefix,
      scopes: [...new Set(input.scopes)].sort(),
      plants: visible.map((p) => p.code).sort(),
      expiresAt: input.expiresAt ?? null,
    },
  });
  return { id: created!.id, prefix, key, createdAt: created!.createdAt };
}

/** A key is in a manager's reach when every plant it may write to is. */
function withinReach(principal: Principal, plantIds: readonly string[]): boolean {
  return plantIds.every((id) => canSeePlant(principal, id));
}

export async function listApiKeys(tx: Sql, principal: Principal) {
  const keys = await tx
    .select({
      id: tables.apiKeys.id,
      name: tables.apiKeys.name,
      prefix: tables.apiKeys.prefix,
      scopes: tables.apiKeys.scopes,
      createdAt: tables.apiKeys.createdAt,
      lastUsedAt: tables.apiKeys.lastUsedAt,
      expiresAt: tables.apiKeys.expiresAt,
      revokedAt: tables.apiKeys.revokedAt,
    })
    .from(tables.apiKeys)
    .orderBy(desc(tables.apiKeys.createdAt));
  const plants = await tx
    .select({ apiKeyId: tables.apiKeyPlants.apiKeyId, plantId: tables.apiKeyPlants.plantId })
    .from(tables.apiKeyPlants);
  return keys
    .map((k) => ({ ...k, plantIds: plants.filter((p) => p.apiKeyId === k.id).map((p) => p.plantId) }))
    .filter((k) => withinReach(principal, k.plantIds));
}

export async function revokeApiKey(tx: Sql, principal: Principal, id: string) {
  const keyPlants = await tx
    .select({ plantId: tables.apiKeyPlants.plantId })
    .from(tables.apiKeyPlants)
    .where(eq(tables.apiKeyPlants.apiKeyId, id));
  if (
    !withinReach(
      principal,
      keyPlants.map((p) => p.plantId),
    )
  )
    throw notFound('API key');
  const [key] = await tx
    .update(tables.apiKeys)
    .set({ revokedAt: new Date() })
    .where(and(eq(tables.apiKeys.id, id), isNull(tables.apiKeys.revokedAt)))
    .returning({ id: tables.apiKeys.id, name: tables.apiKeys.name, revokedAt: tables.apiKeys.revokedAt });
  if (key !== undefined) {
    audit(tx, {
      action: 'api_key.revoke',
      entityType: 'api_key',
      entityId: key.id,
      entityLabel: key.name,
      before: { revokedAt: null },
      after: { revokedAt: key.revokedAt },
    });
    return { id: key.id, revokedAt: key.revokedAt };
  }
  const [existing] = await tx
    .select({ id: tables.apiKeys.id, revokedAt: tables.apiKeys.revokedAt })
    .from(tables.apiKeys)
    .where(eq(tables.apiKeys.id, id));
  if (existing === undefined) throw notFound('API key');
  return existing;
}

/** What an edge node learns about its own key: which tenant, plants and permissions it has. */
export async function describeApiKey(tx: Sql, principal: Principal & { apiKeyId: string }) {
  const [key] = await tx
    .select({ name: tables.apiKeys.name })
    .from(tables.apiKeys)
    .where(eq(tables.apiKeys.id, principal.apiKeyId));
  const [tenant] = await tx.select({ id: tables.tenants.id, name: tables.tenants.name }).from(tables.tenants);
  const plants = await tx
    .select({ id: tables.plants.id, code: tables.plants.code, name: tables.plants.name })
    .from(tables.plants)
    .orderBy(asc(tables.plants.code));
  return {
    keyId: principal.apiKeyId,
    keyName: key!.name,
    tenantId: tenant!.id,
    tenantName: tenant!.name,
    plants,
    permissions: [...principal.permissions].sort(),
  };
}

import { tables } from '@plantline/schema';
import { and, eq, inArray } from 'drizzle-orm';
import type { Sql } from '../../db/index.js';
import { DomainError, notFound, type Principal } from '../../platform/index.js';
import { assertCanGrant } from './grants.js';
import { rolePermissions } from './roles.js';

/**
 * Nobody manages a user who holds more than they do: resetting an administrator's password,
 * deactivating them or changing their roles or plants would be a way to take over (or take away)
 * rights the caller lacks. Ids of another tenant are invisible here and so "not found".
 */
export async function assertMayManageUser(tx: Sql, principal: Principal, userId: string) {
  const [user] = await tx
    .select({ id: tables.users.id })
    .from(tables.users)
    .where(eq(tables.users.id, userId));
  if (user === undefined) throw notFound('User');
  const roles = await tx
    .select({ roleId: tables.userRoles.roleId })
    .from(tables.userRoles)
    .where(eq(tables.userRoles.userId, userId));
  const held = await rolePermissions(
    tx,
    roles.map((r) => r.roleId),
  );
  const missing = held.filter((p) => !principal.permissions.has(p));
  if (missing.length > 0) {
    throw new DomainError('forbidden', `This user holds permissions you do not: ${missing.join(', ')}`);
  }
  const reach = principal.plantIds;
  if (reach !== 'all') {
    const plants = await tx
      .select({ plantId: tables.userPlantAccess.plantId })
      .from(tables.userPlantAccess)
      .where(eq(tables.userPlantAccess.userId, userId));
    if (plants.some((p) => !reach.includes(p.plantId))) {
      throw new DomainError('forbidden', 'This user has access to plants outside your reach');
    }
  }
}

/** Replaces a user's roles. Ids of another tenant are invisible here and so "not found". */
export async function setUserRoles(
  tx: Sql,
  principal: Principal,
  userId: string,
  roleIds: readonly string[],
) {
  await assertMayManageUser(tx, principal, userId);
  const granted = await rolePermissions(tx, roleIds);
  assertCanGrant(principal, granted);
  if (userId === principal.userId) {
    if (!granted.includes('users.manage')) {
      throw new DomainError('forbidden', 'You cannot remove your own right to manage users');
    }
  }
  await tx.delete(tables.userRoles).where(eq(tables.userRoles.userId, userId));
  if (roleIds.length > 0) {
    await tx
      .insert(tables.userRoles)
      .values([...new Set(roleIds)].map((roleId) => ({ tenantId: principal.tenantId, userId, roleId })));
  }
  return { userId, roleIds: [...new Set(roleIds)] };
}

/** Replaces the plants a user may see. The caller can only grant plants they can see themselves. */
export async function setUserPlants(
  tx: Sql,
  principal: Principal,
  userId: string,
  plantIds: readonly string[],
) {
  await assertMayManageUser(tx, principal, userId);
  const unique = [...new Set(plantIds)];
  if (unique.length > 0) {
    const visible = await tx
      .select({ id: tables.plants.id })
      .from(tables.plants)
      .where(inArray(tables.plants.id, unique));
    if (visible.length !== unique.length) throw notFound('Plant');
  }
  await tx.delete(tables.userPlantAccess).where(and(eq(tables.userPlantAccess.userId, userId)));
  if (unique.length > 0) {
    await tx
      .insert(tables.userPlantAccess)
      .values(unique.map((plantId) => ({ tenantId: principal.tenantId, userId, plantId })));
  }
  return { userId, plantIds: unique };
}

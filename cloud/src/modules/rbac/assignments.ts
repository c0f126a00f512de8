import { tables } from '@plantline/schema';
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Sql } from '../../db/index.js';
import { audit, DomainError, notFound, type Principal } from '../../platform/index.js';
import { assertCanGrant } from './grants.js';
import { rolePermissions } from './roles.js';

/** A user as the audit trail names them: by id, labelled with the email they sign in with. */
export interface ManagedUser {
  id: string;
  email: string;
}

/**
 * Nobody manages a user who holds more than they do: resetting an administrator's password,
 * deactivating them or changing their roles or plants would be a way to take over (or take away)
 * rights the caller lacks. Ids of another tenant are invisible here and so "not found".
 */
export async function assertMayManageUser(
  tx: Sql,
  principal: Principal,
  userId: string,
): Promise<ManagedUser> {
  const [user] = await tx
    .select({ id: tables.users.id, email: tables.users.email })
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
  return user;
}

/** What a replacement of a user's roles or plants changed, as the audit trail reads it. */
export interface AssignmentChange {
  user: ManagedUser;
  /** Role keys or plant codes before and after, sorted. */
  before: string[];
  after: string[];
}

/**
 * Replaces a user's roles, without an audit entry of its own: setUserRoles records it, and a new
 * user's creation entry names the roles it started with. Ids of another tenant are invisible here
 * and so "not found".
 */
export async function replaceUserRoles(
  tx: Sql,
  principal: Principal,
  userId: string,
  roleIds: readonly string[],
): Promise<AssignmentChange> {
  const user = await assertMayManageUser(tx, principal, userId);
  const granted = await rolePermissions(tx, roleIds);
  assertCanGrant(principal, granted);
  if (userId === principal.userId) {
    if (!granted.includes('users.manage')) {
      throw new DomainError('forbidden', 'You cannot remove your own right to manage users');
    }
  }
  const before = await roleKeysOf(tx, userId);
  await tx.delete(tables.userRoles).where(eq(tables.userRoles.userId, userId));
  if (roleIds.length > 0) {
    await tx
      .insert(tables.userRoles)
      .values([...new Set(roleIds)].map((roleId) => ({ tenantId: principal.tenantId, userId, roleId })));
  }
  return { user, before, after: await roleKeysOf(tx, userId) };
}

/** Replaces a user's roles and records the change (role keys, old → new). */
export async function setUserRoles(
  tx: Sql,
  principal: Principal,
  userId: string,
  roleIds: readonly string[],
) {
  const change = await replaceUserRoles(tx, principal, userId, roleIds);
  auditAssignment(tx, 'user.roles-change', 'roles', change);
  return { userId, roleIds: [...new Set(roleIds)] };
}

/**
 * Replaces the plants a user may see, without an audit entry of its own (as replaceUserRoles). The
 * caller can only grant plants they can see themselves.
 */
export async function replaceUserPlants(
  tx: Sql,
  principal: Principal,
  userId: string,
  plantIds: readonly string[],
): Promise<AssignmentChange> {
  const user = await assertMayManageUser(tx, principal, userId);
  const unique = [...new Set(plantIds)];
  if (unique.length > 0) {
    const visible = await tx
      .select({ id: tables.plants.id })
      .from(tables.plants)
      .where(inArray(tables.plants.id, unique));
    if (visible.length !== unique.length) throw notFound('Plant');
  }
  const before = await plantCodesOf(tx, userId);
  await tx.delete(tables.userPlantAccess).where(and(eq(tables.userPlantAccess.userId, userId)));
  if (unique.length > 0) {
    await tx
      .insert(tables.userPlantAccess)
      .values(unique.map((plantId) => ({ tenantId: principal.tenantId, userId, plantId })));
  }
  return { user, before, after: await plantCodesOf(tx, userId) };
}

/** Replaces the plants a user may see and records the change (plant codes, old → new). */
export async function setUserPlants(
  tx: Sql,
  principal: Principal,
  userId: string,
  plantIds: readonly string[],
) {
  const change = await replaceUserPlants(tx, principal, userId, plantIds);
  auditAssignment(tx, 'user.plant-access-change', 'plants', change);
  return { userId, plantIds: [...new Set(plantIds)] };
}

function auditAssignment(tx: Sql, action: string, field: 'roles' | 'plants', change: AssignmentChange) {
  audit(tx, {
    action,
    entityType: 'user',
    entityId: change.user.id,
    entityLabel: change.user.email,
    before: { [field]: change.before },
    after: { [field]: change.after },
  });
}

/** A user's role keys, sorted: readable in the trail where ids would need a lookup. */
async function roleKeysOf(tx: Sql, userId: string): Promise<string[]> {
  const held = await tx
    .select({ key: tables.roles.key })
    .from(tables.userRoles)
    .innerJoin(
      tables.roles,
      and(eq(tables.roles.tenantId, tables.userRoles.tenantId), eq(tables.roles.id, tables.userRoles.roleId)),
    )
    .where(eq(tables.userRoles.userId, userId))
    .orderBy(asc(tables.roles.key));
  return held.map((r) => r.key);
}

/** The codes of the plants granted to a user, sorted. */
async function plantCodesOf(tx: Sql, userId: string): Promise<string[]> {
  const granted = await tx
    .select({ code: tables.plants.code })
    .from(tables.userPlantAccess)
    .innerJoin(
      tables.plants,
      and(
        eq(tables.plants.tenantId, tables.userPlantAccess.tenantId),
        eq(tables.plants.id, tables.userPlantAccess.plantId),
      ),
    )
    .where(eq(tables.userPlantAccess.userId, userId))
    .orderBy(asc(tables.plants.code));
  return granted.map((p) => p.code);
}

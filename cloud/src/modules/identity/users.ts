import { tables } from '@plantline/schema';
import { and, asc, eq } from 'drizzle-orm';
import type { Sql } from '../../db/index.js';
import { audit, DomainError, notFound, type Principal } from '../../platform/index.js';
import { assertMayManageUser, replaceUserPlants, replaceUserRoles } from '../rbac/index.js';
import { hashPassword } from './passwords.js';
import { revokeUserSessions } from './sessions.js';

const userColumns = {
  id: tables.users.id,
  email: tables.users.email,
  displayName: tables.users.displayName,
  isActive: tables.users.isActive,
  lastLoginAt: tables.users.lastLoginAt,
  createdAt: tables.users.createdAt,
};

export async function listUsers(tx: Sql) {
  const users = await tx.select(userColumns).from(tables.users).orderBy(asc(tables.users.displayName));
  const roles = await tx
    .select({ userId: tables.userRoles.userId, roleId: tables.userRoles.roleId })
    .from(tables.userRoles);
  const plants = await tx
    .select({ userId: tables.userPlantAccess.userId, plantId: tables.userPlantAccess.plantId })
    .from(tables.userPlantAccess);
  // Whoever holds plants.all through a role sees every plant, whatever their own grants say.
  const everyPlant = await tx
    .selectDistinct({ userId: tables.userRoles.userId })
    .from(tables.userRoles)
    .innerJoin(
      tables.rolePermissions,
      and(
        eq(tables.rolePermissions.tenantId, tables.userRoles.tenantId),
        eq(tables.rolePermissions.roleId, tables.userRoles.roleId),
      ),
    )
    .where(eq(tables.rolePermissions.permission, 'plants.all'));
  const allPlants = new Set(everyPlant.map((r) => r.userId));
  return users.map((u) => ({
    ...u,
    roleIds: roles.filter((r) => r.userId === u.id).map((r) => r.roleId),
    plantIds: plants.filter((p) => p.userId === u.id).map((p) => p.plantId),
    allPlants: allPlants.has(u.id),
  }));
}

export interface NewUser {
  email: string;
  displayName: string;
  password: string;
  roleIds: string[];
  plantIds: string[];
}

/** A new user, with the roles and plants they start with in its one audit entry. */
export async function createUser(tx: Sql, principal: Principal, input: NewUser) {
  const [user] = await tx
    .insert(tables.users)
    .values({
      tenantId: principal.tenantId,
      email: input.email,
      displayName: input.displayName,
      passwordHash: await hashPassword(input.password),
    })
    .onConflictDoNothing()
    .returning({ id: tables.users.id, email: tables.users.email, displayName: tables.users.displayName });
  if (user === undefined) {
    throw new DomainError('conflict', 'A user with this email already exists', { email: 'Already in use' });
  }
  const roles = await replaceUserRoles(tx, principal, user.id, input.roleIds);
  const plants = await replaceUserPlants(tx, principal, user.id, input.plantIds);
  audit(tx, {
    action: 'user.create',
    entityType: 'user',
    entityId: user.id,
    entityLabel: user.email,
    // The password is neither recorded nor hinted at: only that the user has one.
    after: {
      email: user.email,
      displayName: user.displayName,
      active: true,
      roles: roles.after,
      plants: plants.after,
    },
  });
  return { id: user.id };
}

/**
 * A change of name is `user.update`; a change of standing is `user.deactivate` or
 * `user.reactivate`, so the trail can be filtered for who lost or regained access.
 */
export async function updateUser(
  tx: Sql,
  principal: Principal,
  input: { id: string; displayName?: string | undefined; isActive?: boolean | undefined },
) {
  if (input.id === principal.userId && input.isActive === false) {
    throw new DomainError('forbidden', 'You cannot deactivate yourself');
  }
  await assertMayManageUser(tx, principal, input.id);
  const [before] = await tx.select(userColumns).from(tables.users).where(eq(tables.users.id, input.id));
  if (before === undefined) throw notFound('User');
  const [user] = await tx
    .update(tables.users)
    .set({
      ...(input.displayName === undefined ? {} : { displayName: input.displayName }),
      ...(input.isActive === undefined ? {} : { isActive: input.isActive }),
      updatedAt: new Date(),
    })
    .where(eq(tables.users.id, input.id))
    .returning(userColumns);
  if (user === undefined) throw notFound('User');
  const entry = { entityType: 'user', entityId: user.id, entityLabel: user.email };
  audit(tx, {
    ...entry,
    action: 'user.update',
    before: { email: before.email, displayName: before.displayName },
    after: { email: user.email, displayName: user.displayName },
  });
  if (before.isActive !== user.isActive) {
    audit(tx, {
      ...entry,
      action: user.isActive ? 'user.reactivate' : 'user.deactivate',
      before: { active: before.isActive },
      after: { active: user.isActive },
    });
  }
  if (input.isActive === false) await revokeUserSessions(tx, user.id);
  return user;
}

/**
 * An administrator sets a new password; every session of that user ends. The entry says that the
 * password changed and by whom, never what it was or is, nor its hash: whoever may read the trail
 * must not learn a credential from it.
 */
export async function resetPassword(tx: Sql, principal: Principal, input: { id: string; password: string }) {
  await assertMayManageUser(tx, principal, input.id);
  const [user] = await tx
    .update(tables.users)
    .set({ passwordHash: await hashPassword(input.password), updatedAt: new Date() })
    .where(eq(tables.users.id, input.id))
    .returning({ id: tables.users.id, email: tables.users.email });
  if (user === undefined) throw notFound('User');
  await revokeUserSessions(tx, user.id);
  audit(tx, {
    action: 'user.password-change',
    entityType: 'user',
    entityId: user.id,
    entityLabel: user.email,
    before: { password: '(previous)' },
    after: { password: '(new, set by an administrator)' },
  });
  return { id: user.id };
}

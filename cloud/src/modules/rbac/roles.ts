import { type Permission, permissionCatalogue, tables } from '@plantline/schema';
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Sql } from '../../db/index.js';
import { audit, DomainError, notFound, type Principal } from '../../platform/index.js';
import { assertCanGrant } from './grants.js';

export function listPermissionCatalogue() {
  return permissionCatalogue.map((p) => ({ ...p }));
}

export async function listRoles(tx: Sql) {
  const roles = await tx
    .select({
      id: tables.roles.id,
      key: tables.roles.key,
      name: tables.roles.name,
      description: tables.roles.description,
      builtin: tables.roles.builtin,
    })
    .from(tables.roles)
    .orderBy(asc(tables.roles.name));
  const grants = await tx
    .select({ roleId: tables.rolePermissions.roleId, permission: tables.rolePermissions.permission })
    .from(tables.rolePermissions);
  return roles.map((role) => ({
    ...role,
    permissions: grants
      .filter((g) => g.roleId === role.id)
      .map((g) => g.permission)
      .sort(),
  }));
}

export async function rolePermissions(tx: Sql, roleIds: readonly string[]): Promise<Permission[]> {
  if (roleIds.length === 0) return [];
  const found = await tx
    .select({ id: tables.roles.id })
    .from(tables.roles)
    .where(inArray(tables.roles.id, [...roleIds]));
  if (found.length !== new Set(roleIds).size) throw notFound('Role');
  const grants = await tx
    .selectDistinct({ permission: tables.rolePermissions.permission })
    .from(tables.rolePermissions)
    .where(inArray(tables.rolePermissions.roleId, [...roleIds]));
  return grants.map((g) => g.permission as Permission);
}

export async function createRole(
  tx: Sql,
  principal: Principal,
  input: { key: string; name: string; description: string; permissions: Permission[] },
) {
  assertCanGrant(principal, input.permissions);
  const [role] = await tx
    .insert(tables.roles)
    .values({
      tenantId: principal.tenantId,
      key: input.key,
      name: input.name,
      description: input.description,
    })
    .returning({ id: tables.roles.id });
  await replacePermissions(tx, principal.tenantId, role!.id, input.permissions);
  audit(tx, {
    action: 'role.create',
    entityType: 'role',
    entityId: role!.id,
    entityLabel: input.key,
    after: await auditedRole(tx, role!.id),
  });
  return { id: role!.id };
}

export async function updateRole(
  tx: Sql,
  principal: Principal,
  input: {
    id: string;
    name?: string | undefined;
    description?: string | undefined;
    permissions?: Permission[] | undefined;
  },
) {
  const role = await findRole(tx, input.id);
  const before = await auditedRole(tx, role.id);
  if (input.permissions !== undefined) {
    if (role.key === 'admin' && role.builtin) {
      throw new DomainError('forbidden', 'The Administrator role always holds every permission');
    }
    assertCanGrant(principal, input.permissions);
    await replacePermissions(tx, principal.tenantId, role.id, input.permissions);
  }
  const patch = {
    ...(input.name === undefined ? {} : { name: input.name }),
    ...(input.description === undefined ? {} : { description: input.description }),
  };
  if (Object.keys(patch).length > 0)
    await tx.update(tables.roles).set(patch).where(eq(tables.roles.id, role.id));
  audit(tx, {
    action: 'role.update',
    entityType: 'role',
    entityId: role.id,
    entityLabel: role.key,
    before,
    after: await auditedRole(tx, role.id),
  });
  return { id: role.id };
}

/** The role goes, and with it every user's assignment of it: the entry names who held it. */
export async function deleteRole(tx: Sql, id: string) {
  const role = await findRole(tx, id);
  if (role.builtin) throw new DomainError('forbidden', 'Built-in roles can be edited but not deleted');
  const before = await auditedRole(tx, role.id);
  const holders = await tx
    .select({ email: tables.users.email })
    .from(tables.userRoles)
    .innerJoin(
      tables.users,
      and(eq(tables.users.tenantId, tables.userRoles.tenantId), eq(tables.users.id, tables.userRoles.userId)),
    )
    .where(eq(tables.userRoles.roleId, role.id))
    .orderBy(asc(tables.users.email));
  await tx.delete(tables.roles).where(eq(tables.roles.id, id));
  audit(tx, {
    action: 'role.delete',
    entityType: 'role',
    entityId: role.id,
    entityLabel: role.key,
    before: { ...before, heldBy: holders.map((h) => h.email) },
  });
  return { id };
}

/** A role as the audit trail records it: its readable fields and its permissions, sorted. */
async function auditedRole(tx: Sql, roleId: string) {
  const [role] = await tx
    .select({ key: tables.roles.key, name: tables.roles.name, description: tables.roles.description })
    .from(tables.roles)
    .where(eq(tables.roles.id, roleId));
  const grants = await tx
    .select({ permission: tables.rolePermissions.permission })
    .from(tables.rolePermissions)
    .where(eq(tables.rolePermissions.roleId, roleId));
  return { ...role, permissions: grants.map((g) => g.permission).sort() };
}

async function findRole(tx: Sql, id: string) {
  const [role] = await tx
    .select({ id: tables.roles.id, key: tables.roles.key, builtin: tables.roles.builtin })
    .from(tables.roles)
    .where(eq(tables.roles.id, id));
  if (role === undefined) throw notFound('Role');
  return role;
}

async function replacePermissions(
  tx: Sql,
  tenantId: string,
  roleId: string,
  permissions: readonly Permission[],
) {
  await tx.delete(tables.rolePermissions).where(and(eq(tables.rolePermissions.roleId, roleId)));
  const unique = [...new Set(permissions)];
  if (unique.length > 0) {
    await tx
      .insert(tables.rolePermissions)
      .values(unique.map((permission) => ({ tenantId, roleId, permission })));
  }
}

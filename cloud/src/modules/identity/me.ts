import { tables } from '@plantline/schema';
import { asc, eq } from 'drizzle-orm';
import type { Sql } from '../../db/index.js';
import type { Principal } from '../../platform/index.js';

/** The signed-in user as the UI needs it: who, where, which roles, what they may do and see. */
export async function describeMe(tx: Sql, principal: Principal & { userId: string }) {
  const [user] = await tx
    .select({ id: tables.users.id, email: tables.users.email, displayName: tables.users.displayName })
    .from(tables.users)
    .where(eq(tables.users.id, principal.userId));
  const [tenant] = await tx.select({ id: tables.tenants.id, name: tables.tenants.name }).from(tables.tenants);
  const roles = await tx
    .select({ key: tables.roles.key })
    .from(tables.userRoles)
    .innerJoin(tables.roles, eq(tables.roles.id, tables.userRoles.roleId))
    .where(eq(tables.userRoles.userId, principal.userId))
    .orderBy(asc(tables.roles.key));
  // Row-level security limits this to the plants in the caller's scope.
  const plants = await tx
    .select({
      id: tables.plants.id,
      code: tables.plants.code,
      name: tables.plants.name,
      timezone: tables.plants.timezone,
    })
    .from(tables.plants)
    .orderBy(asc(tables.plants.code));
  return {
    user: user!,
    tenant: tenant!,
    roles: roles.map((r) => r.key),
    permissions: [...principal.permissions].sort(),
    plants,
  };
}

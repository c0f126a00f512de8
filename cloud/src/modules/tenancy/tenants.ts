import { randomUUID } from 'node:crypto';
import { builtinRoles, tables } from '@plantline/schema';
import type { Database } from '../../db/index.js';
import { audit } from '../../platform/index.js';
import { installShippedDashboards } from '../dashboards/index.js';
import { hashPassword } from '../identity/index.js';
import { auditSaved } from '../masterdata/index.js';
import { createDefaultStateMapping } from '../production/index.js';
import { installDefaultWorkflows, type WorkflowEntities } from '../workflow/index.js';

export interface NewTenant {
  name: string;
  slug: string;
  /** Each plant with its ship-from address and GLN where known (columns of `plants`). */
  plants: {
    code: string;
    name: string;
    timezone: string;
    street?: string;
    postalCode?: string;
    city?: string;
    country?: string;
    gln?: string | null;
  }[];
  admin: { email: string; displayName: string; password: string };
}

export interface CreatedTenant {
  tenantId: string;
  plantIds: string[];
  adminUserId: string;
  roleIds: Record<string, string>;
}

export interface NewTenantOptions {
  /** The app's record types (AppDeps.workflowEntities): those with a default workflow get it. */
  workflowEntities?: WorkflowEntities;
}

/**
 * A tenant with its plants, the built-in roles, a first administrator, the default state mapping
 * and, given the app's record types, the default workflows (docs/workflows.md), in one transaction,
 * recorded in the new tenant's audit trail.
 * Runs as the owner (the application role may not create tenants) but inside the new tenant's
 * scope, since the forced policies bind every writer.
 */
export async function createTenant(
  db: Database,
  input: NewTenant,
  options: NewTenantOptions = {},
): Promise<CreatedTenant> {
  const tenantId = randomUUID();
  const passwordHash = await hashPassword(input.admin.password);
  return db.ownerTransact({ tenantId, plantIds: 'all' }, async (tx) => {
    await tx.insert(tables.tenants).values({ id: tenantId, name: input.name, slug: input.slug });
    const plants = await tx
      .insert(tables.plants)
      .values(input.plants.map((p) => ({ ...p, tenantId })))
      .returning({ id: tables.plants.id });
    const roles = await tx
      .insert(tables.roles)
      .values(
        builtinRoles.map((r) => ({
          tenantId,
          key: r.key,
          name: r.name,
          description: r.description,
          builtin: true,
        })),
      )
      .returning({ id: tables.roles.id, key: tables.roles.key });
    const roleIds = Object.fromEntries(roles.map((r) => [r.key, r.id]));
    const grants = builtinRoles.flatMap((r) =>
      r.permissions.map((permission) => ({ tenantId, roleId: roleIds[r.key]!, permission })),
    );
    await tx.insert(tables.rolePermissions).values(grants);
    // What each built-in role was offered, so a later release grants only what is new (db/builtin-roles.ts).
    await tx.insert(tables.rolePermissionOffers).values(grants);
    const [admin] = await tx
      .insert(tables.users)
      .values({ tenantId, email: input.admin.email, displayName: input.admin.displayName, passwordHash })
      .returning({ id: tables.users.id });
    await tx.insert(tables.userRoles).values({ tenantId, userId: admin!.id, roleId: roleIds.admin! });
    // The tenant's trail starts with its own making, by the system (docs/audit.md).
    audit(tx, {
      action: 'tenant.create',
      entityType: 'tenant',
      entityId: tenantId,
      entityLabel: input.name,
      after: { name: input.name, slug: input.slug },
    });
    for (const plant of plants) await auditSaved(tx, 'plant', plant.id, null);
    for (const role of builtinRoles) {
      audit(tx, {
        action: 'role.create',
        entityType: 'role',
        entityId: roleIds[role.key]!,
        entityLabel: role.key,
        after: {
          key: role.key,
          name: role.name,
          description: role.description,
          permissions: [...role.permissions].sort(),
        },
      });
    }
    audit(tx, {
      action: 'user.create',
      entityType: 'user',
      entityId: admin!.id,
      entityLabel: input.admin.email,
      after: {
        email: input.admin.email,
        displayName: input.admin.displayName,
        active: true,
        roles: ['admin'],
        plants: [],
      },
    });
    // OEE means nothing until state codes map to loss buckets (docs/kpis.md): one insert, editable
    // later.
    await createDefaultStateMapping(tx, tenantId);
    if (options.workflowEntities !== undefined)
      await installDefaultWorkflows(tx, { tenantId, plantIds: 'all' }, options.workflowEntities);
    await installShippedDashboards(tx, tenantId);
    return { tenantId, plantIds: plants.map((p) => p.id), adminUserId: admin!.id, roleIds };
  });
}

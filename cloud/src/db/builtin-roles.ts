import { builtinRoles, type Permission } from '@plantline/schema';
import { sql } from 'drizzle-orm';
import { audit } from '../platform/index.js';
import type { Database, Sql } from './database.js';
import { rows } from './rows.js';

/*
 * Built-in roles grow with the product: a release that adds a permission to the catalogue and to a
 * built-in role's definition (schema/src/permissions.ts) grants it to that role in every existing
 * tenant — once. `role_permission_offers` remembers what each built-in role has been offered, so a
 * permission a tenant later took away is not granted again, and a built-in role new in this release
 * is created with its whole definition. Every grant is on the tenant's audit trail, by the system
 * (docs/security.md, "Roles and permissions").
 */

interface RoleRow {
  id: string;
  key: string;
  offered: Permission[];
  holds: Permission[];
}

/**
 * Runs after the catalogue's keys are in `permissions`. `knownBefore`: the keys the table held
 * before this start — what a built-in role created by an earlier release was already offered when
 * offers were not yet recorded.
 */
export async function offerBuiltinPermissions(database: Database, knownBefore: ReadonlySet<string>) {
  const tenants = await database.ownerTransact(null, (tx) =>
    rows<{ id: string }>(tx, sql`select id from tenants order by created_at`),
  );
  for (const { id: tenantId } of tenants) {
    await database.ownerTransact({ tenantId, plantIds: 'all' }, (tx) =>
      offerInTenant(tx, tenantId, knownBefore),
    );
  }
}

async function offerInTenant(tx: Sql, tenantId: string, knownBefore: ReadonlySet<string>) {
  const existing = await builtinRoleRows(tx);
  const existingKeys = new Set(existing.map((r) => r.key));
  for (const role of builtinRoles) {
    if (existingKeys.has(role.key)) continue;
    // A custom role may already use the key: then the tenant keeps theirs and gets no new one.
    const [created] = await rows<{ id: string }>(
      tx,
      sql`insert into roles (tenant_id, key, name, description, builtin)
          values (${tenantId}::uuid, ${role.key}, ${role.name}, ${role.description}, true)
          on conflict (tenant_id, key) do nothing returning id`,
    );
    if (created === undefined) continue;
    audit(tx, {
      action: 'role.create',
      entityType: 'role',
      entityId: created.id,
      entityLabel: role.key,
      after: { key: role.key, name: role.name, description: role.description, permissions: [] },
    });
  }
  for (const row of await builtinRoleRows(tx)) {
    const definition = builtinRoles.find((r) => r.key === row.key);
    // The administrator holds the whole catalogue anyway (db/open.ts).
    if (definition === undefined || definition.key === 'admin') continue;
    // A role from before offers were recorded was offered its definition as the catalogue then stood.
    const offered = new Set<string>(
      row.offered.length > 0 || !existingKeys.has(row.key)
        ? row.offered
        : definition.permissions.filter((p) => knownBefore.has(p)),
    );
    const fresh = definition.permissions.filter((p) => !offered.has(p));
    const toGrant = fresh.filter((p) => !row.holds.includes(p));
    if (toGrant.length > 0) {
      await tx.execute(sql`
        insert into role_permissions (tenant_id, role_id, permission)
        select ${tenantId}::uuid, ${row.id}::uuid, unnest(${sql.param(toGrant)}::text[])
        on conflict do nothing`);
      audit(tx, {
        action: 'role.update',
        entityType: 'role',
        entityId: row.id,
        entityLabel: row.key,
        before: { permissions: [...row.holds].sort() },
        after: { permissions: [...row.holds, ...toGrant].sort() },
        reason: 'Permissions new in this release, granted to the built-in role once',
      });
    }
    const record = [...offered, ...fresh].filter((p) => !row.offered.includes(p as Permission));
    if (record.length > 0) {
      await tx.execute(sql`
        insert into role_permission_offers (tenant_id, role_id, permission)
        select ${tenantId}::uuid, ${row.id}::uuid, unnest(${sql.param(record)}::text[])
        on conflict do nothing`);
    }
  }
}

function builtinRoleRows(tx: Sql): Promise<RoleRow[]> {
  return rows<RoleRow>(
    tx,
    sql`select r.id::text as id, r.key,
               array(select o.permission from role_permission_offers o
                      where o.tenant_id = r.tenant_id and o.role_id = r.id) as offered,
               array(select p.permission from role_permissions p
                      where p.tenant_id = r.tenant_id and p.role_id = r.id) as holds
          from roles r where r.builtin order by r.key`,
  );
}

import { createHash } from 'node:crypto';
import { allPermissions, BUILTIN_ROLES_HASH_KEY, builtinRoles, type Permission } from '@plantline/schema';
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
 *
 * This runs at every start, for every tenant. A tenant whose roles were offered the catalogue and
 * definitions as they stand — their hash is in its settings row under BUILTIN_ROLES_HASH_KEY — is
 * skipped: an unchanged start reads one row per tenant in one query and writes nothing.
 */

/** A built-in role as offerBuiltinPermissions takes it (the schema's `builtinRoles` unless a test says). */
export interface BuiltinRoleDefinition {
  key: string;
  name: string;
  description: string;
  permissions: readonly Permission[];
}

interface RoleRow {
  id: string;
  key: string;
  offered: Permission[];
  holds: Permission[];
}

/** The catalogue and the built-in roles' definitions as one SHA-256: what changes with a release. */
export function builtinRolesHash(
  definitions: readonly BuiltinRoleDefinition[] = builtinRoles,
  catalogue: readonly string[] = allPermissions,
): string {
  const canonical = JSON.stringify({
    catalogue: [...catalogue].sort(),
    roles: [...definitions]
      .sort((a, b) => a.key.localeCompare(b.key))
      .map((role) => [role.key, role.name, role.description, [...role.permissions].sort()]),
  });
  return createHash('sha256').update(canonical).digest('hex');
}

/**
 * Runs after the catalogue's keys are in `permissions`. `knownBefore`: the keys the table held
 * before this start — what a built-in role created by an earlier release was already offered when
 * offers were not yet recorded. Answers which tenants it offered to; the others were current.
 */
export async function offerBuiltinPermissions(
  database: Database,
  knownBefore: ReadonlySet<string>,
  definitions: readonly BuiltinRoleDefinition[] = builtinRoles,
): Promise<{ offered: string[]; current: number }> {
  const hash = builtinRolesHash(definitions);
  const tenants = await database.ownerTransact(null, (tx) =>
    rows<{ id: string; hash: string | null }>(
      tx,
      sql`select t.id, s.settings ->> ${BUILTIN_ROLES_HASH_KEY} as hash
            from tenants t left join system_settings s on s.tenant_id = t.id
           order by t.created_at`,
    ),
  );
  const stale = tenants.filter((tenant) => tenant.hash !== hash);
  for (const { id: tenantId } of stale) {
    await database.ownerTransact({ tenantId, plantIds: 'all' }, async (tx) => {
      await offerInTenant(tx, tenantId, knownBefore, definitions);
      await recordOffered(tx, tenantId, hash);
    });
  }
  return { offered: stale.map((tenant) => tenant.id), current: tenants.length - stale.length };
}

/**
 * Keeps the hash in the tenant's settings row without touching its settings or version: a tenant
 * that never saved its settings gets a row at version 0, which the settings module reads as never
 * saved (cloud/src/modules/settings/settings.ts).
 */
async function recordOffered(tx: Sql, tenantId: string, hash: string) {
  await tx.execute(sql`
    insert into system_settings as s (tenant_id, settings, version)
    values (${tenantId}::uuid, jsonb_build_object(${BUILTIN_ROLES_HASH_KEY}::text, ${hash}::text), 0)
    on conflict (tenant_id) do update set settings = s.settings || excluded.settings`);
}

async function offerInTenant(
  tx: Sql,
  tenantId: string,
  knownBefore: ReadonlySet<string>,
  definitions: readonly BuiltinRoleDefinition[],
) {
  const existing = await builtinRoleRows(tx, tenantId);
  const existingKeys = new Set(existing.map((r) => r.key));
  for (const role of definitions) {
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
  for (const row of await builtinRoleRows(tx, tenantId)) {
    const definition = definitions.find((r) => r.key === row.key);
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

/**
 * The tenant's built-in roles. Named by tenant and not left to row-level security: the owner
 * connection this runs on may bypass it (a superuser does), and a grant must never name another
 * tenant's role.
 */
function builtinRoleRows(tx: Sql, tenantId: string): Promise<RoleRow[]> {
  return rows<RoleRow>(
    tx,
    sql`select r.id::text as id, r.key,
               array(select o.permission from role_permission_offers o
                      where o.tenant_id = r.tenant_id and o.role_id = r.id) as offered,
               array(select p.permission from role_permissions p
                      where p.tenant_id = r.tenant_id and p.role_id = r.id) as holds
          from roles r where r.tenant_id = ${tenantId}::uuid and r.builtin order by r.key`,
  );
}

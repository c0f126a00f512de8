import { allPermissions, BUILTIN_ROLES_HASH_KEY, builtinRoles } from '@plantline/schema';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSettingsRecord, updateSettings } from '../modules/settings/index.js';
import { createTenant } from '../modules/tenancy/index.js';
import { type TestDatabase, testEngines } from '../testing/engines.js';
import { builtinRolesHash, offerBuiltinPermissions } from './builtin-roles.js';
import { rows } from './index.js';

/*
 * A release that adds permissions to built-in roles grants them to existing tenants once
 * (builtin-roles.ts, docs/security.md, "Roles and permissions"); a start with nothing new skips every
 * tenant and writes nothing.
 */
describe.each(testEngines)('built-in roles across releases ($name engine)', (engine) => {
  let database: TestDatabase;
  let tenantId: string;
  const operator = builtinRoles.find((r) => r.key === 'operator')!;

  beforeAll(async () => {
    database = await engine.create();
    const tenant = await createTenant(database.db, {
      name: 'Releases',
      slug: `releases-${engine.name}`,
      plants: [{ code: 'P1', name: 'Plant 1', timezone: 'UTC' }],
      admin: {
        email: `admin-${engine.name}@releases.test.plantline.local`,
        displayName: 'Admin',
        password: 'a-long-password-1',
      },
    });
    tenantId = tenant.tenantId;
  });
  afterAll(() => database.drop());

  const inTenant = <T>(query: ReturnType<typeof sql>) =>
    database.db.ownerTransact({ tenantId, plantIds: 'all' }, (tx) => rows<T>(tx, query));
  /** As a tenant last offered by an older release: its stored hash no longer matches. */
  const forgetOffered = () =>
    inTenant(sql`update system_settings set settings = settings - ${BUILTIN_ROLES_HASH_KEY}::text`);
  const holds = async (key: string) =>
    (
      await inTenant<{ permission: string }>(
        sql`select p.permission from role_permissions p join roles r on r.id = p.role_id
             where r.key = ${key} order by 1`,
      )
    ).map((r) => r.permission);

  it('records a new tenant’s built-in roles as offered their whole definitions', async () => {
    const [offers] = await inTenant<{ n: number }>(
      sql`select count(*)::int as n from role_permission_offers o join roles r on r.id = o.role_id
           where r.key = 'operator'`,
    );
    expect(offers?.n).toBe(operator.permissions.length);
    await offerBuiltinPermissions(database.db, new Set());
    expect(await holds('operator')).toEqual([...operator.permissions].sort());
  });

  it('grants what a release adds once, never again after the tenant removed it, and audits it', async () => {
    // As a tenant from before offers were recorded whose operators lack `kpi.read` (new then) and
    // `events.read` (which the tenant removed): only the new one is granted.
    await inTenant(sql`delete from role_permission_offers`);
    await forgetOffered();
    await inTenant(
      sql`delete from role_permissions p using roles r
           where r.id = p.role_id and r.key = 'operator' and p.permission in ('kpi.read', 'events.read')`,
    );
    const known = new Set(operator.permissions.filter((p) => p !== 'kpi.read'));
    await offerBuiltinPermissions(database.db, known);
    const granted = await holds('operator');
    expect(granted).toContain('kpi.read');
    expect(granted).not.toContain('events.read');

    // Taken away again by the tenant, it stays away at the next start.
    await inTenant(
      sql`delete from role_permissions p using roles r
           where r.id = p.role_id and r.key = 'operator' and p.permission = 'kpi.read'`,
    );
    await forgetOffered();
    await offerBuiltinPermissions(database.db, new Set(operator.permissions));
    expect(await holds('operator')).not.toContain('kpi.read');

    const trail = await inTenant<{ action: string; reason: string | null }>(
      sql`select action, reason from audit_log where entity_label = 'operator' order by seq`,
    );
    expect(trail.at(-1)).toEqual({
      action: 'role.update',
      reason: 'Permissions new in this release, granted to the built-in role once',
    });
  });

  it('creates a built-in role new in a release with its whole definition', async () => {
    await inTenant(sql`delete from roles where key = 'executive'`);
    await forgetOffered();
    await offerBuiltinPermissions(database.db, new Set(builtinRoles.flatMap((r) => r.permissions)));
    const executive = builtinRoles.find((r) => r.key === 'executive')!;
    expect(await holds('executive')).toEqual([...executive.permissions].sort());
  });

  it('skips every tenant on a start with nothing new, writing nothing', async () => {
    await offerBuiltinPermissions(database.db, new Set(allPermissions));
    const state = () =>
      inTenant<{ what: string; n: number; xmins: string }>(
        sql`select 'offers' as what, count(*)::int as n, coalesce(string_agg(xmin::text, ',' order by xmin::text), '') as xmins
              from role_permission_offers
            union all
            select 'grants', count(*)::int, coalesce(string_agg(xmin::text, ',' order by xmin::text), '')
              from role_permissions
            union all
            select 'roles', count(*)::int, coalesce(string_agg(xmin::text, ',' order by xmin::text), '') from roles
            union all
            select 'settings', count(*)::int, coalesce(string_agg(xmin::text, ','), '') from system_settings
            union all
            select 'audit', count(*)::int, '' from audit_log`,
      );
    const before = await state();
    const again = await offerBuiltinPermissions(database.db, new Set(allPermissions));
    expect(again.offered).toEqual([]);
    expect(again.current).toBeGreaterThanOrEqual(1);
    expect(await state()).toEqual(before);
  });

  it('reaches every tenant when the catalogue or a built-in role changes, once', async () => {
    const second = await createTenant(database.db, {
      name: 'Releases two',
      slug: `releases-two-${engine.name}`,
      plants: [{ code: 'P1', name: 'Plant 1', timezone: 'UTC' }],
      admin: {
        email: `admin-two-${engine.name}@releases.test.plantline.local`,
        displayName: 'Admin',
        password: 'a-long-password-1',
      },
    });
    const all = new Set(allPermissions);
    await offerBuiltinPermissions(database.db, all);
    expect((await offerBuiltinPermissions(database.db, all)).offered).toEqual([]);

    // A release gives operators a permission of the catalogue they did not have.
    const added = allPermissions.find((p) => !(operator.permissions as readonly string[]).includes(p))!;
    const released = builtinRoles.map((role) =>
      role.key === 'operator' ? { ...role, permissions: [...role.permissions, added] } : role,
    );
    expect(builtinRolesHash(released)).not.toBe(builtinRolesHash());
    const run = await offerBuiltinPermissions(database.db, all, released);
    expect(run.offered).toEqual(expect.arrayContaining([tenantId, second.tenantId]));
    expect(run.current).toBe(0);
    for (const id of [tenantId, second.tenantId]) {
      const granted = await database.db.ownerTransact({ tenantId: id, plantIds: 'all' }, (tx) =>
        rows<{ permission: string }>(
          tx,
          sql`select p.permission from role_permissions p join roles r on r.id = p.role_id
               where p.tenant_id = ${id}::uuid and r.key = 'operator' and p.permission = ${added}`,
        ),
      );
      expect(granted).toHaveLength(1);
    }
    // The same release starting again: nothing left to do anywhere.
    expect(await offerBuiltinPermissions(database.db, all, released)).toEqual({
      offered: [],
      current: run.offered.length,
    });
  });

  it('keeps the hash when the tenant saves its settings, and a never-saved tenant reads as never saved', async () => {
    await offerBuiltinPermissions(database.db, new Set(allPermissions));
    const record = await database.db.ownerTransact({ tenantId, plantIds: 'all' }, (tx) =>
      readSettingsRecord(tx),
    );
    expect(record).toMatchObject({ version: 0, updatedAt: null, updatedBy: null });
    await database.db.ownerTransact({ tenantId, plantIds: 'all' }, (tx) =>
      updateSettings(
        tx,
        { tenantId, userId: null },
        {
          version: 0,
          patch: { workflow: { signatureIdleMinutes: 20 } },
          reason: null,
        },
      ),
    );
    const [row] = await inTenant<{ version: number; hash: string | null; idle: number }>(
      sql`select version, settings ->> ${BUILTIN_ROLES_HASH_KEY}::text as hash,
                 (settings -> 'workflow' ->> 'signatureIdleMinutes')::int as idle
            from system_settings where tenant_id = ${tenantId}::uuid`,
    );
    expect(row).toEqual({ version: 1, hash: builtinRolesHash(), idle: 20 });
    expect((await offerBuiltinPermissions(database.db, new Set(allPermissions))).offered).not.toContain(
      tenantId,
    );
  });
});

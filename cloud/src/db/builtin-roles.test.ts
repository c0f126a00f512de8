import { builtinRoles } from '@plantline/schema';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant } from '../modules/tenancy/index.js';
import { type TestDatabase, testEngines } from '../testing/engines.js';
import { offerBuiltinPermissions } from './builtin-roles.js';
import { rows } from './index.js';

/*
 * A release that adds permissions to built-in roles grants them to existing tenants once
 * (builtin-roles.ts, docs/security.md, "Roles and permissions").
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
    await offerBuiltinPermissions(database.db, new Set(builtinRoles.flatMap((r) => r.permissions)));
    const executive = builtinRoles.find((r) => r.key === 'executive')!;
    expect(await holds('executive')).toEqual([...executive.permissions].sort());
  });
});

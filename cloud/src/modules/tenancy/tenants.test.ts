import { builtinRoles, tables } from '@plantline/schema';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, rows } from '../../db/index.js';
import { auditEntries, auditText } from '../../testing/audit-entries.js';
import { type TestDatabase, testEngines } from '../../testing/engines.js';
import { createTenant } from './tenants.js';

/*
 * A new tenant's audit trail begins with its own making (docs/audit.md): the tenant, its plants, its
 * built-in roles and its first administrator, recorded by the system in the one transaction.
 */
/** A plant's address fields while nobody has filled them in. */
const noAddress = { street: '', postalCode: '', city: '', country: '', gln: null };

describe.each(testEngines)('tenant creation in the audit trail ($name engine)', (engine) => {
  let test: TestDatabase;
  let db: Database;

  beforeAll(async () => {
    test = await engine.create();
    db = test.db;
  });
  afterAll(() => test?.drop());

  const newTenant = (slug: string) => ({
    name: `Tenant ${slug}`,
    slug,
    plants: [
      { code: 'P1', name: 'Plant one', timezone: 'Europe/Berlin' },
      { code: 'P2', name: 'Plant two', timezone: 'UTC' },
    ],
    admin: { email: `admin@${slug}.test`, displayName: 'First Admin', password: 'a long enough password 1' },
  });

  it('records the tenant, its plants, roles and administrator as the system', async () => {
    const created = await createTenant(db, newTenant('audited'));
    const entries = await auditEntries(db, created.tenantId);
    expect(entries.map((e) => e.seq)).toEqual(entries.map((_, i) => i + 1));
    for (const entry of entries) {
      expect(entry).toMatchObject({ actorKind: 'system', actorName: 'Plantline', actorUserId: null });
    }
    expect(entries[0]).toMatchObject({
      action: 'tenant.create',
      entityType: 'tenant',
      entityId: created.tenantId,
      entityLabel: 'Tenant audited',
      plantId: null,
      oldValues: null,
      newValues: { name: 'Tenant audited', slug: 'audited' },
    });
    const plants = entries.filter((e) => e.action === 'plant.create');
    expect(plants.map((p) => [p.entityId, p.plantId, p.entityLabel, p.newValues])).toEqual([
      [
        created.plantIds[0],
        created.plantIds[0],
        'P1',
        { code: 'P1', name: 'Plant one', timezone: 'Europe/Berlin', ...noAddress },
      ],
      [
        created.plantIds[1],
        created.plantIds[1],
        'P2',
        { code: 'P2', name: 'Plant two', timezone: 'UTC', ...noAddress },
      ],
    ]);
    const roles = entries.filter((e) => e.action === 'role.create');
    expect(roles.map((r) => r.entityLabel)).toEqual(builtinRoles.map((r) => r.key));
    const adminRole = roles.find((r) => r.entityLabel === 'admin');
    expect(adminRole).toMatchObject({ entityId: created.roleIds.admin, plantId: null });
    const { permissions } = adminRole!.newValues as { permissions: string[] };
    expect(permissions).toEqual([...permissions].sort());
    expect(permissions).toContain('users.manage');
    expect(entries.filter((e) => e.action === 'user.create')).toEqual([
      expect.objectContaining({
        entityId: created.adminUserId,
        entityLabel: 'admin@audited.test',
        newValues: {
          email: 'admin@audited.test',
          displayName: 'First Admin',
          active: true,
          roles: ['admin'],
          plants: [],
        },
      }),
    ]);
  });

  it('keeps the administrator’s password and its hash out of the trail', async () => {
    const input = newTenant('secretive');
    const created = await createTenant(db, input);
    const [admin] = await db.ownerTransact({ tenantId: created.tenantId, plantIds: 'all' }, (tx) =>
      tx
        .select({ hash: tables.users.passwordHash })
        .from(tables.users)
        .where(eq(tables.users.id, created.adminUserId)),
    );
    const text = await auditText(db, created.tenantId);
    expect(text).toContain('admin@secretive.test');
    expect(text).not.toContain(input.admin.password);
    expect(text).not.toContain(admin!.hash);
  });

  it('leaves no entry of a tenant that could not be created', async () => {
    await createTenant(db, newTenant('taken'));
    const before = await allEntries();
    await expect(createTenant(db, { ...newTenant('taken'), name: 'Second' })).rejects.toThrow();
    expect(await allEntries()).toBe(before);
  });

  /** Entries of every tenant, counted by the owner, which is a superuser in tests. */
  async function allEntries() {
    const [row] = await rows<{ count: number }>(db.owner, sql`select count(*)::int as count from audit_log`);
    return row!.count;
  }
});

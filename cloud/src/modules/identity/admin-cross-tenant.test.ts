import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../db/index.js';
import { type ApiClient, addUser, signIn } from '../../testing/api.js';
import { expectApiError } from '../../testing/api-assertions.js';
import { type Tenants, type TestServer, useTestApp } from '../../testing/app.js';
import { type TestDatabase, testEngines } from '../../testing/engines.js';
import { TEST_PASSWORD } from '../../testing/tenants.js';

/*
 * Tenant A's administrator names tenant B's records by id. Row-level security hides them, so every
 * such call must answer "not found" (not forbidden, which would confirm the id exists) and leave
 * B exactly as it was.
 */
describe.each(testEngines)('administration across tenants ($name engine)', (engine) => {
  const app = useTestApp(engine);
  let database: TestDatabase;
  let tenants: Tenants;
  let server: TestServer;
  let adminA: ApiClient;
  /** A user of each tenant besides its administrator, and an API key of B. */
  let userA: { id: string; email: string };
  let userB: { id: string; email: string };
  let keyB: { id: string; key: string };

  beforeAll(async () => {
    ({ database, tenants, server } = app);
    const { a, b } = tenants;
    adminA = await signIn(server.url, a.adminEmail);
    const adminB = await signIn(server.url, b.adminEmail);
    userA = await addUser(adminA, { roleIds: [a.roleIds.operator!], plantIds: [a.plantIds[0]!] });
    userB = await addUser(adminB, { roleIds: [b.roleIds.operator!], plantIds: [b.plantIds[0]!] });
    keyB = await adminB.trpc.apiKeys.create.mutate({
      name: 'B edge',
      scopes: ['ingest.write'],
      plantIds: [b.plantIds[0]!],
    });
  });

  /** Every identity row of a tenant, read as the owner, in a stable order. */
  function snapshot(tenantId: string) {
    return database.db.ownerTransact({ tenantId, plantIds: 'all' }, async (tx) => {
      const read = (query: ReturnType<typeof sql>) => rows<Record<string, unknown>>(tx, query);
      return {
        tenant: await read(sql`select * from tenants where id = ${tenantId}`),
        plants: await read(sql`select * from plants where tenant_id = ${tenantId} order by id`),
        users: await read(sql`select * from users where tenant_id = ${tenantId} order by id`),
        roles: await read(sql`select * from roles where tenant_id = ${tenantId} order by id`),
        rolePermissions: await read(
          sql`select * from role_permissions where tenant_id = ${tenantId} order by role_id, permission`,
        ),
        userRoles: await read(
          sql`select * from user_roles where tenant_id = ${tenantId} order by user_id, role_id`,
        ),
        userPlants: await read(
          sql`select * from user_plant_access where tenant_id = ${tenantId} order by user_id, plant_id`,
        ),
        apiKeys: await read(sql`select * from api_keys where tenant_id = ${tenantId} order by id`),
        apiKeyPlants: await read(
          sql`select * from api_key_plants where tenant_id = ${tenantId} order by api_key_id, plant_id`,
        ),
        liveSessions: await read(
          sql`select id from sessions where tenant_id = ${tenantId} and revoked_at is null order by id`,
        ),
      };
    });
  }

  const attacks: { name: string; message: string; call: () => Promise<unknown> }[] = [
    {
      name: 'users.update deactivating B’s user',
      message: 'User not found',
      call: () => adminA.trpc.users.update.mutate({ id: userB.id, isActive: false }),
    },
    {
      name: 'users.update renaming B’s administrator',
      message: 'User not found',
      call: () => adminA.trpc.users.update.mutate({ id: tenants.b.adminUserId, displayName: 'Taken over' }),
    },
    {
      name: 'users.resetPassword of B’s administrator',
      message: 'User not found',
      call: () =>
        adminA.trpc.users.resetPassword.mutate({
          id: tenants.b.adminUserId,
          password: 'a password I now know',
        }),
    },
    {
      name: 'users.setRoles on B’s user',
      message: 'User not found',
      call: () =>
        adminA.trpc.users.setRoles.mutate({ userId: userB.id, roleIds: [tenants.a.roleIds.admin!] }),
    },
    {
      name: 'users.setRoles clearing B’s administrator',
      message: 'User not found',
      call: () => adminA.trpc.users.setRoles.mutate({ userId: tenants.b.adminUserId, roleIds: [] }),
    },
    {
      name: 'users.setPlants on B’s user',
      message: 'User not found',
      call: () => adminA.trpc.users.setPlants.mutate({ userId: userB.id, plantIds: [] }),
    },
    {
      name: 'users.setRoles giving A’s user B’s admin role',
      message: 'Role not found',
      call: () =>
        adminA.trpc.users.setRoles.mutate({
          userId: userA.id,
          roleIds: [tenants.a.roleIds.operator!, tenants.b.roleIds.admin!],
        }),
    },
    {
      name: 'users.setPlants giving A’s user B’s plant',
      message: 'Plant not found',
      call: () =>
        adminA.trpc.users.setPlants.mutate({
          userId: userA.id,
          plantIds: [tenants.a.plantIds[1]!, tenants.b.plantIds[0]!],
        }),
    },
    {
      name: 'users.create with B’s role',
      message: 'Role not found',
      call: () =>
        adminA.trpc.users.create.mutate({
          email: 'cross-role@test.plantline.local',
          displayName: 'Cross role',
          password: TEST_PASSWORD,
          roleIds: [tenants.b.roleIds.operator!],
        }),
    },
    {
      name: 'users.create with B’s plant',
      message: 'Plant not found',
      call: () =>
        adminA.trpc.users.create.mutate({
          email: 'cross-plant@test.plantline.local',
          displayName: 'Cross plant',
          password: TEST_PASSWORD,
          plantIds: [tenants.b.plantIds[0]!],
        }),
    },
    {
      name: 'tenancy.plants.update on B’s plant',
      message: 'Plant not found',
      call: () =>
        adminA.trpc.tenancy.plants.update.mutate({ id: tenants.b.plantIds[0]!, patch: { name: 'Renamed' } }),
    },
    {
      name: 'apiKeys.revoke of B’s key',
      message: 'API key not found',
      call: () => adminA.trpc.apiKeys.revoke.mutate({ id: keyB.id }),
    },
    {
      name: 'apiKeys.create for B’s plant',
      message: 'Plant not found',
      call: () =>
        adminA.trpc.apiKeys.create.mutate({
          name: 'Into B',
          scopes: ['ingest.write'],
          plantIds: [tenants.b.plantIds[1]!],
        }),
    },
    {
      name: 'rbac.roles.update of B’s role permissions',
      message: 'Role not found',
      call: () => adminA.trpc.rbac.roles.update.mutate({ id: tenants.b.roleIds.operator!, permissions: [] }),
    },
    {
      name: 'rbac.roles.update renaming B’s role',
      message: 'Role not found',
      call: () => adminA.trpc.rbac.roles.update.mutate({ id: tenants.b.roleIds.quality!, name: 'Renamed' }),
    },
    {
      name: 'rbac.roles.delete of B’s role',
      message: 'Role not found',
      call: () => adminA.trpc.rbac.roles.delete.mutate({ id: tenants.b.roleIds.executive! }),
    },
  ];

  it.each(attacks)('$name → NOT_FOUND, and B is unchanged', async ({ call, message }) => {
    const before = {
      a: await snapshot(tenants.a.tenantId),
      b: await snapshot(tenants.b.tenantId),
    };
    expect(before.b.users).toHaveLength(2);
    expect(before.b.apiKeys).toHaveLength(1);
    const error = await expectApiError(call(), 'NOT_FOUND', message);
    expect(error.data?.httpStatus).toBe(404);
    // A refused call is rolled back whole: A's side is untouched too.
    expect({ a: await snapshot(tenants.a.tenantId), b: await snapshot(tenants.b.tenantId) }).toEqual(before);
  });

  it('lists nothing of tenant B to tenant A’s administrator', async () => {
    const { b } = tenants;
    const seen = JSON.stringify({
      tenant: await adminA.trpc.tenancy.tenant.query(),
      plants: await adminA.trpc.tenancy.plants.list.query(),
      users: await adminA.trpc.users.list.query(),
      roles: await adminA.trpc.rbac.roles.list.query(),
      apiKeys: await adminA.trpc.apiKeys.list.query(),
      me: await adminA.trpc.auth.me.query(),
    });
    const bIds = [b.tenantId, b.adminUserId, userB.id, keyB.id, ...b.plantIds, ...Object.values(b.roleIds)];
    for (const id of bIds) expect(seen).not.toContain(id);
    expect(seen).not.toContain(b.adminEmail);
    expect(seen).toContain(userA.id);
  });

  it('leaves B’s administrator, user and key working', async () => {
    const { b } = tenants;
    const adminB = await signIn(server.url, b.adminEmail);
    expect((await adminB.trpc.auth.me.query()).roles).toEqual(['admin']);
    const user = await signIn(server.url, userB.email);
    expect((await user.trpc.auth.me.query()).plants.map((p) => p.id)).toEqual([b.plantIds[0]]);
    const keys = await adminB.trpc.apiKeys.list.query();
    expect(keys.find((k) => k.id === keyB.id)?.revokedAt).toBeNull();
  });
});

import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Sql } from '../../db/index.js';
import { type ApiClient, addUser, apiClient, signIn } from '../../testing/api.js';
import { expectApiError } from '../../testing/api-assertions.js';
import { type Tenants, type TestServer, useTestApp } from '../../testing/app.js';
import { type TestDatabase, testEngines } from '../../testing/engines.js';

/*
 * Each HTTP call finds its caller in its own transaction (callers.ts, `callerOpening`): nothing about
 * a session, a key, a user or a role is kept between calls. Every change below is made straight in
 * the database, as no API would announce it, and the very next call must see it.
 */
describe.each(testEngines)('each call checks its caller afresh ($name engine)', (engine) => {
  const app = useTestApp(engine);
  let database: TestDatabase;
  let tenants: Tenants;
  let server: TestServer;
  let admin: ApiClient;

  beforeAll(() => {
    ({ database, tenants, server, admin } = app);
  });

  function asOwner(work: (tx: Sql) => Promise<unknown>) {
    return database.db.ownerTransact({ tenantId: tenants.a.tenantId, plantIds: 'all' }, work);
  }

  /** A user with a role of their own holding `users.read` and `plants.read`, in plant 1 only. */
  async function userWithOwnRole() {
    const role = await admin.trpc.rbac.roles.create.mutate({
      key: `reader-${Math.random().toString(36).slice(2, 8)}`,
      name: 'Reader',
      permissions: ['users.read', 'plants.read'],
    });
    const user = await addUser(admin, { roleIds: [role.id], plantIds: [tenants.a.plantIds[0]!] });
    const client = await signIn(server.url, user.email);
    return { role, user, client };
  }

  it('gives the caller exactly their permissions and plants, found in the call itself', async () => {
    const { client } = await userWithOwnRole();
    const me = await client.trpc.auth.me.query();
    expect(me.permissions).toEqual(['plants.read', 'users.read']);
    expect(me.plants.map((p) => p.id)).toEqual([tenants.a.plantIds[0]]);
    expect((await client.trpc.tenancy.plants.list.query()).map((p) => p.id)).toEqual([tenants.a.plantIds[0]]);
    await expectApiError(client.trpc.apiKeys.list.query(), 'FORBIDDEN', /apikeys\.manage/);
  });

  it('refuses the next call once the session row is gone, and clears the cookie', async () => {
    const { user, client } = await userWithOwnRole();
    await client.trpc.auth.me.query();
    await asOwner((tx) => tx.execute(sql`delete from sessions where user_id = ${user.id}`));
    await expectApiError(client.trpc.auth.me.query(), 'UNAUTHORIZED', 'Sign in first');
    expect(client.jar.token).toBeNull();
  });

  it('refuses the next call once the session is revoked', async () => {
    const { user, client } = await userWithOwnRole();
    await client.trpc.auth.me.query();
    await asOwner((tx) => tx.execute(sql`update sessions set revoked_at = now() where user_id = ${user.id}`));
    await expectApiError(client.trpc.auth.me.query(), 'UNAUTHORIZED', /session has expired/);
  });

  it('takes a permission away from the next call once its role loses it', async () => {
    const { role, client } = await userWithOwnRole();
    expect((await client.trpc.users.list.query()).length).toBeGreaterThan(0);
    await asOwner((tx) =>
      tx.execute(sql`delete from role_permissions where role_id = ${role.id} and permission = 'users.read'`),
    );
    await expectApiError(client.trpc.users.list.query(), 'FORBIDDEN', 'This needs the permission users.read');
    expect((await client.trpc.auth.me.query()).permissions).toEqual(['plants.read']);
  });

  it('takes a plant away from the next call once its access is removed', async () => {
    const { user, client } = await userWithOwnRole();
    await asOwner((tx) => tx.execute(sql`delete from user_plant_access where user_id = ${user.id}`));
    expect((await client.trpc.auth.me.query()).plants).toEqual([]);
    expect(await client.trpc.tenancy.plants.list.query()).toEqual([]);
  });

  it('refuses the next call once the user is deactivated', async () => {
    const { user, client } = await userWithOwnRole();
    await client.trpc.auth.me.query();
    await asOwner((tx) => tx.execute(sql`update users set is_active = false where id = ${user.id}`));
    await expectApiError(client.trpc.auth.me.query(), 'UNAUTHORIZED', 'This account is deactivated');
  });

  it('refuses the next call once its API key is revoked, and one past its expiry', async () => {
    const created = await admin.trpc.apiKeys.create.mutate({
      name: 'Reader key',
      scopes: ['plants.read'],
      plantIds: [tenants.a.plantIds[1]!],
    });
    const edge = apiClient(server.url, { apiKey: created.key });
    expect((await edge.trpc.tenancy.plants.list.query()).map((p) => p.id)).toEqual([tenants.a.plantIds[1]]);
    await asOwner((tx) =>
      tx.execute(sql`update api_keys set expires_at = now() - interval '1 second' where id = ${created.id}`),
    );
    await expectApiError(edge.trpc.tenancy.plants.list.query(), 'UNAUTHORIZED', 'API key has expired');
    await asOwner((tx) => tx.execute(sql`update api_keys set revoked_at = now() where id = ${created.id}`));
    await expectApiError(edge.trpc.tenancy.plants.list.query(), 'UNAUTHORIZED', 'API key has been revoked');
  });

  it('answers every call of a batch, and refuses each once the session is gone', async () => {
    const { user, client } = await userWithOwnRole();
    const batch = () =>
      fetch(`${server.url}/trpc/auth.me,tenancy.plants.list,users.list?batch=1&input={}`, {
        headers: { cookie: `plantline_session=${client.token}` },
      }).then(
        async (response) =>
          (await response.json()) as { result?: unknown; error?: { data: { code: string } } }[],
      );
    const answers = await batch();
    expect(answers.map((answer) => answer.result !== undefined)).toEqual([true, true, true]);
    await asOwner((tx) => tx.execute(sql`delete from sessions where user_id = ${user.id}`));
    const refusals = await batch();
    expect(refusals.map((answer) => answer.error?.data.code)).toEqual([
      'UNAUTHORIZED',
      'UNAUTHORIZED',
      'UNAUTHORIZED',
    ]);
  });

  it('gives the next call a permission its role gains, and keeps each caller to their own', async () => {
    const { role, client } = await userWithOwnRole();
    await expectApiError(client.trpc.apiKeys.list.query(), 'FORBIDDEN', /apikeys\.manage/);
    await asOwner((tx) =>
      tx.execute(sql`insert into role_permissions (tenant_id, role_id, permission)
                     values (${tenants.a.tenantId}, ${role.id}, 'apikeys.manage')`),
    );
    expect(await client.trpc.apiKeys.list.query()).toEqual(expect.any(Array));
    // Two callers, one after the other: neither is answered with the other's permissions.
    const other = await userWithOwnRole();
    for (let i = 0; i < 2; i++) {
      expect((await client.trpc.auth.me.query()).permissions).toEqual([
        'apikeys.manage',
        'plants.read',
        'users.read',
      ]);
      expect((await other.client.trpc.auth.me.query()).permissions).toEqual(['plants.read', 'users.read']);
    }
  });

  it('narrows an API key to the scopes it keeps on the next call', async () => {
    const created = await admin.trpc.apiKeys.create.mutate({
      name: 'Two scopes',
      scopes: ['plants.read', 'users.read'],
      plantIds: [tenants.a.plantIds[0]!],
    });
    const edge = apiClient(server.url, { apiKey: created.key });
    expect((await edge.trpc.users.list.query()).length).toBeGreaterThan(0);
    await asOwner((tx) =>
      tx.execute(sql`update api_keys set scopes = array['plants.read'] where id = ${created.id}`),
    );
    await expectApiError(edge.trpc.users.list.query(), 'FORBIDDEN', 'This needs the permission users.read');
    expect(await edge.trpc.tenancy.plants.list.query()).toHaveLength(1);
  });

  it('refuses every call of a batch sent as POST, as the web client sends it, once signed out', async () => {
    const { user, client } = await userWithOwnRole();
    const batch = () =>
      fetch(`${server.url}/trpc/auth.me,tenancy.plants.list?batch=1`, {
        method: 'POST',
        headers: { cookie: `plantline_session=${client.token}`, 'content-type': 'application/json' },
        body: '{}',
      }).then(async (response) => (await response.json()) as { error?: { data: { code: string } } }[]);
    expect((await batch()).map((answer) => answer.error)).toEqual([undefined, undefined]);
    await asOwner((tx) => tx.execute(sql`update sessions set revoked_at = now() where user_id = ${user.id}`));
    expect((await batch()).map((answer) => answer.error?.data.code)).toEqual([
      'UNAUTHORIZED',
      'UNAUTHORIZED',
    ]);
  });
});

import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../db/index.js';
import { type ApiClient, addUser, apiClient, signIn, wsClient } from '../../testing/api.js';
import { expectApiError } from '../../testing/api-assertions.js';
import { type Tenants, type TestServer, useTestApp } from '../../testing/app.js';
import { type TestDatabase, testEngines } from '../../testing/engines.js';
import { sha256 } from './secrets.js';

const KEY_SHAPE = /^plk_([0-9a-f]{8})_[A-Za-z0-9_-]{43}$/;

describe.each(testEngines)('API keys ($name engine)', (engine) => {
  const app = useTestApp(engine);
  let database: TestDatabase;
  let tenants: Tenants;
  let server: TestServer;
  let admin: ApiClient;

  beforeAll(() => {
    ({ database, tenants, server, admin } = app);
  });

  async function createKey(
    scopes: Parameters<typeof admin.trpc.apiKeys.create.mutate>[0]['scopes'],
    plantIds = [tenants.a.plantIds[0]!],
  ) {
    return admin.trpc.apiKeys.create.mutate({ name: 'Line 1 edge', scopes, plantIds });
  }

  it('shows a new key once, and lists keys without the key or its hash', async () => {
    const created = await createKey(['ingest.write']);
    const [, prefix] = KEY_SHAPE.exec(created.key) ?? [];
    expect(prefix).toBe(created.prefix);

    const listed = await admin.trpc.apiKeys.list.query();
    const entry = listed.find((k) => k.id === created.id);
    expect(entry).toMatchObject({
      name: 'Line 1 edge',
      prefix: created.prefix,
      scopes: ['ingest.write'],
      plantIds: [tenants.a.plantIds[0]],
      revokedAt: null,
    });
    const text = JSON.stringify(listed);
    expect(text).not.toContain(created.key);
    expect(text).not.toContain(sha256(created.key));
    expect(text).not.toMatch(/hash/i);
  });

  it('stores only the SHA-256 of the key', async () => {
    const created = await createKey(['ingest.write']);
    const [stored] = await database.db.ownerTransact(
      { tenantId: tenants.a.tenantId, plantIds: 'all' },
      (tx) =>
        rows<{ key_hash: string; prefix: string }>(
          tx,
          sql`select key_hash, prefix from api_keys where id = ${created.id}`,
        ),
    );
    expect(stored!.key_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored!.key_hash).not.toBe(created.key);
    expect(stored!.key_hash).toBe(sha256(created.key));
  });

  it('identifies an edge node: its tenant and exactly its plants', async () => {
    const { a } = tenants;
    const created = await createKey(['ingest.write']);
    const edge = apiClient(server.url, { apiKey: created.key });
    const whoami = await edge.trpc.edge.whoami.query();
    expect(whoami).toEqual({
      keyId: created.id,
      keyName: 'Line 1 edge',
      tenantId: a.tenantId,
      tenantName: 'Tenant A',
      plants: [{ id: a.plantIds[0], code: 'A1', name: 'A plant 1' }],
      permissions: ['ingest.write'],
    });
    // A key sets no cookie: there is no session behind it.
    expect(edge.jar.last).toEqual([]);
  });

  it('confines a key to its scopes', async () => {
    const edge = apiClient(server.url, { apiKey: (await createKey(['ingest.write'])).key });
    const error = await expectApiError(
      edge.trpc.users.list.query(),
      'FORBIDDEN',
      'This needs the permission users.read',
    );
    expect(error.data?.httpStatus).toBe(403);
    await expectApiError(edge.trpc.apiKeys.list.query(), 'FORBIDDEN', /apikeys\.manage/);
    await expectApiError(edge.trpc.auth.me.query(), 'FORBIDDEN', 'API keys have no user profile');
  });

  it('confines a key to its plants', async () => {
    const { a } = tenants;
    const reader = await admin.trpc.apiKeys.create.mutate({
      name: 'Plant 2 reader',
      scopes: ['plants.read'],
      plantIds: [a.plantIds[1]!],
    });
    const plants = await apiClient(server.url, { apiKey: reader.key }).trpc.tenancy.plants.list.query();
    expect(plants.map((p) => p.id)).toEqual([a.plantIds[1]]);
  });

  it('refuses a revoked key', async () => {
    const created = await createKey(['ingest.write']);
    const edge = apiClient(server.url, { apiKey: created.key });
    await edge.trpc.edge.whoami.query();

    const revoked = await admin.trpc.apiKeys.revoke.mutate({ id: created.id });
    expect(revoked.revokedAt).not.toBeNull();
    await expectApiError(edge.trpc.edge.whoami.query(), 'UNAUTHORIZED', 'API key has been revoked');
    // Revoking twice is harmless and keeps the first time.
    const again = await admin.trpc.apiKeys.revoke.mutate({ id: created.id });
    expect(again.revokedAt).toEqual(revoked.revokedAt);
    const listed = await admin.trpc.apiKeys.list.query();
    expect(listed.find((k) => k.id === created.id)?.revokedAt).toEqual(revoked.revokedAt);
  });

  it('refuses an expired key', async () => {
    const created = await createKey(['ingest.write']);
    await database.db.ownerTransact({ tenantId: tenants.a.tenantId, plantIds: 'all' }, (tx) =>
      tx.execute(sql`update api_keys set expires_at = now() - interval '1 second' where id = ${created.id}`),
    );
    await expectApiError(
      apiClient(server.url, { apiKey: created.key }).trpc.edge.whoami.query(),
      'UNAUTHORIZED',
      'API key has expired',
    );
  });

  it('refuses made-up keys', async () => {
    const created = await createKey(['ingest.write']);
    const madeUp = [
      'plk_00000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      `${created.key}x`,
      created.key.toUpperCase(),
      sha256(created.key),
      'x'.repeat(5_000),
    ];
    for (const apiKey of madeUp) {
      await expectApiError(
        apiClient(server.url, { apiKey }).trpc.edge.whoami.query(),
        'UNAUTHORIZED',
        'API key not recognised',
      );
    }
  });

  it('does not fall back to the session cookie when the key is refused', async () => {
    const both = apiClient(server.url, { token: admin.jar.token, apiKey: 'plk_deadbeef_not-a-real-key' });
    await expectApiError(both.trpc.users.list.query(), 'UNAUTHORIZED', 'API key not recognised');
  });

  it('answers edge.whoami only for keys, not for signed-in users', async () => {
    await expectApiError(admin.trpc.edge.whoami.query(), 'FORBIDDEN', 'Only API keys identify edge nodes');
  });

  it('refuses plants of another tenant in a new key', async () => {
    const { a, b } = tenants;
    const before = (await admin.trpc.apiKeys.list.query()).length;
    for (const plantIds of [[b.plantIds[0]!], [a.plantIds[0]!, b.plantIds[1]!]]) {
      await expectApiError(
        admin.trpc.apiKeys.create.mutate({ name: 'Stolen plant', scopes: ['ingest.write'], plantIds }),
        'NOT_FOUND',
        'Plant not found',
      );
    }
    expect(await admin.trpc.apiKeys.list.query()).toHaveLength(before);
  });

  it('refuses a key scope its creator does not hold, and plants out of their reach', async () => {
    const { a } = tenants;
    const role = await admin.trpc.rbac.roles.create.mutate({
      key: 'key-keeper',
      name: 'Key keeper',
      permissions: ['apikeys.manage'],
    });
    const user = await addUser(admin, { roleIds: [role.id], plantIds: [a.plantIds[0]!] });
    const keeper = await signIn(server.url, user.email);

    await expectApiError(
      keeper.trpc.apiKeys.create.mutate({
        name: 'Escalation',
        scopes: ['users.manage'],
        plantIds: [a.plantIds[0]!],
      }),
      'FORBIDDEN',
      /users\.manage/,
    );
    await expectApiError(
      keeper.trpc.apiKeys.create.mutate({
        name: 'Escalation',
        scopes: ['apikeys.manage', 'ingest.write'],
        plantIds: [a.plantIds[0]!],
      }),
      'FORBIDDEN',
      /ingest\.write/,
    );
    await expectApiError(
      keeper.trpc.apiKeys.create.mutate({
        name: 'Other plant',
        scopes: ['apikeys.manage'],
        plantIds: [a.plantIds[1]!],
      }),
      'NOT_FOUND',
      'Plant not found',
    );
    const allowed = await keeper.trpc.apiKeys.create.mutate({
      name: 'Within reach',
      scopes: ['apikeys.manage'],
      plantIds: [a.plantIds[0]!],
    });
    expect(allowed.key).toMatch(KEY_SHAPE);

    // Keys for plants out of the keeper's reach are neither listed to them nor revocable by them.
    const otherPlantKey = await createKey(['ingest.write'], [a.plantIds[1]!]);
    const listed = await keeper.trpc.apiKeys.list.query();
    expect(listed.map((k) => k.id)).toContain(allowed.id);
    expect(listed.map((k) => k.id)).not.toContain(otherPlantKey.id);
    await expectApiError(keeper.trpc.apiKeys.revoke.mutate({ id: otherPlantKey.id }), 'NOT_FOUND');
    const stillActive = (await admin.trpc.apiKeys.list.query()).find((k) => k.id === otherPlantKey.id);
    expect(stillActive?.revokedAt).toBeNull();
  });

  it('refuses a key that tries to mint a broader key', async () => {
    const { a } = tenants;
    const minter = await admin.trpc.apiKeys.create.mutate({
      name: 'Key minter',
      scopes: ['apikeys.manage'],
      plantIds: [a.plantIds[0]!],
    });
    const edge = apiClient(server.url, { apiKey: minter.key });
    await expectApiError(
      edge.trpc.apiKeys.create.mutate({
        name: 'Broader',
        scopes: ['users.manage'],
        plantIds: [a.plantIds[0]!],
      }),
      'FORBIDDEN',
      /users\.manage/,
    );
    await expectApiError(
      edge.trpc.apiKeys.create.mutate({
        name: 'Wider',
        scopes: ['apikeys.manage'],
        plantIds: [a.plantIds[1]!],
      }),
      'NOT_FOUND',
    );
  });

  it('validates the new key’s fields', async () => {
    const error = await expectApiError(
      admin.trpc.apiKeys.create.mutate({
        name: ' ',
        // Deliberately outside the typed catalogue: the server must refuse what the client type would.
        scopes: ['root'] as never[],
        plantIds: [],
      }),
      'BAD_REQUEST',
    );
    expect(Object.keys(error.data?.fieldErrors ?? {}).sort()).toEqual(['name', 'plantIds', 'scopes.0']);
    expect(error.data?.fieldErrors?.plantIds).toBe('Choose at least one plant');
  });

  it('works over WebSocket and stops the moment it is revoked', async () => {
    const created = await createKey(['ingest.write']);
    const ws = wsClient(server.url, { apiKey: created.key });
    try {
      expect((await ws.trpc.edge.whoami.query()).keyId).toBe(created.id);
      await admin.trpc.apiKeys.revoke.mutate({ id: created.id });
      await expectApiError(ws.trpc.edge.whoami.query(), 'UNAUTHORIZED', 'API key has been revoked');
    } finally {
      ws.close();
    }
  });

  it('has no session to watch over WebSocket', async () => {
    const created = await createKey(['ingest.write']);
    const ws = wsClient(server.url, { apiKey: created.key });
    try {
      const failure = new Promise<unknown>((resolve) => {
        ws.trpc.auth.watchSession.subscribe(undefined, {
          onData: () => resolve(new Error('an API key received session data')),
          onError: resolve,
        });
      });
      await expectApiError(
        failure.then((error) => Promise.reject(error)),
        'FORBIDDEN',
        'Only signed-in users have a session to watch',
      );
    } finally {
      ws.close();
    }
  });
});

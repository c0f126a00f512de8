import { scryptSync } from 'node:crypto';
import { DEVICE_PASSWORD_HASH, deviceCredentialSetSchema } from '@plantline/schema';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../db/index.js';
import { type ApiClient, addUser, apiClient, signIn } from '../../testing/api.js';
import { expectApiError } from '../../testing/api-assertions.js';
import { type Tenants, type TestServer, useTestApp } from '../../testing/app.js';
import { auditEntries, auditMark, auditText } from '../../testing/audit-entries.js';
import { type TestDatabase, testEngines } from '../../testing/engines.js';

/** What the edge does with a stored hash (edge/src/devices/device-auth.ts). */
function verifies(password: string, encoded: string): boolean {
  const [, N, r, p, salt, hash] = DEVICE_PASSWORD_HASH.exec(encoded) ?? [];
  const expected = Buffer.from(hash!, 'base64url');
  const derived = scryptSync(password, Buffer.from(salt!, 'base64url'), expected.length, {
    N: Number(N),
    r: Number(r),
    p: Number(p),
  });
  return derived.equals(expected);
}

describe.each(testEngines)('device credentials ($name engine)', (engine) => {
  const app = useTestApp(engine);
  let database: TestDatabase;
  let tenants: Tenants;
  let server: TestServer;
  let admin: ApiClient;
  let adminB: ApiClient;
  const scope = { lineA1: '', machineA1: '', lineA2: '', machineA2: '' };

  beforeAll(async () => {
    ({ database, tenants, server, admin, adminB } = app);
    scope.lineA1 = await app.line(tenants.a.plantIds[0]!, 'L1', { name: 'Line 1' });
    scope.machineA1 = await app.machine(scope.lineA1, 'M1', { name: 'Press' });
    scope.lineA2 = await app.line(tenants.a.plantIds[1]!, 'L1', { name: 'Line 1' });
    scope.machineA2 = await app.machine(scope.lineA2, 'M1', { name: 'Press' });
  });

  const unique = (name: string) => `${name}-${Math.random().toString(36).slice(2, 8)}`;

  it('shows the password once, stores only a scrypt hash, and lists neither', async () => {
    const username = unique('press');
    const created = await admin.trpc.deviceCredentials.create.mutate({
      username,
      plantId: tenants.a.plantIds[0]!,
      lineId: scope.lineA1,
      machineId: scope.machineA1,
    });
    expect(created.password.length).toBeGreaterThanOrEqual(32);
    const [stored] = await database.db.ownerTransact(
      { tenantId: tenants.a.tenantId, plantIds: 'all' },
      (tx) =>
        rows<{ password_hash: string }>(
          tx,
          sql`select password_hash from device_credentials where id = ${created.id}`,
        ),
    );
    expect(stored!.password_hash).toMatch(DEVICE_PASSWORD_HASH);
    expect(verifies(created.password, stored!.password_hash)).toBe(true);
    expect(verifies(`${created.password}x`, stored!.password_hash)).toBe(false);

    const listed = await admin.trpc.deviceCredentials.list.query();
    expect(listed.find((entry) => entry.id === created.id)).toMatchObject({
      username,
      plantCode: 'A1',
      lineCode: 'L1',
      machineCode: 'M1',
      revokedAt: null,
    });
    const text = JSON.stringify(listed);
    expect(text).not.toContain(created.password);
    expect(text).not.toMatch(/scrypt|hash/i);
  });

  it('refuses scopes that do not fit together, other tenants’ plants and taken usernames', async () => {
    const [plantA1, plantA2] = tenants.a.plantIds as [string, string];
    const create = (input: { plantId: string; lineId?: string; machineId?: string; username?: string }) =>
      admin.trpc.deviceCredentials.create.mutate({ username: unique('dev'), ...input });
    await expectApiError(create({ plantId: tenants.b.plantIds[0]! }), 'NOT_FOUND', 'Plant not found');
    await expectApiError(create({ plantId: plantA1, lineId: scope.lineA2 }), 'NOT_FOUND', 'Line not found');
    await expectApiError(
      create({ plantId: plantA1, lineId: scope.lineA1, machineId: scope.machineA2 }),
      'NOT_FOUND',
      'Machine not found',
    );
    await expectApiError(create({ plantId: plantA2, machineId: scope.machineA2 }), 'BAD_REQUEST');
    const error = await expectApiError(
      admin.trpc.deviceCredentials.create.mutate({ username: 'has space', plantId: plantA1 }),
      'BAD_REQUEST',
    );
    expect(Object.keys(error.data?.fieldErrors ?? {})).toEqual(['username']);
    const taken = unique('taken');
    await create({ plantId: plantA1, username: taken });
    await expectApiError(create({ plantId: plantA2, username: taken }), 'CONFLICT', 'This username is taken');
    // Another tenant may use the same name: usernames are per tenant.
    await adminB.trpc.deviceCredentials.create.mutate({ username: taken, plantId: tenants.b.plantIds[0]! });
  });

  it('revokes once, keeps the first time, and cannot reach another tenant’s credentials', async () => {
    const created = await admin.trpc.deviceCredentials.create.mutate({
      username: unique('scanner'),
      plantId: tenants.a.plantIds[0]!,
    });
    await expectApiError(adminB.trpc.deviceCredentials.revoke.mutate({ id: created.id }), 'NOT_FOUND');
    expect((await adminB.trpc.deviceCredentials.list.query()).map((c) => c.id)).not.toContain(created.id);
    const revoked = await admin.trpc.deviceCredentials.revoke.mutate({ id: created.id });
    expect(revoked.revokedAt).not.toBeNull();
    const again = await admin.trpc.deviceCredentials.revoke.mutate({ id: created.id });
    expect(again.revokedAt).toEqual(revoked.revokedAt);
  });

  it('records creation and revocation with the plant, never the password or its hash', async () => {
    const { a } = tenants;
    const mark = await auditMark(database.db, a.tenantId);
    const markB = await auditMark(database.db, tenants.b.tenantId);
    const username = unique('audited');
    const created = await admin.trpc.deviceCredentials.create.mutate({
      username,
      plantId: a.plantIds[0]!,
      lineId: scope.lineA1,
      machineId: scope.machineA1,
    });
    await expectApiError(adminB.trpc.deviceCredentials.revoke.mutate({ id: created.id }), 'NOT_FOUND');
    await expectApiError(
      admin.trpc.deviceCredentials.create.mutate({ username, plantId: a.plantIds[1]! }),
      'CONFLICT',
    );
    await admin.trpc.deviceCredentials.revoke.mutate({ id: created.id });
    await admin.trpc.deviceCredentials.revoke.mutate({ id: created.id });
    const entries = await auditEntries(database.db, a.tenantId, mark);
    expect(entries.map((e) => [e.action, e.entityId, e.entityLabel, e.plantId, e.actorName])).toEqual([
      ['device_credential.create', created.id, username, a.plantIds[0], 'Admin A'],
      ['device_credential.revoke', created.id, username, a.plantIds[0], 'Admin A'],
    ]);
    expect(entries[0]).toMatchObject({
      entityType: 'device_credential',
      actorKind: 'user',
      oldValues: null,
      newValues: { username, plant: 'A1', line: 'L1', machine: 'M1' },
    });
    expect(entries[1]).toMatchObject({
      oldValues: { revokedAt: null },
      newValues: { revokedAt: expect.stringMatching(/^\d{4}-/) },
    });
    expect(await auditMark(database.db, tenants.b.tenantId)).toBe(markB);
    const [stored] = await database.db.ownerTransact({ tenantId: a.tenantId, plantIds: 'all' }, (tx) =>
      rows<{ password_hash: string }>(
        tx,
        sql`select password_hash from device_credentials where id = ${created.id}`,
      ),
    );
    const text = await auditText(database.db, a.tenantId);
    expect(text).toContain(username);
    expect(text).not.toContain(created.password);
    expect(text).not.toContain(stored!.password_hash);
    expect(text).not.toContain(stored!.password_hash.split('$').at(-1));
  });

  it('confines a user to the plants in their reach', async () => {
    const role = await admin.trpc.rbac.roles.create.mutate({
      key: unique('device-keeper'),
      name: 'Device keeper',
      permissions: ['devices.manage'],
    });
    const user = await addUser(admin, { roleIds: [role.id], plantIds: [tenants.a.plantIds[0]!] });
    const keeper = await signIn(server.url, user.email);
    const elsewhere = await admin.trpc.deviceCredentials.create.mutate({
      username: unique('other-plant'),
      plantId: tenants.a.plantIds[1]!,
    });
    expect((await keeper.trpc.deviceCredentials.list.query()).every((c) => c.plantCode === 'A1')).toBe(true);
    await expectApiError(keeper.trpc.deviceCredentials.revoke.mutate({ id: elsewhere.id }), 'NOT_FOUND');
    await expectApiError(
      keeper.trpc.deviceCredentials.create.mutate({ username: unique('x'), plantId: tenants.a.plantIds[1]! }),
      'NOT_FOUND',
      'Plant not found',
    );
    const engineerUser = await addUser(admin, {
      roleIds: [tenants.a.roleIds.engineer!],
      plantIds: [tenants.a.plantIds[0]!],
    });
    const engineer = await signIn(server.url, engineerUser.email);
    await expectApiError(engineer.trpc.deviceCredentials.list.query(), 'FORBIDDEN', /devices\.manage/);
  });

  it("gives an edge the credentials of its key's plants only, with hashes and revocations", async () => {
    const [plantA1, plantA2] = tenants.a.plantIds as [string, string];
    const mine = await admin.trpc.deviceCredentials.create.mutate({
      username: unique('mine'),
      plantId: plantA1,
      lineId: scope.lineA1,
    });
    const revoked = await admin.trpc.deviceCredentials.create.mutate({
      username: unique('gone'),
      plantId: plantA1,
    });
    await admin.trpc.deviceCredentials.revoke.mutate({ id: revoked.id });
    const notMine = await admin.trpc.deviceCredentials.create.mutate({
      username: unique('not-mine'),
      plantId: plantA2,
    });
    const key = await admin.trpc.apiKeys.create.mutate({
      name: 'A1 edge',
      scopes: ['ingest.write'],
      plantIds: [plantA1],
    });
    const edge = apiClient(server.url, { apiKey: key.key });
    const set = deviceCredentialSetSchema.parse(await edge.trpc.edge.deviceCredentials.query());
    const byName = new Map(set.credentials.map((c) => [c.username, c]));
    expect(byName.get(mine.username)).toMatchObject({
      plant: 'A1',
      line: 'L1',
      machine: null,
      revokedAt: null,
    });
    expect(verifies(mine.password, byName.get(mine.username)!.passwordHash)).toBe(true);
    expect(byName.get(revoked.username)?.revokedAt).not.toBeNull();
    expect(byName.has(notMine.username)).toBe(false);
    expect(set.credentials.every((c) => c.plant === 'A1')).toBe(true);
    expect(JSON.stringify(set)).not.toContain(mine.password);

    await expectApiError(
      admin.trpc.edge.deviceCredentials.query(),
      'FORBIDDEN',
      'Only API keys identify edge nodes',
    );
    const reader = await admin.trpc.apiKeys.create.mutate({
      name: 'Reader',
      scopes: ['plants.read'],
      plantIds: [plantA1],
    });
    await expectApiError(
      apiClient(server.url, { apiKey: reader.key }).trpc.edge.deviceCredentials.query(),
      'FORBIDDEN',
      /ingest\.write/,
    );
  });
});

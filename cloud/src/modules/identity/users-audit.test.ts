import { tables } from '@plantline/schema';
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/index.js';
import { type ApiClient, addUser, signIn } from '../../testing/api.js';
import { expectApiError } from '../../testing/api-assertions.js';
import { type Tenants, type TestServer, useTestApp } from '../../testing/app.js';
import { auditEntries, auditMark, auditText } from '../../testing/audit-entries.js';
import { testEngines } from '../../testing/engines.js';
import { TEST_PASSWORD } from '../../testing/tenants.js';
import { sha256 } from './secrets.js';

/*
 * What users.* and apiKeys.* leave in the audit trail (docs/audit.md): who did what to which user or
 * key, old and new values in readable form, and never a password, a key or a hash of either. A
 * refused or failed call leaves nothing.
 */
describe.each(testEngines)('users and API keys in the audit trail ($name engine)', (engine) => {
  const app = useTestApp(engine);
  let db: Database;
  let tenants: Tenants;
  let server: TestServer;
  let admin: ApiClient;
  let adminB: ApiClient;

  beforeAll(() => {
    ({ tenants, server, admin, adminB } = app);
    db = app.database.db;
  });

  /** Tenant A's entries recorded by `work`, and that tenant B's trail did not change meanwhile. */
  async function recordedBy(work: () => Promise<unknown>) {
    const [a, b] = [await auditMark(db, tenants.a.tenantId), await auditMark(db, tenants.b.tenantId)];
    await work();
    expect(await auditMark(db, tenants.b.tenantId)).toBe(b);
    return auditEntries(db, tenants.a.tenantId, a);
  }

  const byAdminA = { actorKind: 'user', actorName: 'Admin A', plantId: null } as const;

  async function passwordHashOf(userId: string) {
    const [user] = await db.ownerTransact({ tenantId: tenants.a.tenantId, plantIds: 'all' }, (tx) =>
      tx.select({ hash: tables.users.passwordHash }).from(tables.users).where(eq(tables.users.id, userId)),
    );
    return user!.hash;
  }

  it('records a new user with role keys and plant codes, never the password', async () => {
    const { a } = tenants;
    const email = `audited-${Date.now()}@test.plantline.local`;
    const password = 'the new user’s own secret';
    let id = '';
    const entries = await recordedBy(async () => {
      ({ id } = await admin.trpc.users.create.mutate({
        email,
        displayName: 'Audited Person',
        password,
        roleIds: [a.roleIds.operator!, a.roleIds.engineer!],
        plantIds: [a.plantIds[1]!, a.plantIds[0]!],
      }));
    });
    expect(entries).toEqual([
      expect.objectContaining({
        ...byAdminA,
        action: 'user.create',
        entityType: 'user',
        entityId: id,
        entityLabel: email,
        actorUserId: a.adminUserId,
        oldValues: null,
        newValues: {
          email,
          displayName: 'Audited Person',
          active: true,
          roles: ['engineer', 'operator'],
          plants: ['A1', 'A2'],
        },
      }),
    ]);
    const text = await auditText(db, a.tenantId);
    expect(text).toContain(email);
    expect(text).not.toContain(password);
    expect(text).not.toContain(await passwordHashOf(id));
  });

  it('records a change of name as an update and a change of standing as (re)activation', async () => {
    const user = await addUser(admin, { roleIds: [], plantIds: [] });
    const renamed = await recordedBy(() =>
      admin.trpc.users.update.mutate({ id: user.id, displayName: 'Renamed Person' }),
    );
    expect(renamed).toEqual([
      expect.objectContaining({
        ...byAdminA,
        action: 'user.update',
        entityId: user.id,
        entityLabel: user.email,
        oldValues: { displayName: `User ${user.email.slice(5, 15)}` },
        newValues: { displayName: 'Renamed Person' },
      }),
    ]);
    const deactivated = await recordedBy(() =>
      admin.trpc.users.update.mutate({ id: user.id, isActive: false }),
    );
    expect(deactivated).toEqual([
      expect.objectContaining({
        action: 'user.deactivate',
        oldValues: { active: true },
        newValues: { active: false },
      }),
    ]);
    // Deactivating again changes nothing, so there is nothing to record.
    expect(await recordedBy(() => admin.trpc.users.update.mutate({ id: user.id, isActive: false }))).toEqual(
      [],
    );
    const both = await recordedBy(() =>
      admin.trpc.users.update.mutate({ id: user.id, isActive: true, displayName: 'Back Again' }),
    );
    expect(both.map((e) => [e.action, e.oldValues, e.newValues])).toEqual([
      ['user.update', { displayName: 'Renamed Person' }, { displayName: 'Back Again' }],
      ['user.reactivate', { active: false }, { active: true }],
    ]);
  });

  it('records a password reset as an event, without the password or either hash', async () => {
    const user = await addUser(admin, { roleIds: [], plantIds: [] });
    const oldHash = await passwordHashOf(user.id);
    const password = 'a password set by the admin';
    const entries = await recordedBy(() => admin.trpc.users.resetPassword.mutate({ id: user.id, password }));
    expect(entries).toEqual([
      expect.objectContaining({
        ...byAdminA,
        action: 'user.password-change',
        entityId: user.id,
        entityLabel: user.email,
      }),
    ]);
    const newHash = await passwordHashOf(user.id);
    expect(newHash).not.toBe(oldHash);
    const text = await auditText(db, tenants.a.tenantId);
    for (const secret of [password, TEST_PASSWORD, oldHash, newHash]) expect(text).not.toContain(secret);
  });

  it('records role and plant assignments as old and new lists of keys and codes', async () => {
    const { a } = tenants;
    const user = await addUser(admin, { roleIds: [a.roleIds.operator!], plantIds: [a.plantIds[0]!] });
    const roles = await recordedBy(() =>
      admin.trpc.users.setRoles.mutate({
        userId: user.id,
        roleIds: [a.roleIds.supervisor!, a.roleIds.engineer!],
      }),
    );
    expect(roles).toEqual([
      expect.objectContaining({
        ...byAdminA,
        action: 'user.roles-change',
        entityId: user.id,
        entityLabel: user.email,
        oldValues: { roles: ['operator'] },
        newValues: { roles: ['engineer', 'supervisor'] },
      }),
    ]);
    const plants = await recordedBy(() =>
      admin.trpc.users.setPlants.mutate({ userId: user.id, plantIds: [a.plantIds[1]!, a.plantIds[0]!] }),
    );
    expect(plants).toEqual([
      expect.objectContaining({
        action: 'user.plant-access-change',
        oldValues: { plants: ['A1'] },
        newValues: { plants: ['A1', 'A2'] },
      }),
    ]);
    // The same roles again: nothing changed, nothing recorded.
    expect(
      await recordedBy(() =>
        admin.trpc.users.setRoles.mutate({
          userId: user.id,
          roleIds: [a.roleIds.engineer!, a.roleIds.supervisor!],
        }),
      ),
    ).toEqual([]);
  });

  it('leaves no entry of a refused, invalid or foreign change', async () => {
    const { a } = tenants;
    const operator = await addUser(admin, { roleIds: [a.roleIds.operator!], plantIds: [a.plantIds[0]!] });
    const asOperator = await signIn(server.url, operator.email);
    const target = await addUser(admin, { roleIds: [], plantIds: [] });
    const entries = await recordedBy(async () => {
      // Missing permission.
      await expectApiError(
        asOperator.trpc.users.update.mutate({ id: target.id, displayName: 'Not allowed' }),
        'FORBIDDEN',
      );
      // Refused by a rule of the domain.
      await expectApiError(
        admin.trpc.users.update.mutate({ id: a.adminUserId, isActive: false }),
        'FORBIDDEN',
        'You cannot deactivate yourself',
      );
      // Taken email; invalid input.
      await expectApiError(
        admin.trpc.users.create.mutate({ email: target.email, displayName: 'Twin', password: TEST_PASSWORD }),
        'CONFLICT',
      );
      await expectApiError(
        admin.trpc.users.setRoles.mutate({ userId: target.id, roleIds: ['not-a-uuid'] }),
        'BAD_REQUEST',
      );
      // A role of tenant B is not found here: the roles stay as they were.
      await expectApiError(
        admin.trpc.users.setRoles.mutate({
          userId: target.id,
          roleIds: [a.roleIds.operator!, tenants.b.roleIds.operator!],
        }),
        'NOT_FOUND',
      );
      // Tenant B's administrator cannot reach tenant A's users.
      await expectApiError(
        adminB.trpc.users.update.mutate({ id: target.id, displayName: 'Taken over' }),
        'NOT_FOUND',
      );
      await expectApiError(
        adminB.trpc.users.resetPassword.mutate({ id: target.id, password: 'taken over password' }),
        'NOT_FOUND',
      );
    });
    expect(entries).toEqual([]);
  });

  it('takes back a change with its entry when the tenant wants a reason and none was given', async () => {
    const user = await addUser(admin, { roleIds: [], plantIds: [] });
    const named = `User ${user.email.slice(5, 15)}`;
    await requireReasons(true);
    try {
      const refused = await recordedBy(() =>
        expectApiError(
          admin.trpc.users.update.mutate({ id: user.id, displayName: 'No reason' }),
          'BAD_REQUEST',
          /reason/,
        ),
      );
      expect(refused).toEqual([]);
      const listed = await admin.trpc.users.list.query();
      expect(listed.find((u) => u.id === user.id)?.displayName).toBe(named);
      // The reason travels as a member of any mutation's input, beside what its procedure declares.
      const withReason = { id: user.id, displayName: 'With reason', reason: 'Name misspelt at hiring' };
      const entries = await recordedBy(() => admin.trpc.users.update.mutate(withReason));
      expect(entries).toEqual([
        expect.objectContaining({ action: 'user.update', reason: 'Name misspelt at hiring' }),
      ]);
    } finally {
      await requireReasons(false);
    }
  });

  async function requireReasons(required: boolean) {
    const settings = { audit: { reasonRequired: required } };
    await db.ownerTransact({ tenantId: tenants.a.tenantId, plantIds: 'all' }, (tx) =>
      tx
        .insert(tables.systemSettings)
        .values({ tenantId: tenants.a.tenantId, settings })
        .onConflictDoUpdate({ target: tables.systemSettings.tenantId, set: { settings } }),
    );
  }

  it('records a new API key without the key, its secret part or its hash', async () => {
    const { a } = tenants;
    const expiresAt = new Date(Date.now() + 86_400_000);
    let created = { id: '', key: '', prefix: '' };
    const entries = await recordedBy(async () => {
      created = await admin.trpc.apiKeys.create.mutate({
        name: 'Line edge',
        scopes: ['masterdata.read', 'ingest.write'],
        plantIds: [a.plantIds[1]!, a.plantIds[0]!],
        expiresAt,
      });
    });
    expect(entries).toEqual([
      expect.objectContaining({
        ...byAdminA,
        action: 'api_key.create',
        entityType: 'api_key',
        entityId: created.id,
        entityLabel: 'Line edge',
        oldValues: null,
        newValues: {
          name: 'Line edge',
          prefix: created.prefix,
          scopes: ['ingest.write', 'masterdata.read'],
          plants: ['A1', 'A2'],
          expiresAt: expiresAt.toISOString(),
        },
      }),
    ]);
    const secret = created.key.slice(`plk_${created.prefix}_`.length);
    expect(secret).toHaveLength(43);
    const text = await auditText(db, a.tenantId);
    for (const hidden of [created.key, secret, sha256(created.key)]) expect(text).not.toContain(hidden);
  });

  it('records a revocation once, and nothing for a refused one', async () => {
    const key = await app.edge([tenants.a.plantIds[0]!]);
    const [{ id } = { id: '' }] = (await admin.trpc.apiKeys.list.query()).filter((k) =>
      key.key.startsWith(`plk_${k.prefix}_`),
    );
    expect(
      await recordedBy(() =>
        expectApiError(adminB.trpc.apiKeys.revoke.mutate({ id }), 'NOT_FOUND', 'API key not found'),
      ),
    ).toEqual([]);
    const revoked = await recordedBy(() => admin.trpc.apiKeys.revoke.mutate({ id }));
    expect(revoked).toEqual([
      expect.objectContaining({
        ...byAdminA,
        action: 'api_key.revoke',
        entityId: id,
        entityLabel: 'edge',
        oldValues: { revokedAt: null },
        newValues: { revokedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) },
      }),
    ]);
    // Revoking again keeps the first time: nothing changed.
    expect(await recordedBy(() => admin.trpc.apiKeys.revoke.mutate({ id }))).toEqual([]);
  });
});

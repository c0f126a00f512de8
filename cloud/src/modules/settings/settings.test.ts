import { readTenantSettings, tables } from '@plantline/schema';
import { asc, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, addUser, signIn } from '../../testing/api.js';
import { expectApiError } from '../../testing/api-assertions.js';
import { type Tenants, type TestServer, useTestApp } from '../../testing/app.js';
import { type TestDatabase, testEngines } from '../../testing/engines.js';
import { tenantSettings } from './index.js';

/*
 * Tenant settings over the API (docs/settings.md): defaults without a row, checked patches, saves
 * against a version, an audit entry per change, and the reason a tenant may require for changes.
 */
describe.each(testEngines)('tenant settings ($name engine)', (engine) => {
  const app = useTestApp(engine);
  let database: TestDatabase;
  let tenants: Tenants;
  let server: TestServer;
  let admin: ApiClient;
  let adminB: ApiClient;

  beforeAll(() => {
    ({ database, tenants, server, admin, adminB } = app);
  });

  const scopeOf = (tenant: 'a' | 'b') => ({ tenantId: tenants[tenant].tenantId, plantIds: 'all' as const });
  const entries = (tenant: 'a' | 'b') =>
    database.db.transact(scopeOf(tenant), (tx) =>
      tx
        .select()
        .from(tables.auditLog)
        .where(eq(tables.auditLog.entityType, 'settings'))
        .orderBy(asc(tables.auditLog.seq)),
    );
  const defaults = readTenantSettings(null);

  it('reads the defaults while the tenant has saved nothing', async () => {
    expect(await admin.trpc.settings.get.query()).toEqual({
      settings: {
        audit: { reasonRequired: false, retentionDays: 3650 },
        notifications: { emailByDefault: true, defaultDigest: 'off' },
        workflow: { signatureIdleMinutes: 15 },
        logistics: { gs1CompanyPrefix: null, ssccExtensionDigit: 0 },
        otd: {
          reference: 'requested',
          actual: 'shipped',
          earlyDays: 0,
          lateDays: 0,
          earlyIsLate: false,
          unit: 'line',
        },
      },
      version: 0,
      updatedAt: null,
      updatedBy: null,
      rules: {
        auditRetentionMinDays: 400,
        auditRetentionMinReason: expect.stringMatching(/^At least 400 days/),
      },
    });
    expect(await database.db.transact(scopeOf('a'), tenantSettings)).toEqual(defaults);
  });

  it('refuses a bad patch with the field at fault, and changes nothing', async () => {
    const short = await expectApiError(
      admin.trpc.settings.update.mutate({ version: 0, patch: { audit: { retentionDays: 364 } } }),
      'BAD_REQUEST',
    );
    expect(short.data?.fieldErrors).toEqual({
      'patch.audit.retentionDays': expect.stringMatching(/^At least 400 days: the audit trail must outlive/),
    });
    const unknown = await expectApiError(
      admin.trpc.settings.update.mutate({
        version: 0,
        patch: { audit: { retentionDays: 500, keepForever: true } as never },
      }),
      'BAD_REQUEST',
    );
    expect(unknown.data?.fieldErrors).toEqual({ 'patch.audit': expect.stringMatching(/keepForever/) });
    await expectApiError(
      admin.trpc.settings.update.mutate({ version: 0, patch: {} }),
      'BAD_REQUEST',
      /Nothing to change/,
    );
    expect(await admin.trpc.settings.get.query()).toMatchObject({ settings: defaults, version: 0 });
    expect(await entries('a')).toEqual([]);
  });

  it('saves a change against the version, names who saved it, and audits old → new', async () => {
    const saved = await admin.trpc.settings.update.mutate({
      version: 0,
      patch: { audit: { retentionDays: 1825 }, notifications: { defaultDigest: 'daily' } },
    });
    expect(saved).toMatchObject({
      settings: {
        audit: { reasonRequired: false, retentionDays: 1825 },
        notifications: { emailByDefault: true, defaultDigest: 'daily' },
      },
      version: 1,
      updatedBy: 'Admin A',
    });
    expect(saved.updatedAt).not.toBeNull();
    expect(await admin.trpc.settings.get.query()).toEqual(saved);
    expect(await database.db.transact(scopeOf('a'), tenantSettings)).toEqual(saved.settings);

    const [entry] = await entries('a');
    expect(entry).toMatchObject({
      action: 'settings.update',
      entityType: 'settings',
      entityId: tenants.a.tenantId,
      actorName: 'Admin A',
      oldValues: { 'audit.retentionDays': 3650, 'notifications.defaultDigest': 'off' },
      newValues: { 'audit.retentionDays': 1825, 'notifications.defaultDigest': 'daily' },
      reason: null,
    });

    // Saving the values already in force writes nothing: no new version, no entry.
    const same = await admin.trpc.settings.update.mutate({
      version: 1,
      patch: { audit: { retentionDays: 1825 } },
    });
    expect(same.version).toBe(1);
    expect(await entries('a')).toHaveLength(1);
  });

  it('refuses a save made from an older version, naming who changed the settings and when', async () => {
    const { a } = tenants;
    const other = await addUser(admin, { roleIds: [a.roleIds.admin!], plantIds: [] });
    const otherAdmin = await signIn(server.url, other.email);
    const { version } = await admin.trpc.settings.get.query();
    // Two administrators save from the same version at once: one wins, the other is told to reload.
    const results = await Promise.allSettled([
      admin.trpc.settings.update.mutate({ version, patch: { notifications: { emailByDefault: false } } }),
      otherAdmin.trpc.settings.update.mutate({ version, patch: { audit: { retentionDays: 999 } } }),
    ]);
    const won = results.filter((r) => r.status === 'fulfilled');
    expect(won).toHaveLength(1);
    const after = await admin.trpc.settings.get.query();
    expect(after.version).toBe(version + 1);
    const lost = results.findIndex((r) => r.status === 'rejected');
    const loser = lost === 0 ? admin : otherAdmin;
    const winnerName = after.updatedBy!;
    expect(winnerName).toBe(lost === 0 ? `User ${other.email.slice(5, 15)}` : 'Admin A');

    // The loser tries again from what they had: refused, nothing overwritten.
    const stale = await expectApiError(
      loser.trpc.settings.update.mutate({ version, patch: { audit: { retentionDays: 2000 } } }),
      'CONFLICT',
    );
    expect(stale.message).toMatch(
      new RegExp(
        `^These settings were changed by ${winnerName} at \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC .*; reload`,
      ),
    );
    expect(await admin.trpc.settings.get.query()).toEqual(after);
  });

  it('keeps each tenant’s settings to itself', async () => {
    const b = await adminB.trpc.settings.get.query();
    expect(b).toMatchObject({ settings: defaults, version: 0, updatedBy: null });
    expect(await database.db.transact(scopeOf('b'), tenantSettings)).toEqual(defaults);
    // B's first save does not collide with A's row, and leaves A's as it was.
    const a = await admin.trpc.settings.get.query();
    await adminB.trpc.settings.update.mutate({ version: 0, patch: { audit: { retentionDays: 730 } } });
    expect(await admin.trpc.settings.get.query()).toEqual(a);
    expect((await adminB.trpc.settings.get.query()).settings.audit.retentionDays).toBe(730);
    expect((await entries('b')).map((e) => e.entityId)).toEqual([tenants.b.tenantId]);
  });

  it('lets tenant.read see the settings and not change them', async () => {
    const { a } = tenants;
    // Operators hold tenant.read and not tenant.manage (schema/src/permissions.ts).
    const user = await addUser(admin, { roleIds: [a.roleIds.operator!], plantIds: [a.plantIds[0]!] });
    const operator = await signIn(server.url, user.email);
    const seen = await operator.trpc.settings.get.query();
    expect(seen).toEqual(await admin.trpc.settings.get.query());
    await expectApiError(
      operator.trpc.settings.update.mutate({
        version: seen.version,
        patch: { audit: { reasonRequired: true } },
      }),
      'FORBIDDEN',
      'This needs the permission tenant.manage',
    );
    expect(await admin.trpc.settings.get.query()).toEqual(seen);
  });

  describe('with a reason required for changes', () => {
    const version = async () => (await adminB.trpc.settings.get.query()).version;

    it('asks for a reason when the rule is switched on', async () => {
      const before = await adminB.trpc.settings.get.query();
      const refused = await expectApiError(
        adminB.trpc.settings.update.mutate({
          version: before.version,
          patch: { audit: { reasonRequired: true } },
        }),
        'BAD_REQUEST',
        'Give a reason for this change: this tenant requires one',
      );
      expect(refused.data?.fieldErrors).toEqual({ reason: 'Required' });
      expect(await adminB.trpc.settings.get.query()).toEqual(before);
      await adminB.trpc.settings.update.mutate({
        version: before.version,
        patch: { audit: { reasonRequired: true } },
        reason: 'Annex 11 review',
      });
      expect((await entries('b')).at(-1)).toMatchObject({
        newValues: { 'audit.reasonRequired': true },
        reason: 'Annex 11 review',
      });
    });

    it('refuses a change without a reason and keeps everything as it was', async () => {
      const before = await adminB.trpc.settings.get.query();
      const count = (await entries('b')).length;
      for (const reason of [undefined, '   ']) {
        const refused = await expectApiError(
          adminB.trpc.settings.update.mutate({
            version: before.version,
            patch: { audit: { retentionDays: 1000 } },
            ...(reason === undefined ? {} : { reason }),
          }),
          'BAD_REQUEST',
        );
        expect(refused.data?.fieldErrors).toEqual({ reason: 'Required' });
      }
      expect(await adminB.trpc.settings.get.query()).toEqual(before);
      expect(await entries('b')).toHaveLength(count);
    });

    it('saves the change with the reason given, and records the reason with it', async () => {
      const saved = await adminB.trpc.settings.update.mutate({
        version: await version(),
        patch: { audit: { retentionDays: 1000 } },
        reason: '  Quality agreement with customer X  ',
      });
      expect(saved.settings.audit.retentionDays).toBe(1000);
      expect((await entries('b')).at(-1)).toMatchObject({
        action: 'settings.update',
        oldValues: { 'audit.retentionDays': 730 },
        newValues: { 'audit.retentionDays': 1000 },
        reason: 'Quality agreement with customer X',
        actorName: 'Admin B',
      });
    });

    it('asks for a reason to switch the rule off, too', async () => {
      const refused = await expectApiError(
        adminB.trpc.settings.update.mutate({
          version: await version(),
          patch: { audit: { reasonRequired: false } },
        }),
        'BAD_REQUEST',
      );
      expect(refused.data?.fieldErrors).toEqual({ reason: 'Required' });
      expect((await adminB.trpc.settings.get.query()).settings.audit.reasonRequired).toBe(true);
      await adminB.trpc.settings.update.mutate({
        version: await version(),
        patch: { audit: { reasonRequired: false } },
        reason: 'Pilot over',
      });
      expect((await entries('b')).at(-1)).toMatchObject({
        oldValues: { 'audit.reasonRequired': true },
        newValues: { 'audit.reasonRequired': false },
        reason: 'Pilot over',
      });
    });

    it('refuses a reason that is not text of at most 1000 characters', async () => {
      await expectApiError(
        adminB.trpc.settings.update.mutate({
          version: await version(),
          patch: { audit: { retentionDays: 1100 } },
          reason: 'x'.repeat(1001),
        }),
        'BAD_REQUEST',
        /at most 1000 characters/,
      );
      expect((await adminB.trpc.settings.get.query()).settings.audit.retentionDays).toBe(1000);
    });
  });
});

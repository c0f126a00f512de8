import { tables } from '@plantline/schema';
import { and, eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../db/index.js';
import { audit, describeAuditCaller } from '../../platform/index.js';
import { type ApiClient, addUser, signIn } from '../../testing/api.js';
import { expectApiError } from '../../testing/api-assertions.js';
import { type Tenants, type TestServer, useTestApp } from '../../testing/app.js';
import { type TestDatabase, testEngines } from '../../testing/engines.js';
import { verifyChain } from './verify.js';

/*
 * Reading the audit trail through the API (docs/audit.md, "Reading the trail"): filters, keyset paging,
 * one record's history, the filter menus, plant reach, other tenants and the permission. Entries are
 * written with audit() in db.transact, as a module's change would; the tests read only their own
 * entity types, since the other modules' audited writes (signing in, creating roles) add entries too.
 */
describe.each(testEngines)('the audit trail API ($name engine)', (engine) => {
  const app = useTestApp(engine);
  let database: TestDatabase;
  let tenants: Tenants;
  let server: TestServer;
  let admin: ApiClient;
  let adminB: ApiClient;
  const unique = (name: string) => `${name}-${Math.random().toString(36).slice(2, 8)}`;

  /** Writes one audited change of tenant A per item, each in its own transaction, as `userId`. */
  async function record(
    changes: {
      action: string;
      entityType: string;
      entityId: string;
      plantId?: string | null;
      label?: string;
    }[],
    as: { userId: string; reason?: string } = { userId: tenants.a.adminUserId },
  ) {
    for (const change of changes) {
      await database.db.transact(
        { tenantId: tenants.a.tenantId, userId: as.userId, plantIds: 'all' },
        async (tx) => {
          describeAuditCaller(tx, {
            actor: { kind: 'user', userId: as.userId, apiKeyId: null, onBehalfOfUserId: null },
            requestId: 'req-test',
            clientAddress: '10.1.2.3',
            reason: as.reason ?? null,
          });
          audit(tx, {
            action: change.action,
            entityType: change.entityType,
            entityId: change.entityId,
            entityLabel: change.label ?? null,
            plantId: change.plantId ?? null,
            before: change.action.endsWith('.create') ? null : { name: 'old' },
            after: { name: 'new' },
          });
        },
      );
    }
  }

  beforeAll(async () => {
    ({ database, tenants, server, admin, adminB } = app);
  });

  it('lists entries newest first with everything an entry says, paging by seq', async () => {
    const type = unique('widget');
    const [plant1] = tenants.a.plantIds as [string];
    await record(
      Array.from({ length: 7 }, (_, i) => ({
        action: i === 0 ? 'widget.create' : 'widget.update',
        entityType: type,
        entityId: `w-${i}`,
        plantId: i % 2 === 0 ? plant1 : null,
        label: `W${i}`,
      })),
      { userId: tenants.a.adminUserId, reason: 'Calibration' },
    );
    const first = await admin.trpc.audit.entries.list.query({ entityType: type, limit: 3 });
    expect(first.entries.map((e) => e.entityId)).toEqual(['w-6', 'w-5', 'w-4']);
    expect(first.nextBefore).toBe(first.entries.at(-1)!.seq);
    expect(first.entries[0]).toMatchObject({
      actorKind: 'user',
      actorUserId: tenants.a.adminUserId,
      actorApiKeyId: null,
      onBehalfOfUserId: null,
      actorName: 'Admin A',
      action: 'widget.update',
      entityLabel: 'W6',
      plantId: plant1,
      plantCode: 'A1',
      oldValues: { name: 'old' },
      newValues: { name: 'new' },
      reason: 'Calibration',
      requestId: 'req-test',
      clientAddress: '10.1.2.3',
    });
    expect(first.entries[0]!.recordedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(first.entries[0]!.prevHash).toBe(first.entries[1]!.hash);
    expect(first.entries[1]!.plantCode).toBeNull();

    const second = await admin.trpc.audit.entries.list.query({
      entityType: type,
      limit: 3,
      before: first.nextBefore!,
    });
    expect(second.entries.map((e) => e.entityId)).toEqual(['w-3', 'w-2', 'w-1']);
    const last = await admin.trpc.audit.entries.list.query({
      entityType: type,
      limit: 3,
      before: second.nextBefore!,
    });
    expect(last.entries.map((e) => e.entityId)).toEqual(['w-0']);
    expect(last.nextBefore).toBeNull();
  });

  it('filters by action or action prefix, entity, actor, plant and time', async () => {
    const type = unique('gadget');
    const [plant1, plant2] = tenants.a.plantIds as [string, string];
    const other = await addUser(admin, { roleIds: [tenants.a.roleIds.engineer!], plantIds: [plant1] });
    const startedAt = new Date(Date.now() - 1);
    await record([
      { action: 'gadget.create', entityType: type, entityId: 'g-1', plantId: plant1 },
      { action: 'gadget.update', entityType: type, entityId: 'g-1', plantId: plant1 },
      { action: 'gadget.retire', entityType: type, entityId: 'g-2', plantId: plant2 },
    ]);
    await record([{ action: 'gadgetry.update', entityType: type, entityId: 'g-3' }], { userId: other.id });
    const ids = async (filters: Parameters<typeof admin.trpc.audit.entries.list.query>[0]) =>
      (await admin.trpc.audit.entries.list.query({ entityType: type, ...filters })).entries.map(
        (e) => `${e.action}:${e.entityId}`,
      );
    expect(await ids({ action: 'gadget.update' })).toEqual(['gadget.update:g-1']);
    // A prefix ends in '.': gadgetry.* is not gadget.*.
    expect(await ids({ action: 'gadget.' })).toEqual([
      'gadget.retire:g-2',
      'gadget.update:g-1',
      'gadget.create:g-1',
    ]);
    expect(await ids({ entityId: 'g-1' })).toEqual(['gadget.update:g-1', 'gadget.create:g-1']);
    expect(await ids({ actorUserId: other.id })).toEqual(['gadgetry.update:g-3']);
    expect(await ids({ plantId: plant2 })).toEqual(['gadget.retire:g-2']);
    expect(await ids({ from: startedAt.toISOString() })).toHaveLength(4);
    expect(await ids({ to: startedAt.toISOString() })).toEqual([]);
    expect(await ids({ from: new Date(Date.now() + 60_000).toISOString() })).toEqual([]);
  });

  it('gives one record its history, and the filter menus what is present', async () => {
    const type = unique('fixture');
    await record([
      { action: 'fixture.create', entityType: type, entityId: 'f-1' },
      { action: 'fixture.update', entityType: type, entityId: 'f-1' },
      { action: 'fixture.update', entityType: type, entityId: 'f-2' },
    ]);
    const history = await admin.trpc.audit.entries.history.query({ entityType: type, entityId: 'f-1' });
    expect(history.entries.map((e) => e.action)).toEqual(['fixture.update', 'fixture.create']);
    expect(history.truncated).toBe(false);

    const facets = await admin.trpc.audit.entries.facets.query();
    expect(facets.entityTypes).toContain(type);
    expect(facets.actions).toEqual(expect.arrayContaining(['fixture.create', 'fixture.update']));
    expect(facets.actions).toEqual([...facets.actions].sort());
    expect(facets.actors).toContainEqual({ id: tenants.a.adminUserId, name: 'Admin A' });
    // Tenant B's menus show nothing of tenant A's.
    const facetsB = await adminB.trpc.audit.entries.facets.query();
    expect(facetsB.entityTypes).not.toContain(type);
    expect(facetsB.actors.map((a) => a.id)).not.toContain(tenants.a.adminUserId);
  });

  it('shows a user the tenant-wide entries and those of their plants only', async () => {
    const type = unique('press');
    const [plant1, plant2] = tenants.a.plantIds as [string, string];
    await record([
      { action: 'press.create', entityType: type, entityId: 'p-1', plantId: plant1 },
      { action: 'press.create', entityType: type, entityId: 'p-2', plantId: plant2 },
      { action: 'press.create', entityType: type, entityId: 'p-3' },
    ]);
    const role = await admin.trpc.rbac.roles.create.mutate({
      key: unique('auditor'),
      name: 'Auditor',
      permissions: ['audit.read'],
    });
    const user = await addUser(admin, { roleIds: [role.id], plantIds: [plant1] });
    const auditor = await signIn(server.url, user.email);
    const seen = await auditor.trpc.audit.entries.list.query({ entityType: type });
    expect(seen.entries.map((e) => e.entityId)).toEqual(['p-3', 'p-1']);
    expect(await auditor.trpc.audit.entries.list.query({ entityType: type, plantId: plant2 })).toEqual({
      entries: [],
      nextBefore: null,
    });
    expect(
      (await auditor.trpc.audit.entries.history.query({ entityType: type, entityId: 'p-2' })).entries,
    ).toEqual([]);
  });

  it('keeps tenants apart and refuses callers without audit.read', async () => {
    const type = unique('secret');
    await record([{ action: 'secret.create', entityType: type, entityId: 's-1' }]);
    expect((await adminB.trpc.audit.entries.list.query({ entityType: type })).entries).toEqual([]);
    expect(
      (await adminB.trpc.audit.entries.history.query({ entityType: type, entityId: 's-1' })).entries,
    ).toEqual([]);
    const engineer = await addUser(admin, {
      roleIds: [tenants.a.roleIds.engineer!],
      plantIds: [...tenants.a.plantIds],
    });
    const caller = await signIn(server.url, engineer.email);
    const refusal = 'This needs the permission audit.read';
    await expectApiError(caller.trpc.audit.entries.list.query({}), 'FORBIDDEN', refusal);
    await expectApiError(
      caller.trpc.audit.entries.history.query({ entityType: type, entityId: 's-1' }),
      'FORBIDDEN',
    );
    await expectApiError(caller.trpc.audit.entries.facets.query(), 'FORBIDDEN');
    await expectApiError(caller.trpc.audit.verify.mutate({}), 'FORBIDDEN', refusal);
    await expectApiError(caller.trpc.audit.verifications.list.query({}), 'FORBIDDEN');
  });

  it('refuses malformed filters with a message that says which', async () => {
    const list = admin.trpc.audit.entries.list;
    await expectApiError(list.query({ limit: 0 }), 'BAD_REQUEST', /limit/);
    await expectApiError(list.query({ limit: 201 }), 'BAD_REQUEST', /limit/);
    await expectApiError(list.query({ before: 0 }), 'BAD_REQUEST', /before/);
    await expectApiError(list.query({ action: 'role update' }), 'BAD_REQUEST', /action/);
    await expectApiError(list.query({ actorUserId: 'nobody' }), 'BAD_REQUEST', /actorUserId: Not a valid id/);
    await expectApiError(list.query({ from: 'yesterday' }), 'BAD_REQUEST', /from/);
    await expectApiError(
      list.query({ from: '2026-01-02T00:00:00Z', to: '2026-01-01T00:00:00Z' }),
      'BAD_REQUEST',
      /to: The end must come after the start/,
    );
    await expectApiError(
      admin.trpc.audit.verify.mutate({ from: 'yesterday' as 'start' }),
      'BAD_REQUEST',
      /from/,
    );
  });

  it('verifies the whole chain for a user of some plants, and records each run', async () => {
    const type = unique('valve');
    const [plant1, plant2] = tenants.a.plantIds as [string, string];
    await record([
      { action: 'valve.create', entityType: type, entityId: 'v-1', plantId: plant1 },
      { action: 'valve.create', entityType: type, entityId: 'v-2', plantId: plant2 },
    ]);
    const [head] = await database.db.transact({ tenantId: tenants.a.tenantId, plantIds: 'all' }, (tx) =>
      tx.select().from(tables.auditChainHeads).where(eq(tables.auditChainHeads.tenantId, tenants.a.tenantId)),
    );
    const role = await admin.trpc.rbac.roles.create.mutate({
      key: unique('verifier'),
      name: 'Verifier',
      permissions: ['audit.read'],
    });
    const user = await addUser(admin, { roleIds: [role.id], plantIds: [plant1] });
    const verifier = await signIn(server.url, user.email);
    const result = await verifier.trpc.audit.verify.mutate({ from: 'start' });
    // Every entry up to the head, plant 2's too, though this user sees only plant 1.
    expect(result).toMatchObject({ ok: true, fromSeq: 1, firstBadSeq: null, reason: null });
    expect(result.checked).toBeGreaterThanOrEqual(head!.seq);
    expect(Date.parse(result.verifiedAt)).toBeGreaterThan(Date.now() - 60_000);

    const runs = await admin.trpc.audit.verifications.list.query({ limit: 5 });
    expect(runs[0]).toMatchObject({
      trigger: 'request',
      requestedBy: user.id,
      ok: true,
      fromSeq: 1,
      checked: result.checked,
      firstBadSeq: null,
    });
    expect((await adminB.trpc.audit.verifications.list.query({})).map((r) => r.id)).not.toContain(
      runs[0]!.id,
    );
  });

  it('gives the rest of the verifying transaction back the caller’s own plants', async () => {
    const type = unique('gauge');
    const [plant1, plant2] = tenants.a.plantIds as [string, string];
    await record([{ action: 'gauge.create', entityType: type, entityId: 'g-2', plantId: plant2 }]);
    const scope = { tenantId: tenants.a.tenantId, userId: tenants.a.adminUserId, plantIds: [plant1] };
    const after = await database.db.transact(scope, async (tx) => {
      const { result } = await verifyChain(tx, tenants.a.tenantId, 'start');
      const seen = await tx
        .select()
        .from(tables.auditLog)
        .where(and(eq(tables.auditLog.tenantId, tenants.a.tenantId), eq(tables.auditLog.entityType, type)));
      const [setting] = await rows<{ all: string }>(
        tx,
        sql`select current_setting('plantline.all_plants') as all`,
      );
      return { ok: result.ok, seen: seen.length, all: setting?.all };
    });
    expect(after).toEqual({ ok: true, seen: 0, all: 'off' });
  });
});

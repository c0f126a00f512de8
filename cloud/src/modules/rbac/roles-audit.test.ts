import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/index.js';
import { type ApiClient, addUser, signIn } from '../../testing/api.js';
import { expectApiError } from '../../testing/api-assertions.js';
import { type Tenants, type TestServer, useTestApp } from '../../testing/app.js';
import { auditEntries, auditMark } from '../../testing/audit-entries.js';
import { testEngines } from '../../testing/engines.js';

/*
 * Roles in the audit trail (docs/audit.md): creation with its permissions, each change with the old
 * and new values (permissions sorted), deletion with what the role was and who held it. A refused
 * change leaves nothing.
 */
describe.each(testEngines)('roles in the audit trail ($name engine)', (engine) => {
  const app = useTestApp(engine);
  let db: Database;
  let tenants: Tenants;
  let server: TestServer;
  let admin: ApiClient;
  let adminB: ApiClient;
  let count = 0;

  beforeAll(() => {
    ({ tenants, server, admin, adminB } = app);
    db = app.database.db;
  });

  async function recordedBy(work: () => Promise<unknown>) {
    const [a, b] = [await auditMark(db, tenants.a.tenantId), await auditMark(db, tenants.b.tenantId)];
    await work();
    expect(await auditMark(db, tenants.b.tenantId)).toBe(b);
    return auditEntries(db, tenants.a.tenantId, a);
  }

  async function newRole() {
    count += 1;
    const key = `audited-${count}`;
    const { id } = await admin.trpc.rbac.roles.create.mutate({
      key,
      name: `Audited ${count}`,
      permissions: ['plants.read', 'events.read'],
    });
    return { id, key };
  }

  const byAdminA = { actorKind: 'user', actorName: 'Admin A', plantId: null } as const;

  it('records a new role with its permissions, sorted', async () => {
    let id = '';
    const entries = await recordedBy(async () => {
      ({ id } = await admin.trpc.rbac.roles.create.mutate({
        key: 'shift-lead',
        name: 'Shift lead',
        description: 'Runs a shift',
        permissions: ['users.read', 'events.read', 'plants.read'],
      }));
    });
    expect(entries).toEqual([
      expect.objectContaining({
        ...byAdminA,
        action: 'role.create',
        entityType: 'role',
        entityId: id,
        entityLabel: 'shift-lead',
        oldValues: null,
        newValues: {
          key: 'shift-lead',
          name: 'Shift lead',
          description: 'Runs a shift',
          permissions: ['events.read', 'plants.read', 'users.read'],
        },
      }),
    ]);
  });

  it('records only what an update changed: name, description, permissions', async () => {
    const role = await newRole();
    const renamed = await recordedBy(() =>
      admin.trpc.rbac.roles.update.mutate({
        id: role.id,
        name: 'Renamed',
        permissions: ['plants.read', 'events.read'],
      }),
    );
    expect(renamed).toEqual([
      expect.objectContaining({
        ...byAdminA,
        action: 'role.update',
        entityId: role.id,
        entityLabel: role.key,
        oldValues: { name: `Audited ${count}` },
        newValues: { name: 'Renamed' },
      }),
    ]);
    const regranted = await recordedBy(() =>
      admin.trpc.rbac.roles.update.mutate({ id: role.id, permissions: ['users.read', 'plants.read'] }),
    );
    expect(regranted.map((e) => [e.action, e.oldValues, e.newValues])).toEqual([
      [
        'role.update',
        { permissions: ['events.read', 'plants.read'] },
        { permissions: ['plants.read', 'users.read'] },
      ],
    ]);
  });

  it('records a deletion with the role as it was and who held it', async () => {
    const role = await newRole();
    const holder = await addUser(admin, { roleIds: [role.id], plantIds: [] });
    const entries = await recordedBy(() => admin.trpc.rbac.roles.delete.mutate({ id: role.id }));
    expect(entries).toEqual([
      expect.objectContaining({
        ...byAdminA,
        action: 'role.delete',
        entityId: role.id,
        entityLabel: role.key,
        oldValues: {
          key: role.key,
          name: `Audited ${count}`,
          description: '',
          permissions: ['events.read', 'plants.read'],
          heldBy: [holder.email],
        },
        newValues: null,
      }),
    ]);
  });

  it('leaves no entry of a refused, invalid or foreign change', async () => {
    const { a } = tenants;
    const role = await newRole();
    const editorRole = await admin.trpc.rbac.roles.create.mutate({
      key: 'role-editor',
      name: 'Role editor',
      permissions: ['roles.read', 'roles.manage'],
    });
    const editor = await addUser(admin, { roleIds: [editorRole.id], plantIds: [] });
    const asEditor = await signIn(server.url, editor.email);
    const entries = await recordedBy(async () => {
      await expectApiError(
        admin.trpc.rbac.roles.update.mutate({ id: a.roleIds.admin!, permissions: ['users.read'] }),
        'FORBIDDEN',
      );
      await expectApiError(admin.trpc.rbac.roles.delete.mutate({ id: a.roleIds.operator! }), 'FORBIDDEN');
      await expectApiError(
        asEditor.trpc.rbac.roles.update.mutate({ id: role.id, permissions: ['users.manage'] }),
        'FORBIDDEN',
      );
      await expectApiError(admin.trpc.rbac.roles.update.mutate({ id: role.id, name: '' }), 'BAD_REQUEST');
      await expectApiError(adminB.trpc.rbac.roles.update.mutate({ id: role.id, name: 'Mine' }), 'NOT_FOUND');
      await expectApiError(adminB.trpc.rbac.roles.delete.mutate({ id: role.id }), 'NOT_FOUND');
    });
    expect(entries).toEqual([]);
  });
});

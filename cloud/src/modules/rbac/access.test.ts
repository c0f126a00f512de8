import type { Permission } from '@plantline/schema';
import { beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, addUser, signIn } from '../../testing/api.js';
import { expectApiError } from '../../testing/api-assertions.js';
import { type Tenants, type TestServer, useTestApp } from '../../testing/app.js';
import { testEngines } from '../../testing/engines.js';
import { TEST_PASSWORD } from '../../testing/tenants.js';

describe.each(testEngines)('roles, permissions and plant access over the API ($name engine)', (engine) => {
  const app = useTestApp(engine);
  let tenants: Tenants;
  let server: TestServer;
  let admin: ApiClient;
  let roleCount = 0;

  beforeAll(() => {
    ({ tenants, server, admin } = app);
  });

  /** A custom role holding exactly these permissions, and a signed-in user who has only it. */
  async function userWith(permissions: Permission[], plantIds: string[] = [tenants.a.plantIds[0]!]) {
    roleCount += 1;
    const role = await admin.trpc.rbac.roles.create.mutate({
      key: `custom-${roleCount}`,
      name: `Custom ${roleCount}`,
      permissions,
    });
    const user = await addUser(admin, { roleIds: [role.id], plantIds });
    const client = await signIn(server.url, user.email);
    return { ...user, roleId: role.id, client };
  }

  describe('plant scoping', () => {
    it('shows a user only the plants granted to them', async () => {
      const { a } = tenants;
      const user = await addUser(admin, { roleIds: [a.roleIds.operator!], plantIds: [a.plantIds[0]!] });
      const operator = await signIn(server.url, user.email);
      const me = await operator.trpc.auth.me.query();
      expect(me.roles).toEqual(['operator']);
      expect(me.plants.map((p) => p.id)).toEqual([a.plantIds[0]]);
      expect((await operator.trpc.tenancy.plants.list.query()).map((p) => p.id)).toEqual([a.plantIds[0]]);
      // The user list tells an administrator who sees every plant through a role (plants.all).
      const listed = await admin.trpc.users.list.query();
      expect(listed.find((u) => u.id === user.id)).toMatchObject({
        plantIds: [a.plantIds[0]],
        allPlants: false,
      });
      expect(listed.find((u) => u.email === a.adminEmail)?.allPlants).toBe(true);
    });

    it('refuses what the role does not allow, naming the permission', async () => {
      const { a } = tenants;
      const user = await addUser(admin, { roleIds: [a.roleIds.operator!], plantIds: [a.plantIds[0]!] });
      const operator = await signIn(server.url, user.email);
      const error = await expectApiError(
        operator.trpc.users.list.query(),
        'FORBIDDEN',
        'This needs the permission users.read',
      );
      expect(error.data?.httpStatus).toBe(403);
      await expectApiError(
        operator.trpc.tenancy.plants.update.mutate({ id: a.plantIds[0]!, patch: { name: 'Mine now' } }),
        'FORBIDDEN',
        'This needs the permission plants.manage',
      );
      await expectApiError(operator.trpc.apiKeys.list.query(), 'FORBIDDEN', /apikeys\.manage/);
      await expectApiError(operator.trpc.rbac.roles.list.query(), 'FORBIDDEN', /roles\.read/);
    });

    it('shows nothing to a user without plant grants, and plants.all shows the whole tenant', async () => {
      const { a } = tenants;
      const none = await addUser(admin, { roleIds: [a.roleIds.operator!], plantIds: [] });
      const noPlants = await signIn(server.url, none.email);
      expect(await noPlants.trpc.tenancy.plants.list.query()).toEqual([]);

      const exec = await addUser(admin, { roleIds: [a.roleIds.executive!], plantIds: [] });
      const executive = await signIn(server.url, exec.email);
      const plants = await executive.trpc.tenancy.plants.list.query();
      expect(plants.map((p) => p.id).sort()).toEqual([...a.plantIds].sort());
    });

    it('applies a change of plant access on the user’s next request', async () => {
      const { a } = tenants;
      const user = await addUser(admin, { roleIds: [a.roleIds.operator!], plantIds: [a.plantIds[0]!] });
      const operator = await signIn(server.url, user.email);
      await admin.trpc.users.setPlants.mutate({ userId: user.id, plantIds: [a.plantIds[1]!] });
      expect((await operator.trpc.tenancy.plants.list.query()).map((p) => p.id)).toEqual([a.plantIds[1]]);
    });

    it('treats a plant of the own tenant outside the user’s reach as not found', async () => {
      const { a } = tenants;
      const manager = await userWith(['plants.read', 'plants.manage']);
      const renamed = await manager.client.trpc.tenancy.plants.update.mutate({
        id: a.plantIds[0]!,
        patch: { name: 'A plant 1' },
      });
      expect(renamed.id).toBe(a.plantIds[0]);
      await expectApiError(
        manager.client.trpc.tenancy.plants.update.mutate({
          id: a.plantIds[1]!,
          patch: { name: 'Out of reach' },
        }),
        'NOT_FOUND',
        'Plant not found',
      );
    });

    it('does not let a user grant plants they cannot see', async () => {
      const { a } = tenants;
      const manager = await userWith(['users.read', 'users.manage']);
      const user = await addUser(admin, { roleIds: [], plantIds: [] });
      await expectApiError(
        manager.client.trpc.users.setPlants.mutate({ userId: user.id, plantIds: [a.plantIds[1]!] }),
        'NOT_FOUND',
        'Plant not found',
      );
    });
  });

  describe('privilege escalation', () => {
    it('does not let a user manager make themselves an administrator', async () => {
      const { a } = tenants;
      const manager = await userWith(['users.read', 'users.manage']);
      await expectApiError(
        manager.client.trpc.users.setRoles.mutate({
          userId: manager.id,
          roleIds: [manager.roleId, a.roleIds.admin!],
        }),
        'FORBIDDEN',
        /You cannot grant permissions you do not hold: .*roles\.manage/,
      );
      expect((await manager.client.trpc.auth.me.query()).roles).toEqual([`custom-${roleCount}`]);
    });

    it('does not let a user manager hand out roles above their own', async () => {
      const { a } = tenants;
      const manager = await userWith(['users.read', 'users.manage']);
      const user = await addUser(admin, { roleIds: [], plantIds: [] });
      await expectApiError(
        manager.client.trpc.users.setRoles.mutate({ userId: user.id, roleIds: [a.roleIds.engineer!] }),
        'FORBIDDEN',
        /masterdata\.manage/,
      );
      const email = `would-be-admin-${roleCount}@test.plantline.local`;
      await expectApiError(
        manager.client.trpc.users.create.mutate({
          email,
          displayName: 'Would-be admin',
          password: TEST_PASSWORD,
          roleIds: [a.roleIds.admin!],
        }),
        'FORBIDDEN',
      );
      const users = await admin.trpc.users.list.query();
      expect(users.map((u) => u.email)).not.toContain(email);
      expect(users.find((u) => u.id === user.id)?.roleIds).toEqual([]);
    });

    it('does not let a user manager edit roles', async () => {
      const { a } = tenants;
      const manager = await userWith(['users.read', 'users.manage']);
      await expectApiError(
        manager.client.trpc.rbac.roles.update.mutate({ id: a.roleIds.admin!, permissions: ['users.read'] }),
        'FORBIDDEN',
        'This needs the permission roles.manage',
      );
      await expectApiError(
        manager.client.trpc.rbac.roles.update.mutate({
          id: manager.roleId,
          permissions: ['users.read', 'users.manage', 'roles.manage'],
        }),
        'FORBIDDEN',
        'This needs the permission roles.manage',
      );
    });

    it('does not let a role manager add to a role what they do not hold', async () => {
      const editor = await userWith(['roles.read', 'roles.manage']);
      await expectApiError(
        editor.client.trpc.rbac.roles.update.mutate({
          id: editor.roleId,
          permissions: ['roles.read', 'roles.manage', 'users.manage'],
        }),
        'FORBIDDEN',
        'You cannot grant permissions you do not hold: users.manage',
      );
      await expectApiError(
        editor.client.trpc.rbac.roles.create.mutate({
          key: `sneaky-${roleCount}`,
          name: 'Sneaky',
          permissions: ['apikeys.manage'],
        }),
        'FORBIDDEN',
        /apikeys\.manage/,
      );
      const roles = await admin.trpc.rbac.roles.list.query();
      expect(roles.find((r) => r.id === editor.roleId)?.permissions).toEqual(['roles.manage', 'roles.read']);
      expect(roles.map((r) => r.key)).not.toContain(`sneaky-${roleCount}`);
    });

    it('keeps the Administrator role whole, even against an administrator', async () => {
      const { a } = tenants;
      await expectApiError(
        admin.trpc.rbac.roles.update.mutate({ id: a.roleIds.admin!, permissions: ['users.read'] }),
        'FORBIDDEN',
        'The Administrator role always holds every permission',
      );
      await expectApiError(
        admin.trpc.rbac.roles.delete.mutate({ id: a.roleIds.admin! }),
        'FORBIDDEN',
        'Built-in roles can be edited but not deleted',
      );
      const adminRole = (await admin.trpc.rbac.roles.list.query()).find((r) => r.id === a.roleIds.admin);
      expect(adminRole?.permissions).toContain('roles.manage');
    });

    it('does not let a user manager lock themselves or an administrator out by accident', async () => {
      const manager = await userWith(['users.read', 'users.manage']);
      await expectApiError(
        manager.client.trpc.users.setRoles.mutate({ userId: manager.id, roleIds: [] }),
        'FORBIDDEN',
        'You cannot remove your own right to manage users',
      );
      await expectApiError(
        admin.trpc.users.update.mutate({ id: tenants.a.adminUserId, isActive: false }),
        'FORBIDDEN',
        'You cannot deactivate yourself',
      );
    });

    it('does not let a user manager take over an account that holds more than they do', async () => {
      const { a } = tenants;
      const manager = await userWith(['users.read', 'users.manage']);
      const victim = await addUser(admin, { roleIds: [a.roleIds.admin!], plantIds: [] });
      const takeovers = [
        () =>
          manager.client.trpc.users.resetPassword.mutate({
            id: victim.id,
            password: 'the manager knows this',
          }),
        () => manager.client.trpc.users.update.mutate({ id: victim.id, isActive: false }),
        () => manager.client.trpc.users.setRoles.mutate({ userId: victim.id, roleIds: [] }),
        () => manager.client.trpc.users.setPlants.mutate({ userId: victim.id, plantIds: [a.plantIds[0]!] }),
      ];
      for (const takeover of takeovers) {
        await expectApiError(takeover(), 'FORBIDDEN', /holds permissions you do not/);
      }
      const me = await (await signIn(server.url, victim.email)).trpc.auth.me.query();
      expect(me.roles).toEqual(['admin']);
      await expectApiError(
        signIn(server.url, victim.email, 'the manager knows this'),
        'UNAUTHORIZED',
        'Invalid email or password',
      );
    });

    it('does not let a user manager take over an account with plants outside their reach', async () => {
      const { a } = tenants;
      const manager = await userWith(['users.read', 'users.manage']);
      const elsewhere = await addUser(admin, { roleIds: [], plantIds: [a.plantIds[1]!] });
      await expectApiError(
        manager.client.trpc.users.resetPassword.mutate({
          id: elsewhere.id,
          password: 'the manager knows this',
        }),
        'FORBIDDEN',
        'This user has access to plants outside your reach',
      );
    });

    it('lets a user manager manage users who hold no more than they do', async () => {
      const { a } = tenants;
      const manager = await userWith(['users.read', 'users.manage', 'plants.read']);
      const user = await addUser(admin, { roleIds: [manager.roleId], plantIds: [] });
      await manager.client.trpc.users.setPlants.mutate({ userId: user.id, plantIds: [a.plantIds[0]!] });
      await manager.client.trpc.users.resetPassword.mutate({ id: user.id, password: 'a brand new password' });
      await manager.client.trpc.users.update.mutate({ id: user.id, isActive: false });
    });
  });
});

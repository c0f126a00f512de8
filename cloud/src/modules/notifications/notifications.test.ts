import type { Permission } from '@plantline/schema';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../db/index.js';
import { type ApiClient, addUser, signIn, wsClient } from '../../testing/api.js';
import { expectApiError } from '../../testing/api-assertions.js';
import { useTestApp } from '../../testing/app.js';
import { testEngines } from '../../testing/engines.js';
import { until } from '../../testing/until.js';
import type { NotificationsLiveMessage } from './live.js';
import { type NotificationRequest, notify, notifyNow } from './notify.js';

/*
 * Notifications without email (docs/notifications.md): who receives what notify() is asked to send,
 * each user's own list, unread count and read marks, preferences, the live bell over the real
 * WebSocket server — and that none of it crosses tenants or reaches a caller it is not for. Email is
 * in email.test.ts.
 */
describe.each(testEngines)('notifications ($name engine)', (engine) => {
  const app = useTestApp(engine);
  const open: (() => void)[] = [];
  let plants: { a1: string; a2: string };

  beforeAll(async () => {
    const [a1, a2] = app.tenants.a.plantIds as [string, string];
    plants = { a1, a2 };
  });
  afterAll(() => {
    for (const close of open) close();
  });

  /** Notifies in tenant `t` as a job would: a transaction of its own, the bus told after commit. */
  function notifyIn(t: 'a' | 'b', request: NotificationRequest) {
    const tenant = app.tenants[t];
    return notifyNow(app.server.deps, { tenantId: tenant.tenantId, plantIds: 'all' }, request);
  }

  let roleCount = 0;
  /** A signed-in user of tenant A with a role of its own holding `permissions`, granted `plantIds`. */
  async function user(permissions: Permission[], plantIds: string[], roleKey = `r-${++roleCount}`) {
    const role = await app.admin.trpc.rbac.roles.create.mutate({ key: roleKey, name: roleKey, permissions });
    const { id, email } = await addUser(app.admin, { roleIds: [role.id], plantIds });
    const session = await signIn(app.server.url, email);
    return { id, roleId: role.id, session };
  }

  const titles = async (client: ApiClient, input: { unreadOnly?: boolean } = {}) =>
    (await client.trpc.notifications.list.query(input)).items.map((n) => n.title);

  describe('recipients', () => {
    it('reaches the members of a role within a plant, not a member without access to it', async () => {
      const withPlant = await user(['kpi.read'], [plants.a1], 'shift-lead');
      const other = await addUser(app.admin, { roleIds: [withPlant.roleId], plantIds: [plants.a2] });
      const everywhere = await addUser(app.admin, {
        roleIds: [withPlant.roleId, (await user(['plants.all'], [])).roleId],
        plantIds: [],
      });
      const notified = await notifyIn('a', {
        to: { role: 'shift-lead', plantId: plants.a1 },
        kind: 'orders.released',
        title: 'Order released on A1',
      });
      expect(notified.userIds.sort()).toEqual([withPlant.id, everywhere.id].sort());
      expect(notified.userIds).not.toContain(other.id);
      // By id too, and without a plant every member.
      const byId = await notifyIn('a', { to: { role: withPlant.roleId }, kind: 'x.y', title: 'All leads' });
      expect(byId.userIds.sort()).toEqual([withPlant.id, other.id, everywhere.id].sort());
      expect(await titles(withPlant.session)).toEqual(['All leads', 'Order released on A1']);
    });

    it('reaches holders of a permission, each user once, active users only', async () => {
      const auditor = await user(['audit.read'], [plants.a1]);
      const both = await user(['audit.read', 'kpi.read'], [plants.a2]);
      const gone = await user(['audit.read'], [plants.a1]);
      await app.admin.trpc.users.update.mutate({ id: gone.id, isActive: false });
      const notified = await notifyIn('a', {
        to: [{ permission: 'audit.read' }, { userIds: [both.id, both.id] }],
        kind: 'audit.verify.failed',
        title: 'The audit trail failed its verification',
      });
      expect(notified.userIds).toContain(auditor.id);
      expect(notified.userIds).toContain(app.tenants.a.adminUserId);
      expect(notified.userIds.filter((id) => id === both.id)).toHaveLength(1);
      expect(notified.userIds).not.toContain(gone.id);
      // Within a plant: the holder who reaches only A2 is left out.
      const withinA1 = await notifyIn('a', {
        to: { permission: 'audit.read', plantId: plants.a1 },
        kind: 'audit.verify.failed',
        title: 'A1 only',
      });
      expect(withinA1.userIds).toContain(auditor.id);
      expect(withinA1.userIds).not.toContain(both.id);
    });

    it('sends a notification about a plant only to those who reach that plant', async () => {
      const a1 = await user(['kpi.read'], [plants.a1]);
      const a2 = await user(['kpi.read'], [plants.a2]);
      const notified = await notifyIn('a', {
        to: { userIds: [a1.id, a2.id] },
        kind: 'machines.down',
        title: 'M1 is down',
        plantId: plants.a1,
        link: '/machines/m1',
        entity: { type: 'machine', id: 'm1' },
      });
      expect(notified.userIds).toEqual([a1.id]);
      const [item] = (await a1.session.trpc.notifications.list.query({})).items;
      expect(item).toMatchObject({
        title: 'M1 is down',
        plantId: plants.a1,
        link: '/machines/m1',
        readAt: null,
      });
      expect(item?.entityType).toBe('machine');
      expect(await titles(a2.session)).toEqual([]);
    });

    it('never reaches another tenant’s users, even named by id', async () => {
      const notified = await notifyIn('a', {
        to: { userIds: [app.tenants.b.adminUserId] },
        kind: 'x.y',
        title: 'For B?',
      });
      expect(notified.userIds).toEqual([]);
      expect(await titles(app.adminB)).not.toContain('For B?');
    });

    it('refuses a malformed request and writes nothing', async () => {
      const before = (await app.admin.trpc.notifications.unreadCount.query()).unread;
      const to = { userIds: [app.tenants.a.adminUserId] };
      for (const bad of [
        { to, kind: 'Not A Kind', title: 'x' },
        { to, kind: 'x.y', title: '   ' },
        { to, kind: 'x.y', title: 'x', link: 'https://evil.example.com/' },
        { to, kind: 'x.y', title: 'x', link: '//evil.example.com/' },
        { to, kind: 'x.y', title: 'x', plantId: 'A1' },
        { to: { role: 'admin', plantId: 'nope' }, kind: 'x.y', title: 'x' },
      ]) {
        await expect(notifyIn('a', bad)).rejects.toThrow(/Notification:/);
      }
      expect((await app.admin.trpc.notifications.unreadCount.query()).unread).toBe(before);
    });

    it('leaves nothing behind when the caller’s transaction rolls back', async () => {
      const target = await user(['kpi.read'], []);
      const { tenantId } = app.tenants.a;
      // The bus is told only through afterCommit, which the caller runs once it has committed.
      const afterCommit: (() => void)[] = [];
      await expect(
        app.database.db.transact({ tenantId, plantIds: 'all' }, async (tx) => {
          const notified = await notify(
            { tx, afterCommit: (effect) => afterCommit.push(effect), deps: app.server.deps },
            { to: { userIds: [target.id] }, kind: 'x.y', title: 'Rolled back' },
          );
          expect(notified.userIds).toEqual([target.id]);
          throw new Error('the business change failed');
        }),
      ).rejects.toThrow('the business change failed');
      expect(afterCommit).toHaveLength(1);
      expect(await titles(target.session)).toEqual([]);
      expect(await target.session.trpc.notifications.unreadCount.query()).toEqual({ unread: 0 });
    });
  });

  describe('a user’s own notifications', () => {
    it('lists newest first a page at a time, counts unread and marks read', async () => {
      const reader = await user(['kpi.read'], []);
      for (const n of [1, 2, 3, 4, 5])
        await notifyIn('a', { to: { userIds: [reader.id] }, kind: 'x.y', title: `N${n}` });
      const t = reader.session.trpc.notifications;
      const first = await t.list.query({ limit: 2 });
      expect(first.items.map((n) => n.title)).toEqual(['N5', 'N4']);
      const second = await t.list.query({ limit: 2, before: first.next ?? undefined });
      expect(second.items.map((n) => n.title)).toEqual(['N3', 'N2']);
      const last = await t.list.query({ limit: 2, before: second.next ?? undefined });
      expect(last).toMatchObject({ next: null });
      expect(last.items.map((n) => n.title)).toEqual(['N1']);
      expect(await t.unreadCount.query()).toEqual({ unread: 5 });

      expect(await t.markRead.mutate({ ids: [first.items[0]!.id, second.items[0]!.id] })).toEqual({
        changed: 2,
        unread: 3,
      });
      expect(await titles(reader.session, { unreadOnly: true })).toEqual(['N4', 'N2', 'N1']);
      // Marking again changes nothing.
      expect((await t.markRead.mutate({ ids: [first.items[0]!.id] })).changed).toBe(0);
      expect(await t.markRead.mutate({ all: true })).toEqual({ changed: 3, unread: 0 });
      const [read] = (await t.list.query({ limit: 1 })).items;
      expect(read?.readAt).not.toBeNull();
    });

    it('keeps each user’s notifications to themselves, and each tenant’s to itself', async () => {
      const mine = await user(['kpi.read'], []);
      const theirs = await user(['kpi.read'], []);
      await notifyIn('a', { to: { userIds: [theirs.id] }, kind: 'x.y', title: 'Not yours' });
      await notifyIn('b', { to: { userIds: [app.tenants.b.adminUserId] }, kind: 'x.y', title: 'B only' });
      const [bItem] = (await app.adminB.trpc.notifications.list.query({})).items;
      const [theirItem] = (await theirs.session.trpc.notifications.list.query({})).items;
      expect(bItem?.title).toBe('B only');

      expect(await titles(mine.session)).toEqual([]);
      expect(await titles(app.admin)).not.toContain('B only');
      // Someone else's ids are passed over: nothing changes for them.
      for (const other of [bItem!.id, theirItem!.id]) {
        expect(await mine.session.trpc.notifications.markRead.mutate({ ids: [other] })).toEqual({
          changed: 0,
          unread: 0,
        });
        expect((await mine.session.trpc.notifications.list.query({ before: other })).items).toEqual([]);
      }
      expect((await app.adminB.trpc.notifications.list.query({})).items[0]?.readAt).toBeNull();
      expect((await theirs.session.trpc.notifications.unreadCount.query()).unread).toBe(1);
    });

    it('answers bad input with a clear error', async () => {
      const t = app.admin.trpc.notifications;
      await expectApiError(t.list.query({ limit: 0 }), 'BAD_REQUEST');
      await expectApiError(t.list.query({ before: 'not-an-id' }), 'BAD_REQUEST');
      await expectApiError(t.markRead.mutate({ ids: [] }), 'BAD_REQUEST');
      await expectApiError(t.markRead.mutate({ all: false } as never), 'BAD_REQUEST');
    });

    it('is for users: an API key has no notifications', async () => {
      const edge = await app.edge([plants.a1]);
      await expectApiError(edge.trpc.notifications.list.query({}), 'FORBIDDEN', /signed-in users/);
      await expectApiError(edge.trpc.notifications.markRead.mutate({ all: true }), 'FORBIDDEN');
    });
  });

  describe('preferences', () => {
    it('start from the tenant’s defaults and keep the user’s choices', async () => {
      const person = await user(['kpi.read'], []);
      const t = person.session.trpc.notifications.preferences;
      const initial = await t.get.query();
      expect(initial).toMatchObject({
        emailConfigured: false,
        defaults: { email: true, digest: 'off' },
        digest: { value: 'off', chosen: false },
      });
      expect(initial.kinds.map((k) => k.kind)).toContain('audit.verify.failed');
      // The catalogue's kinds are offered before any arrived, by their label (kinds.ts).
      expect(initial.kinds).toContainEqual({
        kind: 'workflow.sla-reminder',
        label: 'Workflow: a step waiting for you is due soon',
        email: true,
        chosen: false,
      });

      const changed = await t.set.mutate({
        kinds: [{ kind: 'audit.verify.failed', email: false }],
        digest: 'daily',
      });
      expect(changed.digest).toEqual({ value: 'daily', chosen: true });
      expect(changed.kinds.find((k) => k.kind === 'audit.verify.failed')).toMatchObject({
        email: false,
        chosen: true,
      });
      // Back to the defaults.
      const reset = await t.set.mutate({
        kinds: [{ kind: 'audit.verify.failed', email: null }],
        digest: null,
      });
      expect(reset.digest).toEqual({ value: 'off', chosen: false });
      expect(reset.kinds.find((k) => k.kind === 'audit.verify.failed')).toMatchObject({
        email: true,
        chosen: false,
      });
      // Another user's choices are untouched by all this.
      expect((await app.admin.trpc.notifications.preferences.get.query()).digest.chosen).toBe(false);
    });

    it('refuses a malformed choice and keeps the earlier ones', async () => {
      const person = await user(['kpi.read'], []);
      const t = person.session.trpc.notifications.preferences;
      await t.set.mutate({ kinds: [{ kind: 'orders.released', email: false }] });
      await expectApiError(
        t.set.mutate({
          kinds: [
            { kind: 'orders.released', email: true },
            { kind: 'NOT a kind', email: true },
          ],
        }),
        'BAD_REQUEST',
      );
      await expectApiError(t.set.mutate({ digest: 'weekly' as never }), 'BAD_REQUEST');
      expect((await t.get.query()).kinds.find((k) => k.kind === 'orders.released')?.email).toBe(false);
    });
  });

  describe('the test notification and the delivery log', () => {
    it('without SMTP: the test notification arrives in the app, and no email is queued', async () => {
      const person = await user(['kpi.read'], []);
      expect(await person.session.trpc.notifications.sendTest.mutate()).toEqual({ email: 'off' });
      expect(await titles(person.session)).toEqual(['Test notification']);
      const queued = await app.database.db.transact(
        { tenantId: app.tenants.a.tenantId, plantIds: 'all' },
        (tx) => rows<{ n: number }>(tx, sql`select count(*)::int as n from notification_deliveries`),
      );
      expect(Number(queued[0]?.n)).toBe(0);
      expect(await app.admin.trpc.notifications.deliveries.list.query({})).toMatchObject({
        emailConfigured: false,
        items: [],
      });
    });

    it('shows the delivery log only to those who manage the tenant', async () => {
      const usersAdmin = await user(['users.manage', 'users.read'], []);
      await expectApiError(usersAdmin.session.trpc.notifications.deliveries.list.query({}), 'FORBIDDEN');
      const tenantAdmin = await user(['tenant.manage'], []);
      expect((await tenantAdmin.session.trpc.notifications.deliveries.list.query({})).items).toEqual([]);
    });
  });

  describe('the live bell', () => {
    function bell(token: string) {
      const client = wsClient(app.server.url, { token });
      const messages: NotificationsLiveMessage[] = [];
      const errors: unknown[] = [];
      const subscription = client.trpc.notifications.live.subscribe(undefined, {
        onData: (message) => messages.push(message),
        onError: (error) => errors.push(error),
      });
      const close = () => {
        subscription.unsubscribe();
        client.close();
      };
      open.push(close);
      return { messages, errors, close };
    }

    it('sends the unread count at once, then each new notification for the caller only', async () => {
      const watcher = await user(['kpi.read'], []);
      const bystander = await user(['kpi.read'], []);
      await notifyIn('a', { to: { userIds: [watcher.id] }, kind: 'x.y', title: 'Before' });
      const live = bell(watcher.session.token);
      await until(() => live.messages.length > 0, 'the first count');
      expect(live.messages[0]).toEqual({ unread: 1, added: [] });

      await notifyIn('a', { to: { userIds: [bystander.id] }, kind: 'x.y', title: 'Not for the watcher' });
      await notifyIn('b', { to: { userIds: [app.tenants.b.adminUserId] }, kind: 'x.y', title: 'Tenant B' });
      await notifyIn('a', { to: { userIds: [watcher.id] }, kind: 'x.y', title: 'Live one', link: '/events' });
      await until(() => live.messages.length > 1, 'the new notification');
      expect(live.messages[1]).toMatchObject({ unread: 2, added: [{ title: 'Live one', link: '/events' }] });

      // Read in another tab: the bell follows.
      await watcher.session.trpc.notifications.markRead.mutate({ all: true });
      await until(() => live.messages.length > 2, 'the count after reading');
      expect(live.messages[2]).toEqual({ unread: 0, added: [] });
      expect(live.messages.flatMap((m) => m.added.map((n) => n.title))).toEqual(['Live one']);
      expect(live.errors).toEqual([]);
      live.close();
    });

    it('ends when the caller is deactivated', async () => {
      const leaving = await user(['kpi.read'], []);
      const live = bell(leaving.session.token);
      await until(() => live.messages.length > 0, 'the first count');
      await app.admin.trpc.users.update.mutate({ id: leaving.id, isActive: false });
      await until(() => live.errors.length > 0, 'the bell to end');
      await notifyIn('a', { to: { userIds: [leaving.id] }, kind: 'x.y', title: 'After' });
      expect(live.messages).toHaveLength(1);
    });
  });
});

import { sql } from 'drizzle-orm';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { rows } from '../../db/index.js';
import { addUser, signIn } from '../../testing/api.js';
import { useTestApp } from '../../testing/app.js';
import { testEngines, testLog } from '../../testing/engines.js';
import { useSmtpServer } from '../../testing/smtp.js';
import type { EmailOutbox } from './email-outbox.js';
import { sendDueEmails } from './email-sender.js';
import { type NotificationRequest, notifyNow } from './notify.js';
import { MAX_EMAIL_ATTEMPTS } from './retry-policy.js';
import { smtpTransport } from './smtp.js';

/*
 * Notification email over a real SMTP server started by the test (docs/notifications.md, "Email"):
 * what arrives, retries with back-off when the server refuses, giving up, opt-outs, digests, the
 * delivery log, and two senders at once sending each email once. The outbox's clock is the test's:
 * retries and digest windows come due when the test moves it, not by waiting.
 */
describe.each(testEngines)('notification email ($name engine)', (engine) => {
  const smtp = useSmtpServer();
  let skew = 0;
  const app = useTestApp(engine, {
    email: {
      get smtpUrl() {
        return smtp.url;
      },
      clock: () => new Date(Date.now() + skew),
    },
  });
  let outbox: EmailOutbox;

  beforeAll(() => {
    const email = app.server.deps.email;
    if (email === null) throw new Error('the test server has no email');
    outbox = email;
  });
  beforeEach(() => {
    skew = 0;
  });

  const minutes = (n: number) => n * 60_000;

  function notifyIn(request: NotificationRequest) {
    return notifyNow(app.server.deps, { tenantId: app.tenants.a.tenantId, plantIds: 'all' }, request);
  }

  async function person() {
    const { id, email } = await addUser(app.admin, { roleIds: [], plantIds: [] });
    return { id, email, session: await signIn(app.server.url, email) };
  }

  /** The tenant's delivery rows of one user, oldest first. */
  function deliveriesOf(userId: string) {
    return app.database.db.transact({ tenantId: app.tenants.a.tenantId, plantIds: 'all' }, (tx) =>
      rows<{
        status: string;
        attempts: number;
        last_error: string | null;
        message_id: string | null;
        notification_id: string | null;
        next_attempt_at: Date | string;
      }>(
        tx,
        sql`select status, attempts, last_error, message_id, notification_id::text as notification_id,
                   next_attempt_at
              from notification_deliveries where user_id = ${userId} order by created_at, id`,
      ),
    );
  }

  /**
   * Moves a user's notifications, deliveries and digest window `m` minutes into the past, as if that
   * much time had passed since they were written.
   */
  async function travelBack(userId: string, m: number) {
    const { tenantId } = app.tenants.a;
    const shift = sql`${m} * interval '1 minute'`;
    await app.database.db.ownerTransact({ tenantId, plantIds: 'all' }, async (tx) => {
      await tx.execute(
        sql`update notifications set created_at = created_at - ${shift} where user_id = ${userId}`,
      );
      await tx.execute(
        sql`update notification_deliveries set created_at = created_at - ${shift} where user_id = ${userId}`,
      );
      await tx.execute(
        sql`update notification_digests set covered_until = covered_until - ${shift} where user_id = ${userId}`,
      );
    });
  }

  const mailTo = (address: string) => smtp.received.filter((m) => m.to.includes(address));

  it('emails the notification to its recipient with the subject and an absolute link', async () => {
    const recipient = await person();
    await notifyIn({
      to: { userIds: [recipient.id] },
      kind: 'orders.released',
      title: 'Order 4711 released',
      body: 'Line 2, 500 pieces',
      link: '/orders?plant=A1',
    });
    await outbox.sendDue();
    const [email] = mailTo(recipient.email);
    expect(email).toBeDefined();
    expect(email?.to).toEqual([recipient.email]);
    expect(email?.subject).toBe('Order 4711 released');
    expect(email?.text).toContain('Line 2, 500 pieces');
    expect(email?.text).toContain(`Open in Plantline: ${app.server.url}/orders?plant=A1`);
    const [delivery] = await deliveriesOf(recipient.id);
    expect(delivery).toMatchObject({ status: 'sent', attempts: 1, last_error: null });
    expect(delivery?.message_id).toBe(email?.messageId);
  });

  it('retries with back-off while the server refuses, then sends, and the log shows the attempts', async () => {
    const recipient = await person();
    smtp.refuseNext(2);
    await notifyIn({ to: { userIds: [recipient.id] }, kind: 'x.retry', title: 'Try, try again' });
    await outbox.sendDue();
    let [delivery] = await deliveriesOf(recipient.id);
    expect(delivery).toMatchObject({ status: 'pending', attempts: 1 });
    expect(delivery?.last_error).toMatch(/451/);
    const firstRetry = new Date(delivery!.next_attempt_at).getTime() - (Date.now() + skew);
    expect(firstRetry).toBeGreaterThan(20_000);
    expect(firstRetry).toBeLessThanOrEqual(30_000);

    // Not due yet: nothing is tried.
    await outbox.sendDue();
    expect((await deliveriesOf(recipient.id))[0]?.attempts).toBe(1);

    skew += 31_000;
    await outbox.sendDue();
    [delivery] = await deliveriesOf(recipient.id);
    expect(delivery).toMatchObject({ status: 'pending', attempts: 2 });
    const secondRetry = new Date(delivery!.next_attempt_at).getTime() - (Date.now() + skew);
    expect(secondRetry).toBeGreaterThan(50_000);
    expect(secondRetry).toBeLessThanOrEqual(60_000);
    expect(mailTo(recipient.email)).toEqual([]);

    skew += 61_000;
    await outbox.sendDue();
    [delivery] = await deliveriesOf(recipient.id);
    expect(delivery).toMatchObject({ status: 'sent', attempts: 3, last_error: null });
    expect(mailTo(recipient.email).map((m) => m.subject)).toEqual(['Try, try again']);

    const log = await app.admin.trpc.notifications.deliveries.list.query({ userId: recipient.id });
    expect(log.emailConfigured).toBe(true);
    expect(log.items).toMatchObject([
      {
        kind: 'notification',
        subject: 'Try, try again',
        status: 'sent',
        attempts: 3,
        address: recipient.email,
      },
    ]);
  });

  it('gives up after the last attempt and keeps the server’s last answer', async () => {
    const recipient = await person();
    smtp.refuseAll();
    try {
      await notifyIn({ to: { userIds: [recipient.id] }, kind: 'x.fail', title: 'Never arrives' });
      for (let attempt = 0; attempt < MAX_EMAIL_ATTEMPTS + 2; attempt++) {
        await outbox.sendDue();
        skew += minutes(61);
      }
    } finally {
      smtp.refuseNext(0);
    }
    const [delivery] = await deliveriesOf(recipient.id);
    expect(delivery).toMatchObject({ status: 'failed', attempts: MAX_EMAIL_ATTEMPTS });
    expect(delivery?.last_error).toMatch(/451 Mailbox busy/);
    expect(mailTo(recipient.email)).toEqual([]);
    const log = await app.admin.trpc.notifications.deliveries.list.query({ status: 'failed' });
    expect(log.items.find((d) => d.userId === recipient.id)).toMatchObject({
      status: 'failed',
      attempts: MAX_EMAIL_ATTEMPTS,
      nextAttemptAt: null,
    });
  });

  it('sends a deactivated user no more email: what waited is skipped', async () => {
    const leaving = await person();
    smtp.refuseNext(1);
    await notifyIn({ to: { userIds: [leaving.id] }, kind: 'x.leave', title: 'Still there?' });
    await outbox.sendDue();
    expect((await deliveriesOf(leaving.id))[0]).toMatchObject({ status: 'pending', attempts: 1 });
    await app.admin.trpc.users.update.mutate({ id: leaving.id, isActive: false });
    skew += minutes(2);
    await outbox.sendDue();
    expect((await deliveriesOf(leaving.id))[0]).toMatchObject({
      status: 'skipped',
      attempts: 1,
      last_error: 'The user is deactivated',
    });
    expect(mailTo(leaving.email)).toEqual([]);
  });

  it('sends no email for a kind the user turned off, and the others still', async () => {
    const recipient = await person();
    await recipient.session.trpc.notifications.preferences.set.mutate({
      kinds: [{ kind: 'orders.released', email: false }],
    });
    await notifyIn({ to: { userIds: [recipient.id] }, kind: 'orders.released', title: 'Quiet' });
    await notifyIn({ to: { userIds: [recipient.id] }, kind: 'orders.completed', title: 'Loud' });
    await outbox.sendDue();
    expect(mailTo(recipient.email).map((m) => m.subject)).toEqual(['Loud']);
    // Both are in the app.
    const list = await recipient.session.trpc.notifications.list.query({});
    expect(list.items.map((n) => n.title)).toEqual(['Loud', 'Quiet']);
  });

  it('follows the tenant’s default where the user has not chosen', async () => {
    const chooser = await person();
    const follower = await person();
    await chooser.session.trpc.notifications.preferences.set.mutate({
      kinds: [{ kind: 'shifts.started', email: true }],
    });
    const { tenantId } = app.tenants.a;
    await app.database.db.ownerTransact({ tenantId, plantIds: 'all' }, (tx) =>
      tx.execute(sql`insert into system_settings (tenant_id, settings)
                     values (${tenantId}, ${JSON.stringify({ notifications: { emailByDefault: false } })}::jsonb)`),
    );
    try {
      await notifyIn({
        to: { userIds: [chooser.id, follower.id] },
        kind: 'shifts.started',
        title: 'Shift on',
      });
      await outbox.sendDue();
      expect(mailTo(chooser.email).map((m) => m.subject)).toEqual(['Shift on']);
      expect(mailTo(follower.email)).toEqual([]);
      expect((await follower.session.trpc.notifications.preferences.get.query()).defaults).toEqual({
        email: false,
        digest: 'off',
      });
    } finally {
      await app.database.db.ownerTransact({ tenantId, plantIds: 'all' }, (tx) =>
        tx.execute(sql`delete from system_settings where tenant_id = ${tenantId}`),
      );
    }
  });

  it('gathers a digest user’s notifications into one email once the hour has passed', async () => {
    const reader = await person();
    await reader.session.trpc.notifications.preferences.set.mutate({ digest: 'hourly' });
    for (const title of ['First', 'Second', 'Third'])
      await notifyIn({ to: { userIds: [reader.id] }, kind: 'x.digest', title, link: `/x/${title}` });
    await outbox.sendDue();
    await outbox.gatherDigests();
    await outbox.sendDue();
    // Within the hour: no email of their own, and no digest yet.
    expect(mailTo(reader.email)).toEqual([]);
    expect(await deliveriesOf(reader.id)).toEqual([]);

    await travelBack(reader.id, 61);
    expect(await outbox.gatherDigests()).toBeGreaterThanOrEqual(1);
    await outbox.sendDue();
    const [digest, ...more] = mailTo(reader.email);
    expect(more).toEqual([]);
    expect(digest?.subject).toBe('Plantline: 3 new notifications');
    for (const title of ['First', 'Second', 'Third']) {
      expect(digest?.text).toContain(`- ${title} (`);
      expect(digest?.text).toContain(`${app.server.url}/x/${title}`);
    }
    expect(await deliveriesOf(reader.id)).toMatchObject([
      { status: 'sent', notification_id: null, attempts: 1 },
    ]);

    // The window moved on: the next notification waits for the next hour, and then goes alone.
    await notifyIn({ to: { userIds: [reader.id] }, kind: 'x.digest', title: 'Fourth' });
    await outbox.gatherDigests();
    await outbox.sendDue();
    expect(mailTo(reader.email)).toHaveLength(1);
    await travelBack(reader.id, 61);
    await outbox.gatherDigests();
    await outbox.sendDue();
    const latest = mailTo(reader.email).at(-1);
    expect(mailTo(reader.email)).toHaveLength(2);
    expect(latest?.subject).toBe('Plantline: 1 new notification');
    expect(latest?.text).toContain('- Fourth (');
    expect(latest?.text).not.toContain('First');
  });

  it('emails the test notification whatever the preferences say', async () => {
    const admin = await person();
    await admin.session.trpc.notifications.preferences.set.mutate({ digest: 'daily' });
    expect(await admin.session.trpc.notifications.sendTest.mutate()).toEqual({ email: 'queued' });
    await outbox.sendDue();
    const [email] = mailTo(admin.email);
    expect(email?.subject).toBe('Test notification');
    expect(email?.text).toContain(`${app.server.url}/notifications`);
    expect((await admin.session.trpc.notifications.preferences.get.query()).emailConfigured).toBe(true);
  });

  it('sends each email once when two senders work the queue at once', async () => {
    const recipients = await Promise.all([person(), person(), person()]);
    const senders = [0, 1].map(() => ({
      db: app.database.db,
      transport: smtpTransport(smtp.url, 'Plantline <plantline@test.plantline.local>'),
      publicUrl: () => app.server.url,
      log: testLog,
    }));
    // Queued without the app's own sender noticing: straight into the queue, as another instance would.
    const { tenantId } = app.tenants.a;
    await app.database.db.transact({ tenantId, plantIds: 'all' }, async (tx) => {
      for (const r of recipients)
        for (const n of [1, 2, 3, 4, 5, 6, 7, 8])
          await tx.execute(sql`
            with n as (insert into notifications (tenant_id, user_id, kind, title)
                       values (${tenantId}, ${r.id}, 'x.race', ${`Race ${n}`}) returning id)
            insert into notification_deliveries (tenant_id, notification_id, user_id, address, subject)
            select ${tenantId}, n.id, ${r.id}, ${r.email}, ${`Race ${n}`} from n`);
    });
    const clock = () => new Date(Date.now() + skew);
    const reports = await Promise.all(senders.map((s) => sendDueEmails(s, clock)));
    for (const s of senders) s.transport.close();
    await outbox.sendDue();
    expect(reports.reduce((sum, r) => sum + r.sent, 0)).toBe(24);
    for (const r of recipients) {
      expect(
        mailTo(r.email)
          .map((m) => m.subject)
          .sort(),
      ).toEqual([1, 2, 3, 4, 5, 6, 7, 8].map((n) => `Race ${n}`).sort());
    }
  });
});

import { sql } from 'drizzle-orm';
import { rows, type Sql } from '../../db/index.js';
import { type DigestWindow, listedDigestWindow } from './digest-window.js';
import type { EmailNotification } from './email-content.js';
import { afterFailedAttempt } from './retry-policy.js';

/*
 * The email queue (notification_deliveries, docs/notifications.md, "The delivery log"): pending rows
 * are claimed, sent outside any transaction, and their outcome recorded. A claim moves the row's next
 * attempt a lease ahead, in a transaction that locks with SKIP LOCKED: two cloud instances claim
 * disjoint rows, and a row claimed by an instance that dies before recording is tried again once the
 * lease has passed. The SMTP exchange is never inside a transaction, which on the embedded engine
 * would hold its one connection for as long as the mail server takes.
 */

/** How long a claimed delivery is left to its claimer. Longer than the SMTP timeouts (smtp.ts). */
export const CLAIM_LEASE_MS = 5 * 60_000;

export interface ClaimedDelivery {
  id: string;
  userId: string;
  notificationId: string | null;
  address: string;
  subject: string;
  /** Attempts made before this one. */
  attempts: number;
  createdAt: Date;
  /** Whether the recipient is still an active user: a deactivated one gets no more email. */
  userActive: boolean;
}

interface ClaimRow {
  id: string;
  user_id: string;
  notification_id: string | null;
  address: string;
  subject: string;
  attempts: number;
  created_at: string | Date;
  user_active: boolean | null;
}

/** Claims up to `limit` deliveries of the tenant in scope that are due at `now`, oldest due first. */
export async function claimDueDeliveries(tx: Sql, now: Date, limit: number): Promise<ClaimedDelivery[]> {
  const claimed = await rows<ClaimRow>(
    tx,
    sql`with due as (
          select id from notification_deliveries
           where status = 'pending' and next_attempt_at <= ${now}::timestamptz
           order by next_attempt_at, id
           limit ${limit}
           for update skip locked)
        update notification_deliveries d
           set next_attempt_at = ${now}::timestamptz + ${CLAIM_LEASE_MS} * interval '1 millisecond'
          from due where d.id = due.id
        returning d.id::text as id, d.user_id::text as user_id, d.notification_id::text as notification_id,
                  d.address, d.subject, d.attempts, d.created_at,
                  (select u.is_active from users u where u.id = d.user_id) as user_active`,
  );
  return claimed.map((r) => ({
    id: r.id,
    userId: r.user_id,
    notificationId: r.notification_id,
    address: r.address,
    subject: r.subject,
    attempts: Number(r.attempts),
    createdAt: new Date(r.created_at),
    userActive: r.user_active === true,
  }));
}

interface NotificationRow {
  id: string;
  title: string;
  body: string | null;
  link: string | null;
  created_at: string;
}

const isoCreatedAt = sql.raw(`to_char(n.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);

/** The notifications named, by id (those that still exist). */
export async function notificationsById(
  tx: Sql,
  ids: readonly string[],
): Promise<Map<string, EmailNotification>> {
  if (ids.length === 0) return new Map();
  const found = await rows<NotificationRow>(
    tx,
    sql`select n.id::text as id, n.title, n.body, n.link, ${isoCreatedAt} as created_at
          from notifications n where n.id = any(${sql.param([...ids])}::uuid[])`,
  );
  return new Map(
    found.map((n) => [n.id, { title: n.title, body: n.body, link: n.link, createdAt: n.created_at }]),
  );
}

/**
 * What a digest holds: the user's notifications in the window that had no email of their own, of
 * kinds they get email for, oldest first. The digest job gathers with this and the sender lists with
 * it, so the email says what the job counted.
 */
export async function digestNotifications(
  tx: Sql,
  userId: string,
  window: DigestWindow,
  emailByDefault: boolean,
): Promise<EmailNotification[]> {
  const found = await rows<NotificationRow>(
    tx,
    sql`select n.id::text as id, n.title, n.body, n.link, ${isoCreatedAt} as created_at
          from notifications n
         where n.user_id = ${userId}
           and n.created_at > ${window.from}::timestamptz and n.created_at <= ${window.until}::timestamptz
           and not exists (select 1 from notification_deliveries x where x.notification_id = n.id)
           and coalesce((select p.email from notification_preferences p
                          where p.user_id = n.user_id and p.kind = n.kind), ${emailByDefault})
         order by n.created_at, n.id
         limit 200`,
  );
  return found.map((n) => ({ title: n.title, body: n.body, link: n.link, createdAt: n.created_at }));
}

/** The window a digest delivery lists: after the user's previous digest, up to its own time. */
export async function digestWindowOf(tx: Sql, delivery: ClaimedDelivery): Promise<DigestWindow> {
  const [previous] = await rows<{ at: string | Date | null }>(
    tx,
    sql`select max(created_at) as at from notification_deliveries
         where user_id = ${delivery.userId} and notification_id is null
           and created_at < ${delivery.createdAt}::timestamptz`,
  );
  return listedDigestWindow(delivery.createdAt, previous?.at == null ? null : new Date(previous.at));
}

export async function recordSent(tx: Sql, id: string, messageId: string, now: Date): Promise<void> {
  await tx.execute(
    sql`update notification_deliveries
           set status = 'sent', attempts = attempts + 1, message_id = ${messageId}, sent_at = ${now}::timestamptz,
               last_error = null
         where id = ${id}`,
  );
}

/** A failed attempt: tried again after the back-off, or given up (retry-policy.ts). */
export async function recordFailure(
  tx: Sql,
  delivery: ClaimedDelivery,
  error: string,
  now: Date,
): Promise<'pending' | 'failed'> {
  const outcome = afterFailedAttempt(delivery.attempts + 1, now);
  const next = outcome.status === 'pending' ? outcome.nextAttemptAt : now;
  await tx.execute(
    sql`update notification_deliveries
           set status = ${outcome.status}, attempts = attempts + 1, last_error = ${error.slice(0, 2000)},
               next_attempt_at = ${next}::timestamptz
         where id = ${delivery.id}`,
  );
  return outcome.status;
}

/** A delivery with nothing left to send (its notification is gone, or its digest came out empty). */
export async function recordSkipped(tx: Sql, id: string, why: string): Promise<void> {
  await tx.execute(
    sql`update notification_deliveries set status = 'skipped', last_error = ${why} where id = ${id}`,
  );
}

import { sql } from 'drizzle-orm';
import { type Database, everyTenantId, rows } from '../../db/index.js';
import { tenantSettings } from '../settings/index.js';
import { type DigestChoice, dueDigestWindow } from './digest-window.js';
import { digestSubject } from './email-content.js';
import { digestNotifications } from './email-queue.js';

interface DigestUser {
  user_id: string;
  email: string;
  digest: DigestChoice;
  /** The user's own digest row's cursor, or null when they follow the tenant's default. */
  covered_until: string | Date | null;
  has_row: boolean;
  /** The time of their newest digest email. */
  last_digest: string | Date | null;
}

const dateOrNull = (value: string | Date | null) => (value === null ? null : new Date(value));

/**
 * The digest job (docs/notifications.md, "Digests"): for every active user with an hourly or daily
 * digest whose period has passed, the notifications since their previous digest become one queued
 * email (a delivery without a notification, timed at the window's end), and their `covered_until`
 * moves to that end. A user without a row of their own follows the tenant's default digest; their
 * previous digest email is their cursor. Returns how many digests were queued.
 */
export async function gatherDigests(db: Database, now: Date = new Date()): Promise<number> {
  const tenants = await everyTenantId(db);
  let queued = 0;
  for (const tenantId of tenants) {
    queued += await db.transact({ tenantId, plantIds: 'all' }, async (tx) => {
      // Two gatherers of one tenant (two cloud instances) take turns: a window is gathered once.
      await tx.execute(
        sql`select pg_advisory_xact_lock(hashtext('notification-digests'), hashtext(${tenantId}))`,
      );
      const defaults = (await tenantSettings(tx)).notifications;
      const users = await rows<DigestUser>(
        tx,
        sql`select u.id::text as user_id, u.email, coalesce(d.digest, ${defaults.defaultDigest}) as digest,
                   d.covered_until, d.user_id is not null as has_row,
                   (select max(x.created_at) from notification_deliveries x
                     where x.user_id = u.id and x.notification_id is null) as last_digest
              from users u left join notification_digests d on d.user_id = u.id
             where u.is_active and coalesce(d.digest, ${defaults.defaultDigest}) <> 'off'`,
      );
      let count = 0;
      for (const user of users) {
        const cursor = user.has_row ? dateOrNull(user.covered_until) : dateOrNull(user.last_digest);
        const window = dueDigestWindow(user.digest, cursor, now);
        if (window === null) continue;
        const gathered = await digestNotifications(tx, user.user_id, window, defaults.emailByDefault);
        // Nothing to say: the window stays open, so the next notification goes out without a full wait.
        if (gathered.length === 0) continue;
        await tx.execute(
          sql`insert into notification_deliveries
                (tenant_id, notification_id, user_id, address, subject, created_at, next_attempt_at)
              values (${tenantId}, null, ${user.user_id}, ${user.email}, ${digestSubject(gathered.length)},
                      ${window.until}::timestamptz, ${now}::timestamptz)`,
        );
        if (user.has_row) {
          await tx.execute(
            sql`update notification_digests set covered_until = ${window.until}::timestamptz
                 where user_id = ${user.user_id}`,
          );
        }
        count++;
      }
      return count;
    });
  }
  return queued;
}

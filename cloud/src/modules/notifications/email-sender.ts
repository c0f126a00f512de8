import { sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import { type Database, everyTenantId, rows, type Sql } from '../../db/index.js';
import { tenantSettings } from '../settings/index.js';
import { digestEmail, type EmailMessage, notificationEmail } from './email-content.js';
import {
  type ClaimedDelivery,
  claimDueDeliveries,
  digestNotifications,
  digestWindowOf,
  notificationsById,
  recordFailure,
  recordSent,
  recordSkipped,
} from './email-queue.js';
import type { EmailTransport } from './smtp.js';

/** Deliveries claimed per transaction, and the most one pass sends per tenant. */
const CLAIM_BATCH = 20;
const MOST_PER_PASS = 500;

export interface SenderDeps {
  db: Database;
  transport: EmailTransport;
  /** The web app's address, for the links in emails; asked at send time (the cloud learns its own late). */
  publicUrl: () => string;
  log: Logger;
}

export interface PassReport {
  sent: number;
  retrying: number;
  failed: number;
  skipped: number;
}

/**
 * One pass of the sender over every tenant (docs/notifications.md, "Email"): each tenant's due
 * deliveries are claimed in its own scoped transaction — the tables' row-level security is forced, so
 * work across tenants goes tenant by tenant, listing them the way the other jobs do — then sent, then
 * their outcome recorded. `now` is the pass's clock: what is due, and when a retry is.
 */
export async function sendDueEmails(
  deps: SenderDeps,
  now: () => Date = () => new Date(),
): Promise<PassReport> {
  const report: PassReport = { sent: 0, retrying: 0, failed: 0, skipped: 0 };
  const tenants = await everyTenantId(deps.db);
  for (const tenantId of tenants) {
    const scope = { tenantId, plantIds: 'all' as const };
    for (let handled = 0; handled < MOST_PER_PASS; ) {
      const batch = await deps.db.transact(scope, (tx) => claimAndCompose(tx, deps.publicUrl(), now()));
      for (const { delivery, message } of batch) {
        const outcome = await deliver(deps, scope, delivery, message, now);
        report[outcome]++;
      }
      handled += batch.length;
      if (batch.length < CLAIM_BATCH) break;
    }
  }
  return report;
}

type Composed = { delivery: ClaimedDelivery; message: EmailMessage | { skip: string } };

async function claimAndCompose(tx: Sql, publicUrl: string, now: Date): Promise<Composed[]> {
  const claimed = await claimDueDeliveries(tx, now, CLAIM_BATCH);
  if (claimed.length === 0) return [];
  const single = await notificationsById(
    tx,
    claimed.flatMap((d) => (d.notificationId === null ? [] : [d.notificationId])),
  );
  const defaults = claimed.some((d) => d.notificationId === null)
    ? (await tenantSettings(tx)).notifications
    : null;
  const composed: Composed[] = [];
  for (const delivery of claimed) {
    if (!delivery.userActive) {
      composed.push({ delivery, message: { skip: 'The user is deactivated' } });
      continue;
    }
    if (delivery.notificationId !== null) {
      const notification = single.get(delivery.notificationId);
      composed.push({
        delivery,
        message:
          notification === undefined
            ? { skip: 'The notification no longer exists' }
            : notificationEmail(publicUrl, notification),
      });
      continue;
    }
    const window = await digestWindowOf(tx, delivery);
    const listed = await digestNotifications(tx, delivery.userId, window, defaults?.emailByDefault ?? true);
    composed.push({
      delivery,
      message:
        listed.length === 0
          ? { skip: 'Nothing left to send in this digest' }
          : digestEmail(publicUrl, listed),
    });
  }
  return composed;
}

async function deliver(
  deps: SenderDeps,
  scope: { tenantId: string; plantIds: 'all' },
  delivery: ClaimedDelivery,
  message: EmailMessage | { skip: string },
  now: () => Date,
): Promise<keyof PassReport> {
  if ('skip' in message) {
    await deps.db.transact(scope, (tx) => recordSkipped(tx, delivery.id, message.skip));
    return 'skipped';
  }
  try {
    const { messageId } = await deps.transport.send({
      to: delivery.address,
      subject: message.subject,
      text: message.text,
    });
    await deps.db.transact(scope, (tx) => recordSent(tx, delivery.id, messageId, now()));
    return 'sent';
  } catch (error) {
    const problem = error instanceof Error ? error.message : String(error);
    const status = await deps.db.transact(scope, (tx) => recordFailure(tx, delivery, problem, now()));
    deps.log.warn(
      {
        deliveryId: delivery.id,
        tenantId: scope.tenantId,
        attempt: delivery.attempts + 1,
        err: problem,
        status,
      },
      'notification email not sent',
    );
    return status === 'failed' ? 'failed' : 'retrying';
  }
}

import { tables } from '@plantline/schema';
import { sql } from 'drizzle-orm';
import { rows, type Sql } from '../../db/index.js';

export const deliveryStatuses = tables.deliveryStatuses;
export type DeliveryStatus = (typeof deliveryStatuses)[number];

export interface DeliveryLogEntry {
  id: string;
  /** One notification's email, or a digest of several. */
  kind: 'notification' | 'digest';
  userId: string;
  userName: string;
  address: string;
  subject: string;
  status: DeliveryStatus;
  attempts: number;
  lastError: string | null;
  messageId: string | null;
  /** ISO 8601. */
  createdAt: string;
  nextAttemptAt: string | null;
  sentAt: string | null;
}

interface LogRow {
  id: string;
  notification_id: string | null;
  user_id: string;
  user_name: string;
  address: string;
  subject: string;
  status: DeliveryStatus;
  attempts: number;
  last_error: string | null;
  message_id: string | null;
  created_at: string;
  next_attempt_at: string;
  sent_at: string | null;
}

const iso = (column: string) =>
  sql.raw(`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);

export interface DeliveryLogFilter {
  status?: DeliveryStatus | undefined;
  userId?: string | undefined;
  /** The id of the last entry of the previous page. */
  before?: string | undefined;
  limit: number;
}

/**
 * The tenant's email delivery log, newest first (docs/notifications.md, "The delivery log"): what was
 * sent to whom, what is waiting for a retry and why, what was given up.
 */
export async function listDeliveries(tx: Sql, filter: DeliveryLogFilter) {
  const found = await rows<LogRow>(
    tx,
    sql`select d.id::text as id, d.notification_id::text as notification_id, d.user_id::text as user_id,
               u.display_name as user_name, d.address, d.subject, d.status, d.attempts, d.last_error,
               d.message_id, ${iso('d.created_at')} as created_at, ${iso('d.next_attempt_at')} as next_attempt_at,
               ${iso('d.sent_at')} as sent_at
          from notification_deliveries d join users u on u.id = d.user_id
         where true
           ${filter.status === undefined ? sql`` : sql`and d.status = ${filter.status}`}
           ${filter.userId === undefined ? sql`` : sql`and d.user_id = ${filter.userId}`}
           ${
             filter.before === undefined
               ? sql``
               : sql`and (d.created_at, d.id) < (select c.created_at, c.id from notification_deliveries c
                                                  where c.id = ${filter.before})`
           }
         order by d.created_at desc, d.id desc
         limit ${filter.limit + 1}`,
  );
  const items: DeliveryLogEntry[] = found.slice(0, filter.limit).map((r) => ({
    id: r.id,
    kind: r.notification_id === null ? 'digest' : 'notification',
    userId: r.user_id,
    userName: r.user_name,
    address: r.address,
    subject: r.subject,
    status: r.status,
    attempts: Number(r.attempts),
    lastError: r.last_error,
    messageId: r.message_id,
    createdAt: r.created_at,
    nextAttemptAt: r.status === 'pending' ? r.next_attempt_at : null,
    sentAt: r.sent_at,
  }));
  return { items, next: found.length > filter.limit ? (items.at(-1)?.id ?? null) : null };
}

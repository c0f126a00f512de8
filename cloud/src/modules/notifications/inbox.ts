import { sql } from 'drizzle-orm';
import { rows, type Sql } from '../../db/index.js';

/*
 * A user's own notifications: the bell, the notifications page and the live stream read them here.
 * Every query names the user; row-level security keeps it to the tenant and hides notifications about
 * plants the user no longer reaches.
 */

export interface NotificationItem {
  id: string;
  kind: string;
  title: string;
  body: string | null;
  link: string | null;
  plantId: string | null;
  entityType: string | null;
  entityId: string | null;
  /** ISO 8601. */
  createdAt: string;
  readAt: string | null;
}

interface ItemRow {
  id: string;
  kind: string;
  title: string;
  body: string | null;
  link: string | null;
  plant_id: string | null;
  entity_type: string | null;
  entity_id: string | null;
  created_at: string;
  read_at: string | null;
}

const iso = (column: string) =>
  sql.raw(`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);

const itemColumns = sql`n.id::text as id, n.kind, n.title, n.body, n.link, n.plant_id::text as plant_id,
  n.entity_type, n.entity_id, ${iso('n.created_at')} as created_at, ${iso('n.read_at')} as read_at`;

function item(row: ItemRow): NotificationItem {
  return {
    id: row.id,
    kind: row.kind,
    title: row.title,
    body: row.body,
    link: row.link,
    plantId: row.plant_id,
    entityType: row.entity_type,
    entityId: row.entity_id,
    createdAt: row.created_at,
    readAt: row.read_at,
  };
}

export interface ListInput {
  unreadOnly?: boolean | undefined;
  /** The id of the last notification of the previous page. */
  before?: string | undefined;
  limit: number;
}

/**
 * The user's notifications, newest first, a page at a time. The cursor is the last one's id, compared
 * by (created_at, id) in the database so the boundary keeps created_at's microseconds.
 */
export async function listNotifications(tx: Sql, userId: string, input: ListInput) {
  const found = await rows<ItemRow>(
    tx,
    sql`select ${itemColumns}
          from notifications n
         where n.user_id = ${userId}
           ${input.unreadOnly === true ? sql`and n.read_at is null` : sql``}
           ${
             input.before === undefined
               ? sql``
               : sql`and (n.created_at, n.id) < (select c.created_at, c.id from notifications c
                                                  where c.id = ${input.before} and c.user_id = ${userId})`
           }
         order by n.created_at desc, n.id desc
         limit ${input.limit + 1}`,
  );
  const items = found.slice(0, input.limit).map(item);
  return { items, next: found.length > input.limit ? (items.at(-1)?.id ?? null) : null };
}

/** The user's notifications created after `since` (ISO 8601), oldest first: what the live stream adds. */
export async function notificationsSince(tx: Sql, userId: string, since: string, limit: number) {
  const found = await rows<ItemRow>(
    tx,
    sql`select ${itemColumns}
          from notifications n
         where n.user_id = ${userId} and n.created_at >= ${since}::timestamptz
         order by n.created_at desc, n.id desc
         limit ${limit}`,
  );
  return found.reverse().map(item);
}

export async function unreadCount(tx: Sql, userId: string): Promise<number> {
  const [row] = await rows<{ unread: number | string }>(
    tx,
    sql`select count(*)::int as unread from notifications where user_id = ${userId} and read_at is null`,
  );
  return Number(row?.unread ?? 0);
}

/**
 * Marks the user's own notifications read: the ones named, or all. Ids of someone else's
 * notifications, or of none, are passed over. Returns how many changed.
 */
export async function markRead(
  tx: Sql,
  userId: string,
  which: { ids: readonly string[] } | { all: true },
): Promise<number> {
  const named = 'ids' in which ? sql`and id = any(${sql.param([...which.ids])}::uuid[])` : sql``;
  const changed = await rows<{ id: string }>(
    tx,
    sql`update notifications set read_at = now()
         where user_id = ${userId} and read_at is null ${named}
         returning id`,
  );
  return changed.length;
}

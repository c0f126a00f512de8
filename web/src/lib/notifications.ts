import type { trpc } from './trpc';

/*
 * The bell's and the Notifications page's pure parts: the shapes the API returns (inferred, as in
 * api-types.ts), how a count reads, where a notification leads, how old it is, and how live arrivals join
 * the latest shown.
 */
type Client = typeof trpc;

export type NotificationsPage = Awaited<ReturnType<Client['notifications']['list']['query']>>;
export type NotificationItem = NotificationsPage['items'][number];
export type NotificationPreferences = Awaited<
  ReturnType<Client['notifications']['preferences']['get']['query']>
>;
export type DeliveryLogPage = Awaited<ReturnType<Client['notifications']['deliveries']['list']['query']>>;
export type DeliveryLogEntry = DeliveryLogPage['items'][number];
export type Digest = NotificationPreferences['digest']['value'];

export const NOTIFICATIONS_PAGE = '/notifications';

/** The count on the bell: up to 99, then "99+". */
export function badgeText(unread: number): string {
  return unread > 99 ? '99+' : String(unread);
}

/** The bell's accessible name, with the count it shows. */
export function bellLabel(unread: number): string {
  if (unread === 0) return 'Notifications, none unread';
  return `Notifications, ${unread} unread`;
}

/** Where a notification leads: its record, or the Notifications page. Only paths of this app. */
export function notificationHref(item: Pick<NotificationItem, 'link'>): string {
  const link = item.link ?? '';
  return /^\/(?![/\\])/.test(link) ? link : NOTIFICATIONS_PAGE;
}

/** "just now", "5 min ago", "3 h ago", "2 days ago", or the date for older ones. */
export function timeAgo(iso: string, now: Date): string {
  const at = new Date(iso);
  const seconds = Math.max(0, Math.round((now.getTime() - at.getTime()) / 1000));
  if (seconds < 60) return 'just now';
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  const days = Math.floor(hours / 24);
  if (days < 7) return days === 1 ? '1 day ago' : `${days} days ago`;
  return at.toLocaleDateString();
}

/** New notifications (oldest first, as they arrive) put before those shown, newest first, at most `max`. */
export function withArrivals(
  shown: readonly NotificationItem[],
  added: readonly NotificationItem[],
  max: number,
): NotificationItem[] {
  const fresh = [...added].reverse();
  const ids = new Set(fresh.map((n) => n.id));
  return [...fresh, ...shown.filter((n) => !ids.has(n.id))].slice(0, max);
}

/** The same notifications with `ids` marked read now. */
export function markedRead(
  items: readonly NotificationItem[],
  ids: ReadonlySet<string> | 'all',
): NotificationItem[] {
  const at = new Date().toISOString();
  return items.map((n) => (n.readAt === null && (ids === 'all' || ids.has(n.id)) ? { ...n, readAt: at } : n));
}

export const DIGEST_LABELS: Record<Digest, string> = {
  off: 'Off — an email for each notification',
  hourly: 'Hourly — one email an hour at most',
  daily: 'Daily — one email a day at most',
};

export const DELIVERY_STATUS_LABELS: Record<DeliveryLogEntry['status'], string> = {
  pending: 'Waiting',
  sent: 'Sent',
  failed: 'Failed',
  skipped: 'Skipped',
};

import { describe, expect, it } from 'vitest';
import {
  badgeText,
  bellLabel,
  markedRead,
  type NotificationItem,
  notificationHref,
  timeAgo,
  withArrivals,
} from './notifications';

const item = (id: string, readAt: string | null = null): NotificationItem => ({
  id,
  kind: 'x.y',
  title: id,
  body: null,
  link: null,
  plantId: null,
  entityType: null,
  entityId: null,
  createdAt: '2026-03-02T06:00:00.000Z',
  readAt,
});

describe('the bell', () => {
  it('shows the count up to 99 and names it', () => {
    expect(badgeText(3)).toBe('3');
    expect(badgeText(99)).toBe('99');
    expect(badgeText(100)).toBe('99+');
    expect(bellLabel(0)).toBe('Notifications, none unread');
    expect(bellLabel(4)).toBe('Notifications, 4 unread');
  });

  it('puts live arrivals first, newest on top, once each, keeping at most the latest few', () => {
    const shown = [item('c'), item('b'), item('a')];
    const joined = withArrivals(shown, [item('d'), item('e'), item('c')], 4);
    expect(joined.map((n) => n.id)).toEqual(['c', 'e', 'd', 'b']);
  });

  it('marks the named notifications read, or all', () => {
    const items = [item('a'), item('b', '2026-03-02T07:00:00.000Z'), item('c')];
    const one = markedRead(items, new Set(['a']));
    expect(one.map((n) => n.readAt !== null)).toEqual([true, true, false]);
    expect(one[1]?.readAt).toBe('2026-03-02T07:00:00.000Z');
    expect(markedRead(items, 'all').every((n) => n.readAt !== null)).toBe(true);
  });
});

describe('a notification', () => {
  it('leads to its record, or to the notifications page; never off the app', () => {
    expect(notificationHref({ link: '/orders?plant=RIV' })).toBe('/orders?plant=RIV');
    expect(notificationHref({ link: null })).toBe('/notifications');
    expect(notificationHref({ link: '//evil.example.com' })).toBe('/notifications');
    expect(notificationHref({ link: 'https://evil.example.com' })).toBe('/notifications');
    expect(notificationHref({ link: '/\\evil.example.com' })).toBe('/notifications');
  });

  it('says how old it is', () => {
    const now = new Date('2026-03-02T12:00:00Z');
    expect(timeAgo('2026-03-02T11:59:30Z', now)).toBe('just now');
    expect(timeAgo('2026-03-02T11:55:00Z', now)).toBe('5 min ago');
    expect(timeAgo('2026-03-02T09:00:00Z', now)).toBe('3 h ago');
    expect(timeAgo('2026-03-01T09:00:00Z', now)).toBe('1 day ago');
    expect(timeAgo('2026-02-27T09:00:00Z', now)).toBe('3 days ago');
    expect(timeAgo('2026-01-01T09:00:00Z', now)).toBe(new Date('2026-01-01T09:00:00Z').toLocaleDateString());
    // A clock a little behind the server's is not "in the future".
    expect(timeAgo('2026-03-02T12:00:05Z', now)).toBe('just now');
  });
});

import type { Database } from '../../db/index.js';
import { DomainError, type Principal, scopeOf } from '../../platform/index.js';
import { guardLive, type LiveAccess, type LiveGuardDeps } from '../identity/index.js';
import { listNotifications, type NotificationItem, unreadCount } from './inbox.js';

/** What `notifications.live` sends: the caller's unread count, and what arrived since the last message. */
export interface NotificationsLiveMessage {
  unread: number;
  /** New notifications, oldest first; none in the first message. */
  added: NotificationItem[];
}

/** The newest notifications compared each time: more arriving between two messages is unlikely. */
const LATEST = 20;

/**
 * The caller's bell, live (docs/notifications.md, "The bell"): the unread count at once, then a message
 * whenever a notification for them commits or they mark some read elsewhere (the bus says so), with the
 * new ones. Each message reads under the caller's row-level security, and the stream ends like every
 * live subscription when the caller's access does (live-access.ts).
 */
export function liveNotifications(
  deps: LiveGuardDeps,
  principal: Principal,
  signal: AbortSignal | undefined,
): AsyncGenerator<NotificationsLiveMessage> {
  const { userId } = principal;
  if (userId === null) throw new DomainError('forbidden', 'Notifications are for signed-in users');
  return guardLive(deps, { principal, needs: { permission: null, plantIds: [] }, signal }, (access) =>
    streamBell(deps, access, userId),
  );
}

async function* streamBell(
  deps: { db: Database; bus: LiveGuardDeps['bus'] },
  access: LiveAccess,
  userId: string,
) {
  const { tenantId } = access.principal;
  const { signal } = access;
  let changed = false;
  let wake: (() => void) | null = null;
  const poke = () => {
    changed = true;
    wake?.();
  };
  const stopCreated = deps.bus.on('notifications.created', (event) => {
    if (event.tenantId === tenantId && event.userIds.includes(userId)) poke();
  });
  const stopRead = deps.bus.on('notifications.read', (event) => {
    if (event.tenantId === tenantId && event.userId === userId) poke();
  });
  const onAbort = () => wake?.();
  signal.addEventListener('abort', onAbort);
  const read = () =>
    deps.db.transact(scopeOf(access.principal), async (tx) => ({
      unread: await unreadCount(tx, userId),
      latest: (await listNotifications(tx, userId, { limit: LATEST })).items,
    }));
  try {
    const first = await read();
    let seen = new Set(first.latest.map((n) => n.id));
    yield { unread: first.unread, added: [] } satisfies NotificationsLiveMessage;
    while (!signal.aborted) {
      if (!changed) {
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = null;
        continue;
      }
      changed = false;
      const now = await read();
      const added = now.latest.filter((n) => !seen.has(n.id)).reverse();
      seen = new Set(now.latest.map((n) => n.id));
      if (!signal.aborted) yield { unread: now.unread, added } satisfies NotificationsLiveMessage;
    }
  } finally {
    stopCreated();
    stopRead();
    signal.removeEventListener('abort', onAbort);
  }
}

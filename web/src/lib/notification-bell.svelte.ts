import { untrack } from 'svelte';
import { markedRead, type NotificationItem, withArrivals } from './notifications';
import { trpc } from './trpc';
import { isUnauthorized } from './trpc-error';

/** Notifications the bell's menu shows. */
export const BELL_LATEST = 8;

/**
 * The signed-in user's bell: the unread count and the latest notifications, kept live by
 * `notifications.live` over the tab's WebSocket (the count at once, then each change). The app shell
 * starts it once; the bell and the Notifications page read it. `arrivals` counts live arrivals, so a
 * page can follow them.
 */
class NotificationBell {
  unread = $state(0);
  latest = $state.raw<NotificationItem[]>([]);
  arrivals = $state(0);
  /** Whether the live stream has answered since it (re)started. */
  live = $state(false);

  /** Follows the live stream until the returned function is called; retries after a failure. */
  start(): () => void {
    let retry: ReturnType<typeof setTimeout> | undefined;
    let subscription: { unsubscribe(): void } | undefined;
    let stopped = false;
    const follow = () => {
      let first = true;
      subscription = trpc.notifications.live.subscribe(undefined, {
        onData: (message) =>
          untrack(() => {
            this.unread = message.unread;
            this.live = true;
            if (first) {
              first = false;
              void this.#loadLatest();
            } else if (message.added.length > 0) {
              this.latest = withArrivals(this.latest, message.added, BELL_LATEST);
              this.arrivals++;
            }
          }),
        onError: (err) => {
          this.live = false;
          // An ended session sends the user to sign-in (lib/trpc.ts); anything else: follow again.
          if (!stopped && !isUnauthorized(err)) retry = setTimeout(follow, 5_000);
        },
      });
    };
    follow();
    return () => {
      stopped = true;
      clearTimeout(retry);
      subscription?.unsubscribe();
      // The next user of this tab must not see this one's bell, even for a moment.
      this.unread = 0;
      this.latest = [];
      this.live = false;
    };
  }

  async #loadLatest(): Promise<void> {
    try {
      this.latest = (await trpc.notifications.list.query({ limit: BELL_LATEST })).items;
    } catch {
      // The menu keeps what it had; the next live message or opening it tries again.
    }
  }

  /** Reads the latest again (the menu opening). */
  refresh(): Promise<void> {
    return this.#loadLatest();
  }

  /** Marks notifications read; the count is the server's answer. */
  async markRead(which: { ids: string[] } | { all: true }): Promise<void> {
    const { unread } = await trpc.notifications.markRead.mutate(which);
    this.unread = unread;
    this.latest = markedRead(this.latest, 'all' in which ? 'all' : new Set(which.ids));
  }
}

export const notificationBell = new NotificationBell();

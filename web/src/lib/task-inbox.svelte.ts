import { untrack } from 'svelte';
import type { TaskCounts } from './tasks';
import { trpc } from './trpc';
import { isUnauthorized } from './trpc-error';

/**
 * The signed-in user's task counts, kept live by `workflow.tasks.live` over the tab's WebSocket (the
 * counts at once, then after each change that may concern them). The app shell starts it once; the
 * navigation badge, the home card and the My tasks page read it. `changes` counts the messages after
 * the first, so a list can read its page again when something moved.
 */
class TaskInbox {
  counts = $state.raw<TaskCounts>({ open: 0, overdue: 0 });
  changes = $state(0);
  /** Whether the live stream has answered since it (re)started. */
  live = $state(false);

  /** Follows the live stream until the returned function is called; retries after a failure. */
  start(): () => void {
    let retry: ReturnType<typeof setTimeout> | undefined;
    let subscription: { unsubscribe(): void } | undefined;
    let stopped = false;
    const follow = () => {
      let first = true;
      subscription = trpc.workflow.tasks.live.subscribe(undefined, {
        onData: (counts) =>
          untrack(() => {
            this.counts = counts;
            this.live = true;
            if (first) first = false;
            else this.changes++;
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
      // The next user of this tab must not see this one's counts, even for a moment.
      this.counts = { open: 0, overdue: 0 };
      this.live = false;
    };
  }
}

export const taskInbox = new TaskInbox();

import { DomainError, type Principal, scopeOf } from '../../platform/index.js';
import { guardLive, type LiveAccess, type LiveGuardDeps } from '../identity/index.js';
import { nextDelegationChangeOf } from './delegations.js';
import { type TaskCounts, taskCounts } from './inbox.js';

/*
 * The caller's task counts, live (docs/workflows.md, "My tasks"): the counts at once, then again
 * whenever a workflow of the tenant changes, a delegation naming the caller is given or revoked, one
 * they act under starts or ends, or a notification reaches them (an escalation), at most once per
 * COALESCE_MS however many changes arrive, so a busy plant costs each open inbox a few queries a
 * second at most. Each look reads under the caller's row-level security, and the stream ends like
 * every live subscription when their access does.
 */

export const COALESCE_MS = 250;

interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/**
 * Pokes gathered into one call of `fire`, `delayMs` after the first poke of a burst: the delay bounds
 * how stale a count can be, and a steady stream of changes still fires every `delayMs` rather than
 * never (as a debounce that restarts on every poke would).
 */
export function coalescer(delayMs: number, fire: () => void, timers: Timers = realTimers) {
  let pending: unknown = null;
  return {
    poke(): void {
      if (pending !== null) return;
      pending = timers.setTimeout(() => {
        pending = null;
        fire();
      }, delayMs);
    },
    stop(): void {
      if (pending !== null) timers.clearTimeout(pending);
      pending = null;
    },
  };
}

/**
 * Node's timers hold at most 2^31 − 1 ms (about 24.8 days); a moment further away is looked at again
 * after a day, when the alarm is set anew.
 */
export const MAX_ALARM_MS = 24 * 3_600_000;

/**
 * One alarm at a time: `set` replaces the previous one. It fires at the given moment (or after
 * MAX_ALARM_MS, whichever is sooner), a moment already past fires at once, and null sets none.
 */
export function alarm(fire: () => void, timers: Timers = realTimers) {
  let pending: unknown = null;
  const stop = () => {
    if (pending !== null) timers.clearTimeout(pending);
    pending = null;
  };
  return {
    set(at: Date | null, now: Date): void {
      stop();
      if (at === null) return;
      const wait = Math.min(Math.max(0, at.getTime() - now.getTime()), MAX_ALARM_MS);
      pending = timers.setTimeout(() => {
        pending = null;
        fire();
      }, wait);
    },
    stop,
  };
}

export function liveTaskCounts(
  deps: LiveGuardDeps,
  principal: Principal,
  signal: AbortSignal | undefined,
): AsyncGenerator<TaskCounts> {
  const { userId } = principal;
  if (userId === null) throw new DomainError('forbidden', 'Tasks are for signed-in users');
  return guardLive(deps, { principal, needs: { permission: null, plantIds: [] }, signal }, (access) =>
    streamCounts(deps, access, userId),
  );
}

async function* streamCounts(deps: LiveGuardDeps, access: LiveAccess, userId: string) {
  const { tenantId } = access.principal;
  const { signal } = access;
  let changed = false;
  let wake: (() => void) | null = null;
  const gathered = coalescer(COALESCE_MS, () => {
    changed = true;
    wake?.();
  });
  const stopWorkflow = deps.bus.on('workflow.changed', (event) => {
    if (event.tenantId === tenantId) gathered.poke();
  });
  const stopNotified = deps.bus.on('notifications.created', (event) => {
    if (event.tenantId === tenantId && event.userIds.includes(userId)) gathered.poke();
  });
  const stopDelegations = deps.bus.on('workflow.delegations-changed', (event) => {
    if (event.tenantId === tenantId && event.userIds.includes(userId)) gathered.poke();
  });
  // A delegation the caller acts under starts or ends with nobody acting: its moment is the change.
  const delegationTurns = alarm(() => gathered.poke());
  const onAbort = () => wake?.();
  signal.addEventListener('abort', onAbort);
  // The principal as last re-checked: a plant taken away narrows the counts from the next look on.
  const read = async () => {
    const now = new Date();
    const { counts, next } = await deps.db.transact(scopeOf(access.principal), async (tx) => ({
      counts: await taskCounts(tx, access.principal),
      next: await nextDelegationChangeOf(tx, userId, now),
    }));
    delegationTurns.set(next, new Date());
    return counts;
  };
  try {
    yield await read();
    while (!signal.aborted) {
      if (!changed) {
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = null;
        continue;
      }
      changed = false;
      const counts = await read();
      if (!signal.aborted) yield counts;
    }
  } finally {
    gathered.stop();
    delegationTurns.stop();
    stopWorkflow();
    stopNotified();
    stopDelegations();
    signal.removeEventListener('abort', onAbort);
  }
}

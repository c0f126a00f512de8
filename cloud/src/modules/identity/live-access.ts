import type { Permission } from '@plantline/schema';
import type { Logger } from 'pino';
import type { Database } from '../../db/index.js';
import {
  type BusEvents,
  canSeePlant,
  DomainError,
  type EventBus,
  type Principal,
} from '../../platform/index.js';
import { recheckPrincipal } from './principals.js';
import { RecheckSchedule } from './recheck-schedule.js';

/*
 * A subscription is checked once, when it starts (procedures.ts); this keeps checking it while it
 * runs. Sign-out, deactivation, a revoked API key and changed roles or plants are announced on the
 * bus after they commit ('access.changed'), and the subscriptions they concern re-check their caller
 * at once; a periodic re-check catches what is not announced here (a session's expiry, a change
 * made through another cloud instance). A caller who may no longer sign in ends with
 * UNAUTHORIZED, one who lost the permission or a plant the subscription needs with FORBIDDEN, and
 * nothing is delivered after the change was seen.
 */

/** How often a running subscription re-checks its caller unprompted (one query each time). */
export const LIVE_RECHECK_MS = 15_000;

/** What a subscription needs to keep running. */
export interface LiveNeeds {
  /** The permission it needs, or null when being signed in is enough. */
  readonly permission: Permission | null;
  /** Plants that must stay in the caller's reach; losing one ends it. */
  readonly plantIds: readonly string[];
}

/** What the guarded stream sees. */
export interface LiveAccess {
  /** The caller as last checked: a plant-access change narrows (or widens) it while it runs. */
  readonly principal: Principal;
  /** Aborted when the client leaves or the caller's access ends; the stream should then return. */
  readonly signal: AbortSignal;
}

export interface LiveGuardDeps {
  readonly db: Database;
  readonly bus: EventBus;
  readonly log: Logger;
}

/**
 * Runs `stream` for as long as the caller keeps the access `needs` names, and ends it with the
 * reason when they do not. Listeners and the timer go when the stream ends, however it ends.
 */
export async function* guardLive<T>(
  deps: LiveGuardDeps,
  call: { principal: Principal; needs: LiveNeeds; signal: AbortSignal | undefined },
  stream: (access: LiveAccess) => AsyncIterable<T>,
): AsyncGenerator<T> {
  const { needs, signal } = call;
  let current = call.principal;
  let ended: DomainError | null = null;
  const inner = new AbortController();
  const onAbort = () => inner.abort();
  if (signal?.aborted) inner.abort();
  signal?.addEventListener('abort', onAbort);

  const schedule = new RecheckSchedule({
    intervalMs: LIVE_RECHECK_MS,
    check: async () => {
      const recheck = await recheckPrincipal(deps.db, current);
      const refusal =
        recheck.kind === 'refused'
          ? new DomainError('unauthenticated', recheck.problem)
          : missingAccess(recheck.principal, needs);
      if (refusal !== null) {
        ended ??= refusal;
        inner.abort();
        return 'end';
      }
      if (recheck.kind === 'valid') current = recheck.principal;
      return 'keep';
    },
    onError: (error) => deps.log.warn({ err: error }, 'live subscription access re-check failed'),
  });
  const stopListening = deps.bus.on('access.changed', (change) => {
    if (concerns(change, current)) schedule.request();
  });
  schedule.start();

  try {
    const access: LiveAccess = {
      get principal() {
        return current;
      },
      signal: inner.signal,
    };
    for await (const item of stream(access)) {
      if (ended !== null) break;
      yield item;
      if (ended !== null) break;
    }
    if (ended !== null) throw ended;
  } finally {
    schedule.stop();
    stopListening();
    signal?.removeEventListener('abort', onAbort);
  }
}

/** Why a caller who may still sign in cannot keep this subscription, or null if they can. */
export function missingAccess(principal: Principal, needs: LiveNeeds): DomainError | null {
  if (needs.permission !== null && !principal.permissions.has(needs.permission)) {
    return new DomainError('forbidden', `This needs the permission ${needs.permission}`);
  }
  if (needs.plantIds.some((plantId) => !canSeePlant(principal, plantId))) {
    return new DomainError('forbidden', 'You no longer have access to this plant');
  }
  return null;
}

function concerns(change: BusEvents['access.changed'], principal: Principal): boolean {
  if (change.tenantId !== principal.tenantId) return false;
  const { of } = change;
  if (of === 'everyone') return true;
  if ('sessionId' in of) return of.sessionId === principal.sessionId;
  if ('userId' in of) return of.userId === principal.userId;
  return of.apiKeyId === principal.apiKeyId;
}

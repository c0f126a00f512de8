import { TRPCError } from '@trpc/server';
import type { Principal } from '../platform/index.js';

/**
 * Bounds on what callers keep open at once. Calls in progress over a WebSocket hold database work,
 * so one connection sending thousands of queries would otherwise queue everyone else (health checks
 * too) behind it; subscriptions (over WebSocket or HTTP) hold memory and listeners until they end.
 */
export interface CallLimits {
  callsPerConnection: number;
  callsPerUser: number;
  subscriptionsPerConnection: number;
  subscriptionsPerUser: number;
}

type Kind = 'call' | 'subscription';
type Counts = Record<Kind, number>;

const LIMITS: Record<Kind, { connection: keyof CallLimits; user: keyof CallLimits; what: string }> = {
  call: { connection: 'callsPerConnection', user: 'callsPerUser', what: 'calls in progress' },
  subscription: {
    connection: 'subscriptionsPerConnection',
    user: 'subscriptionsPerUser',
    what: 'open subscriptions',
  },
};

/** The server's counts per user (or API key) over all their connections. */
export class CallBudget {
  private readonly perCaller = new Map<string, Counts>();

  constructor(readonly limits: CallLimits) {}

  /** A new connection's budget; `principal` is who signed the upgrade, if anyone. */
  connection(principal: Principal | null): ConnectionBudget {
    const caller = principal === null ? null : (principal.userId ?? `api-key:${principal.apiKeyId}`);
    return new ConnectionBudget(this, caller);
  }

  /** @internal Used by ConnectionBudget. */
  callerCounts(caller: string): Counts {
    let counts = this.perCaller.get(caller);
    if (counts === undefined) {
      counts = { call: 0, subscription: 0 };
      this.perCaller.set(caller, counts);
    }
    return counts;
  }

  /** @internal Used by ConnectionBudget. */
  forget(caller: string): void {
    const counts = this.perCaller.get(caller);
    if (counts !== undefined && counts.call === 0 && counts.subscription === 0) this.perCaller.delete(caller);
  }
}

/**
 * One WebSocket connection's (or HTTP request's) open calls and subscriptions, released when they
 * end or it closes.
 */
export class ConnectionBudget {
  private readonly counts: Counts = { call: 0, subscription: 0 };
  private closed = false;

  constructor(
    private readonly budget: CallBudget,
    private readonly caller: string | null,
  ) {}

  /** Takes a place for a call or subscription, or refuses with TOO_MANY_REQUESTS; returns its release. */
  take(kind: Kind): () => void {
    const { connection, user, what } = LIMITS[kind];
    const connectionMax = this.budget.limits[connection];
    if (this.counts[kind] >= connectionMax) {
      throw new TRPCError({
        code: 'TOO_MANY_REQUESTS',
        message: `This connection already has ${connectionMax} ${what}, the most allowed; wait for one to end`,
      });
    }
    const callerCounts = this.caller === null ? null : this.budget.callerCounts(this.caller);
    const userMax = this.budget.limits[user];
    if (callerCounts !== null && callerCounts[kind] >= userMax) {
      throw new TRPCError({
        code: 'TOO_MANY_REQUESTS',
        message: `You already have ${userMax} ${what}, the most allowed; wait for one to end`,
      });
    }
    this.counts[kind]++;
    if (callerCounts !== null) callerCounts[kind]++;
    let released = false;
    return () => {
      if (released || this.closed) return;
      released = true;
      this.counts[kind]--;
      this.release(kind, 1);
    };
  }

  /** The connection has closed: whatever it still held is given back. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.release('call', this.counts.call);
    this.release('subscription', this.counts.subscription);
  }

  private release(kind: Kind, n: number): void {
    if (this.caller === null || n === 0) return;
    this.budget.callerCounts(this.caller)[kind] -= n;
    this.budget.forget(this.caller);
  }
}

/**
 * Sign-in throttling over a sliding window, counted three ways (docs/security.md, "Sign-in"):
 *
 * - per account and address: the tight limit, so one client gets a handful of guesses at an account;
 * - per account from all addresses: a larger limit, so an attacker elsewhere cannot lock the real
 *   user out by failing a few times, yet guesses spread over many addresses are still bounded;
 * - per address over all accounts: one client trying many accounts.
 *
 * An attempt is counted as a failure when it is reserved, before its password is checked, and only
 * a success takes it back. Checking and counting happen in one step (synchronous in the process, under
 * advisory locks in the database), so concurrent or
 * batched attempts can never evaluate more passwords than the limits allow. Attempts for unknown
 * accounts count too, so the limiter does not reveal which accounts exist; refused attempts do not
 * count, so retrying while blocked does not extend the block.
 *
 * This class keeps the counts in the process: the embedded engine is one process. On a PostgreSQL
 * server every cloud instance counts in the database instead (SharedLoginLimiter,
 * login-limiter-shared.ts), so several instances behind a load balancer enforce one set of limits.
 * Both answer alike (login-limiter.test.ts runs the same cases on each).
 */
export interface LoginLimiterOptions {
  windowMs: number;
  maxFailuresPerAccountAndAddress: number;
  maxFailuresPerAccount: number;
  maxFailuresPerAddress: number;
  now?: () => number;
}

/** An allowed attempt is reserved: it stays counted as a failure unless `succeeded()` is called. */
export type LoginAttempt =
  | { allowed: true; succeeded(): Promise<void> }
  | { allowed: false; retryAfterMs: number };

/** The sign-in limits, wherever they are counted. */
export interface LoginLimiter {
  reserve(account: string, address: string): Promise<LoginAttempt>;
  /**
   * Whether a refused attempt on this account is the first since the window began: the audit trail
   * records that one (login.ts), so a client hammering a blocked account cannot flood its tenant's
   * trail with an entry per request.
   */
  firstRefusalInWindow(account: string): Promise<boolean>;
}

/** The limit keys of an attempt, each with its maximum, and the key that marks a refusal. */
export function limitKeys(options: LoginLimiterOptions, account: string, address: string) {
  const email = account.toLowerCase();
  return {
    pair: { key: `pair:${address}:${email}`, max: options.maxFailuresPerAccountAndAddress },
    account: { key: `account:${email}`, max: options.maxFailuresPerAccount },
    address: { key: `address:${address}`, max: options.maxFailuresPerAddress },
    refused: refusedKey(email),
  };
}

export class InMemoryLoginLimiter implements LoginLimiter {
  private readonly failures = new Map<string, number[]>();
  private readonly now: () => number;

  constructor(private readonly options: LoginLimiterOptions) {
    this.now = options.now ?? Date.now;
  }

  async reserve(account: string, address: string): Promise<LoginAttempt> {
    const keys = limitKeys(this.options, account, address);
    const pair = keys.pair.key;
    const accountKey = keys.account.key;
    const addressKey = keys.address.key;
    const limits: [string, number][] = [
      [pair, keys.pair.max],
      [accountKey, keys.account.max],
      [addressKey, keys.address.max],
    ];
    const retryAfterMs = Math.max(...limits.map(([key, max]) => this.waitFor(key, max)));
    if (retryAfterMs > 0) return { allowed: false, retryAfterMs };

    const at = this.now();
    for (const [key] of limits) this.failures.set(key, [...this.recent(key), at]);
    return {
      allowed: true,
      // A correct password clears the account's failures; the address keeps its record of others.
      succeeded: async () => {
        this.failures.delete(pair);
        this.failures.delete(accountKey);
        this.failures.delete(keys.refused);
        const kept = this.failures.get(addressKey) ?? [];
        const index = kept.indexOf(at);
        if (index >= 0) kept.splice(index, 1);
        if (kept.length === 0) this.failures.delete(addressKey);
      },
    };
  }

  async firstRefusalInWindow(account: string): Promise<boolean> {
    const key = refusedKey(account.toLowerCase());
    if (this.recent(key).length > 0) return false;
    this.failures.set(key, [this.now()]);
    return true;
  }

  private waitFor(key: string, max: number): number {
    const recent = this.recent(key);
    if (recent.length < max) return 0;
    const oldestCounted = recent[recent.length - max] ?? this.now();
    return oldestCounted + this.options.windowMs - this.now();
  }

  private recent(key: string): number[] {
    const cutoff = this.now() - this.options.windowMs;
    const kept = (this.failures.get(key) ?? []).filter((at) => at > cutoff);
    if (kept.length === 0) this.failures.delete(key);
    else this.failures.set(key, kept);
    return kept;
  }
}

/** Marks the account's first refused attempt in the window (firstRefusalInWindow). */
function refusedKey(email: string): string {
  return `refused:${email}`;
}

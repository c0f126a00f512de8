/**
 * Sign-in throttling: too many failures for one account, or from one address, within a sliding
 * window block further attempts until the oldest failure leaves the window. Counting failures for
 * unknown accounts too keeps the limiter from revealing which addresses exist.
 *
 * State is per process. Several cloud instances each enforce the limit (an attacker gets at most
 * instances × limit attempts per window); a shared store is the step if that is not enough.
 */
export interface LoginLimiterOptions {
  windowMs: number;
  maxFailuresPerAccount: number;
  maxFailuresPerAddress: number;
  now?: () => number;
}

export type LimiterVerdict = { allowed: true } | { allowed: false; retryAfterMs: number };

export class LoginLimiter {
  private readonly failures = new Map<string, number[]>();
  private readonly now: () => number;

  constructor(private readonly options: LoginLimiterOptions) {
    this.now = options.now ?? Date.now;
  }

  check(account: string, address: string): LimiterVerdict {
    const waits = [
      this.waitFor(`account:${account.toLowerCase()}`, this.options.maxFailuresPerAccount),
      this.waitFor(`address:${address}`, this.options.maxFailuresPerAddress),
    ];
    const retryAfterMs = Math.max(...waits);
    return retryAfterMs > 0 ? { allowed: false, retryAfterMs } : { allowed: true };
  }

  recordFailure(account: string, address: string): void {
    for (const key of [`account:${account.toLowerCase()}`, `address:${address}`]) {
      const recent = this.recent(key);
      recent.push(this.now());
      this.failures.set(key, recent);
    }
  }

  /** A correct password clears the account's failures; the address keeps its record. */
  recordSuccess(account: string): void {
    this.failures.delete(`account:${account.toLowerCase()}`);
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

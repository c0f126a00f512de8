import { createHash, randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { type Database, rows, type Sql } from '../../db/index.js';
import {
  type LoginAttempt,
  type LoginLimiter,
  type LoginLimiterOptions,
  limitKeys,
} from './login-limiter.js';

/*
 * The sign-in limits counted in the database (login-limiter.ts says what they are), so every cloud
 * instance on one PostgreSQL server enforces the same counts: an attacker spreading guesses over
 * several instances behind a load balancer gets no more than from one (docs/security.md, "Sign-in").
 *
 * Each attempt is a row per limit key in login_attempts, the key stored as its SHA-256. A reservation
 * takes a transaction-scoped advisory lock per key (in one order, so two never deadlock), reads the
 * counts and adds its rows in the same transaction: two instances checking the same account at once
 * take turns, and never both pass the last free place. The transaction is its own, not the
 * request's, so a reservation stays counted when the request that made it fails.
 */

/** Expired rows of every key are removed by one reservation in this many. */
const SWEEP_EVERY = 100;

const hashOf = (key: string) => createHash('sha256').update(key).digest('hex');
const iso = (ms: number) => new Date(ms).toISOString();

export class SharedLoginLimiter implements LoginLimiter {
  private readonly now: () => number;
  private reservations = 0;

  constructor(
    private readonly db: Database,
    private readonly options: LoginLimiterOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  async reserve(account: string, address: string): Promise<LoginAttempt> {
    const keys = limitKeys(this.options, account, address);
    const limits = [keys.pair, keys.account, keys.address].map((l) => ({ hash: hashOf(l.key), max: l.max }));
    const hashes = limits.map((l) => l.hash);
    const now = this.now();
    const cutoff = now - this.options.windowMs;
    const sweep = ++this.reservations % SWEEP_EVERY === 0;
    const attemptId = randomUUID();
    const retryAfterMs = await this.db.transact(null, async (tx) => {
      await lock(tx, hashes);
      const found = await rows<{ counted_from: number | null }>(
        tx,
        sql`select (select (extract(epoch from a.at) * 1000)::float8 from login_attempts a
                      where a.key_hash = k.hash and a.at > ${iso(cutoff)}::timestamptz
                      order by a.at desc offset k.max - 1 limit 1) as counted_from
              from unnest(${sql.param(hashes)}::text[], ${sql.param(limits.map((l) => l.max))}::int[]) as k(hash, max)`,
      );
      const wait = Math.max(
        0,
        ...found.map((f) => (f.counted_from === null ? 0 : f.counted_from + this.options.windowMs - now)),
      );
      if (wait > 0) return wait;
      await tx.execute(
        sql`delete from login_attempts
             where at <= ${iso(cutoff)}::timestamptz ${sweep ? sql`` : sql`and key_hash = any(${sql.param(hashes)}::text[])`}`,
      );
      await tx.execute(
        sql`insert into login_attempts (key_hash, attempt_id, at)
            select h, ${attemptId}::uuid, ${iso(now)}::timestamptz from unnest(${sql.param(hashes)}::text[]) as h`,
      );
      return 0;
    });
    if (retryAfterMs > 0) return { allowed: false, retryAfterMs };
    const cleared = [keys.pair.key, keys.account.key, keys.refused].map(hashOf);
    const addressHash = hashOf(keys.address.key);
    return {
      allowed: true,
      // A correct password clears the account's failures; the address keeps its record of others.
      succeeded: async () => {
        await this.db.transact(null, (tx) =>
          tx.execute(
            sql`delete from login_attempts
                 where key_hash = any(${sql.param(cleared)}::text[])
                    or (key_hash = ${addressHash} and attempt_id = ${attemptId}::uuid)`,
          ),
        );
      },
    };
  }

  async firstRefusalInWindow(account: string): Promise<boolean> {
    const hash = hashOf(limitKeys(this.options, account, '').refused);
    const now = this.now();
    return this.db.transact(null, async (tx) => {
      await lock(tx, [hash]);
      const [seen] = await rows<{ n: number }>(
        tx,
        sql`select count(*)::int as n from login_attempts
             where key_hash = ${hash} and at > ${iso(now - this.options.windowMs)}::timestamptz`,
      );
      if ((seen?.n ?? 0) > 0) return false;
      await tx.execute(
        sql`insert into login_attempts (key_hash, attempt_id, at)
            values (${hash}, ${randomUUID()}::uuid, ${iso(now)}::timestamptz)`,
      );
      return true;
    });
  }
}

/** Advisory locks on the keys for the rest of the transaction, always taken in the same order. */
async function lock(tx: Sql, hashes: readonly string[]): Promise<void> {
  await tx.execute(
    sql`select pg_advisory_xact_lock(hashtextextended(h, 0))
          from (select h from unnest(${sql.param([...hashes].sort())}::text[]) as h order by h) ordered`,
  );
}

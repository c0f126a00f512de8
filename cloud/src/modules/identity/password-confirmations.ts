import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/*
 * A person who signs several records in one continuous period types their password each time
 * (21 CFR 11.200(a)(1)(i)); checking it with Argon2id each time costs ~25 ms of CPU, which caps
 * signing at a few dozen per second per core. Once a session's password has passed Argon2id, this
 * keeps an HMAC of it under a key that lives only in this process's memory, so the next signings
 * of that session compare in microseconds. The password is still required and still checked; what
 * is kept is worth nothing outside the process, expires with the signing period, and belongs to one
 * session and one password hash (a changed password no longer matches). A mismatch is never a
 * refusal by itself: the caller falls back to Argon2id (docs/workflows.md, "Electronic signatures").
 */

interface Confirmation {
  userId: string;
  passwordHash: string;
  digest: Buffer;
  expiresAt: number;
}

export interface PasswordConfirmationsOptions {
  /** Sessions remembered at most; the oldest is forgotten first. */
  maxSessions?: number;
  /** Tests move time instead of waiting. */
  now?: () => number;
}

export class PasswordConfirmations {
  readonly #key = randomBytes(32);
  readonly #bySession = new Map<string, Confirmation>();
  readonly #maxSessions: number;
  readonly #now: () => number;

  constructor(options: PasswordConfirmationsOptions = {}) {
    this.#maxSessions = options.maxSessions ?? 10_000;
    this.#now = options.now ?? Date.now;
  }

  /** After Argon2id accepted `password` for this session's user: remember it for `ttlMs`. */
  remember(
    session: { sessionId: string; userId: string; passwordHash: string },
    password: string,
    ttlMs: number,
  ) {
    this.#bySession.delete(session.sessionId);
    if (this.#bySession.size >= this.#maxSessions) {
      const oldest = this.#bySession.keys().next();
      if (oldest.done !== true) this.#bySession.delete(oldest.value);
    }
    this.#bySession.set(session.sessionId, {
      userId: session.userId,
      passwordHash: session.passwordHash,
      digest: this.#digest(session.sessionId, password),
      expiresAt: this.#now() + ttlMs,
    });
  }

  /** True only when this session's user confirmed exactly this password, under this hash, recently. */
  matches(session: { sessionId: string; userId: string; passwordHash: string }, password: string): boolean {
    const kept = this.#bySession.get(session.sessionId);
    if (kept === undefined) return false;
    if (kept.expiresAt <= this.#now()) {
      this.#bySession.delete(session.sessionId);
      return false;
    }
    if (kept.userId !== session.userId || kept.passwordHash !== session.passwordHash) return false;
    return timingSafeEqual(kept.digest, this.#digest(session.sessionId, password));
  }

  forget(sessionId: string): void {
    this.#bySession.delete(sessionId);
  }

  get size(): number {
    return this.#bySession.size;
  }

  #digest(sessionId: string, password: string): Buffer {
    return createHmac('sha256', this.#key).update(sessionId).update('\0').update(password).digest();
  }
}

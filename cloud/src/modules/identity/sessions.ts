import { tables } from '@plantline/schema';
import { and, eq, isNull } from 'drizzle-orm';
import type { Database, Sql } from '../../db/index.js';
import { audit, type Scope } from '../../platform/index.js';
import { randomToken, sha256 } from './secrets.js';

export interface SessionPolicy {
  /** A session unused this long expires (sliding). */
  idleMs: number;
  /** No session lives longer than this, however active. */
  maxMs: number;
  /** A session older than this since its last rotation gets a new token on its next HTTP request. */
  rotateMs: number;
}

/** How long a just-replaced token still works, for requests already in flight with it. */
const ROTATION_GRACE_MS = 30_000;
/** Sliding expiry is written at most this often, not on every request. */
const TOUCH_INTERVAL_MS = 60_000;

export interface NewSession {
  sessionId: string;
  token: string;
  expiresAt: Date;
}

/** Runs in the sign-in's transaction, which also records it (login.ts). */
export async function createSession(
  tx: Sql,
  tenantId: string,
  input: { userId: string; ipAddress: string | null; userAgent: string | null },
  policy: SessionPolicy,
  now = new Date(),
): Promise<NewSession> {
  const token = randomToken();
  const idleExpiresAt = new Date(now.getTime() + policy.idleMs);
  const absoluteExpiresAt = new Date(now.getTime() + policy.maxMs);
  const [row] = await tx
    .insert(tables.sessions)
    .values({
      tenantId,
      userId: input.userId,
      tokenHash: sha256(token),
      createdAt: now,
      rotatedAt: now,
      lastSeenAt: now,
      idleExpiresAt,
      absoluteExpiresAt,
      ipAddress: input.ipAddress,
      userAgent: input.userAgent?.slice(0, 512) ?? null,
    })
    .returning({ id: tables.sessions.id });
  return { sessionId: row!.id, token, expiresAt: minDate(idleExpiresAt, absoluteExpiresAt) };
}

/** A live session as the call's opening statement found it (callers.ts). */
export interface SessionStanding {
  sessionId: string;
  tenantId: string;
  userId: string;
  /** Whether the request presented the current token, not the one it replaced (still in its grace). */
  isCurrentToken: boolean;
  rotatedAt: Date;
  idleExpiresAt: Date;
  absoluteExpiresAt: Date;
}

/**
 * What a live session is due for on this request: a new token when it is old enough and the request
 * is an HTTP one whose response can carry the cookie (`mayRotate`), and a later idle expiry (sliding),
 * written at most once a minute rather than on every request.
 */
export function sessionUpkeepDue(
  standing: SessionStanding,
  policy: SessionPolicy,
  options: { mayRotate: boolean; now: Date },
): { rotate: boolean; touch: boolean } {
  const { now } = options;
  const rotate =
    options.mayRotate &&
    standing.isCurrentToken &&
    now.getTime() - standing.rotatedAt.getTime() >= policy.rotateMs;
  const touch = now.getTime() + policy.idleMs - standing.idleExpiresAt.getTime() >= TOUCH_INTERVAL_MS;
  return { rotate, touch };
}

/**
 * Extends a session's idle expiry and, when due, replaces its token; the token presented keeps
 * working for a short grace for requests already in flight with it. In a transaction of its own, so
 * a new token is stored whatever becomes of the call that found it due. Returns the new token, if any.
 */
export async function renewSession(
  db: Database,
  standing: SessionStanding,
  token: string,
  policy: SessionPolicy,
  options: { rotate: boolean; now: Date },
): Promise<NewSession | null> {
  const { now } = options;
  const scope: Scope = { tenantId: standing.tenantId, userId: standing.userId, plantIds: [] };
  const nextIdle = new Date(now.getTime() + policy.idleMs);
  const newToken = options.rotate ? randomToken() : null;
  await db.transact(scope, (tx) =>
    tx
      .update(tables.sessions)
      .set({
        lastSeenAt: now,
        idleExpiresAt: nextIdle,
        ...(newToken === null
          ? {}
          : {
              tokenHash: sha256(newToken),
              previousTokenHash: sha256(token),
              previousValidUntil: new Date(now.getTime() + ROTATION_GRACE_MS),
              rotatedAt: now,
            }),
      })
      .where(and(eq(tables.sessions.id, standing.sessionId), isNull(tables.sessions.revokedAt))),
  );
  if (newToken === null) return null;
  return {
    sessionId: standing.sessionId,
    token: newToken,
    expiresAt: minDate(nextIdle, standing.absoluteExpiresAt),
  };
}

/**
 * Ends a session at its user's request, and records it. Runs in the caller's transaction: the
 * embedded engine has one connection, so a second would wait forever.
 */
export async function signOut(tx: Sql, session: { sessionId: string; userId: string }, now = new Date()) {
  await tx
    .update(tables.sessions)
    .set({ revokedAt: now })
    .where(and(eq(tables.sessions.id, session.sessionId), isNull(tables.sessions.revokedAt)));
  const [user] = await tx
    .select({ email: tables.users.email })
    .from(tables.users)
    .where(eq(tables.users.id, session.userId));
  audit(tx, {
    action: 'user.sign-out',
    entityType: 'user',
    entityId: session.userId,
    entityLabel: user?.email ?? null,
  });
}

/** Ends one session that was made for a single task (a dashboard PDF: docs/security.md). */
export async function revokeSession(tx: Sql, sessionId: string, now = new Date()) {
  await tx
    .update(tables.sessions)
    .set({ revokedAt: now })
    .where(and(eq(tables.sessions.id, sessionId), isNull(tables.sessions.revokedAt)));
}

/** Deactivating a user or resetting their password ends every session they have. */
export async function revokeUserSessions(tx: Sql, userId: string) {
  await tx
    .update(tables.sessions)
    .set({ revokedAt: new Date() })
    .where(and(eq(tables.sessions.userId, userId), isNull(tables.sessions.revokedAt)));
}

function minDate(a: Date, b: Date): Date {
  return a < b ? a : b;
}

/** When the session ends, or null if it already has (revoked or expired). Read by id, so a
 *  WebSocket opened before the cookie rotated keeps following the same session. */
export async function sessionEndsAt(db: Database, scope: Scope, sessionId: string, now = new Date()) {
  const [row] = await db.transact(scope, (tx) =>
    tx
      .select({
        idle: tables.sessions.idleExpiresAt,
        absolute: tables.sessions.absoluteExpiresAt,
        revokedAt: tables.sessions.revokedAt,
      })
      .from(tables.sessions)
      .where(eq(tables.sessions.id, sessionId)),
  );
  if (row === undefined || row.revokedAt !== null) return null;
  const endsAt = minDate(row.idle, row.absolute);
  return endsAt > now ? endsAt : null;
}

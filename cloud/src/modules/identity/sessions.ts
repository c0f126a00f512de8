import { tables } from '@plantline/schema';
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Database, Sql } from '../../db/index.js';
import { rows } from '../../db/index.js';
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

export type SessionCheck =
  | {
      kind: 'valid';
      sessionId: string;
      tenantId: string;
      userId: string;
      expiresAt: Date;
      newToken: string | null;
    }
  | { kind: 'expired' }
  | { kind: 'unknown' };

interface SessionRow {
  session_id: string;
  tenant_id: string;
  user_id: string;
  is_current_token: boolean;
  rotated_at: Date | string;
  idle_expires_at: Date | string;
  absolute_expires_at: Date | string;
  revoked_at: Date | string | null;
}

/**
 * Looks a session token up, extends its idle expiry and, when `mayRotate` (an HTTP response that
 * can carry a new cookie) and the token is old enough, replaces it. The lookup goes through the
 * one cross-tenant function made for it; everything after runs in the session's tenant.
 */
export async function checkSession(
  db: Database,
  token: string,
  policy: SessionPolicy,
  options: { mayRotate: boolean; now?: Date },
): Promise<SessionCheck> {
  const now = options.now ?? new Date();
  const [found] = await db.transact(null, (tx) =>
    rows<SessionRow>(tx, sql`select * from plantline.auth_session(${sha256(token)})`),
  );
  if (found === undefined) return { kind: 'unknown' };
  const idleExpiresAt = new Date(found.idle_expires_at);
  const absoluteExpiresAt = new Date(found.absolute_expires_at);
  if (found.revoked_at !== null || idleExpiresAt <= now || absoluteExpiresAt <= now)
    return { kind: 'expired' };

  const scope: Scope = { tenantId: found.tenant_id, userId: found.user_id, plantIds: [] };
  const rotate =
    options.mayRotate &&
    found.is_current_token &&
    now.getTime() - new Date(found.rotated_at).getTime() >= policy.rotateMs;
  const nextIdle = new Date(now.getTime() + policy.idleMs);
  const touch = nextIdle.getTime() - idleExpiresAt.getTime() >= TOUCH_INTERVAL_MS;
  let newToken: string | null = null;
  if (rotate || touch) {
    newToken = rotate ? randomToken() : null;
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
        .where(eq(tables.sessions.id, found.session_id)),
    );
  }
  return {
    kind: 'valid',
    sessionId: found.session_id,
    tenantId: found.tenant_id,
    userId: found.user_id,
    expiresAt: minDate(touch ? nextIdle : idleExpiresAt, absoluteExpiresAt),
    newToken,
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

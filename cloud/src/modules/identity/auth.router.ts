import { setTimeout as delay } from 'node:timers/promises';
import { z } from 'zod';
import type { Database } from '../../db/index.js';
import { announceAccessChange, DomainError, scopeOf } from '../../platform/index.js';
import { publicProcedure, router, signedInProcedure, signedInSubscription } from '../../trpc/procedures.js';
import { emailInput } from './inputs.js';
import { guardLive, type LiveAccess } from './live-access.js';
import { login } from './login.js';
import { describeMe } from './me.js';
import { PASSWORD_MAX_LENGTH } from './passwords.js';
import { sessionEndsAt, signOut } from './sessions.js';

/** How often a live session is re-checked by `auth.watchSession`. */
const WATCH_INTERVAL_MS = 15_000;

export const authRouter = router({
  login: publicProcedure
    .input(
      z.object({
        email: emailInput,
        password: z.string().min(1, 'Enter your password').max(PASSWORD_MAX_LENGTH),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      // One password per request: a batch would check many at once, and over WebSocket there is no
      // response to carry the cookie (login-throttling.test.ts).
      if (ctx.batched || ctx.transport === 'ws')
        throw new DomainError(
          'invalid',
          'Sign in with a request of its own, not in a batch or over WebSocket',
        );
      const { session, ...signedIn } = await login(ctx.deps, input, ctx.request);
      // A cookie the request came with, stale or not, is not checked for a sign-in: it is cleared
      // and the new one follows, which browsers apply in order.
      if (ctx.credential?.kind === 'session') ctx.sessionCookie.clear();
      ctx.sessionCookie.set(session.token, session.expiresAt);
      return { ...signedIn, expiresAt: session.expiresAt.toISOString() };
    }),

  logout: signedInProcedure.mutation(async ({ ctx }) => {
    const { sessionId, userId } = ctx.principal;
    if (sessionId !== null && userId !== null) {
      await signOut(ctx.tx, { sessionId, userId });
      announceAccessChange(ctx, { sessionId });
    }
    ctx.sessionCookie.clear();
    return { ok: true as const };
  }),

  me: signedInProcedure.query(({ ctx }) => {
    const { principal } = ctx;
    if (principal.userId === null) throw new DomainError('forbidden', 'API keys have no user profile');
    return describeMe(ctx.tx, { ...principal, userId: principal.userId });
  }),

  /**
   * A heartbeat for the UI over WebSocket: the server time and when the session ends. It ends
   * with UNAUTHORIZED as soon as the session is revoked or expires, so an open board signs out.
   */
  watchSession: signedInSubscription.subscription(({ ctx, signal }) => {
    const { principal } = ctx;
    const { sessionId } = principal;
    if (sessionId === null)
      throw new DomainError('forbidden', 'Only signed-in users have a session to watch');
    const needs = { permission: null, plantIds: [] };
    return guardLive(ctx.deps, { principal, needs, signal }, (access) =>
      sessionHeartbeat(ctx.deps.db, access, sessionId),
    );
  }),
});

async function* sessionHeartbeat(db: Database, access: LiveAccess, sessionId: string) {
  while (!access.signal.aborted) {
    const endsAt = await sessionEndsAt(db, scopeOf(access.principal), sessionId);
    if (endsAt === null) throw new DomainError('unauthenticated', 'Your session has expired; sign in again');
    yield { serverTime: new Date().toISOString(), expiresAt: endsAt.toISOString() };
    // Aborting ends the wait early (the rejection is that), and the loop then ends.
    await delay(WATCH_INTERVAL_MS, undefined, { signal: access.signal }).catch(() => {});
  }
}

import { buildAppDeps } from '../build-app-deps.js';
import type { Database } from '../db/index.js';
import { SessionCookieWriter } from '../http/cookies.js';
import type { Principal } from '../platform/index.js';
import type { Context } from '../trpc/context.js';
import { testLog } from './engines.js';

/**
 * A tRPC context over HTTP for `router.createCaller`, with the app's own dependencies: for tests that
 * call procedures directly, as `principal` (anonymous when null).
 */
export function callerContext(db: Database, principal: Principal | null): Context {
  const deps = buildAppDeps({
    db,
    log: testLog,
    version: 'test',
    sessionPolicy: { idleMs: 60_000, maxMs: 60_000, rotateMs: 60_000 },
    loginLimits: {
      windowMs: 60_000,
      maxFailuresPerAccountAndAddress: 5,
      maxFailuresPerAccount: 5,
      maxFailuresPerAddress: 5,
    },
    cookieSecure: false,
    trustProxy: false,
  });
  return {
    deps,
    log: testLog,
    request: { ip: '127.0.0.1', userAgent: null, secure: false, requestId: 'test' },
    transport: 'http',
    batched: false,
    connection: null,
    credential: null,
    principal,
    upkeep: null,
    authProblem: null,
    sessionCookie: new SessionCookieWriter(null, false),
  };
}

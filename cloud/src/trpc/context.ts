import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { AppDeps } from '../app-deps.js';
import { readSessionCookie, SessionCookieWriter } from '../http/cookies.js';
import { describeRequest, type RequestInfo } from '../http/request-info.js';
import { checkApiKey, loadUserPrincipal } from '../modules/identity/principals.js';
import { checkSession } from '../modules/identity/sessions.js';
import type { Principal } from '../platform/index.js';
import type { ConnectionBudget } from './call-limits.js';

/**
 * One context for HTTP and WebSocket, so a caller is identified the same way on both; over WebSocket
 * it lives as long as the connection.
 */
export interface Context {
  deps: AppDeps;
  log: Logger;
  request: RequestInfo;
  transport: 'http' | 'ws';
  /** Whether this HTTP request carries several calls (`/trpc/a,b?batch=1`; a batch of one is not). */
  batched: boolean;
  /** The connection's bounded share of calls and subscriptions (call-limits.ts); set by the server. */
  connection: ConnectionBudget | null;
  principal: Principal | null;
  /** Why credentials that were presented did not yield a principal, said to the caller. */
  authProblem: string | null;
  sessionCookie: SessionCookieWriter;
}

const BEARER = /^Bearer\s+(\S+)$/i;

export async function createContext(
  deps: AppDeps,
  req: IncomingMessage,
  res: ServerResponse | null,
  options: { batched: boolean } = { batched: false },
): Promise<Context> {
  const request = describeRequest(req, deps.trustProxy);
  const sessionCookie = new SessionCookieWriter(res, deps.cookieSecure ?? request.secure);
  const base = {
    deps,
    log: deps.log,
    request,
    transport: res === null ? ('ws' as const) : ('http' as const),
    batched: options.batched,
    connection: null,
    sessionCookie,
  };

  const bearer = BEARER.exec(req.headers.authorization ?? '')?.[1];
  if (bearer !== undefined) {
    const checked = await checkApiKey(deps.db, bearer);
    if (checked.kind === 'valid') return { ...base, principal: checked.principal, authProblem: null };
    const problems = {
      unknown: 'API key not recognised',
      revoked: 'API key has been revoked',
      expired: 'API key has expired',
    };
    return { ...base, principal: null, authProblem: problems[checked.kind] };
  }

  const token = readSessionCookie(req.headers.cookie);
  if (token === null) return { ...base, principal: null, authProblem: null };
  const session = await checkSession(deps.db, token, deps.sessionPolicy, { mayRotate: res !== null });
  if (session.kind !== 'valid') {
    sessionCookie.clear();
    const authProblem =
      session.kind === 'expired' ? 'Your session has expired; sign in again' : 'Sign in first';
    return { ...base, principal: null, authProblem };
  }
  if (session.newToken !== null) sessionCookie.set(session.newToken, session.expiresAt);
  const principal = await loadUserPrincipal(deps.db, session.tenantId, session.userId, session.sessionId);
  if (principal === null) sessionCookie.clear();
  return {
    ...base,
    log: deps.log.child({ tenantId: session.tenantId, userId: session.userId }),
    principal,
    authProblem: principal === null ? 'This account is deactivated' : null,
  };
}

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { AppDeps } from '../app-deps.js';
import { readSessionCookie, SessionCookieWriter } from '../http/cookies.js';
import { describeRequest, type RequestInfo } from '../http/request-info.js';
import { type Credential, identify, keepCallerAlive } from '../modules/identity/callers.js';
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
  /**
   * The credential each call checks in its own transaction, when the context left that to the calls
   * (`callsCheckCaller`); then `principal` is null here and each call finds its own.
   */
  credential: Credential | null;
  /** The caller identified with the context, when it was (over WebSocket, for downloads). */
  principal: Principal | null;
  /** Bookkeeping due for the request's session or key, done once per request (procedures.ts). */
  upkeep: Promise<void> | null;
  /** Why credentials that were presented did not yield a principal, said to the caller. */
  authProblem: string | null;
  sessionCookie: SessionCookieWriter;
}

const BEARER = /^Bearer\s+(\S+)$/i;

/**
 * The request's context. With `callsCheckCaller` (HTTP calls that each run in a transaction of their
 * own) the credential is only read here: each call checks it in its own transaction (procedures.ts).
 * Otherwise — WebSocket, subscriptions, waiting calls, downloads — the caller is identified now.
 */
export async function createContext(
  deps: AppDeps,
  req: IncomingMessage,
  res: ServerResponse | null,
  options: { batched: boolean; callsCheckCaller?: boolean } = { batched: false },
): Promise<Context> {
  const request = describeRequest(req, deps.trustProxy);
  const sessionCookie = new SessionCookieWriter(res, deps.cookieSecure ?? request.secure);
  const credential = credentialOf(req);
  const base = {
    deps,
    log: deps.log,
    request,
    transport: res === null ? ('ws' as const) : ('http' as const),
    batched: options.batched,
    connection: null,
    sessionCookie,
    upkeep: null,
  };
  if (credential === null) return { ...base, credential: null, principal: null, authProblem: null };
  if (options.callsCheckCaller === true) return { ...base, credential, principal: null, authProblem: null };

  const now = new Date();
  const mayRotate = res !== null;
  const checked = await identify(deps.db, credential, { now, policy: deps.sessionPolicy, mayRotate });
  if (checked.kind === 'refused') {
    if (credential.kind === 'session') sessionCookie.clear();
    return { ...base, credential: null, principal: null, authProblem: checked.problem };
  }
  const { principal, upkeep } = checked;
  if (upkeep !== null) {
    const renewed = await keepCallerAlive(deps.db, upkeep, credential, { policy: deps.sessionPolicy, now });
    if (renewed !== null) sessionCookie.set(renewed.token, renewed.expiresAt);
  }
  return {
    ...base,
    log: deps.log.child({ tenantId: principal.tenantId, userId: principal.userId }),
    credential: null,
    principal,
    authProblem: null,
  };
}

/** An API key in `Authorization: Bearer` wins over a session cookie: a refused key never falls back. */
function credentialOf(req: IncomingMessage): Credential | null {
  const bearer = BEARER.exec(req.headers.authorization ?? '')?.[1];
  if (bearer !== undefined) return { kind: 'api-key', key: bearer };
  const token = readSessionCookie(req.headers.cookie);
  return token === null ? null : { kind: 'session', token };
}

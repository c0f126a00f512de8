import { randomBytes } from 'node:crypto';
import { createTRPCClient, createWSClient, httpLink, type TRPCClientError, wsLink } from '@trpc/client';
import { parseSetCookie, type SetCookie } from 'cookie';
import WebSocket from 'ws';
import type { AppRouter } from '../app-router.js';
import { SESSION_COOKIE } from '../http/cookies.js';
import { TEST_PASSWORD } from './tenants.js';

/*
 * Callers of the real server for API tests: a browser-like client that keeps the session cookie
 * the server last set, an edge-like client that sends an API key, and a WebSocket client.
 */

export interface Credentials {
  /** The session cookie's value. */
  token?: string | null;
  /** Sent as `Authorization: Bearer …`. */
  apiKey?: string;
}

export type ApiClient = ReturnType<typeof apiClient>;
export type ApiError = TRPCClientError<AppRouter>;

function authHeaders(credentials: Credentials, token: string | null): Record<string, string> {
  return {
    ...(token === null ? {} : { cookie: `${SESSION_COOKIE}=${token}` }),
    ...(credentials.apiKey === undefined ? {} : { authorization: `Bearer ${credentials.apiKey}` }),
  };
}

/** The session cookies among a response's Set-Cookie headers, parsed. */
export function sessionCookies(setCookieHeaders: readonly string[]): SetCookie[] {
  return setCookieHeaders.map((header) => parseSetCookie(header)).filter((c) => c.name === SESSION_COOKIE);
}

/**
 * A client over HTTP that, like a browser, sends the session cookie it holds and takes whatever
 * cookie a response sets (a cleared cookie leaves it with none). `last` is the latest response's
 * raw Set-Cookie headers.
 */
export function apiClient(url: string, credentials: Credentials = {}) {
  const jar = { token: credentials.token ?? null, last: [] as string[] };
  const trpc = createTRPCClient<AppRouter>({
    links: [
      httpLink({
        url: `${url}/trpc`,
        headers: () => authHeaders(credentials, jar.token),
        fetch: async (input, init) => {
          const response = await fetch(input, init);
          jar.last = response.headers.getSetCookie();
          for (const cookie of sessionCookies(jar.last)) {
            jar.token = cookie.maxAge === 0 || !cookie.value ? null : cookie.value;
          }
          return response;
        },
      }),
    ],
  });
  return { trpc, jar };
}

/** Signs in over HTTP and returns a client holding the new session. */
export async function signIn(url: string, email: string, password = TEST_PASSWORD) {
  const client = apiClient(url);
  const signedIn = await client.trpc.auth.login.mutate({ email, password });
  const token = client.jar.token;
  if (token === null) throw new Error(`signing in as ${email} set no session cookie`);
  return { ...client, token, signedIn };
}

/** A tRPC client over one WebSocket connection, which sends the credentials on the upgrade. */
export function wsClient(
  url: string,
  credentials: Credentials = {},
  options: { retryDelayMs?: number } = {},
) {
  const headers = authHeaders(credentials, credentials.token ?? null);
  class CredentialedWebSocket extends WebSocket {
    constructor(address: string | URL, protocols?: string | string[]) {
      super(address, protocols, { headers });
    }
  }
  const client = createWSClient({
    url: `${url.replace(/^http/, 'ws')}/trpc`,
    WebSocket: CredentialedWebSocket as unknown as typeof globalThis.WebSocket,
    // A test wants to see a failure, not a client quietly reconnecting, unless it tests reconnecting.
    retryDelayMs: () => options.retryDelayMs ?? 60_000,
  });
  const trpc = createTRPCClient<AppRouter>({ links: [wsLink({ client })] });
  return { trpc, close: () => client.close() };
}

/** A new user of the admin's tenant, created through the API, who can sign in with TEST_PASSWORD. */
export async function addUser(admin: ApiClient, access: { roleIds: string[]; plantIds: string[] }) {
  const email = `user-${randomBytes(5).toString('hex')}@test.plantline.local`;
  const { id } = await admin.trpc.users.create.mutate({
    email,
    displayName: `User ${email.slice(5, 15)}`,
    password: TEST_PASSWORD,
    ...access,
  });
  return { id, email };
}

import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows, type Sql } from '../../db/index.js';
import { addUser, apiClient, sessionCookies, signIn, wsClient } from '../../testing/api.js';
import { expectApiError } from '../../testing/api-assertions.js';
import { type TestDatabase, testEngines } from '../../testing/engines.js';
import { startTestServer } from '../../testing/server.js';
import { createTwoTenants, TEST_PASSWORD } from '../../testing/tenants.js';
import { INVALID_CREDENTIALS } from './login.js';
import { sha256 } from './secrets.js';

type TestServer = Awaited<ReturnType<typeof startTestServer>>;
type Tenants = Awaited<ReturnType<typeof createTwoTenants>>;

const IDLE_MS = 3_600_000;

describe.each(testEngines)('sign-in and sessions over HTTP and WebSocket ($name engine)', (engine) => {
  let database: TestDatabase;
  let tenants: Tenants;
  let server: TestServer;
  /** Servers a test starts for its own options (a fresh limiter, rotation on every request). */
  const extraServers: TestServer[] = [];

  beforeAll(async () => {
    database = await engine.create();
    tenants = await createTwoTenants(database.db);
    // The address limit would otherwise count every failure in this file from 127.0.0.1.
    server = await startTestServer(database.db, { maxFailuresPerAddress: 10_000 });
  });

  afterAll(async () => {
    for (const extra of extraServers) await extra.close();
    await server?.close();
    await database?.drop();
  });

  async function startExtraServer(options: Parameters<typeof startTestServer>[1]) {
    // On a server the attempts are counted in the database for every instance (login-limiter-shared.ts):
    // a server with limits of its own starts from none, as it would on a database of its own.
    await database.db.ownerTransact(null, (tx) => tx.execute(sql`delete from login_attempts`));
    const extra = await startTestServer(database.db, options);
    extraServers.push(extra);
    return extra;
  }

  function asOwner<T>(tenantId: string, work: (tx: Sql) => Promise<T>): Promise<T> {
    return database.db.ownerTransact({ tenantId, plantIds: 'all' }, work);
  }

  function sessionOf(tenantId: string, token: string) {
    return asOwner(tenantId, async (tx) => {
      const [row] = await rows<{ id: string; idle_expires_at: Date | string; revoked_at: unknown }>(
        tx,
        sql`select id, idle_expires_at, revoked_at from sessions where token_hash = ${sha256(token)}`,
      );
      return row;
    });
  }

  it('sets an HTTP-only, SameSite=Lax, site-wide session cookie with an expiry', async () => {
    const { a } = tenants;
    const client = apiClient(server.url);
    const before = Date.now();
    const signedIn = await client.trpc.auth.login.mutate({ email: a.adminEmail, password: TEST_PASSWORD });

    expect(signedIn.user).toMatchObject({ id: a.adminUserId, email: a.adminEmail });
    expect(signedIn.tenant.id).toBe(a.tenantId);
    const [header, ...others] = client.jar.last;
    expect(others).toEqual([]);
    expect(header).toMatch(/^plantline_session=[A-Za-z0-9_-]{43};/);
    expect(header).toMatch(/; HttpOnly(;|$)/);
    expect(header).toMatch(/; SameSite=Lax(;|$)/);
    expect(header).toMatch(/; Path=\/(;|$)/);
    expect(header).toMatch(/; Expires=/);
    // Plain HTTP to the server itself: a Secure cookie would never be sent back.
    expect(header).not.toMatch(/Secure/);
    const [cookie] = sessionCookies(client.jar.last);
    const expires = cookie!.expires!.getTime();
    // Cookie dates have whole seconds.
    expect(expires).toBeGreaterThanOrEqual(before + IDLE_MS - 1_000);
    expect(expires).toBeLessThanOrEqual(Date.now() + IDLE_MS);
    expect(new Date(signedIn.expiresAt).getTime()).toBeGreaterThanOrEqual(expires);

    // The token is stored hashed only.
    const session = await sessionOf(a.tenantId, cookie!.value!);
    expect(session).toBeDefined();
    const [plain] = await asOwner(a.tenantId, (tx) =>
      rows<{ n: number }>(
        tx,
        sql`select count(*)::int as n from sessions where token_hash = ${cookie!.value!}`,
      ),
    );
    expect(plain!.n).toBe(0);
  });

  it('answers auth.me with the user, their tenant, their roles and only their tenant’s plants', async () => {
    const { a, b } = tenants;
    const admin = await signIn(server.url, a.adminEmail);
    const me = await admin.trpc.auth.me.query();

    expect(me.user).toEqual({ id: a.adminUserId, email: a.adminEmail, displayName: 'Admin A' });
    expect(me.tenant).toEqual({ id: a.tenantId, name: 'Tenant A' });
    expect(me.roles).toEqual(['admin']);
    expect(me.plants.map((p) => p.id).sort()).toEqual([...a.plantIds].sort());
    expect(me.plants.map((p) => p.code)).toEqual(['A1', 'A2']);
    for (const plantId of b.plantIds) expect(me.plants.map((p) => p.id)).not.toContain(plantId);
    expect(me.permissions).toContain('users.manage');
  });

  it('refuses a wrong password and an unknown email with the same message', async () => {
    const { a } = tenants;
    const client = apiClient(server.url);
    const wrongPassword = await expectApiError(
      client.trpc.auth.login.mutate({ email: a.adminEmail, password: 'not the right password' }),
      'UNAUTHORIZED',
      INVALID_CREDENTIALS,
    );
    const unknownEmail = await expectApiError(
      client.trpc.auth.login.mutate({ email: 'nobody@test.plantline.local', password: TEST_PASSWORD }),
      'UNAUTHORIZED',
      INVALID_CREDENTIALS,
    );
    expect(wrongPassword.data?.httpStatus).toBe(401);
    expect(unknownEmail.data).toEqual(wrongPassword.data);
    expect(client.jar.last).toEqual([]);
    expect(client.jar.token).toBeNull();
  });

  it('accepts the email in any letter case', async () => {
    const { a } = tenants;
    const client = await signIn(server.url, a.adminEmail.toUpperCase());
    expect(client.signedIn.user.id).toBe(a.adminUserId);
  });

  it('refuses a deactivated user with the same message and ends the sessions they had', async () => {
    const { a } = tenants;
    const admin = await signIn(server.url, a.adminEmail);
    const user = await addUser(admin, { roleIds: [a.roleIds.operator!], plantIds: [a.plantIds[0]!] });
    const session = await signIn(server.url, user.email);
    await session.trpc.auth.me.query();

    await admin.trpc.users.update.mutate({ id: user.id, isActive: false });

    await expectApiError(session.trpc.auth.me.query(), 'UNAUTHORIZED');
    await expectApiError(
      apiClient(server.url).trpc.auth.login.mutate({ email: user.email, password: TEST_PASSWORD }),
      'UNAUTHORIZED',
      INVALID_CREDENTIALS,
    );
  });

  it('throttles an account after too many failures, even for the right password', async () => {
    const { a, b } = tenants;
    const limited = await startExtraServer({ maxFailuresPerAccount: 3, maxFailuresPerAddress: 1_000 });
    const client = apiClient(limited.url);
    for (let i = 0; i < 3; i++) {
      await expectApiError(
        client.trpc.auth.login.mutate({ email: a.adminEmail, password: `wrong password ${i}` }),
        'UNAUTHORIZED',
        INVALID_CREDENTIALS,
      );
    }
    const throttled = await expectApiError(
      client.trpc.auth.login.mutate({ email: a.adminEmail, password: TEST_PASSWORD }),
      'TOO_MANY_REQUESTS',
      /Try again in \d+ minutes?/,
    );
    expect(throttled.data?.httpStatus).toBe(429);
    expect(client.jar.token).toBeNull();
    // The account is blocked, not the address: another account still signs in from here.
    await signIn(limited.url, b.adminEmail);
  });

  it('throttles an address that fails on many accounts, whatever X-Forwarded-For claims', async () => {
    const { a } = tenants;
    const limited = await startExtraServer({ maxFailuresPerAccount: 100, maxFailuresPerAddress: 4 });
    for (let i = 0; i < 4; i++) {
      const response = await fetch(`${limited.url}/trpc/auth.login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': `198.51.100.${i}` },
        body: JSON.stringify({ email: `guess-${i}@test.plantline.local`, password: 'a guessed password' }),
      });
      expect(response.status).toBe(401);
    }
    await expectApiError(
      apiClient(limited.url).trpc.auth.login.mutate({ email: a.adminEmail, password: TEST_PASSWORD }),
      'TOO_MANY_REQUESTS',
      /Try again in/,
    );
  });

  it('refuses a forged session cookie and clears it', async () => {
    const client = apiClient(server.url, { token: randomBytes(32).toString('base64url') });
    await expectApiError(client.trpc.auth.me.query(), 'UNAUTHORIZED', 'Sign in first');
    const [cleared] = sessionCookies(client.jar.last);
    expect(cleared).toMatchObject({ value: '', maxAge: 0, path: '/', httpOnly: true });
    expect(client.jar.token).toBeNull();
  });

  it('signs in over a stale cookie with a new session, clearing the stale one first', async () => {
    const { a } = tenants;
    const stale = randomBytes(32).toString('base64url');
    const client = apiClient(server.url, { token: stale });
    await client.trpc.auth.login.mutate({ email: a.adminEmail, password: TEST_PASSWORD });
    // Browsers apply Set-Cookie headers in order: the new session must come last.
    const [cleared, issued] = sessionCookies(client.jar.last);
    expect(cleared).toMatchObject({ value: '', maxAge: 0 });
    expect(issued?.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(client.jar.token).toBe(issued?.value);
    expect((await client.trpc.auth.me.query()).user.id).toBe(a.adminUserId);
  });

  it('refuses a garbled or oversized cookie the same way', async () => {
    for (const token of ['%E0%A4%A', 'x'.repeat(4_000), '"quoted"', '../../etc/passwd']) {
      const client = apiClient(server.url, { token });
      await expectApiError(client.trpc.auth.me.query(), 'UNAUTHORIZED', 'Sign in first');
    }
  });

  it('asks a caller without a cookie to sign in first', async () => {
    const client = apiClient(server.url);
    const error = await expectApiError(client.trpc.auth.me.query(), 'UNAUTHORIZED', 'Sign in first');
    expect(error.data?.httpStatus).toBe(401);
    expect(client.jar.last).toEqual([]);
  });

  it('refuses a session that sat idle past its expiry', async () => {
    const { a } = tenants;
    const client = await signIn(server.url, a.adminEmail);
    await asOwner(a.tenantId, (tx) =>
      tx.execute(
        sql`update sessions set idle_expires_at = now() - interval '1 minute' where token_hash = ${sha256(client.token)}`,
      ),
    );
    await expectApiError(client.trpc.auth.me.query(), 'UNAUTHORIZED', /session has expired/);
    expect(sessionCookies(client.jar.last)[0]).toMatchObject({ maxAge: 0 });
  });

  it('refuses a session past its absolute lifetime, however recently used', async () => {
    const { a } = tenants;
    const client = await signIn(server.url, a.adminEmail);
    await asOwner(a.tenantId, (tx) =>
      tx.execute(
        sql`update sessions set absolute_expires_at = now() - interval '1 second' where token_hash = ${sha256(client.token)}`,
      ),
    );
    await expectApiError(client.trpc.auth.me.query(), 'UNAUTHORIZED', /session has expired/);
  });

  it('slides the idle expiry forward when the session is used', async () => {
    const { a } = tenants;
    const client = await signIn(server.url, a.adminEmail);
    await asOwner(a.tenantId, (tx) =>
      tx.execute(
        sql`update sessions set idle_expires_at = now() + interval '5 minutes' where token_hash = ${sha256(client.token)}`,
      ),
    );
    await client.trpc.auth.me.query();
    const session = await sessionOf(a.tenantId, client.token);
    expect(new Date(session!.idle_expires_at).getTime()).toBeGreaterThan(Date.now() + IDLE_MS - 60_000);
  });

  it('rotates the token; the old one works for the grace period only', async () => {
    const { a } = tenants;
    const rotating = await startExtraServer({ sessionPolicy: { rotateMs: 0 } });
    const { token: first } = await signIn(rotating.url, a.adminEmail);

    const withFirst = apiClient(rotating.url, { token: first });
    await withFirst.trpc.auth.me.query();
    const second = withFirst.jar.token;
    expect(second).not.toBeNull();
    expect(second).not.toBe(first);
    const [rotated] = sessionCookies(withFirst.jar.last);
    expect(rotated).toMatchObject({ httpOnly: true, sameSite: 'lax', path: '/' });
    expect(rotated!.expires).toBeInstanceOf(Date);

    // A request already in flight with the old cookie still succeeds, and does not fork the session.
    const stale = apiClient(rotating.url, { token: first });
    const me = await stale.trpc.auth.me.query();
    expect(me.user.id).toBe(a.adminUserId);
    expect(stale.jar.last).toEqual([]);

    await asOwner(a.tenantId, (tx) =>
      tx.execute(
        sql`update sessions set previous_valid_until = now() - interval '1 second' where token_hash = ${sha256(second!)}`,
      ),
    );
    await expectApiError(apiClient(rotating.url, { token: first }).trpc.auth.me.query(), 'UNAUTHORIZED');
    const fresh = apiClient(rotating.url, { token: second });
    expect((await fresh.trpc.auth.me.query()).user.id).toBe(a.adminUserId);
    // That request rotated again; the session row holds one current token.
    expect(fresh.jar.token).not.toBe(second);
  });

  it('does not rotate a token younger than the rotation interval', async () => {
    const { a } = tenants;
    const client = await signIn(server.url, a.adminEmail);
    await client.trpc.auth.me.query();
    expect(client.jar.last).toEqual([]);
  });

  it('logout revokes the session and clears the cookie, and only that session', async () => {
    const { a } = tenants;
    const kept = await signIn(server.url, a.adminEmail);
    const client = await signIn(server.url, a.adminEmail);
    const { token } = client;

    expect(await client.trpc.auth.logout.mutate()).toEqual({ ok: true });
    expect(sessionCookies(client.jar.last)[0]).toMatchObject({ value: '', maxAge: 0 });
    expect(client.jar.token).toBeNull();

    const replayed = apiClient(server.url, { token });
    await expectApiError(replayed.trpc.auth.me.query(), 'UNAUTHORIZED', /session has expired/);
    await expectApiError(replayed.trpc.auth.logout.mutate(), 'UNAUTHORIZED');
    expect((await sessionOf(a.tenantId, token))!.revoked_at).not.toBeNull();
    expect((await kept.trpc.auth.me.query()).user.id).toBe(a.adminUserId);
  });

  it('streams auth.watchSession over WebSocket to a signed-in user', async () => {
    const { a } = tenants;
    const { token } = await signIn(server.url, a.adminEmail);
    const ws = wsClient(server.url, { token });
    try {
      const first = await new Promise<{ serverTime: string; expiresAt: string }>((resolve, reject) => {
        const subscription = ws.trpc.auth.watchSession.subscribe(undefined, {
          onData: (data) => {
            subscription.unsubscribe();
            resolve(data);
          },
          onError: reject,
        });
      });
      expect(Math.abs(new Date(first.serverTime).getTime() - Date.now())).toBeLessThan(10_000);
      expect(new Date(first.expiresAt).getTime()).toBeGreaterThan(Date.now() + IDLE_MS - 120_000);
      // Queries travel the same connection with the same identity.
      expect((await ws.trpc.auth.me.query()).user.id).toBe(a.adminUserId);
    } finally {
      ws.close();
    }
  });

  // Logout announces itself on the bus, so this ends before the heartbeat's next 15 s tick.
  it('ends auth.watchSession with UNAUTHORIZED once the session is revoked', async () => {
    const { a } = tenants;
    const client = await signIn(server.url, a.adminEmail);
    const ws = wsClient(server.url, { token: client.token });
    try {
      const received: string[] = [];
      const ended = new Promise<unknown>((resolve) => {
        ws.trpc.auth.watchSession.subscribe(undefined, {
          onData: (data) => {
            received.push(data.expiresAt);
            if (received.length === 1) void client.trpc.auth.logout.mutate();
            else resolve(new Error('the session was still reported after logout'));
          },
          onError: resolve,
        });
      });
      await expectApiError(
        ended.then((error) => Promise.reject(error)),
        'UNAUTHORIZED',
        'Your session has expired; sign in again',
      );
      expect(received).toHaveLength(1);
    } finally {
      ws.close();
    }
  });

  it('ends an open WebSocket’s authority when its session is logged out', async () => {
    const { a } = tenants;
    const client = await signIn(server.url, a.adminEmail);
    const ws = wsClient(server.url, { token: client.token });
    try {
      expect((await ws.trpc.users.list.query()).length).toBeGreaterThan(0);
      await client.trpc.auth.logout.mutate();
      await expectApiError(ws.trpc.users.list.query(), 'UNAUTHORIZED', /session has expired/);
    } finally {
      ws.close();
    }
  });

  it('applies role changes and deactivation to an open WebSocket at once', async () => {
    const { a } = tenants;
    const admin = await signIn(server.url, a.adminEmail);
    const user = await addUser(admin, { roleIds: [a.roleIds.operator!], plantIds: [a.plantIds[0]!] });
    const { token } = await signIn(server.url, user.email);
    const ws = wsClient(server.url, { token });
    try {
      await expectApiError(ws.trpc.users.list.query(), 'FORBIDDEN', 'This needs the permission users.read');
      await admin.trpc.users.setRoles.mutate({ userId: user.id, roleIds: [a.roleIds.supervisor!] });
      expect((await ws.trpc.users.list.query()).map((u) => u.id)).toContain(user.id);
      await admin.trpc.users.update.mutate({ id: user.id, isActive: false });
      await expectApiError(ws.trpc.users.list.query(), 'UNAUTHORIZED');
    } finally {
      ws.close();
    }
  });

  it('refuses auth.watchSession over WebSocket without a valid session', async () => {
    for (const credentials of [{}, { token: randomBytes(32).toString('base64url') }]) {
      const ws = wsClient(server.url, credentials);
      try {
        const failure = new Promise<unknown>((resolve) => {
          ws.trpc.auth.watchSession.subscribe(undefined, {
            onData: () => resolve(new Error('received data without a session')),
            onError: resolve,
          });
        });
        await expectApiError(
          failure.then((error) => Promise.reject(error)),
          'UNAUTHORIZED',
          'Sign in first',
        );
      } finally {
        ws.close();
      }
    }
  });
});

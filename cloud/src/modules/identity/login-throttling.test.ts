import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wsClient } from '../../testing/api.js';
import { expectApiError } from '../../testing/api-assertions.js';
import { type TestDatabase, testEngines } from '../../testing/engines.js';
import { startTestServer, type TestServerOptions } from '../../testing/server.js';
import { createTwoTenants, TEST_PASSWORD } from '../../testing/tenants.js';

type TestServer = Awaited<ReturnType<typeof startTestServer>>;
type Tenants = Awaited<ReturnType<typeof createTwoTenants>>;

interface CallResult {
  result?: { data: unknown };
  error?: { message: string; data: { code: string } };
}

/*
 * Sign-in throttling through the real server: batches, concurrency and addresses
 * (docs/security.md, "Sign-in"). Each test starts a server of its own, so that its limiter starts
 * empty.
 */
describe.each(testEngines)('sign-in throttling ($name engine)', (engine) => {
  let database: TestDatabase;
  let tenants: Tenants;
  const servers: TestServer[] = [];

  beforeAll(async () => {
    database = await engine.create();
    tenants = await createTwoTenants(database.db);
  });

  afterAll(async () => {
    for (const server of servers) await server.close();
    await database?.drop();
  });

  async function start(options: TestServerOptions = {}) {
    const server = await startTestServer(database.db, options);
    servers.push(server);
    return server;
  }

  /** One plain sign-in request, optionally claiming a client address (the server trusts the proxy). */
  function login(server: TestServer, password: string, from?: string, email = tenants.a.adminEmail) {
    return fetch(`${server.url}/trpc/auth.login`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(from === undefined ? {} : { 'x-forwarded-for': from }),
      },
      body: JSON.stringify({ email, password }),
    });
  }

  function batchOfLogins(server: TestServer, inputs: { email: string; password: string }[]) {
    const paths = inputs.map(() => 'auth.login').join(',');
    const body = Object.fromEntries(inputs.map((input, i) => [String(i), input]));
    return fetch(`${server.url}/trpc/${paths}?batch=1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  }

  it('refuses auth.login inside a batch without evaluating any of its passwords', async () => {
    const server = await start({ maxFailuresPerAccountAndAddress: 1 });
    const { adminEmail } = tenants.a;
    const response = await batchOfLogins(server, [
      { email: adminEmail, password: 'a wrong password' },
      { email: adminEmail, password: TEST_PASSWORD },
    ]);

    expect(response.headers.getSetCookie()).toEqual([]);
    const results = (await response.json()) as CallResult[];
    expect(results).toHaveLength(2);
    for (const result of results) {
      expect(result.result).toBeUndefined();
      expect(result.error).toMatchObject({
        message: 'Sign in with a request of its own, not in a batch or over WebSocket',
        data: { code: 'BAD_REQUEST' },
      });
    }
    // Neither call counted: the single failure the pair is allowed is still there.
    expect((await login(server, 'a wrong password')).status).toBe(401);
    expect((await login(server, TEST_PASSWORD)).status).toBe(429);
  });

  it('signs in with a batch of one call, as the web client sends it', async () => {
    const server = await start();
    const response = await batchOfLogins(server, [{ email: tenants.a.adminEmail, password: TEST_PASSWORD }]);
    expect(response.status).toBe(200);
    expect(response.headers.getSetCookie()).toHaveLength(1);
  });

  it('refuses a batch of 40 logins, the right password last, as a whole', async () => {
    const server = await start();
    const inputs = Array.from({ length: 40 }, (_, i) => ({
      email: tenants.a.adminEmail,
      password: i === 39 ? TEST_PASSWORD : `guess ${i}`,
    }));
    const response = await batchOfLogins(server, inputs);
    expect(response.status).toBe(400);
    expect(response.headers.getSetCookie()).toEqual([]);
    expect(JSON.stringify(await response.json())).not.toContain('"result"');
    // Nothing was counted against the account either.
    expect((await login(server, TEST_PASSWORD)).status).toBe(200);
  });

  it('refuses a 10 KB request of 200 unknown-email logins as a whole', async () => {
    const server = await start();
    const inputs = Array.from({ length: 200 }, (_, i) => ({
      email: `nobody-${i}@test.plantline.local`,
      password: 'p',
    }));
    const response = await batchOfLogins(server, inputs);
    expect(response.status).toBe(400);
    const body = JSON.stringify(await response.json());
    expect(body).toContain('BAD_REQUEST');
    expect(body).not.toContain('"result"');
  });

  it('caps the size of a batch of any procedure', async () => {
    const server = await start();
    const batch = (n: number) =>
      fetch(`${server.url}/trpc/${Array.from({ length: n }, () => 'auth.me').join(',')}?batch=1`);
    const tooMany = await batch(51);
    expect(tooMany.status).toBe(400);
    expect(JSON.stringify(await tooMany.json())).toContain('Batch call exceeds maximum size');
    // Within the cap each call gets its own answer (here: sign in first).
    const allowed = (await (await batch(50)).json()) as CallResult[];
    expect(allowed).toHaveLength(50);
    expect(allowed.every((r) => r.error?.data.code === 'UNAUTHORIZED')).toBe(true);
  });

  it('evaluates at most the limit of 30 parallel wrong logins', async () => {
    const server = await start({ maxFailuresPerAccountAndAddress: 5 });
    const responses = await Promise.all(
      Array.from({ length: 30 }, (_, i) => login(server, `parallel guess ${i}`)),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(25);
  });

  it('signs the real user in from another address after an attacker’s failures', async () => {
    const server = await start({ trustProxy: true, maxFailuresPerAccountAndAddress: 5 });
    const attacker = '203.0.113.7';
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await login(server, `guess ${i}`, attacker)).status);
    expect(statuses).toEqual([...Array(5).fill(401), ...Array(5).fill(429)]);
    // The attacker's address stays blocked for this account, even with the right password.
    expect((await login(server, TEST_PASSWORD, attacker)).status).toBe(429);

    const user = await login(server, TEST_PASSWORD, '198.51.100.20');
    expect(user.status).toBe(200);
    expect(user.headers.getSetCookie()).toHaveLength(1);
  });

  it('refuses the account from every address once failures from many reach the account limit', async () => {
    const server = await start({
      trustProxy: true,
      maxFailuresPerAccountAndAddress: 2,
      maxFailuresPerAccount: 4,
    });
    for (const from of ['203.0.113.1', '203.0.113.2']) {
      for (let i = 0; i < 2; i++) expect((await login(server, 'guess', from)).status).toBe(401);
    }
    const blocked = await login(server, TEST_PASSWORD, '198.51.100.20');
    expect(blocked.status).toBe(429);
    expect(((await blocked.json()) as { error: { message: string } }).error.message).toMatch(
      /Try again in 15 minutes/,
    );
    // Other accounts are untouched.
    expect((await login(server, TEST_PASSWORD, '198.51.100.20', tenants.b.adminEmail)).status).toBe(200);
  });

  it('refuses auth.login over WebSocket, where no session cookie can be set', async () => {
    const server = await start();
    const ws = wsClient(server.url);
    try {
      await expectApiError(
        ws.trpc.auth.login.mutate({ email: tenants.a.adminEmail, password: TEST_PASSWORD }),
        'BAD_REQUEST',
        'Sign in with a request of its own, not in a batch or over WebSocket',
      );
    } finally {
      ws.close();
    }
  });
});

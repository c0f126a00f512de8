import { beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type ApiClient, signIn } from '../testing/api.js';
import { expectApiError } from '../testing/api-assertions.js';
import { type Tenants, type TestServer, useTestApp } from '../testing/app.js';
import { testEngines } from '../testing/engines.js';
import { TEST_PASSWORD } from '../testing/tenants.js';
import { SESSION_COOKIE } from './cookies.js';

const MAX_BODY_BYTES = 64 * 1024;

interface ErrorBody {
  error: {
    message: string;
    data: { code: string; httpStatus: number; fieldErrors: Record<string, string> | null };
  };
}

/*
 * Bad input through the real server: each case must be refused with a 4xx and a tRPC error body,
 * never a 500, and the server must go on serving.
 */
describe.each(testEngines)('the HTTP and WebSocket server under bad input ($name engine)', (engine) => {
  const app = useTestApp(engine, { maxBodyBytes: MAX_BODY_BYTES });
  let tenants: Tenants;
  let server: TestServer;
  let admin: ApiClient;

  beforeAll(() => {
    ({ tenants, server, admin } = app);
  });

  function post(path: string, body: string, headers: Record<string, string> = {}) {
    return fetch(`${server.url}/trpc/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });
  }

  function asAdmin(): Record<string, string> {
    return { cookie: `${SESSION_COOKIE}=${admin.jar.token}` };
  }

  async function errorOf(response: Response): Promise<ErrorBody['error']> {
    return ((await response.json()) as ErrorBody).error;
  }

  it('answers malformed JSON with BAD_REQUEST', async () => {
    const response = await post('auth.login', '{"email": "a@test.plantline.local", "password": ');
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect((await errorOf(response)).data.code).toBe('BAD_REQUEST');
    const signedIn = await post('users.update', '{"id": "', asAdmin());
    expect(signedIn.status).toBe(400);
    expect((await errorOf(signedIn)).data.code).toBe('BAD_REQUEST');
  });

  it('answers JSON of the wrong shape with BAD_REQUEST', async () => {
    for (const body of ['null', '[]', '"a string"', '42', '{"email": ["a@test.plantline.local"]}']) {
      const response = await post('auth.login', body);
      expect(response.status, body).toBe(400);
      expect((await errorOf(response)).data.code).toBe('BAD_REQUEST');
    }
  });

  it('names the field of an invalid email', async () => {
    const error = await expectApiError(
      admin.trpc.auth.login.mutate({ email: 'not-an-email', password: TEST_PASSWORD }),
      'BAD_REQUEST',
    );
    expect(error.data?.fieldErrors).toEqual({ email: 'Enter a valid email address' });
    expect(error.message).toBe('Invalid input: email: Enter a valid email address');
  });

  it('refuses an API key that would expire in the past', async () => {
    const error = await expectApiError(
      admin.trpc.apiKeys.create.mutate({
        name: 'Already expired',
        scopes: ['ingest.write'],
        plantIds: [tenants.a.plantIds[0]!],
        expiresAt: new Date(Date.now() - 60_000),
      }),
      'BAD_REQUEST',
    );
    expect(error.data?.fieldErrors).toEqual({ expiresAt: 'Choose a time in the future' });
  });

  it('refuses a body over the size limit with 413', async () => {
    const big = JSON.stringify({ email: 'a@test.plantline.local', password: 'x'.repeat(200 * 1024) });
    const response = await post('auth.login', big);
    expect(response.status).toBe(413);
    expect((await errorOf(response)).data.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('refuses a 10 000-character password before any hashing', async () => {
    const login = await expectApiError(
      admin.trpc.auth.login.mutate({ email: tenants.a.adminEmail, password: 'x'.repeat(10_000) }),
      'BAD_REQUEST',
    );
    expect(Object.keys(login.data?.fieldErrors ?? {})).toEqual(['password']);
    const reset = await expectApiError(
      admin.trpc.users.resetPassword.mutate({ id: tenants.a.adminUserId, password: 'x'.repeat(10_000) }),
      'BAD_REQUEST',
    );
    expect(reset.data?.fieldErrors).toEqual({ password: 'Use at most 256 characters' });
  });

  it('refuses ids that are not UUIDs', async () => {
    const update = await expectApiError(
      admin.trpc.users.update.mutate({ id: "1' or '1'='1", isActive: false }),
      'BAD_REQUEST',
    );
    expect(update.data?.fieldErrors).toEqual({ id: 'Not a valid id' });
    const roles = await expectApiError(
      admin.trpc.users.setRoles.mutate({ userId: tenants.a.adminUserId, roleIds: ['admin'] }),
      'BAD_REQUEST',
    );
    expect(roles.data?.fieldErrors).toEqual({ 'roleIds.0': 'Not a valid id' });
  });

  it('refuses text PostgreSQL cannot store (a NUL byte) with BAD_REQUEST', async () => {
    const { a } = tenants;
    await expectApiError(
      admin.trpc.tenancy.plants.update.mutate({ id: a.plantIds[0]!, patch: { name: 'A\u0000plant' } }),
      'BAD_REQUEST',
      'Malformed value',
    );
    await expectApiError(
      admin.trpc.rbac.roles.create.mutate({ key: 'nul-role', name: 'Nul\u0000role', permissions: [] }),
      'BAD_REQUEST',
      'Malformed value',
    );
    await expectApiError(
      admin.trpc.users.update.mutate({ id: a.adminUserId, displayName: 'Admin\u0000A' }),
      'BAD_REQUEST',
      'Malformed value',
    );
  });

  it('refuses a date PostgreSQL cannot hold with BAD_REQUEST', async () => {
    await expectApiError(
      admin.trpc.apiKeys.create.mutate({
        name: 'Far future',
        scopes: ['ingest.write'],
        plantIds: [tenants.a.plantIds[0]!],
        // The largest date JavaScript can represent, year 275760.
        expiresAt: new Date(8.64e15),
      }),
      'BAD_REQUEST',
    );
  });

  it('answers an unknown procedure or path with 404', async () => {
    const procedure = await post('nothing.here', '{}');
    expect(procedure.status).toBe(404);
    expect((await errorOf(procedure)).data.code).toBe('NOT_FOUND');
    const query = await fetch(`${server.url}/trpc/auth.nothing`);
    expect(query.status).toBe(404);
    const page = await fetch(`${server.url}/no/such/page`);
    expect(page.status).toBe(404);
  });

  it('refuses the wrong method and the wrong content type', async () => {
    const get = await fetch(`${server.url}/trpc/auth.login`);
    expect(get.status).toBe(405);
    expect((await errorOf(get)).data.code).toBe('METHOD_NOT_SUPPORTED');
    // Everything a cross-site HTML form can send: none of it reaches a procedure.
    for (const contentType of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
    ]) {
      const response = await post('auth.login', '{}', { 'content-type': contentType });
      expect(response.status).toBe(415);
      expect((await errorOf(response)).data.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    }
  });

  it('answers a malformed WebSocket message with a parse error and keeps the connection', async () => {
    const socket = new WebSocket(`${server.url.replace(/^http/, 'ws')}/trpc`);
    try {
      await new Promise((resolve, reject) => {
        socket.once('open', resolve);
        socket.once('error', reject);
      });
      const answer = new Promise<string>((resolve) =>
        socket.once('message', (data) => resolve(String(data))),
      );
      socket.send('{ this is not json');
      const parsed = JSON.parse(await answer) as { error: { data: { code: string } } };
      expect(parsed.error.data.code).toBe('PARSE_ERROR');
      expect(socket.readyState).toBe(WebSocket.OPEN);
    } finally {
      socket.terminate();
    }
  });

  it('closes a WebSocket that sends a message over the size limit', async () => {
    const socket = new WebSocket(`${server.url.replace(/^http/, 'ws')}/trpc`);
    await new Promise((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    socket.send(JSON.stringify({ id: 1, method: 'query', params: { path: 'x'.repeat(200 * 1024) } }));
    // 1009: message too big (RFC 6455 §7.4.1).
    expect(await closed).toBe(1009);
  });

  it('refuses a WebSocket upgrade outside /trpc', async () => {
    const socket = new WebSocket(`${server.url.replace(/^http/, 'ws')}/elsewhere`);
    const failure = await new Promise<Error>((resolve) => socket.once('error', resolve));
    expect(failure).toBeInstanceOf(Error);
  });

  it('keeps serving after bad input', async () => {
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    const me = await admin.trpc.auth.me.query();
    expect(me.user.id).toBe(tenants.a.adminUserId);
    const fresh = await signIn(server.url, tenants.a.adminEmail);
    expect(fresh.signedIn.user.id).toBe(tenants.a.adminUserId);
  });

  it('reports health on /healthz', async () => {
    const response = await fetch(`${server.url}/healthz`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    const report = (await response.json()) as {
      status: string;
      version: string;
      uptimeS: number;
      database: { mode: string; reachable: boolean; timescaledb: boolean; timescaledbVersion: string | null };
    };
    expect(report).toMatchObject({
      status: 'ok',
      version: 'test',
      database: { mode: engine.name, reachable: true },
    });
    expect(report.uptimeS).toBeGreaterThanOrEqual(0);
    if (engine.name === 'embedded') {
      expect(report.database.timescaledb).toBe(true);
      expect(report.database.timescaledbVersion).toMatch(/^\d+\.\d+/);
    } else {
      expect(typeof report.database.timescaledb).toBe('boolean');
    }
    // No credentials are needed, and none leak.
    expect(JSON.stringify(report)).not.toMatch(/postgres:|password/i);
  });
});

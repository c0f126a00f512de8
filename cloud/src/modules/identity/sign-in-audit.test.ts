import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, rows } from '../../db/index.js';
import { addUser, apiClient, signIn } from '../../testing/api.js';
import { expectApiError } from '../../testing/api-assertions.js';
import { type Tenants, type TestServer, useTestApp } from '../../testing/app.js';
import { auditEntries, auditMark, auditText } from '../../testing/audit-entries.js';
import { testEngines } from '../../testing/engines.js';
import { startTestServer } from '../../testing/server.js';
import { TEST_PASSWORD } from '../../testing/tenants.js';
import { INVALID_CREDENTIALS } from './login.js';

/*
 * Sign-in and sign-out in the audit trail (docs/audit.md). A refused sign-in of a known account is
 * recorded although the call fails; an unknown email has no tenant and so leaves no entry anywhere.
 * Requests claim their client address through X-Forwarded-For, which this server believes.
 */
describe.each(testEngines)('sign-in and sign-out in the audit trail ($name engine)', (engine) => {
  const app = useTestApp(engine);
  let db: Database;
  let tenants: Tenants;
  let server: TestServer;
  const extraServers: TestServer[] = [];

  beforeAll(async () => {
    ({ tenants } = app);
    db = app.database.db;
    server = await startTestServer(db, { trustProxy: true, maxFailuresPerAccountAndAddress: 2 });
    extraServers.push(server);
  });
  afterAll(async () => {
    for (const extra of extraServers) await extra.close();
  });

  /** One sign-in request from `from`, as its own HTTP call. */
  function login(email: string, password: string, from: string) {
    return fetch(`${server.url}/trpc/auth.login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': from, 'user-agent': 'audit-test/1' },
      body: JSON.stringify({ email, password }),
    });
  }

  /** A user of tenant A who can sign in, with their display name. */
  async function newUser() {
    const user = await addUser(app.admin, { roleIds: [tenants.a.roleIds.operator!], plantIds: [] });
    return { ...user, name: `User ${user.email.slice(5, 15)}` };
  }

  async function entriesOf(work: () => Promise<unknown>) {
    const mark = await auditMark(db, tenants.a.tenantId);
    await work();
    return auditEntries(db, tenants.a.tenantId, mark);
  }

  it('records a sign-in by the user, with the address and client it came from', async () => {
    const user = await newUser();
    const entries = await entriesOf(async () => {
      expect((await login(user.email, TEST_PASSWORD, '198.51.100.7')).status).toBe(200);
    });
    expect(entries).toEqual([
      expect.objectContaining({
        action: 'user.sign-in',
        entityType: 'user',
        entityId: user.id,
        entityLabel: user.email,
        plantId: null,
        actorKind: 'user',
        actorUserId: user.id,
        actorName: user.name,
        clientAddress: '198.51.100.7',
        requestId: expect.any(String),
        oldValues: null,
        newValues: { userAgent: 'audit-test/1' },
      }),
    ]);
  });

  it('records a wrong password though the call fails, as the system and without the guess', async () => {
    const user = await newUser();
    const guess = 'a wrong guess 7461';
    const entries = await entriesOf(async () => {
      const response = await login(user.email, guess, '203.0.113.20');
      expect(response.status).toBe(401);
      expect(((await response.json()) as { error: { message: string } }).error.message).toBe(
        INVALID_CREDENTIALS,
      );
    });
    expect(entries).toEqual([
      expect.objectContaining({
        action: 'user.sign-in-failed',
        entityId: user.id,
        entityLabel: user.email,
        actorKind: 'system',
        actorUserId: null,
        actorName: 'Plantline',
        clientAddress: '203.0.113.20',
        newValues: { failure: 'wrong password', userAgent: 'audit-test/1' },
      }),
    ]);
    expect(await auditText(db, tenants.a.tenantId)).not.toContain(guess);
  });

  it('records the sign-in of a deactivated account as refused', async () => {
    const user = await newUser();
    await app.admin.trpc.users.update.mutate({ id: user.id, isActive: false });
    const entries = await entriesOf(() =>
      expectApiError(signIn(server.url, user.email), 'UNAUTHORIZED', INVALID_CREDENTIALS),
    );
    expect(entries.map((e) => [e.action, e.entityId, e.newValues])).toEqual([
      ['user.sign-in-failed', user.id, { failure: 'account deactivated', userAgent: 'node' }],
    ]);
  });

  it('records a throttled account once per window, not once per refused request', async () => {
    const user = await newUser();
    const from = '203.0.113.30';
    const statuses: number[] = [];
    const entries = await entriesOf(async () => {
      for (let i = 0; i < 5; i++) statuses.push((await login(user.email, `guess ${i}`, from)).status);
      // The right password from the blocked address is refused too, and not recorded again.
      statuses.push((await login(user.email, TEST_PASSWORD, from)).status);
    });
    expect(statuses).toEqual([401, 401, 429, 429, 429, 429]);
    expect(entries.map((e) => (e.newValues as { failure: string }).failure)).toEqual([
      'wrong password',
      'wrong password',
      'too many attempts',
    ]);
    expect(entries.every((e) => e.action === 'user.sign-in-failed' && e.entityId === user.id)).toBe(true);
  });

  it('records nothing for an unknown email, in any tenant', async () => {
    const before = await everyEntry();
    const response = await login('nobody-here@test.plantline.local', TEST_PASSWORD, '203.0.113.40');
    expect(response.status).toBe(401);
    expect(await everyEntry()).toBe(before);
  });

  it('records a sign-out, and a refused one not at all', async () => {
    const user = await newUser();
    const client = await signIn(server.url, user.email);
    const entries = await entriesOf(() => client.trpc.auth.logout.mutate());
    expect(entries).toEqual([
      expect.objectContaining({
        action: 'user.sign-out',
        entityId: user.id,
        entityLabel: user.email,
        actorKind: 'user',
        actorName: user.name,
      }),
    ]);
    // The session has ended: signing out again is refused and leaves nothing.
    const stale = apiClient(server.url, { token: client.token });
    expect(await entriesOf(() => expectApiError(stale.trpc.auth.logout.mutate(), 'UNAUTHORIZED'))).toEqual(
      [],
    );
  });

  /** Entries of every tenant, counted by the owner, which is a superuser in tests. */
  async function everyEntry() {
    const [row] = await rows<{ count: number }>(db.owner, sql`select count(*)::int as count from audit_log`);
    return row!.count;
  }
});

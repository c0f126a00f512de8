import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../db/index.js';
import { TENANT_SUSPENDED } from '../modules/identity/index.js';
import { parseTenantCommand, runTenantCommand } from '../tenant-command.js';
import { apiClient, signIn } from '../testing/api.js';
import { useTestApp } from '../testing/app.js';
import { testEngines, testLog } from '../testing/engines.js';
import { SESSION_COOKIE } from './cookies.js';

/*
 * The system API (system-api.ts, docs/security.md "Tenants"): an operator key made on the command line
 * lists, creates, suspends and resumes tenants over HTTP; nothing a tenant holds opens it, bad input is
 * answered field by field, and a revoked key is refused at once. The application role cannot read the
 * keys at all.
 */
describe.each(testEngines)('the system API ($name engine)', (engine) => {
  const app = useTestApp(engine);
  let operatorKey: string;
  let keyId: string;

  const cli = async (argv: string[]) => {
    const printed: string[] = [];
    await runTenantCommand(app.database.db, parseTenantCommand(argv), {
      log: testLog,
      out: (line) => printed.push(line),
    });
    return printed;
  };
  const call = async (path: string, init: { method?: string; body?: unknown; auth?: string } = {}) => {
    const response = await fetch(`${app.server.url}/api/system/${path}`, {
      method: init.method ?? 'GET',
      headers: {
        ...(init.auth === undefined
          ? { authorization: `Bearer ${operatorKey}` }
          : { authorization: init.auth }),
        'content-type': 'application/json',
      },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    const printed = await cli(['operator-key', 'create', '--name', 'Provisioning robot']);
    operatorKey = printed[1]!;
    keyId = /^Operator key (\S+)/.exec(printed[0]!)![1]!;
    expect(operatorKey).toMatch(/^plo_[0-9a-f]{8}_/);
  });

  it('opens to an operator key only', async () => {
    expect((await call('tenants', { auth: '' })).status).toBe(401);
    expect((await call('tenants', { auth: 'Bearer plo_00000000_not-a-key' })).status).toBe(401);
    // A tenant administrator's session or API key is no operator key.
    const response = await fetch(`${app.server.url}/api/system/tenants`, {
      headers: { cookie: `${SESSION_COOKIE}=${app.admin.token}` },
    });
    expect(response.status).toBe(401);
    const { key } = await app.admin.trpc.apiKeys.create.mutate({
      name: 'Admin key',
      scopes: ['plants.read'],
      plantIds: [app.tenants.a.plantIds[0]!],
    });
    expect((await call('tenants', { auth: `Bearer ${key}` })).status).toBe(401);
    const { body } = await call('tenants');
    expect((body.tenants as { id: string }[]).map((t) => t.id).sort()).toEqual(
      [app.tenants.a.tenantId, app.tenants.b.tenantId].sort(),
    );
  });

  it('creates a tenant whose administrator signs in, and answers bad input field by field', async () => {
    const slug = `robot-made-${engine.name}`;
    const email = `admin@${slug}.test`;
    const bad = await call('tenants', {
      method: 'POST',
      body: {
        name: 'Robot made',
        slug: 'Not A Slug',
        plants: [{ code: 'R1', name: 'Robot plant', timezone: 'Mars/Base' }],
        admin: { email, displayName: 'Robot admin', password: 'short' },
      },
    });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.fields as object).sort()).toEqual([
      'admin.password',
      'plants.0.timezone',
      'slug',
    ]);
    const tenant = {
      name: 'Robot made',
      slug,
      plants: [{ code: 'R1', name: 'Robot plant', timezone: 'Europe/Berlin' }],
      admin: { email, displayName: 'Robot admin', password: 'a long enough password 1' },
    };
    const created = await call('tenants', { method: 'POST', body: tenant });
    expect(created.status).toBe(201);
    expect(created.body.tenant).toMatchObject({ slug, plants: ['R1'], users: 1, suspendedAt: null });
    const admin = await signIn(app.server.url, email, 'a long enough password 1');
    expect((await admin.trpc.tenancy.plants.list.query()).map((p) => p.code)).toEqual(['R1']);
    expect((await call('tenants', { method: 'POST', body: tenant })).status).toBe(409);
  });

  it('suspends and resumes a tenant; its callers are refused meanwhile', async () => {
    const { body } = await call('tenants');
    const slug = (body.tenants as { id: string; slug: string }[]).find(
      (t) => t.id === app.tenants.b.tenantId,
    )!.slug;
    expect((await call(`tenants/${slug}/suspend`, { method: 'POST', body: {} })).status).toBe(400);
    const suspended = await call(`tenants/${slug}/suspend`, { method: 'POST', body: { reason: 'Unpaid' } });
    expect(suspended.status).toBe(200);
    expect(suspended.body.tenant).toMatchObject({ suspendedReason: 'Unpaid' });
    const session = apiClient(app.server.url, { token: app.adminB.token });
    await expect(session.trpc.auth.me.query()).rejects.toThrow(TENANT_SUSPENDED);
    expect((await call(`tenants/${slug}/resume`, { method: 'POST' })).status).toBe(200);
    expect((await apiClient(app.server.url, { token: app.adminB.token }).trpc.auth.me.query()).user.id).toBe(
      app.tenants.b.adminUserId,
    );
    expect((await call('tenants/no-such-tenant/resume', { method: 'POST' })).status).toBe(404);
    expect((await call('tenants/x/delete', { method: 'POST' })).status).toBe(404);
  });

  it('keeps operator keys from the application role, and refuses a revoked key at once', async () => {
    const reading = app.database.db.transact({ tenantId: app.tenants.a.tenantId, plantIds: 'all' }, (tx) =>
      rows(tx, sql`select count(*) from operator_keys`),
    );
    const error = await reading.then(
      () => null,
      (failure: Error) => failure,
    );
    expect(String(error?.cause ?? error)).toMatch(/permission denied for table operator_keys/);

    const listed = await cli(['operator-key', 'list']);
    expect(listed.some((line) => line.startsWith(keyId) && line.includes('Provisioning robot'))).toBe(true);
    await cli(['operator-key', 'revoke', keyId]);
    expect((await call('tenants')).status).toBe(401);
    await expect(cli(['operator-key', 'revoke', keyId])).rejects.toThrow('No unrevoked operator key');
  });
});

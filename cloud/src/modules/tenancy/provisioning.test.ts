import { tables } from '@plantline/schema';
import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rows } from '../../db/index.js';
import { parseTenantCommand, runTenantCommand } from '../../tenant-command.js';
import { apiClient, signIn, wsClient } from '../../testing/api.js';
import { useTestApp } from '../../testing/app.js';
import { auditEntries } from '../../testing/audit-entries.js';
import { testEngines, testLog } from '../../testing/engines.js';
import { TEST_PASSWORD } from '../../testing/tenants.js';
import { TENANT_SUSPENDED } from '../identity/index.js';
import { listTenants } from './provisioning.js';

/*
 * The operator's tenant commands (docs/security.md, "Tenants"): a third tenant made from the command
 * line sees nothing of the other two and they nothing of it; a suspended tenant's sessions, API keys,
 * WebSocket calls and sign-ins are refused from the next call on while the others work, and lifting
 * the suspension lets the same session in again. The application role cannot lift it.
 */
describe.each(testEngines)('tenant provisioning ($name engine)', (engine) => {
  const app = useTestApp(engine);
  const printed: string[] = [];
  const run = (argv: string[], adminPassword?: string) =>
    runTenantCommand(app.database.db, parseTenantCommand(argv), {
      log: testLog,
      out: (line) => printed.push(line),
      ...(adminPassword === undefined ? {} : { adminPassword }),
    });
  const slugOf = async (tenantId: string) =>
    (await listTenants(app.database.db)).find((t) => t.id === tenantId)!.slug;

  it('creates a third tenant from the command line; no tenant sees another’s rows', async () => {
    const email = `admin-c-${engine.name}@test.plantline.local`;
    await run(
      [
        'create',
        '--name',
        'Tenant C',
        '--slug',
        `tenant-c-${engine.name}`,
        '--plant',
        'C1=C plant 1@Europe/Berlin',
      ].concat(['--plant', 'C2=C plant 2@UTC', '--admin-email', email]),
      TEST_PASSWORD,
    );
    expect(printed.some((line) => line.startsWith(`Created tenant tenant-c-${engine.name}`))).toBe(true);
    const c = await signIn(app.server.url, email);
    const listed = await listTenants(app.database.db);
    const tenantC = listed.find((t) => t.slug === `tenant-c-${engine.name}`)!;
    expect(tenantC).toMatchObject({ plants: ['C1', 'C2'], users: 1, suspendedAt: null });

    // Through the API each administrator sees its own plants only.
    for (const [client, prefix] of [
      [app.admin, 'A'],
      [app.adminB, 'B'],
      [c, 'C'],
    ] as const) {
      const plants = await client.trpc.tenancy.plants.list.query();
      expect(plants.map((p) => p.code).sort()).toEqual([`${prefix}1`, `${prefix}2`]);
    }
    // And the application role, scoped to one tenant, reads no row of the other two.
    for (const tenantId of [app.tenants.a.tenantId, app.tenants.b.tenantId, tenantC.id]) {
      const [seen] = await app.database.db.transact({ tenantId, plantIds: 'all' }, (tx) =>
        rows<{ tenants: number; plants: number; users: number; foreign: number }>(
          tx,
          sql`select (select count(*)::int from tenants) as tenants,
                     (select count(*)::int from plants) as plants,
                     (select count(*)::int from users) as users,
                     (select count(*)::int from plants where tenant_id <> ${tenantId}::uuid)
                   + (select count(*)::int from users where tenant_id <> ${tenantId}::uuid) as foreign`,
        ),
      );
      expect(seen).toEqual({ tenants: 1, plants: 2, users: 1, foreign: 0 });
    }
  });

  it('suspends a tenant: its sessions, keys, WebSocket calls and sign-ins are refused, others work', async () => {
    const b = app.tenants.b;
    const session = await signIn(app.server.url, b.adminEmail);
    const { key } = await session.trpc.apiKeys.create.mutate({
      name: 'B edge',
      scopes: ['plants.read'],
      plantIds: [b.plantIds[0]!],
    });
    const keyClient = apiClient(app.server.url, { apiKey: key });
    const socket = wsClient(app.server.url, { token: session.token });
    try {
      expect((await socket.trpc.auth.me.query()).user.email).toBe(b.adminEmail);
      await run(['suspend', await slugOf(b.tenantId), '--reason', 'Contract ended']);

      await expect(apiClient(app.server.url, { token: session.token }).trpc.auth.me.query()).rejects.toThrow(
        TENANT_SUSPENDED,
      );
      await expect(keyClient.trpc.tenancy.plants.list.query()).rejects.toThrow(TENANT_SUSPENDED);
      await expect(socket.trpc.auth.me.query()).rejects.toThrow(TENANT_SUSPENDED);
      await expect(
        apiClient(app.server.url).trpc.auth.login.mutate({ email: b.adminEmail, password: TEST_PASSWORD }),
      ).rejects.toThrow(TENANT_SUSPENDED);
      // A wrong password hears what anyone hears: the suspension is told only to who knows it.
      await expect(
        apiClient(app.server.url).trpc.auth.login.mutate({ email: b.adminEmail, password: 'not it at all' }),
      ).rejects.toThrow('Invalid email or password');
      expect((await app.admin.trpc.auth.me.query()).user.email).toBe(app.tenants.a.adminEmail);
      const listed = (await listTenants(app.database.db)).find((t) => t.id === b.tenantId)!;
      expect(listed.suspendedReason).toBe('Contract ended');

      await run(['resume', await slugOf(b.tenantId)]);
      const again = apiClient(app.server.url, { token: session.token });
      expect((await again.trpc.auth.me.query()).user.email).toBe(b.adminEmail);
      expect(await keyClient.trpc.tenancy.plants.list.query()).toHaveLength(1);
      const actions = (await auditEntries(app.database.db, b.tenantId)).map((e) => e.action);
      expect(actions).toEqual(expect.arrayContaining(['tenant.suspend', 'tenant.resume']));
    } finally {
      socket.close();
    }
  });

  it('the application role cannot lift a suspension, not even in its own tenant', async () => {
    const { tenantId } = app.tenants.a;
    const lifting = app.database.db.transact({ tenantId, plantIds: 'all' }, (tx) =>
      tx.update(tables.tenants).set({ suspendedAt: null }).where(eq(tables.tenants.id, tenantId)),
    );
    const error = await lifting.then(
      () => null,
      (failure: Error) => failure,
    );
    expect(String(error?.cause ?? error)).toMatch(/permission denied for table tenants/);
  });

  it('says what is wrong with a command, and with a tenant that does not exist', async () => {
    await expect(run(['suspend', 'no-such-tenant', '--reason', 'x'])).rejects.toThrow(
      'No tenant has the slug "no-such-tenant"',
    );
  });
});

describe('tenant command arguments', () => {
  it('refuses what it cannot run, with the usage', () => {
    expect(() => parseTenantCommand([])).toThrow('Name a command');
    expect(() => parseTenantCommand(['delete', 'x'])).toThrow('Unknown command "delete"');
    expect(() => parseTenantCommand(['suspend', 'acme'])).toThrow('suspend needs the slug and --reason');
    expect(() => parseTenantCommand(['create', '--name', 'A', '--slug', 'acme'])).toThrow('--admin-email');
    const create = ['create', '--name', 'A', '--slug', 'acme', '--admin-email', 'a@acme.example'];
    expect(() => parseTenantCommand(create)).toThrow('at least one --plant');
    expect(() => parseTenantCommand([...create, '--plant', 'HAM Hamburg'])).toThrow(
      'is not CODE=Name@Time/Zone',
    );
    expect(() => parseTenantCommand([...create, '--plant', 'HAM=Hamburg@Mars/Base'])).toThrow(
      '"Mars/Base" is not an IANA time zone',
    );
    expect(() =>
      parseTenantCommand(['create', '--name', 'A', '--slug', 'Acme!', '--admin-email', 'a@b.c']),
    ).toThrow('must be 2 to 63');
    expect(parseTenantCommand([...create, '--plant', 'HAM=Hamburg works@Europe/Berlin'])).toEqual({
      kind: 'create',
      name: 'A',
      slug: 'acme',
      plants: [{ code: 'HAM', name: 'Hamburg works', timezone: 'Europe/Berlin' }],
      adminEmail: 'a@acme.example',
      adminName: 'Administrator',
    });
  });
});

import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCloudEnv } from '../env.js';
import { createServerDatabase, SERVER_TEMPLATE_VARIABLE, testEngines, testLog } from '../testing/engines.js';
import { createTwoTenants } from '../testing/tenants.js';
import { type Database, openDatabase, readAlongside, rows, type Sql } from './index.js';
import { READ_POOL_NAME } from './server.js';

/*
 * Reads that may lag go to the read server (DATABASE_READ_URL; docs/architecture.md, "The
 * database"). No replica runs here: the read server is a copy of the primary's database taken at one
 * moment, so a row written on the primary afterwards stands for what a replica has not replayed yet —
 * a read that shows it ran on the primary, a read that lacks it ran on the read server.
 */

const plantCodes = async (tx: Sql) =>
  (await rows<{ code: string }>(tx, sql`select code from plants order by code`)).map((r) => r.code);
const connection = async (tx: Sql) =>
  (
    await rows<{ pid: number; name: string; db: string }>(
      tx,
      sql`select pg_backend_pid() as pid, current_setting('application_name') as name, current_database() as db`,
    )
  )[0];

describe('DATABASE_READ_URL needs a PostgreSQL server', () => {
  it('is refused by the configuration without DATABASE_URL', () => {
    expect(() => loadCloudEnv({ DATABASE_READ_URL: 'postgres://replica/plantline' })).toThrow(
      /DATABASE_READ_URL: needs DATABASE_URL/,
    );
    expect(
      loadCloudEnv({
        DATABASE_URL: 'postgres://primary/plantline',
        DATABASE_READ_URL: 'postgres://replica/plantline',
      }).DATABASE_READ_URL,
    ).toBe('postgres://replica/plantline');
  });

  it('is refused by the embedded engine', async () => {
    await expect(
      openDatabase({ dataDir: null, readUrl: 'postgres://replica/plantline', log: testLog }),
    ).rejects.toThrow(/DATABASE_READ_URL.*DATABASE_URL/);
  });
});

describe.runIf(testEngines.some((e) => e.name === 'server'))('reads on a read server', () => {
  let primary: { url: string; drop(): Promise<void> };
  let replica: { url: string; drop(): Promise<void> };
  let db: Database;
  let scope: { tenantId: string; plantIds: 'all' };
  const databaseOf = (url: string) => new URL(url).pathname.slice(1);

  beforeAll(async () => {
    primary = await createServerDatabase({ template: process.env[SERVER_TEMPLATE_VARIABLE] || undefined });
    const seeding = await openDatabase({ url: primary.url, dataDir: null, log: testLog });
    const tenants = await createTwoTenants(seeding).finally(() => seeding.close());
    scope = { tenantId: tenants.a.tenantId, plantIds: 'all' };
    replica = await createServerDatabase({ template: databaseOf(primary.url) });
    db = await openDatabase({ url: primary.url, readUrl: replica.url, dataDir: null, log: testLog });
    // Written after the copy: the read server has not "replayed" it.
    await db.transact(scope, (tx) =>
      tx.execute(sql`insert into plants (tenant_id, code, name, timezone)
                     values (${scope.tenantId}::uuid, 'NEW1', 'New', 'UTC')`),
    );
  });
  afterAll(async () => {
    await db?.close();
    await primary?.drop();
    await replica?.drop();
  });

  it('reads one instant on the read server, as the application, alongside too', async () => {
    const reading = db.transactReading;
    if (reading === undefined) throw new Error('a server database reads with transactReading');
    const seen = await reading(scope, async (tx) => {
      const [own, beside] = await Promise.all([connection(tx), readAlongside(tx, connection)]);
      const [codes, codesBeside] = await Promise.all([plantCodes(tx), readAlongside(tx, plantCodes)]);
      const [role] = await rows<{ role: string }>(tx, sql`select current_user as role`);
      return { own, beside, codes, codesBeside, role: role?.role };
    });
    expect(seen.own).toMatchObject({ name: READ_POOL_NAME, db: databaseOf(replica.url) });
    expect(seen.beside).toMatchObject({ name: READ_POOL_NAME, db: databaseOf(replica.url) });
    expect(seen.beside?.pid).not.toBe(seen.own?.pid);
    expect(seen.role).toBe('plantline_app');
    expect(seen.codes.length).toBeGreaterThan(0);
    expect(seen.codes).not.toContain('NEW1');
    expect(seen.codesBeside).toEqual(seen.codes);
  });

  it('streams a cursor from the read server', async () => {
    const cursor = db.cursor;
    if (cursor === undefined) throw new Error('a server database has a cursor');
    const read: Record<string, unknown>[] = [];
    await cursor(
      scope,
      sql`select code, current_database() as db from plants order by code`,
      1,
      async (batch) => {
        read.push(...batch);
      },
    );
    expect(read.length).toBeGreaterThan(0);
    expect(read.every((r) => r.db === databaseOf(replica.url))).toBe(true);
    expect(read.map((r) => r.code)).not.toContain('NEW1');
  });

  it('keeps every other transaction, and every write, on the primary', async () => {
    const own = await db.transact(scope, connection);
    expect(own?.name).not.toBe(READ_POOL_NAME);
    expect(own?.db).toBe(databaseOf(primary.url));
    expect(await db.transact(scope, plantCodes)).toContain('NEW1');
    const onReplica = await openDatabase({ url: replica.url, dataDir: null, log: testLog });
    try {
      expect(await onReplica.ownerTransact(scope, plantCodes)).not.toContain('NEW1');
    } finally {
      await onReplica.close();
    }
  });
});

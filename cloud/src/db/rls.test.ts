import { type SQL, sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestDatabase, testEngines } from '../testing/engines.js';
import { createTwoTenants } from '../testing/tenants.js';
import type { Database, Sql } from './index.js';
import { rows } from './index.js';

/*
 * Row-level security (docs/security.md, "Tenancy") is enabled and forced on every tenant table, the
 * application role owns nothing, and that role — used directly, bypassing the application — sees
 * and changes nothing of another tenant. The table list is read from the catalogue, so tables added
 * by later migrations are covered without touching this file.
 */
async function tenantTables(db: Database): Promise<string[]> {
  const found = await db.ownerTransact(null, (tx) =>
    rows<{ table_name: string }>(
      tx,
      sql`select c.table_name from information_schema.columns c
          join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
          where c.table_schema = 'public' and t.table_type = 'BASE TABLE'
            and (c.column_name = 'tenant_id' or c.table_name = 'tenants')
          group by c.table_name order by c.table_name`,
    ),
  );
  return found.map((r) => r.table_name);
}

describe.each(testEngines)('row-level security on the $name engine', (engine) => {
  let test: TestDatabase;
  let db: Database;
  let tenants: Awaited<ReturnType<typeof createTwoTenants>>;

  beforeAll(async () => {
    test = await engine.create();
    db = test.db;
    tenants = await createTwoTenants(db);
  });
  afterAll(() => test?.drop());

  it('forces RLS with a policy for the application role on every table that has tenant_id', async () => {
    const tables = await tenantTables(db);
    const state = await db.ownerTransact(null, (tx) =>
      rows<{ relname: string; forced: boolean; enabled: boolean; app_policies: number }>(
        tx,
        sql`select c.relname, c.relforcerowsecurity as forced, c.relrowsecurity as enabled,
              (select count(*)::int from pg_policy p where p.polrelid = c.oid
                 and (0 = any(p.polroles) or (select oid from pg_roles where rolname = 'plantline_app') = any(p.polroles))
              ) as app_policies
            from pg_class c join pg_namespace n on n.oid = c.relnamespace
            where n.nspname = 'public' and c.relkind in ('r', 'p')`,
      ),
    );
    const byName = new Map(state.map((s) => [s.relname, s]));
    const unprotected = tables.filter((t) => {
      const s = byName.get(t);
      return s === undefined || !s.enabled || !s.forced || s.app_policies === 0;
    });
    expect(tables.length).toBeGreaterThanOrEqual(10);
    expect(unprotected).toEqual([]);
  });

  it('connects the application as a role that owns nothing and cannot bypass RLS', async () => {
    const [role] = await db.ownerTransact(null, (tx) =>
      rows<{ rolsuper: boolean; rolbypassrls: boolean; owned: number }>(
        tx,
        sql`select r.rolsuper, r.rolbypassrls,
              (select count(*)::int from pg_class c where c.relowner = r.oid)
              + (select count(*)::int from pg_proc p where p.proowner = r.oid) as owned
            from pg_roles r where r.rolname = 'plantline_app'`,
      ),
    );
    expect(role).toEqual({ rolsuper: false, rolbypassrls: false, owned: 0 });
    const [current] = await db.transact(null, (tx) => rows<{ u: string }>(tx, sql`select current_user as u`));
    expect(current?.u).toBe('plantline_app');
  });

  it('indexes every foreign key', async () => {
    const unindexed = await db.ownerTransact(null, (tx) =>
      rows<{ conname: string }>(
        tx,
        sql`select con.conname from pg_constraint con
            where con.contype = 'f' and con.connamespace = 'public'::regnamespace
              and not exists (
                select 1 from pg_index i where i.indrelid = con.conrelid
                  and (i.indkey::int2[])[0:array_length(con.conkey, 1) - 1] @> con.conkey
                  and (i.indkey::int2[])[0:array_length(con.conkey, 1) - 1] <@ con.conkey)`,
      ),
    );
    expect(unindexed).toEqual([]);
  });

  it('shows tenant A nothing of tenant B in any tenant table, and lets it change nothing', async () => {
    const scopeA = { tenantId: tenants.a.tenantId, userId: tenants.a.adminUserId, plantIds: 'all' as const };
    for (const table of await tenantTables(db)) {
      const column = table === 'tenants' ? 'id' : 'tenant_id';
      const ident = sql.identifier(table);
      const col = sql.identifier(column);
      const seen = await db.transact(scopeA, (tx) =>
        rows<{ other: number; own: number }>(
          tx,
          sql`select count(*) filter (where ${col} = ${tenants.b.tenantId})::int as other,
                     count(*) filter (where ${col} = ${tenants.a.tenantId})::int as own from ${ident}`,
        ),
      );
      expect(seen[0]?.other, `${table} leaks tenant B`).toBe(0);
      const changed = await db.transact(scopeA, async (tx) => {
        // The application may not delete tenants nor change the audit trail at all (privilege
        // revoked): that refusal counts as no change.
        const refusedCountsAsNone = (statement: SQL) =>
          tx
            .transaction((savepoint) => rows<{ n: number }>(savepoint, statement))
            .catch((error: { cause?: { code?: string } }) => {
              if (error.cause?.code === '42501') return [{ n: 0 }];
              throw error;
            });
        const updated = await refusedCountsAsNone(
          sql`with u as (update ${ident} set ${col} = ${col} where ${col} = ${tenants.b.tenantId} returning 1)
              select count(*)::int as n from u`,
        );
        const deleted = await refusedCountsAsNone(
          sql`with d as (delete from ${ident} where ${col} = ${tenants.b.tenantId} returning 1) select count(*)::int as n from d`,
        );
        return (updated[0]?.n ?? 0) + (deleted[0]?.n ?? 0);
      });
      expect(changed, `${table} lets tenant A change tenant B`).toBe(0);
    }
    const [stillThere] = await db.ownerTransact(null, (tx) =>
      rows<{ n: number }>(tx, sql`select count(*)::int as n from tenants where id = ${tenants.b.tenantId}`),
    );
    expect(stillThere?.n).toBe(1);
  });

  it('refuses rows written into another tenant', async () => {
    const scopeA = { tenantId: tenants.a.tenantId, userId: null, plantIds: 'all' as const };
    const attempts: ((tx: Sql) => Promise<unknown>)[] = [
      (tx) =>
        tx.execute(sql`insert into plants (tenant_id, code, name) values (${tenants.b.tenantId}, 'X', 'x')`),
      (tx) =>
        tx.execute(
          sql`insert into users (tenant_id, email, display_name, password_hash)
              values (${tenants.b.tenantId}, 'intruder@test.plantline.local', 'x', 'x')`,
        ),
      (tx) =>
        tx.execute(sql`insert into roles (tenant_id, key, name) values (${tenants.b.tenantId}, 'evil', 'x')`),
      // A's own row pointing at B's role: the composite foreign key refuses what RLS cannot see.
      (tx) =>
        tx.execute(
          sql`insert into user_roles (tenant_id, user_id, role_id)
              values (${tenants.a.tenantId}, ${tenants.a.adminUserId}, ${tenants.b.roleIds.admin})`,
        ),
      (tx) =>
        tx.execute(
          sql`update users set tenant_id = ${tenants.b.tenantId} where id = ${tenants.a.adminUserId}`,
        ),
    ];
    for (const attempt of attempts) {
      await expect(db.transact(scopeA, attempt)).rejects.toThrow();
    }
  });

  it('sees only the plants in scope and nothing without a tenant', async () => {
    const [plantA1] = tenants.a.plantIds;
    const onePlant = await db.transact({ tenantId: tenants.a.tenantId, plantIds: [plantA1!] }, (tx) =>
      rows<{ id: string }>(tx, sql`select id from plants`),
    );
    expect(onePlant.map((p) => p.id)).toEqual([plantA1]);
    const noScope = await db.transact(null, (tx) =>
      rows<{ n: number }>(
        tx,
        sql`select (select count(*) from users)::int + (select count(*) from plants)::int as n`,
      ),
    );
    expect(noScope[0]?.n).toBe(0);
  });

  it('keeps the RLS maintenance function and raw tables out of the application role', async () => {
    await expect(
      db.transact(null, (tx) => tx.execute(sql`select plantline.apply_tenant_rls('users')`)),
    ).rejects.toThrow();
    await expect(
      db.transact(null, (tx) => tx.execute(sql`insert into tenants (name, slug) values ('x', 'x')`)),
    ).rejects.toThrow();
    await expect(
      db.transact(null, (tx) => tx.execute(sql`alter table users disable row level security`)),
    ).rejects.toThrow();
  });

  const embeddedOnly = engine.name === 'embedded' ? it : () => undefined;
  embeddedOnly('refuses a transaction nested in another instead of hanging', async () => {
    await expect(
      db.transact(null, () => db.transact(null, (tx) => tx.execute(sql`select 1`))),
    ).rejects.toThrow(/Nested transaction/);
    // The engine is still usable afterwards.
    await expect(db.transact(null, (tx) => rows(tx, sql`select 1 as one`))).resolves.toEqual([{ one: 1 }]);
  });

  // The embedded engine has a single connection; the tests above already run as plantline_app there.
  if (engine.name !== 'server') return;
  it('holds for a direct login as plantline_app, bypassing the application', async () => {
    const url = new URL(test.url!);
    url.username = 'plantline_app';
    url.password = '';
    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    try {
      const none = await client.query('select count(*)::int as n from users');
      expect(none.rows[0].n).toBe(0);
      await client.query('begin');
      await client.query("select set_config('plantline.tenant_id', $1, true)", [tenants.a.tenantId]);
      const own = await client.query('select distinct tenant_id from users');
      expect(own.rows.map((r) => r.tenant_id)).toEqual([tenants.a.tenantId]);
      const cross = await client.query('update users set display_name = $1 where tenant_id = $2', [
        'x',
        tenants.b.tenantId,
      ]);
      expect(cross.rowCount).toBe(0);
      await client.query('rollback');
    } finally {
      await client.end();
    }
  });
});

import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrationsFolder } from '@plantline/schema/migrations';
import { sql } from 'drizzle-orm';
import { drizzle as drizzleServer } from 'drizzle-orm/node-postgres';
import { migrate as migrateServer } from 'drizzle-orm/node-postgres/migrator';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import { migrate as migrateEmbedded } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createServerDatabase, testLog } from '../testing/engines.js';
import type { Database, Sql } from './database.js';
import { openEmbeddedDatabase } from './embedded.js';
import { openDatabase } from './open.js';
import { rows } from './rows.js';

/*
 * An upgrade: a database at an earlier release's schema, with data, brought to the latest by the
 * migrations a start (or pnpm db:migrate) applies (docs/operations.md, "Upgrades"). 0033_materials
 * gives every existing product its finished material, so a product written before it must have one.
 */
const CUT = '0032_tenant_logo';

interface Journal {
  entries: { tag: string }[];
}
const journal = JSON.parse(readFileSync(join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as Journal;
const cutAt = journal.entries.findIndex((entry) => entry.tag === CUT);

/** The migrations folder as an earlier release shipped it: the journal up to CUT and its files. */
const earlier = mkdtempSync(join(tmpdir(), 'plantline-earlier-migrations-'));
mkdirSync(join(earlier, 'meta'));
const shipped = journal.entries.slice(0, cutAt + 1);
writeFileSync(join(earlier, 'meta', '_journal.json'), JSON.stringify({ ...journal, entries: shipped }));
for (const { tag } of shipped)
  copyFileSync(join(migrationsFolder, `${tag}.sql`), join(earlier, `${tag}.sql`));

afterAll(() => rmSync(earlier, { recursive: true, force: true }));

async function writeEarlierData(owner: Sql): Promise<string> {
  const [tenant] = await rows<{ id: string }>(
    owner,
    sql`insert into tenants (name, slug) values ('Upgraded', 'upgraded') returning id`,
  );
  await owner.execute(
    sql`insert into products (tenant_id, code, name, unit) values (${tenant?.id}, 'P-100', 'Bracket', 'pcs')`,
  );
  return tenant?.id ?? '';
}

async function expectUpgraded(db: Database, tenantId: string): Promise<void> {
  const [applied] = await db.ownerTransact(null, (tx) =>
    rows<{ n: number }>(tx, sql`select count(*)::int as n from drizzle.__drizzle_migrations`),
  );
  expect(applied?.n).toBe(journal.entries.length);
  const materials = await db.ownerTransact({ tenantId, plantIds: 'all' }, (tx) =>
    rows<{ code: string; kind: string; product: string }>(
      tx,
      sql`select m.code, m.kind, p.code as product from materials m join products p on p.id = m.product_id`,
    ),
  );
  expect(materials).toEqual([{ code: 'P-100', kind: 'finished', product: 'P-100' }]);
}

describe('upgrading a database from an earlier schema', () => {
  it('keeps the embedded engine’s rows and migrates them', async () => {
    expect(cutAt).toBeGreaterThan(0);
    expect(cutAt).toBeLessThan(journal.entries.length - 1);
    const opened = await openEmbeddedDatabase({ dataDir: null });
    try {
      await migrateEmbedded(opened.database.owner as unknown as PgliteDatabase, {
        migrationsFolder: earlier,
      });
      const tenantId = await writeEarlierData(opened.database.owner);
      await opened.migrate();
      await expectUpgraded(opened.database, tenantId);
    } finally {
      await opened.database.close();
    }
  }, 60_000);

  it.skipIf(process.env.TEST_DATABASE_URL === undefined)(
    'keeps a server’s rows and migrates them',
    async () => {
      const server = await createServerDatabase();
      try {
        const pool = new pg.Pool({ connectionString: server.url, max: 1 });
        let tenantId: string;
        try {
          const owner = drizzleServer({ client: pool });
          await migrateServer(owner, { migrationsFolder: earlier });
          tenantId = await writeEarlierData(owner as unknown as Sql);
        } finally {
          await pool.end();
        }
        // Opening applies the rest, as a start of the new release or pnpm db:migrate does.
        const db = await openDatabase({ url: server.url, dataDir: null, log: testLog });
        try {
          await expectUpgraded(db, tenantId);
        } finally {
          await db.close();
        }
      } finally {
        await server.drop();
      }
    },
    60_000,
  );
});

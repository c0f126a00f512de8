import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { migrationsFolder } from '@plantline/schema/migrations';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningCloud, startCloud } from '../cloud-app.js';
import { loadCloudEnv } from '../env.js';
import { createTenant } from '../modules/tenancy/index.js';
import { readEmbeddedSnapshot, testLog } from '../testing/engines.js';
import { TEST_PASSWORD } from '../testing/tenants.js';
import { backupEmbedded, restoreEmbedded } from './backup.js';
import type { Database } from './database.js';
import { loadEmbeddedDump } from './embedded.js';
import { rows } from './rows.js';

/*
 * pnpm db:backup and db:restore on the embedded engine (docs/operations.md, "Backups and upgrades"):
 * a backup taken from a running cloud while it writes, restored into another data folder, on which
 * a cloud starts with the data; and the refusals of bad input.
 */
const folders: string[] = [];
const folder = (name: string) => {
  const path = mkdtempSync(join(tmpdir(), `plantline-${name}-`));
  folders.push(path);
  return path;
};
const quiet = () => {};
const cloudEnv = (dataDir: string) =>
  loadCloudEnv({ PLANTLINE_DATA_DIR: dataDir, DEMO_SEED: 'false', PORT: '0', LOG_LEVEL: 'silent' });
const startOn = (dataDir: string) => startCloud(cloudEnv(dataDir), { log: testLog, web: null });

/** A customer and its address in one transaction: a backup that cut one in half would show it. */
async function addCustomer(db: Database, tenantId: string, n: number): Promise<void> {
  await db.ownerTransact({ tenantId, plantIds: 'all' }, async (tx) => {
    const [customer] = await rows<{ id: string }>(
      tx,
      sql`insert into customers (tenant_id, code, name) values (${tenantId}, ${`C${n}`}, ${`Customer ${n}`})
          returning id`,
    );
    await new Promise((resolve) => setImmediate(resolve));
    await tx.execute(sql`insert into customer_addresses (tenant_id, customer_id, label, name, country)
                         values (${tenantId}, ${customer?.id}, 'Dock', ${`Customer ${n}`}, 'DE')`);
  });
}

async function customers(db: Database, tenantId: string) {
  return db.ownerTransact({ tenantId, plantIds: 'all' }, (tx) =>
    rows<{ code: string; addresses: number }>(
      tx,
      sql`select c.code, (select count(*)::int from customer_addresses a where a.customer_id = c.id) as addresses
          from customers c order by substr(c.code, 2)::int`,
    ),
  );
}

describe('embedded backup and restore', () => {
  const source = folder('backup-source');
  let cloud: RunningCloud;
  let tenantId: string;
  let backupFile: string;

  beforeAll(async () => {
    // Start from the run's migrated dump rather than migrating an empty folder (docs/testing.md).
    const snapshot = await readEmbeddedSnapshot();
    if (snapshot !== undefined) {
      await loadEmbeddedDump(join(source, 'db'), new Uint8Array(await snapshot.arrayBuffer()));
    }
    cloud = await startOn(source);
    const created = await createTenant(cloud.deps.db, {
      name: 'Backup works',
      slug: 'backup-works',
      plants: [{ code: 'P1', name: 'Plant 1', timezone: 'UTC' }],
      admin: { email: 'admin@backup.test', displayName: 'Admin', password: TEST_PASSWORD },
    });
    tenantId = created.tenantId;
    backupFile = join(folder('backup-files'), 'plantline.tar.gz');
  }, 60_000);

  afterAll(async () => {
    await cloud?.stop();
    for (const path of folders) rmSync(path, { recursive: true, force: true });
  });

  it('takes a backup from a running cloud that is writing, which a new cloud starts on', async () => {
    for (let n = 1; n <= 20; n++) await addCustomer(cloud.deps.db, tenantId, n);
    let writing = true;
    let written = 20;
    const writer = (async () => {
      while (writing) await addCustomer(cloud.deps.db, tenantId, ++written);
    })();
    const lines: string[] = [];
    try {
      await backupEmbedded(source, backupFile, (line) => lines.push(line));
    } finally {
      writing = false;
      await writer;
    }
    expect(lines[0]).toMatch(/The cloud \(process \d+\) is using/);

    const target = folder('backup-target');
    await restoreEmbedded(backupFile, target, { force: false }, (line) => lines.push(line));
    const restored = await startOn(target);
    try {
      expect((await fetch(`${restored.url}/healthz`)).ok).toBe(true);
      const found = await customers(restored.deps.db, tenantId);
      // Everything written before the backup, and no customer without the address of its transaction.
      expect(found.length).toBeGreaterThanOrEqual(20);
      expect(found.length).toBeLessThanOrEqual(written);
      expect(found.map((c) => c.code)).toEqual(found.map((_, i) => `C${i + 1}`));
      expect(found.every((c) => c.addresses === 1)).toBe(true);
      const journal = JSON.parse(readFileSync(join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as {
        entries: unknown[];
      };
      const [applied] = await restored.deps.db.ownerTransact(null, (tx) =>
        rows<{ n: number }>(tx, sql`select count(*)::int as n from drizzle.__drizzle_migrations`),
      );
      expect(applied?.n).toBe(journal.entries.length);
    } finally {
      await restored.stop();
    }

    // The restored folder now holds a database: replaced only when asked.
    await expect(restoreEmbedded(backupFile, target, { force: false }, quiet)).rejects.toThrow(
      /already holds a database.*--force/s,
    );
    await restoreEmbedded(backupFile, target, { force: true }, quiet);
  }, 60_000);

  it('refuses to restore into a folder a cloud is using', async () => {
    await expect(restoreEmbedded(backupFile, source, { force: true }, quiet)).rejects.toThrow(
      /Not restoring into .*in use by process/,
    );
    expect((await customers(cloud.deps.db, tenantId)).length).toBeGreaterThanOrEqual(20);
  });

  it('refuses files that are not Plantline embedded backups before touching the folder', async () => {
    const files = folder('backup-bad');
    const target = folder('backup-untouched');
    const plain = join(files, 'notes.txt');
    writeFileSync(plain, 'not a backup');
    const otherGzip = join(files, 'other.tar.gz');
    writeFileSync(otherGzip, gzipSync(Buffer.alloc(4096, 7)));
    const cut = join(files, 'cut.tar.gz');
    writeFileSync(cut, readFileSync(backupFile).subarray(0, 100_000));

    await expect(restoreEmbedded(plain, target, { force: false }, quiet)).rejects.toThrow(
      /notes\.txt is not a Plantline embedded backup: it is not gzip-compressed/,
    );
    await expect(restoreEmbedded(otherGzip, target, { force: false }, quiet)).rejects.toThrow(
      /other\.tar\.gz is not a Plantline embedded backup: it is not a tar archive/,
    );
    await expect(restoreEmbedded(cut, target, { force: false }, quiet)).rejects.toThrow(
      /cut\.tar\.gz is not a Plantline embedded backup/,
    );
    await expect(
      restoreEmbedded(join(files, 'missing.tar.gz'), target, { force: false }, quiet),
    ).rejects.toThrow(/There is no file .*missing\.tar\.gz/);
    await expect(backupEmbedded(target, join(files, 'b.tar.gz'), quiet)).rejects.toThrow(
      /There is no embedded database in/,
    );
    await expect(backupEmbedded(source, join(files, 'no-such-folder', 'b.tar.gz'), quiet)).rejects.toThrow(
      /The folder .*no-such-folder does not exist/,
    );
    expect(readdirSync(target)).toEqual([]);
  });
});

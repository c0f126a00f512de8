import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createServerDatabase, testLog } from '../testing/engines.js';
import { openDatabase, rows } from './index.js';

describe('migrations', () => {
  it('persist in the embedded data folder, which one process at a time may open', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'plantline-embedded-'));
    try {
      const first = await openDatabase({ dataDir, log: testLog });
      await expect(openDatabase({ dataDir, log: testLog })).rejects.toThrow(/in use by process/);
      await first.close();
      const reopened = await openDatabase({ dataDir, log: testLog });
      const applied = await reopened.ownerTransact(null, (tx) =>
        rows<{ n: number }>(tx, sql`select count(*)::int as n from drizzle.__drizzle_migrations`),
      );
      expect(applied[0]?.n).toBeGreaterThanOrEqual(3);
      await reopened.close();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  if (process.env.TEST_DATABASE_URL === undefined) return;
  it('are applied once when two processes start against the same server at once', async () => {
    const server = await createServerDatabase();
    try {
      const [one, two] = await Promise.all([
        openDatabase({ url: server.url, dataDir: null, log: testLog }),
        openDatabase({ url: server.url, dataDir: null, log: testLog }),
      ]);
      const applied = await one.ownerTransact(null, (tx) =>
        rows<{ n: number; distinct_hashes: number }>(
          tx,
          sql`select count(*)::int as n, count(distinct hash)::int as distinct_hashes from drizzle.__drizzle_migrations`,
        ),
      );
      expect(applied[0]?.n).toBe(applied[0]?.distinct_hashes);
      await Promise.all([one.close(), two.close()]);
    } finally {
      await server.drop();
    }
  });
});

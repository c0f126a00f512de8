import { type Database, openDatabase } from '../db/index.js';
import { loadCloudEnv } from '../env.js';
import { createServerDatabase, testLog } from '../testing/engines.js';

/** The database a benchmark runs against: DATABASE_URL when set, else the embedded engine in memory. */
export function openBenchDatabase(): Promise<Database> {
  const env = loadCloudEnv();
  return openDatabase({
    url: env.DATABASE_URL,
    appUrl: env.DATABASE_APP_URL,
    appPassword: env.DATABASE_APP_PASSWORD,
    dataDir: null,
    log: testLog,
  });
}

/** The p-th percentile of ascending samples (nearest rank). */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/**
 * DATABASE_URL as it is, or a fresh database on TEST_DATABASE_URL's server, for benchmarks that need
 * a server (concurrency, or a number the issue states for one). `name` says which in the refusal.
 */
export async function openServerDatabase(name: string): Promise<{ db: Database; drop: () => Promise<void> }> {
  const url = process.env.DATABASE_URL;
  if (url !== undefined && url !== '') {
    const db = await openDatabase({ url, appUrl: process.env.DATABASE_APP_URL, dataDir: null, log: testLog });
    return { db, drop: () => db.close() };
  }
  if (process.env.TEST_DATABASE_URL === undefined) {
    throw new Error(`pnpm bench ${name} needs a PostgreSQL server: set DATABASE_URL or TEST_DATABASE_URL`);
  }
  const server = await createServerDatabase();
  const db = await openDatabase({ url: server.url, dataDir: null, log: testLog });
  return {
    db,
    drop: async () => {
      await db.close();
      await server.drop();
    },
  };
}

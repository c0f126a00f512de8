import { type Database, openDatabase } from '../db/index.js';
import { loadCloudEnv } from '../env.js';
import { testLog } from '../testing/engines.js';

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

import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { loadCloudEnv } from '../env.js';
import { acquireDataDirLock } from './data-dir-lock.js';

/**
 * `pnpm db:reset`: deletes the embedded database and the demo files so the next start begins
 * from scratch. A PostgreSQL server (DATABASE_URL) is never touched by this command.
 */
const env = loadCloudEnv();
if (env.DATABASE_URL !== undefined) {
  process.stderr.write(
    'DATABASE_URL is set: db:reset only removes the embedded database. Drop the server database yourself.\n',
  );
  process.exit(1);
}
if (!existsSync(env.dataDir)) {
  process.stdout.write(`Nothing to reset: ${env.dataDir} does not exist.\n`);
  process.exit(0);
}
// Refuses while a running cloud holds the folder.
try {
  acquireDataDirLock(env.dataDir)();
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(1);
}
for (const entry of [
  'db',
  'edge',
  'demo-credentials.json',
  'demo-edge.key',
  'demo-device.json',
  'demo-history.json',
]) {
  rmSync(join(env.dataDir, entry), { recursive: true, force: true });
}
process.stdout.write(`Reset ${env.dataDir}: the next start creates a fresh database and demo tenant.\n`);

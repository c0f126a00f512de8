import { resolve } from 'node:path';
import { loadCloudEnv } from '../env.js';
import { backupEmbedded, restoreEmbedded } from './backup.js';
import { BackupError } from './backup-archive.js';

/**
 * `pnpm db:backup <file>` and `pnpm db:restore <file> [--force]` (docs/operations.md, "Backups and
 * upgrades"). Paths are relative to the cloud package, like PLANTLINE_DATA_DIR.
 */
const usage = 'Usage: pnpm db:backup <file>  |  pnpm db:restore <file> [--force]';
const [command, ...rest] = process.argv.slice(2);
const force = rest.includes('--force');
const names = rest.filter((arg) => arg !== '--force');

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

if (
  (command !== 'backup' && command !== 'restore') ||
  names.length !== 1 ||
  (force && command !== 'restore')
) {
  fail(usage);
}
const file = resolve(names[0] as string);
const env = loadCloudEnv();
if (env.DATABASE_URL !== undefined) fail(serverAdvice(command, file, env.DATABASE_URL));

const progress = (line: string) => process.stdout.write(`${line}\n`);
try {
  if (command === 'backup') await backupEmbedded(env.dataDir, file, progress);
  else await restoreEmbedded(file, env.dataDir, { force }, progress);
} catch (error) {
  fail(error instanceof BackupError ? error.message : `db:${command} failed: ${(error as Error).stack}`);
}

/**
 * A server is backed up with PostgreSQL's own tools, which know its roles and TimescaleDB. The
 * commands name the server without its password: libpq reads that from PGPASSWORD or ~/.pgpass.
 */
function serverAdvice(which: 'backup' | 'restore', path: string, databaseUrl: string): string {
  const server = new URL(databaseUrl);
  server.password = '';
  const restored = new URL(server);
  restored.pathname = '/plantline_restored';
  const intro = `DATABASE_URL is set: db:${which} only handles the embedded database.`;
  if (which === 'backup') {
    return `${intro} Back up the server with pg_dump:\n\n  pg_dump --format=custom --file='${path}' '${server}'\n`;
  }
  return (
    `${intro} Restore with pg_restore into a new, empty database, then migrate it:\n\n` +
    `  createdb --maintenance-db='${server}' plantline_restored\n` +
    `  psql '${restored}' -c 'CREATE EXTENSION timescaledb; SELECT timescaledb_pre_restore();'  # TimescaleDB only\n` +
    `  pg_restore --no-owner --dbname='${restored}' '${path}'\n` +
    `  psql '${restored}' -c 'SELECT timescaledb_post_restore();'  # TimescaleDB only\n` +
    `  DATABASE_URL='${restored}' pnpm db:migrate\n\n` +
    'Then point DATABASE_URL at plantline_restored (docs/operations.md, "Server mode").\n'
  );
}

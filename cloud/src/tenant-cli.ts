import pino from 'pino';
import type { Database } from './db/index.js';
import { openDatabase } from './db/open.js';
import { loadCloudEnv } from './env.js';
import { parseTenantCommand, runTenantCommand } from './tenant-command.js';

/*
 * `pnpm tenant <command>` (docs/security.md, "Tenants") on DATABASE_URL or the embedded database. On
 * the embedded engine the cloud must be stopped first: one process owns its data folder.
 */
const env = loadCloudEnv();
const log = pino({ level: env.LOG_LEVEL === 'info' ? 'warn' : env.LOG_LEVEL, name: 'tenant' });
let db: Database | null = null;
try {
  const command = parseTenantCommand(process.argv.slice(2));
  db = await openDatabase({
    url: env.DATABASE_URL,
    appUrl: env.DATABASE_APP_URL,
    appPassword: env.DATABASE_APP_PASSWORD,
    dataDir: env.dataDir,
    log,
  });
  await runTenantCommand(db, command, {
    log,
    out: (line) => process.stdout.write(`${line}\n`),
    ...(process.env.PLANTLINE_ADMIN_PASSWORD ? { adminPassword: process.env.PLANTLINE_ADMIN_PASSWORD } : {}),
  });
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
} finally {
  await db?.close();
}

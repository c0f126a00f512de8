import pino from 'pino';
import { loadCloudEnv } from '../env.js';
import { openDatabase } from './open.js';

/** `pnpm db:migrate`: applies every committed migration to DATABASE_URL or the embedded database. */
const env = loadCloudEnv();
const log = pino({ level: env.LOG_LEVEL, name: 'migrate' });
try {
  const db = await openDatabase({
    url: env.DATABASE_URL,
    appUrl: env.DATABASE_APP_URL,
    appPassword: env.DATABASE_APP_PASSWORD,
    dataDir: env.dataDir,
    log,
  });
  log.info({ mode: db.mode }, 'database is up to date');
  await db.close();
} catch (error) {
  log.error({ err: error }, 'migration failed');
  process.exitCode = 1;
}

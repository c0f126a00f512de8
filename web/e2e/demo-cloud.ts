import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { loadCloudEnv, type RunningCloud, startCloud } from '@plantline/cloud/app';
import {
  copyFolder,
  dumpEmbeddedDatabase,
  readEmbeddedSnapshot,
  testFilesFolder,
  writeEmbeddedFiles,
} from '@plantline/cloud/testing/engines';
import pino from 'pino';

export const DEMO_PASSWORD = 'browser-test-password';

/**
 * The seeded demo the global setup leaves for the test files: its data folder, with the audit signing
 * key its entries are signed with, the demo's credentials and edge key, and its database's files.
 */
export const DEMO_DATA_DIR_VARIABLE = 'PLANTLINE_TEST_DEMO_DATA_DIR';

/**
 * A real cloud on an ephemeral port, embedded database; `web: null` serves no UI. With `onFiles` its
 * engine runs on the files in `dataDir` (`db/`), as `pnpm start` does; otherwise in memory, from the
 * run's migrated dump. A database without a tenant gets the demo seeded; one with the seeded demo keeps
 * it, and then `dataDir` must hold that demo's folder.
 */
export async function startDemoCloud(options: {
  dataDir: string;
  onFiles?: boolean;
  web?: null;
}): Promise<RunningCloud> {
  const env = loadCloudEnv({
    PORT: '0',
    PLANTLINE_DATA_DIR: options.dataDir,
    DEMO_ADMIN_PASSWORD: DEMO_PASSWORD,
    LOG_LEVEL: 'silent',
  });
  return startCloud(env, {
    ...(options.onFiles ? {} : { inMemory: true, embeddedSnapshot: await readEmbeddedSnapshot() }),
    log: pino({ level: 'silent' }),
    ...(options.web === null ? { web: null } : {}),
  });
}

/**
 * Seeds the demo once for the run and leaves its data folder where startCloudWithUi (harness.ts) finds
 * it: seeding is most of a cloud's start, and every file used to do it again. The folder is in memory
 * where the machine has it; its engine files are written from the seeded cloud's dump, so each file's
 * cloud starts on a copy of them, which is quicker than unpacking a dump. Returns the clean-up.
 */
export async function setupSeededDemo(): Promise<() => Promise<void>> {
  const folder = mkdtempSync(join(testFilesFolder(), 'plantline-e2e-demo-'));
  const dataDir = join(folder, 'data');
  try {
    const cloud = await startDemoCloud({ dataDir, web: null });
    let snapshot: Blob;
    try {
      snapshot = await dumpEmbeddedDatabase(cloud.deps.db);
    } finally {
      await cloud.stop();
    }
    await writeEmbeddedFiles(join(dataDir, 'db'), snapshot);
  } catch (error) {
    rmSync(folder, { recursive: true, force: true });
    throw error;
  }
  process.env[DEMO_DATA_DIR_VARIABLE] = dataDir;
  return async () => {
    delete process.env[DEMO_DATA_DIR_VARIABLE];
    rmSync(folder, { recursive: true, force: true });
  };
}

/**
 * A copy of the seeded demo's data folder, database files included, as a new folder in memory where the
 * machine has it; undefined outside a run that made one (the cloud then seeds its own).
 */
export async function seededDemoCopy(): Promise<string | undefined> {
  const demoDataDir = process.env[DEMO_DATA_DIR_VARIABLE];
  if (!demoDataDir) return undefined;
  const dataDir = join(mkdtempSync(join(testFilesFolder(), 'plantline-e2e-')), 'data');
  await copyFolder(demoDataDir, dataDir);
  return dataDir;
}

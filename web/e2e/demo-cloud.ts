import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCloudEnv, type RunningCloud, startCloud } from '@plantline/cloud/app';
import { dumpEmbeddedDatabase, readEmbeddedSnapshot } from '@plantline/cloud/testing/engines';
import pino from 'pino';

export const DEMO_PASSWORD = 'browser-test-password';

/**
 * The seeded demo the global setup leaves for the test files: a dump of its database, and its data
 * folder (the audit signing key its entries are signed with, the demo's credentials and edge key).
 */
export const DEMO_SNAPSHOT_VARIABLE = 'PLANTLINE_TEST_DEMO_SNAPSHOT';
export const DEMO_DATA_DIR_VARIABLE = 'PLANTLINE_TEST_DEMO_DATA_DIR';

/**
 * A real cloud, embedded database in memory, on an ephemeral port; `web: null` serves no UI. It starts
 * from `snapshot` when given, else from the run's migrated dump. A database without a tenant gets the
 * demo seeded; one from a seeded demo's dump keeps it, and then `dataDir` must hold that demo's folder.
 */
export async function startDemoCloud(options: {
  dataDir: string;
  snapshot?: Blob;
  web?: null;
}): Promise<RunningCloud> {
  const env = loadCloudEnv({
    PORT: '0',
    PLANTLINE_DATA_DIR: options.dataDir,
    DEMO_ADMIN_PASSWORD: DEMO_PASSWORD,
    LOG_LEVEL: 'silent',
  });
  return startCloud(env, {
    inMemory: true,
    embeddedSnapshot: options.snapshot ?? (await readEmbeddedSnapshot()),
    log: pino({ level: 'silent' }),
    ...(options.web === null ? { web: null } : {}),
  });
}

/**
 * Seeds the demo once for the run and leaves it where startCloudWithUi (harness.ts) finds it: seeding is
 * most of a cloud's start, and every file used to do it again. Returns the clean-up.
 */
export async function setupSeededDemo(): Promise<() => Promise<void>> {
  const folder = mkdtempSync(join(tmpdir(), 'plantline-e2e-demo-'));
  const dataDir = join(folder, 'data');
  try {
    const cloud = await startDemoCloud({ dataDir, web: null });
    try {
      const snapshot = await dumpEmbeddedDatabase(cloud.deps.db);
      await writeFile(join(folder, 'demo.tar'), new Uint8Array(await snapshot.arrayBuffer()));
    } finally {
      await cloud.stop();
    }
  } catch (error) {
    rmSync(folder, { recursive: true, force: true });
    throw error;
  }
  process.env[DEMO_SNAPSHOT_VARIABLE] = join(folder, 'demo.tar');
  process.env[DEMO_DATA_DIR_VARIABLE] = dataDir;
  return async () => {
    delete process.env[DEMO_SNAPSHOT_VARIABLE];
    delete process.env[DEMO_DATA_DIR_VARIABLE];
    rmSync(folder, { recursive: true, force: true });
  };
}

let seededSnapshot: Promise<Blob> | undefined;
/**
 * The seeded demo for one cloud: its data folder copied into `dataDir` and its database's dump (read
 * once per test worker); undefined outside a run that made one, and the cloud then seeds its own.
 */
export function seededDemo(dataDir: string): Promise<Blob> | undefined {
  const snapshotPath = process.env[DEMO_SNAPSHOT_VARIABLE];
  const demoDataDir = process.env[DEMO_DATA_DIR_VARIABLE];
  if (!snapshotPath || !demoDataDir) return undefined;
  cpSync(demoDataDir, dataDir, { recursive: true });
  seededSnapshot ??= readFile(snapshotPath).then((bytes) => new Blob([bytes]));
  return seededSnapshot;
}

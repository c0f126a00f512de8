import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migratedEmbeddedSnapshot, openDatabase } from '../db/index.js';
import {
  createServerDatabase,
  dumpEmbeddedDatabase,
  EMBEDDED_SNAPSHOT_VARIABLE,
  EMBEDDED_TEMPLATE_VARIABLE,
  SERVER_TEMPLATE_VARIABLE,
  testFilesFolder,
  testLog,
} from './engines.js';

/*
 * Vitest global setups for database tests: each migrates once per run and leaves the result where
 * the test helpers find it — a migrated embedded engine's files in a folder in memory where the
 * machine has one (testEngines copies it), its dump in a file beside it (the web's browser tests and
 * the backup tests start from that through readEmbeddedSnapshot), and a template database on the test
 * server. Every test file still gets its own fresh databases, copied from these (docs/testing.md).
 * All go when the run ends. Test workers start after the global setup and inherit the environment
 * it leaves.
 */

/** The cloud's setup (vitest.config.ts): both engines. */
export default async function setupTestDatabases(): Promise<() => Promise<void>> {
  const [removeSnapshot, template] = await Promise.all([
    setupEmbeddedTemplate(),
    process.env.TEST_DATABASE_URL === undefined ? undefined : migratedServerTemplate(),
  ]);
  if (template !== undefined) process.env[SERVER_TEMPLATE_VARIABLE] = template.name;
  return async () => {
    delete process.env[SERVER_TEMPLATE_VARIABLE];
    await Promise.all([removeSnapshot(), template?.drop()]);
  };
}

/**
 * The embedded engine for the cloud's tests: a migrated engine's files in a folder, which each test
 * database copies (testEngines), and its dump for the tests that start from one.
 */
async function setupEmbeddedTemplate(): Promise<() => Promise<void>> {
  const folder = await mkdtemp(join(testFilesFolder(), 'plantline-test-template-'));
  try {
    const db = await openDatabase({ dataDir: join(folder, 'template'), log: testLog });
    let snapshot: Blob;
    try {
      snapshot = await dumpEmbeddedDatabase(db);
    } finally {
      await db.close();
    }
    const path = join(folder, 'embedded.tar');
    await writeFile(path, new Uint8Array(await snapshot.arrayBuffer()));
    process.env[EMBEDDED_SNAPSHOT_VARIABLE] = path;
    process.env[EMBEDDED_TEMPLATE_VARIABLE] = join(folder, 'template', 'db');
  } catch (error) {
    await rm(folder, { recursive: true, force: true });
    throw error;
  }
  return async () => {
    delete process.env[EMBEDDED_SNAPSHOT_VARIABLE];
    delete process.env[EMBEDDED_TEMPLATE_VARIABLE];
    await rm(folder, { recursive: true, force: true });
  };
}

/** The embedded engine only: for tests that start whole clouds in memory (the web's browser tests). */
export async function setupEmbeddedSnapshot(): Promise<() => Promise<void>> {
  const snapshot = await migratedEmbeddedSnapshot();
  const folder = await mkdtemp(join(tmpdir(), 'plantline-test-snapshot-'));
  const path = join(folder, 'embedded.tar');
  await writeFile(path, new Uint8Array(await snapshot.arrayBuffer()));
  process.env[EMBEDDED_SNAPSHOT_VARIABLE] = path;
  return async () => {
    delete process.env[EMBEDDED_SNAPSHOT_VARIABLE];
    await rm(folder, { recursive: true, force: true });
  };
}

/** A migrated database on the test server; closed, since PostgreSQL copies only an unused template. */
async function migratedServerTemplate(): Promise<{ name: string; drop(): Promise<void> }> {
  const server = await createServerDatabase();
  try {
    const db = await openDatabase({ url: server.url, dataDir: null, log: testLog });
    await db.close();
  } catch (error) {
    await server.drop();
    throw error;
  }
  return { name: new URL(server.url).pathname.slice(1), drop: server.drop };
}

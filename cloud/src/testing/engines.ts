import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import pino from 'pino';
import { loadEmbeddedDump } from '../db/embedded.js';
import { type Database, openDatabase } from '../db/index.js';

/*
 * Database tests run on the embedded engine always, and also on a PostgreSQL server when
 * TEST_DATABASE_URL names one (CI prepares it). Each test file gets fresh databases.
 *
 * The suite's global setup (test-databases.ts) migrates once per run and names the result in the
 * two variables below; create() then starts from it instead of migrating again, which is most of
 * a small test file's time (docs/testing.md). Without them (a file run outside vitest, say) create()
 * migrates an empty database as before.
 */
export interface TestEngine {
  name: 'embedded' | 'server';
  /** A new, migrated database; `drop` removes it. */
  create(): Promise<TestDatabase>;
}

export interface TestDatabase {
  db: Database;
  /** Server only: the owner's URL of this database, for tests that need a second process. */
  url: string | undefined;
  drop(): Promise<void>;
}

export const testLog = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

const serverUrl = process.env.TEST_DATABASE_URL;

/** Path of a migrated embedded engine's dump (migratedEmbeddedSnapshot), set by the global setup. */
export const EMBEDDED_SNAPSHOT_VARIABLE = 'PLANTLINE_TEST_EMBEDDED_SNAPSHOT';
/** Folder of a migrated embedded engine's files (its `db/`), set by the cloud's global setup. */
export const EMBEDDED_TEMPLATE_VARIABLE = 'PLANTLINE_TEST_EMBEDDED_TEMPLATE';
/** Name of a migrated database on the test server to clone, set by the global setup. */
export const SERVER_TEMPLATE_VARIABLE = 'PLANTLINE_TEST_SERVER_TEMPLATE';

/**
 * A fresh database on the test server, for tests that open it themselves: empty, unless `template`
 * names a database to copy (CREATE DATABASE … TEMPLATE; nobody may be connected to it meanwhile).
 */
export async function createServerDatabase(
  options: { template?: string } = {},
): Promise<{ url: string; drop(): Promise<void> }> {
  if (serverUrl === undefined) throw new Error('TEST_DATABASE_URL is not set');
  const name = `plantline_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    const template =
      options.template === undefined ? '' : ` template ${pg.escapeIdentifier(options.template)}`;
    await admin.query(`create database ${name}${template}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}

/** The global setup's dump, read once per test worker; undefined outside a run that made one. */
let embeddedSnapshot: Promise<Blob | undefined> | undefined;
export function readEmbeddedSnapshot(): Promise<Blob | undefined> {
  const path = process.env[EMBEDDED_SNAPSHOT_VARIABLE];
  if (path === undefined || path === '') return Promise.resolve(undefined);
  embeddedSnapshot ??= readFile(path).then((bytes) => new Blob([bytes]));
  return embeddedSnapshot;
}

/**
 * A dump of an open in-memory embedded database, for `embeddedSnapshot`: the browser tests' global
 * setup seeds one demo cloud and starts every file's cloud from its dump (docs/testing.md). It is
 * taken inside a transaction, which holds the engine's only connection, so no other work is half
 * written; a checkpoint first spares each load the replay of the log.
 */
export async function dumpEmbeddedDatabase(db: Database): Promise<Blob> {
  // The engine's drizzle instance keeps its PGlite client as `$client` (drizzle-orm/pglite).
  const client = (db.owner as unknown as { $client?: { dumpDataDir(compression: 'none'): Promise<Blob> } })
    .$client;
  if (db.mode !== 'embedded' || client === undefined) throw new Error('Only an embedded engine dumps');
  await db.owner.execute(sql`checkpoint`);
  return db.ownerTransact(null, () => client.dumpDataDir('none'));
}

export const testEngines: TestEngine[] = [
  {
    name: 'embedded',
    create: async () => {
      const template = process.env[EMBEDDED_TEMPLATE_VARIABLE];
      if (template) return embeddedFromTemplate(template);
      const snapshot = await readEmbeddedSnapshot();
      const db = await openDatabase({ dataDir: null, embeddedSnapshot: snapshot, log: testLog });
      return { db, url: undefined, drop: () => db.close() };
    },
  },
  ...(serverUrl === undefined
    ? []
    : [
        {
          name: 'server' as const,
          create: async () => {
            const template = process.env[SERVER_TEMPLATE_VARIABLE] || undefined;
            const server = await createServerDatabase({ template });
            // From the template the migrations find nothing to do; opening still checks that.
            const db = await openDatabase({ url: server.url, dataDir: null, log: testLog });
            return {
              db,
              url: server.url,
              drop: async () => {
                await db.close();
                await server.drop();
              },
            };
          },
        },
      ]),
];

/**
 * Where test engines keep their files: memory (`/dev/shm`) where the machine has it, so a copy of
 * the template is a few hundredths of a second and the engine's writes never reach a disk.
 */
export function testFilesFolder(): string {
  return existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
}

const execFileAsync = promisify(execFile);

/** Copies the folder `from` to `to` (which must not exist): cp copies ~2 000 files several times faster than Node's recursive fs.cp. */
export async function copyFolder(from: string, to: string): Promise<void> {
  await execFileAsync('cp', ['-R', from, to]);
}

/** Writes an embedded engine's dump out as the files of the engine folder `engineDir` (a data folder's `db/`). */
export async function writeEmbeddedFiles(engineDir: string, dump: Blob): Promise<void> {
  await loadEmbeddedDump(engineDir, new Uint8Array(await dump.arrayBuffer()));
}

/**
 * An embedded engine on a copy of the migrated template's files (`template` is an engine folder,
 * the `db/` of a Plantline data folder). Starting on files is about half the time of unpacking the
 * dump into the engine's memory, which every test file did before (docs/testing.md).
 */
async function embeddedFromTemplate(template: string): Promise<TestDatabase> {
  const dataDir = await mkdtemp(join(testFilesFolder(), 'plantline-test-db-'));
  try {
    await copyFolder(template, join(dataDir, 'db'));
    const db = await openDatabase({ dataDir, log: testLog });
    return {
      db,
      url: undefined,
      drop: async () => {
        await db.close();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
}

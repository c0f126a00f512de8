import { randomBytes } from 'node:crypto';
import pg from 'pg';
import pino from 'pino';
import { type Database, openDatabase } from '../db/index.js';

/*
 * Database tests run on the embedded engine always, and also on a PostgreSQL server when
 * TEST_DATABASE_URL names one (CI prepares it). Each test file gets fresh databases.
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

/** A fresh database on the test server, for tests that open it themselves. */
export async function createServerDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  if (serverUrl === undefined) throw new Error('TEST_DATABASE_URL is not set');
  const name = `plantline_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
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

export const testEngines: TestEngine[] = [
  {
    name: 'embedded',
    create: async () => {
      const db = await openDatabase({ dataDir: null, log: testLog });
      return { db, url: undefined, drop: () => db.close() };
    },
  },
  ...(serverUrl === undefined
    ? []
    : [
        {
          name: 'server' as const,
          create: async () => {
            const server = await createServerDatabase();
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

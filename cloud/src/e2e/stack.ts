import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type EdgeStatus, edgeStatusSchema } from '@plantline/edge';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { describe } from 'vitest';
import { openEmbeddedDatabase } from '../db/embedded.js';
import { rows, type Sql } from '../db/index.js';
import { createServerDatabase, testEngines } from '../testing/engines.js';
import {
  type CloudProcess,
  type EdgeProcess,
  isRunning,
  killProcess,
  startCloudProcess,
  startDemoEdge,
  waitFor,
} from './processes.js';

/*
 * One plant for the end-to-end fault tests (*.e2e.test.ts here): a real cloud process on either
 * database mode and a real edge process, both restartable on the same ports and data folders, as an
 * operator or a supervisor would restart them.
 */

export type EngineName = 'embedded' | 'server';

/**
 * A first start on an empty embedded engine creates the database, migrates and seeds the demo tenant
 * in WebAssembly: ~20 s on a quiet 2-core machine, several times that while other test files run.
 */
const CLOUD_START_MS = 120_000;
/** For a beforeAll that starts a plant: the cloud's first start, then an edge. */
export const START_MS = CLOUD_START_MS + 60_000;

/** The embedded engine always; the PostgreSQL server when TEST_DATABASE_URL names one. */
export const e2eEngines: EngineName[] = testEngines.map((engine) => engine.name);

/**
 * A describe block per engine, the engines' blocks running at the same time: each plant is its own
 * processes, ports and folders, and its test mostly waits on them (an outage, a restart), so side by
 * side a file takes the time of its slower engine rather than the sum. Tests inside one block share
 * its plant and run in order (`it.sequential` when a block has more than one).
 */
export const describeEachEngine = describe.concurrent.each(e2eEngines);

export interface StoredCount {
  plant: string;
  line: string;
  machine: string;
  order: string;
  eventId: string;
}

export interface DeadLetterLine {
  at: string;
  source: 'device' | 'cloud';
  topic: string;
  reason: string;
  payload: string;
  payloadBytes: number;
}

export class Stack {
  #cloud: CloudProcess | undefined;
  #edge: EdgeProcess | undefined;
  #edgeVars: Record<string, string> = {};
  #port = '0';

  private constructor(
    readonly engine: EngineName,
    readonly name: string,
    readonly cloudDataDir: string,
    readonly edgeDataDir: string,
    readonly cloudVars: Record<string, string>,
    /** Server mode: the owner's connection, which may read while the cloud runs. */
    readonly serverDb: { db: Sql; client: pg.Client; url: string; drop(): Promise<void> } | undefined,
  ) {}

  /**
   * A cloud on a fresh database: a new database on the test server, or no DATABASE_URL at all and
   * a fresh PLANTLINE_DATA_DIR, so the cloud runs its embedded engine exactly as a new user gets it.
   */
  static async start(engine: EngineName, name: string): Promise<Stack> {
    const cloudDataDir = await mkdtemp(join(tmpdir(), `plantline-e2e-${name}-cloud-`));
    const edgeDataDir = await mkdtemp(join(tmpdir(), `plantline-e2e-${name}-edge-`));
    let serverDb: Stack['serverDb'];
    if (engine === 'server') {
      const database = await createServerDatabase();
      // One client, not a pool: its end() resolves once the connection is closed, so the forced drop
      // in close() finds nothing of ours to terminate (a pool's end() does not wait for that).
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      serverDb = {
        db: drizzle({ client }) as unknown as Sql,
        client,
        url: database.url,
        drop: database.drop,
      };
    }
    const cloudVars = {
      PORT: '0',
      HOST: '127.0.0.1',
      ...(serverDb === undefined ? {} : { DATABASE_URL: serverDb.url }),
      PLANTLINE_DATA_DIR: cloudDataDir,
      DEMO_ADMIN_PASSWORD: 'e2e-admin-password',
      LOG_LEVEL: 'warn',
    };
    const stack = new Stack(engine, name, cloudDataDir, edgeDataDir, cloudVars, serverDb);
    try {
      await stack.startCloud();
    } catch (error) {
      await stack.close();
      throw error;
    }
    return stack;
  }

  get cloud(): CloudProcess {
    if (this.#cloud === undefined) throw new Error('the cloud is not running');
    return this.#cloud;
  }

  get edge(): EdgeProcess {
    if (this.#edge === undefined) throw new Error('the edge is not running');
    return this.#edge;
  }

  /** On the port of the previous run, if there was one: the edge keeps the EDGE_CLOUD_URL it got. */
  async startCloud(): Promise<void> {
    this.#cloud = await startCloudProcess({ ...this.cloudVars, PORT: this.#port }, CLOUD_START_MS);
    this.#port = new URL(this.#cloud.url).port;
  }

  /** SIGTERM, as a supervisor stops it; an unclean exit fails the test that asked for the stop. */
  async stopCloud(): Promise<void> {
    const cloud = this.cloud;
    cloud.child.kill('SIGTERM');
    const exit = await cloud.exited;
    this.#cloud = undefined;
    if (exit.code !== 0)
      throw new Error(`the cloud stopped with ${JSON.stringify(exit)}:\n${cloud.output()}`);
  }

  /** `vars` are kept for restartEdge, so a restarted edge has the same ports and broker. */
  async startEdge(vars: Record<string, string> = this.#edgeVars): Promise<EdgeProcess> {
    this.#edgeVars = vars;
    this.#edge = await startDemoEdge({
      name: `e2e-${this.name}`,
      cloudUrl: this.cloud.url,
      cloudDataDir: this.cloudDataDir,
      edgeDataDir: this.edgeDataDir,
      vars,
    });
    return this.#edge;
  }

  async killEdge(): Promise<void> {
    const edge = this.edge;
    edge.child.kill('SIGKILL');
    const exit = await edge.exited;
    this.#edge = undefined;
    if (exit.signal !== 'SIGKILL') throw new Error(`the edge had already exited: ${JSON.stringify(exit)}`);
  }

  async edgeStatus(): Promise<EdgeStatus> {
    const response = await fetch(this.edge.statusUrl, { headers: this.edge.statusHeaders });
    return edgeStatusSchema.parse(await response.json());
  }

  /** Polls the edge's status until `accept` takes it. */
  async waitForEdge(accept: (status: EdgeStatus) => boolean, timeoutMs: number, what: string) {
    let last: EdgeStatus | undefined;
    return waitFor(
      async () => {
        last = await this.edgeStatus();
        return accept(last) ? last : undefined;
      },
      timeoutMs,
      () =>
        `${what}; last edge status: ${JSON.stringify(last)}\nedge output:\n${this.#edge?.output() ?? ''}` +
        `\ncloud output:\n${this.#cloud?.output() ?? ''}`,
    );
  }

  /**
   * Reads the cloud's database as its owner. The embedded engine is one process's alone (a pid lock
   * on its folder, data-dir-lock.ts), so there the cloud is stopped, the folder opened here, and
   * the cloud started again on the same port; the edge sees a short outage, which it is built to
   * ride out.
   */
  async inspect<T>(query: (db: Sql) => Promise<T>): Promise<T> {
    if (this.serverDb !== undefined) return query(this.serverDb.db);
    await this.stopCloud();
    const opened = await openEmbeddedDatabase({ dataDir: this.cloudDataDir });
    try {
      return await query(opened.database.owner);
    } finally {
      await opened.database.close();
      await this.startCloud();
    }
  }

  async deadLetters(): Promise<DeadLetterLine[]> {
    const text = await readFile(join(this.edgeDataDir, 'dead-letters.jsonl'), 'utf8').catch(() => '');
    return text
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as DeadLetterLine);
  }

  cloudRunning(): boolean {
    return this.#cloud !== undefined && isRunning(this.#cloud);
  }

  async close(): Promise<void> {
    await killProcess(this.#edge);
    await killProcess(this.#cloud);
    if (this.serverDb !== undefined) {
      await this.serverDb.client.end();
      await this.serverDb.drop();
    }
    await Promise.all(
      [this.cloudDataDir, this.edgeDataDir].map((dir) => rm(dir, { recursive: true, force: true })),
    );
  }
}

/** Count events of one product, in the order the cloud stores them (event time, then id). */
export function storedCounts(db: Sql, product: string): Promise<StoredCount[]> {
  return rows<StoredCount>(
    db,
    sql`select p.code as plant, l.code as line, m.code as machine, c.order_code as "order",
               c.event_id::text as "eventId"
          from production_counts c
          join machines m on m.id = c.machine_id
          join lines l on l.id = c.line_id
          join plants p on p.id = c.plant_id
         where c.product_code = ${product}
         order by c.time, c.event_id`,
  );
}

/** The sequence numbers stored per machine, in stored order. */
export function sequencesByMachine(stored: readonly StoredCount[]): Map<string, number[]> {
  const byMachine = new Map<string, number[]>();
  for (const row of stored) {
    const key = `${row.plant}/${row.line}/${row.machine}`;
    byMachine.set(key, [...(byMachine.get(key) ?? []), Number(row.order)]);
  }
  return byMachine;
}

export const oneTo = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBackfill } from '@plantline/edge';
import { DEMO_HISTORY_FILE, type DemoPlant, demoPlant } from '@plantline/schema';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../db/index.js';
import { signIn } from '../../testing/api.js';
import { type TestDatabase, testEngines, testLog } from '../../testing/engines.js';
import { startTestServer } from '../../testing/server.js';
import { seedDemoTenant } from './demo-seed.js';

/*
 * The history backfill (docs/demo.md) against the real server: stopped half-way and started again,
 * it finishes the rest and every event is stored exactly once; `demo.history` shows where it is.
 * One line of Lakeside keeps it to a few thousand events.
 */
const EMAIL = 'admin@demo-history.test.plantline.local';
const PASSWORD = 'demo-history-password-for-tests';
const lakeside = demoPlant('LAK')!;
const oneLine: DemoPlant = { ...lakeside, lines: lakeside.lines.filter((line) => line.code === 'C1') };

describe.each(testEngines)('the demo history backfill ($name engine)', (engine) => {
  let database: TestDatabase;
  let dataDir: string;
  let server: Awaited<ReturnType<typeof startTestServer>>;

  beforeAll(async () => {
    database = await engine.create();
    dataDir = mkdtempSync(join(tmpdir(), 'plantline-demo-history-'));
    await seedDemoTenant(database.db, {
      dataDir,
      email: EMAIL,
      password: PASSWORD,
      historyDays: 1,
      log: testLog,
    });
    server = await startTestServer(database.db, { maxBodyBytes: 8 * 1024 * 1024 });
    server.deps.demoHistoryFile = join(dataDir, DEMO_HISTORY_FILE);
  });

  afterAll(async () => {
    await server?.close();
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const storedEvents = async () => {
    const [row] = await database.db.ownerTransact(null, (tx) =>
      rows<{ n: number }>(
        tx,
        sql`select ((select count(*) from machine_state_events) + (select count(*) from production_counts)
                  + (select count(*) from qr_code_scans)
                  + (select count(distinct event_id) from sensor_readings))::int as n`,
      ),
    );
    return row!.n;
  };

  it('resumes after a stop without storing anything twice, and reports its progress', async () => {
    const admin = await signIn(server.url, EMAIL, PASSWORD);
    const options = {
      cloudUrl: server.url,
      apiKey: readFileSync(join(dataDir, 'demo-edge.key'), 'utf8').trim(),
      progressFile: join(dataDir, DEMO_HISTORY_FILE),
      to: new Date(),
      batchSize: 500,
      pauseMs: 0,
      plants: [oneLine],
      log: testLog,
    };
    const stop = new AbortController();
    let batches = 0;
    let sent = 0;
    const stopped = await runBackfill({
      ...options,
      signal: stop.signal,
      onBatch: (progress) => {
        if (++batches < 3) return;
        sent = progress.eventsDone;
        stop.abort();
      },
    });
    expect(stopped).toMatchObject({ state: 'running', eventsDone: sent });
    const halfway = await admin.trpc.demo.history.query();
    expect(halfway).toMatchObject({ state: 'running', eventsDone: sent });
    expect(halfway.eventsTotal).toBeGreaterThan(3000);
    expect(Date.parse(halfway.to!) - Date.parse(halfway.from!)).toBe(86_400_000);

    // Started again later: the plan's window stands, not the new `to`.
    const done = await runBackfill({
      ...options,
      to: new Date(Date.now() + 60_000),
      signal: new AbortController().signal,
    });
    expect(done).toMatchObject({
      state: 'done',
      eventsDone: halfway.eventsTotal,
      from: halfway.from,
      to: halfway.to,
    });
    expect(await storedEvents()).toBe(halfway.eventsTotal);
    expect(await admin.trpc.demo.history.query()).toMatchObject({
      state: 'done',
      eventsDone: halfway.eventsTotal,
      eventsTotal: halfway.eventsTotal,
    });
    // Done is done: a third start sends nothing.
    await runBackfill({ ...options, signal: new AbortController().signal });
    expect(await storedEvents()).toBe(halfway.eventsTotal);
  });
});

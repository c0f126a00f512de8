import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, signIn } from '../../testing/api.js';
import { type TestDatabase, testEngines, testLog } from '../../testing/engines.js';
import { envelope } from '../../testing/events.js';
import { startTestServer } from '../../testing/server.js';
import { seedDemoTenant } from './demo-seed.js';

/*
 * The demo stack's path (issue 3 §4): the seeded edge key sends the simulator's topics for Riverside
 * (RIV/L1–L2/M1–M5) and they are stored; Lakeside is not its plant.
 */
describe.each(testEngines)('the demo tenant ($name engine)', (engine) => {
  let database: TestDatabase;
  let dataDir: string;
  let server: Awaited<ReturnType<typeof startTestServer>>;
  const password = 'demo-password-for-tests';

  beforeAll(async () => {
    database = await engine.create();
    dataDir = mkdtempSync(join(tmpdir(), 'plantline-demo-'));
    await seedDemoTenant(database.db, {
      dataDir,
      email: 'admin@demo.test.plantline.local',
      password,
      log: testLog,
    });
    server = await startTestServer(database.db);
  });

  afterAll(async () => {
    await server?.close();
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('has lines, machines and stations in both plants', async () => {
    const admin = await signIn(server.url, 'admin@demo.test.plantline.local', password);
    const plants = await admin.trpc.tenancy.plants.list.query();
    expect(plants.map((p) => p.code)).toEqual(['LAK', 'RIV']);
    const lines = await admin.trpc.masterdata.lines.list.query({});
    expect(lines.map((l) => l.code).sort()).toEqual(['L1', 'L1', 'L2', 'L2']);
    expect(await admin.trpc.masterdata.machines.list.query({})).toHaveLength(20);
    expect(await admin.trpc.masterdata.stations.list.query({})).toHaveLength(4);
  });

  it("accepts the simulator's Riverside topics with the demo edge key, and no other plant", async () => {
    const edge = apiClient(server.url, {
      apiKey: readFileSync(join(dataDir, 'demo-edge.key'), 'utf8').trim(),
    });
    const events = [
      envelope({ plant: 'RIV', line: 'L1', machine: 'M1' }, 'state', { state: 'RUNNING' }),
      envelope({ plant: 'RIV', line: 'L2', machine: 'M5' }, 'count', { good: 10, scrap: 1 }),
      envelope({ plant: 'LAK', line: 'L1', machine: 'M1' }, 'state', { state: 'RUNNING' }),
    ];
    const { results } = await edge.trpc.ingest.push.mutate({ events });
    expect(results.map((r) => r.status)).toEqual(['accepted', 'accepted', 'rejected']);
  });
});

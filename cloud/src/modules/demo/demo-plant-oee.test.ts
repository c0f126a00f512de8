import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chunkEvents, historyChunks, historyEnvelope, shiftPhaseAt } from '@plantline/edge';
import { DEMO_PLANTS, DEMO_REASONS, MAX_BATCH_EVENTS } from '@plantline/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, signIn } from '../../testing/api.js';
import { type TestDatabase, testEngines, testLog } from '../../testing/engines.js';
import { startTestServer } from '../../testing/server.js';
import { seedDemoTenant } from './demo-seed.js';

/*
 * The demo is believable end to end (docs/demo.md): one simulated day of each demo plant, made by
 * the edge's history backfill, pushed with the demo edge's key through the real ingest, read back as
 * the cloud's OEE for that day — against the cycle times, state mapping and reasons the seed gave.
 * A day, not a shift: over one shift a good machine may see neither failure nor changeover (A = 1);
 * over three shifts every machine had all three losses in each of 60 simulated days tried.
 */
const EMAIL = 'admin@demo-oee.test.plantline.local';
const PASSWORD = 'demo-oee-password-for-tests';

describe.each(testEngines)('the demo plants measured by the cloud ($name engine)', (engine) => {
  let database: TestDatabase;
  let dataDir: string;
  let server: Awaited<ReturnType<typeof startTestServer>>;
  const windows = new Map<string, { from: number; to: number }>();

  beforeAll(async () => {
    database = await engine.create();
    dataDir = mkdtempSync(join(tmpdir(), 'plantline-demo-oee-'));
    await seedDemoTenant(database.db, { dataDir, email: EMAIL, password: PASSWORD, log: testLog });
    server = await startTestServer(database.db, { maxBodyBytes: 8 * 1024 * 1024 });
    const edge = apiClient(server.url, {
      apiKey: readFileSync(join(dataDir, 'demo-edge.key'), 'utf8').trim(),
    });
    for (const plant of DEMO_PLANTS) {
      // The last three whole shifts of the plant, in its own time zone.
      const now = Date.now();
      const to = now - shiftPhaseAt(new Date(now), plant.timezone);
      const from = to - 24 * 3_600_000;
      windows.set(plant.code, { from, to });
      for (const chunk of historyChunks([plant], from, to)) {
        const events = [...chunkEvents(chunk)].map(({ ts, event }, i) =>
          historyEnvelope(chunk, i, ts, event),
        );
        for (let i = 0; i < events.length; i += MAX_BATCH_EVENTS) {
          const { results } = await edge.trpc.ingest.push.mutate({
            events: events.slice(i, i + MAX_BATCH_EVENTS),
          });
          expect(results.filter((r) => r.status !== 'accepted')).toEqual([]);
        }
      }
    }
  }, 240_000);

  afterAll(async () => {
    await server?.close();
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  for (const demoPlant of DEMO_PLANTS) {
    it(`${demoPlant.code}: OEE mostly 55–85 percent, with all three losses`, async () => {
      const admin = await signIn(server.url, EMAIL, PASSWORD);
      const plant = (await admin.trpc.tenancy.plants.list.query()).find((p) => p.code === demoPlant.code)!;
      const { from, to } = windows.get(demoPlant.code)!;
      const report = await admin.trpc.kpi.oee.query({
        scope: { kind: 'plant', id: plant.id },
        window: { from: new Date(from), to: new Date(to) },
      });
      const machines = report.machines;
      expect(machines).toHaveLength(demoPlant.lines.flatMap((l) => l.machines).length);
      const value = (kpi: { value: number | null }) => kpi.value ?? Number.NaN;
      for (const m of machines) {
        expect(value(m.availability)).toBeLessThan(1);
        expect(value(m.performance)).toBeLessThan(1);
        expect(value(m.quality)).toBeLessThan(1);
        expect(m.performanceAboveIdeal).toBe(false);
      }
      const inRange = machines.filter((m) => value(m.oee) >= 0.55 && value(m.oee) <= 0.85);
      expect(inRange.length / machines.length).toBeGreaterThanOrEqual(0.7);
      // Every state landed in a loss bucket, every reason is a seeded one, failures and changeovers show.
      expect(report.total.unmappedStates).toEqual([]);
      expect(report.total.productsWithoutIdealCycleTime).toEqual([]);
      const known = new Map(DEMO_REASONS.map((r) => [r.code, r]));
      const reasons = report.total.downtimeByReason.map((d) => d.reason);
      expect(reasons.filter((r) => r !== null && !known.has(r))).toEqual([]);
      expect(reasons).toContain('PRODUCT_CHANGE');
      expect(reasons.some((r) => r !== null && known.get(r)?.repairMinutes !== undefined)).toBe(true);
    });
  }
});

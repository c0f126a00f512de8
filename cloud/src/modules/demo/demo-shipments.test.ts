import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from '../../testing/api.js';
import { callerContext } from '../../testing/context.js';
import { type TestDatabase, testEngines, testLog } from '../../testing/engines.js';
import { startTestServer } from '../../testing/server.js';
import { seedDemoTenant } from './demo-seed.js';
import { DEMO_GS1_PREFIX } from './demo-shipments.js';

/*
 * The demo's shipments (docs/demo.md, "Shipments"): two open ones per plant, numbered by each
 * plant's scheme, one of them being picked with a carton half packed by scan under the demo's GS1
 * company prefix.
 */
describe.each(testEngines)('the demo shipments ($name engine)', (engine) => {
  let database: TestDatabase;
  let dataDir: string;
  let server: Awaited<ReturnType<typeof startTestServer>>;
  const email = 'admin@demo-shipments.test.plantline.local';
  const password = 'demo-password-for-tests';

  beforeAll(async () => {
    database = await engine.create();
    dataDir = mkdtempSync(join(tmpdir(), 'plantline-demo-shipments-'));
    const { deps } = callerContext(database.db, null);
    await seedDemoTenant(database.db, {
      dataDir,
      email,
      password,
      log: testLog,
      workflowEntities: deps.workflowEntities,
      app: deps,
    });
    server = await startTestServer(database.db);
  });

  afterAll(async () => {
    await server?.close();
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('plans two open shipments per plant, one of them half packed', async () => {
    const admin = await signIn(server.url, email, password);
    const { items } = await admin.trpc.logistics.shipments.list.query({});
    const year = new Date().getUTCFullYear();
    expect(items.map((s) => s.number).sort()).toEqual(
      ['LAK', 'RIV'].flatMap((plant) => [1, 2].map((seq) => `SHP-${plant}-${year}-0000${seq}`)),
    );
    expect(items.map((s) => s.status).sort()).toEqual(['draft', 'draft', 'picking', 'picking']);
    const picking = items.find((s) => s.status === 'picking')!;
    const page = await admin.trpc.logistics.shipments.get.query({ id: picking.id });
    expect(page.items[0]).toMatchObject({ productCode: 'BRK-100', quantity: 24, packedQuantity: 12 });
    expect(page.packages).toHaveLength(1);
    expect(page.packages[0]!.sscc).toMatch(new RegExp(`^0${DEMO_GS1_PREFIX}\\d{10}$`));
    expect(page.scans.map((s) => s.result)).toEqual(['ok']);
    expect((await admin.trpc.settings.get.query()).settings.logistics.gs1CompanyPrefix).toBe(DEMO_GS1_PREFIX);
  });

  it('sends one packed pallet from the first plant to the second, in transit', async () => {
    const admin = await signIn(server.url, email, password);
    const { items } = await admin.trpc.logistics.transfers.list.query({ direction: 'incoming' });
    expect(items.map((t) => [t.number, t.status, t.fromPlantCode, t.toPlantCode])).toEqual([
      [`TRF-RIV-${new Date().getUTCFullYear()}-00001`, 'in_transit', 'RIV', 'LAK'],
    ]);
    const page = await admin.trpc.logistics.transfers.get.query({ id: items[0]!.id });
    expect(page.items.map((i) => [i.productCode, i.quantity, i.packedQuantity, i.receivedQuantity])).toEqual([
      ['BRK-100', 12, 12, 0],
      ['HSG-310', 6, 6, 0],
    ]);
    expect(page.packages.map((p) => [p.kind, p.status])).toEqual([['pallet', 'shipped']]);
  });
});

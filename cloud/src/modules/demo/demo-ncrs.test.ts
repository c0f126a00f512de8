import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from '../../testing/api.js';
import { callerContext } from '../../testing/context.js';
import { type TestDatabase, testEngines, testLog } from '../../testing/engines.js';
import { startTestServer } from '../../testing/server.js';
import { DEMO_NCRS } from './demo-ncrs.js';
import { seedDemoTenant } from './demo-seed.js';

/*
 * The demo's NCRs (docs/demo.md, "NCRs"): Riverside's four reports, numbered by its scheme, pointing
 * at its lines, machines, products and orders, each running the default NCR workflow from its draft.
 */
describe.each(testEngines)('the demo NCRs ($name engine)', (engine) => {
  let database: TestDatabase;
  let dataDir: string;
  let server: Awaited<ReturnType<typeof startTestServer>>;
  const email = 'admin@demo-ncrs.test.plantline.local';
  const password = 'demo-password-for-tests';

  beforeAll(async () => {
    database = await engine.create();
    dataDir = mkdtempSync(join(tmpdir(), 'plantline-demo-ncrs-'));
    const { deps } = callerContext(database.db, null);
    await seedDemoTenant(database.db, {
      dataDir,
      email,
      password,
      log: testLog,
      workflowEntities: deps.workflowEntities,
      ncrs: deps,
    });
    server = await startTestServer(database.db);
  });

  afterAll(async () => {
    await server?.close();
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('raises four NCRs on Riverside, as drafts of the NCR workflow', async () => {
    const admin = await signIn(server.url, email, password);
    const { items } = await admin.trpc.ncrs.list.query({});
    const year = new Date().getUTCFullYear();
    expect(items.map((n) => n.number).sort()).toEqual(
      [1, 2, 3, 4].map((seq) => `NCR-RIV-${year}-0000${seq}`),
    );
    expect(items.map((n) => n.title).sort()).toEqual(DEMO_NCRS.map((n) => n.title).sort());
    for (const ncr of items) {
      expect(ncr).toMatchObject({ plantCode: 'RIV', status: 'draft', ownerName: 'Demo Administrator' });
      expect([ncr.lineCode, ncr.machineCode, ncr.productCode, ncr.defectCode]).not.toContain(null);
      const view = await admin.trpc.workflow.instances.get.query({ entityType: 'ncr', entityId: ncr.id });
      expect(view.instance?.state.key).toBe('draft');
    }
    // Parts made by an order of the line name it: the seal and the test rig NCRs are of BRK-200,
    // which both lines are making now.
    const byTitle = new Map(items.map((n) => [n.title, n]));
    expect(byTitle.get('Piston seal missing after seal fitting')?.orderNumber).toMatch(/^PO-RIV-/);
    expect(byTitle.get('End-of-line test rejects pumps that pass on re-test')?.orderNumber).toMatch(
      /^PO-RIV-/,
    );
    const search = await admin.trpc.search.query.query({ q: 'porosity' });
    expect(search.groups.find((g) => g.entityType === 'ncr')?.results[0]?.title).toBe(
      'Porosity in pump housing castings of supplier lot SUP-2291',
    );
  });
});

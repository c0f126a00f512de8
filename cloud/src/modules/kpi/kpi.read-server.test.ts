import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/index.js';
import { useTestApp } from '../../testing/app.js';
import {
  createServerDatabase,
  SERVER_TEMPLATE_VARIABLE,
  type TestEngine,
  testEngines,
  testLog,
} from '../../testing/engines.js';
import { boardPlants } from './kpi-scope.js';

/*
 * The KPI queries read the read server when one is configured (DATABASE_READ_URL; docs/architecture.md,
 * "The database"). No replica runs here: the read server is a copy of the primary's database taken
 * before any tenant was made, so a KPI query that answers from it sees no plant, while the caller —
 * signed in after the copy — is still found, on the primary, and writes land there.
 */

const withReadServer: TestEngine = {
  name: 'server',
  create: async () => {
    const primary = await createServerDatabase({
      template: process.env[SERVER_TEMPLATE_VARIABLE] || undefined,
    });
    const replica = await createServerDatabase({ template: new URL(primary.url).pathname.slice(1) });
    const db = await openDatabase({ url: primary.url, readUrl: replica.url, dataDir: null, log: testLog });
    return {
      db,
      url: primary.url,
      drop: async () => {
        await db.close();
        await primary.drop();
        await replica.drop();
      },
    };
  },
};

describe.runIf(testEngines.some((e) => e.name === 'server'))('KPI queries with a read server', () => {
  const app = useTestApp(withReadServer);

  it('find the caller on the primary and read the replica; writes stay on the primary', async () => {
    const { admin, tenants, database } = app;
    const [plant] = tenants.a.plantIds as [string];
    await admin.trpc.masterdata.lines.create.mutate({ plantId: plant, code: 'L1', name: 'Line 1' });
    const scope = { tenantId: tenants.a.tenantId, plantIds: 'all' as const };
    expect(await database.db.transact(scope, boardPlants)).toEqual([plant]);
    // The same query through the API: answered, from a database where the tenant does not exist yet.
    expect(await admin.trpc.kpi.boardPlants.query()).toEqual([]);
  });
});

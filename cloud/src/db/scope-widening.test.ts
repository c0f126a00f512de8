import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '../platform/index.js';
import { type TestDatabase, testEngines } from '../testing/engines.js';
import { createTwoTenants } from '../testing/tenants.js';
import { rows, type Sql, withPlantsInScope } from './index.js';

/*
 * Widening a transaction's plant scope for one act (scope.ts, withPlantsInScope; used by a
 * transfer's receipt, docs/materials.md "Transfers between plants"): inside, rows of the added plant
 * are seen; afterwards, and after a refusal the caller catches, the scope is what it was.
 */

describe.each(testEngines)('widening the plant scope ($name engine)', (engine) => {
  let test: TestDatabase;
  let tenants: Awaited<ReturnType<typeof createTwoTenants>>;
  beforeAll(async () => {
    test = await engine.create();
    tenants = await createTwoTenants(test.db);
    const [, plant2] = tenants.a.plantIds as [string, string];
    await test.db.ownerTransact({ tenantId: tenants.a.tenantId, plantIds: 'all' }, (tx) =>
      tx.execute(sql`insert into lines (tenant_id, plant_id, code, name)
                     values (${tenants.a.tenantId}::uuid, ${plant2}::uuid, 'FAR', 'Far line')`),
    );
  });
  afterAll(() => test?.drop());

  const farLines = async (tx: Sql) =>
    (await rows<{ n: number }>(tx, sql`select count(*)::int as n from lines where code = 'FAR'`))[0]?.n;

  it('shows the added plant inside only, and restores the scope after a caught refusal', async () => {
    const [plant1, plant2] = tenants.a.plantIds as [string, string];
    const seen = await test.db.transact({ tenantId: tenants.a.tenantId, plantIds: [plant1] }, async (tx) => {
      const before = await farLines(tx);
      const inside = await withPlantsInScope(tx, [plant2], () => farLines(tx));
      const after = await farLines(tx);
      await withPlantsInScope(tx, [plant2], async () => {
        throw new DomainError('invalid', 'refused');
      }).catch(() => undefined);
      const afterRefusal = await farLines(tx);
      return { before, inside, after, afterRefusal };
    });
    expect(seen).toEqual({ before: 0, inside: 1, after: 0, afterRefusal: 0 });
  });
});

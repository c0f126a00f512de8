import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestDatabase, testEngines } from '../testing/engines.js';
import { createTwoTenants } from '../testing/tenants.js';
import { rows } from './index.js';

/*
 * Rows of a transfer between two plants (docs/logistics.md, "Tables"): users of either plant see
 * them, users of a third plant and of another tenant do not, and the application's role cannot
 * write a row for a pair of plants outside its reach or claim another pair's transfer.
 */
describe.each(testEngines)('two-plant row-level security ($name engine)', (engine) => {
  let test: TestDatabase;
  let tenants: Awaited<ReturnType<typeof createTwoTenants>>;
  let tenantId: string;
  let from: string;
  let to: string;
  let third: string;
  let transferId: string;

  beforeAll(async () => {
    test = await engine.create();
    tenants = await createTwoTenants(test.db);
    tenantId = tenants.a.tenantId;
    [from, to] = tenants.a.plantIds as [string, string];
    await test.db.ownerTransact({ tenantId, plantIds: 'all' }, async (tx) => {
      const [plant] = await rows<{ id: string }>(
        tx,
        sql`insert into plants (tenant_id, code, name, timezone) values (${tenantId}, 'A3', 'A plant 3', 'UTC') returning id`,
      );
      third = plant!.id;
      const [product] = await rows<{ id: string }>(
        tx,
        sql`insert into products (tenant_id, code, name) values (${tenantId}, 'SHAFT', 'Shaft') returning id`,
      );
      const [transfer] = await rows<{ id: string }>(
        tx,
        sql`insert into transfer_orders (tenant_id, from_plant_id, to_plant_id, number)
            values (${tenantId}, ${from}, ${to}, 'TRF-1') returning id`,
      );
      transferId = transfer!.id;
      await tx.execute(sql`insert into transfer_items (tenant_id, from_plant_id, to_plant_id, transfer_order_id, line_no, product_id, quantity)
          values (${tenantId}, ${from}, ${to}, ${transferId}, 1, ${product!.id}, 10)`);
      await tx.execute(sql`insert into packages (tenant_id, plant_id, to_plant_id, transfer_order_id, kind, sscc)
          values (${tenantId}, ${from}, ${to}, ${transferId}, 'pallet', '095287654321012346')`);
    });
  });
  afterAll(() => test?.drop());

  const seenFrom = (plantIds: string[], tenant = tenantId) =>
    test.db.transact({ tenantId: tenant, plantIds }, (tx) =>
      rows<{ transfers: number; items: number; packages: number }>(
        tx,
        sql`select (select count(*)::int from transfer_orders) as transfers,
                   (select count(*)::int from transfer_items) as items,
                   (select count(*)::int from packages) as packages`,
      ),
    );

  it('shows a transfer, its items and packages to either plant and to no one else', async () => {
    const both = { transfers: 1, items: 1, packages: 1 };
    expect(await seenFrom([from])).toEqual([both]);
    expect(await seenFrom([to])).toEqual([both]);
    expect(await seenFrom([third])).toEqual([{ transfers: 0, items: 0, packages: 0 }]);
    expect(await seenFrom(tenants.b.plantIds, tenants.b.tenantId)).toEqual([
      { transfers: 0, items: 0, packages: 0 },
    ]);
  });

  it('refuses a transfer between plants outside the caller’s reach', async () => {
    await expect(
      test.db.transact({ tenantId, plantIds: [third] }, (tx) =>
        tx.execute(sql`insert into transfer_orders (tenant_id, from_plant_id, to_plant_id, number)
            values (${tenantId}, ${from}, ${to}, 'TRF-2')`),
      ),
    ).rejects.toMatchObject({ cause: { message: expect.stringMatching(/row-level security/) } });
  });

  it('refuses a package that claims the transfer for another pair of plants', async () => {
    await expect(
      test.db.transact({ tenantId, plantIds: [from, third] }, (tx) =>
        tx.execute(sql`insert into packages (tenant_id, plant_id, to_plant_id, transfer_order_id, kind)
            values (${tenantId}, ${from}, ${third}, ${transferId}, 'carton')`),
      ),
    ).rejects.toMatchObject({ cause: { message: expect.stringMatching(/packages_transfer_fk/) } });
    await expect(
      test.db.transact({ tenantId, plantIds: [from] }, (tx) =>
        tx.execute(sql`insert into packages (tenant_id, plant_id, transfer_order_id, kind)
            values (${tenantId}, ${from}, ${transferId}, 'carton')`),
      ),
    ).rejects.toMatchObject({
      cause: { message: expect.stringMatching(/packages_destination_check/) },
    });
  });
});

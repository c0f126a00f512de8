import { tables } from '@plantline/schema';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../testing/api.js';
import { expectApiError } from '../../testing/api-assertions.js';
import { useTestApp } from '../../testing/app.js';
import { auditTrail, expectEntries } from '../../testing/audit-entries.js';
import { testEngines } from '../../testing/engines.js';
import { refreshRequestStatus } from './index.js';

/*
 * A delivery request's status follows shipping (docs/logistics.md, "Customers and delivery
 * requests"): shipments are written here as the shipments module writes them, and
 * refreshRequestStatus, which it calls, moves the request along; edits and cancelling then respect
 * what has left.
 */
describe.each(testEngines)('a delivery request through shipping ($name engine)', (engine) => {
  const app = useTestApp(engine);
  let admin: ApiClient;
  const a = {} as { plant1: string; product: string; acme: string; acmeMain: string; north: string };
  const r = () => admin.trpc.logistics.requests;

  beforeAll(async () => {
    ({ admin } = app);
    a.plant1 = app.tenants.a.plantIds[0]!;
    a.product = (await admin.trpc.production.products.create.mutate({ code: 'BRK-100', name: 'Caliper' })).id;
    const customer = async (code: string) => {
      const { id } = await admin.trpc.logistics.customers.create.mutate({ code, name: `${code} Ltd` });
      const main = await admin.trpc.logistics.customers.addresses.add.mutate({
        customerId: id,
        label: 'Main',
        name: `${code} main`,
        country: 'DE',
      });
      return { id, main: main.id };
    };
    ({ id: a.acme, main: a.acmeMain } = await customer('ACME'));
    a.north = (await customer('NORTH')).id;
  });

  const newRequest = (fields: { quantity: number }) =>
    r().create.mutate({
      plantId: a.plant1,
      customerId: a.acme,
      productId: a.product,
      requestedDate: '2026-03-10',
      ...fields,
    });

  it('follows what has shipped: open, partially shipped, shipped', async () => {
    const request = await newRequest({ quantity: 10 });
    const db = app.database.db;
    const scope = {
      tenantId: app.tenants.a.tenantId,
      plantIds: 'all' as const,
      userId: app.tenants.a.adminUserId,
    };
    let line = 0;
    /** A shipment of `packed` of the request, as shipping would write it. */
    const ship = (status: 'draft' | 'shipped' | 'delivered', packed: number) =>
      db.transact(scope, async (tx) => {
        const [shipment] = await tx
          .insert(tables.shipments)
          .values({
            tenantId: scope.tenantId,
            plantId: a.plant1,
            number: `SHP-TEST-${++line}`,
            customerId: a.acme,
            shipToId: a.acmeMain,
            status,
          })
          .returning({ id: tables.shipments.id });
        await tx.insert(tables.shipmentItems).values({
          tenantId: scope.tenantId,
          plantId: a.plant1,
          shipmentId: shipment!.id,
          lineNo: 1,
          deliveryRequestId: request.id,
          productId: a.product,
          quantity: String(packed),
          packedQuantity: String(packed),
        });
        return refreshRequestStatus(tx, [request.id, request.id]);
      });
    // Packed but not gone yet: nothing has shipped.
    expect(await ship('draft', 3)).toEqual([
      { id: request.id, status: 'open', quantity: 10, shippedQuantity: 0 },
    ]);
    const trail = auditTrail(db, app.tenants.a);
    const partly = await trail.during(() => ship('shipped', 4));
    expectEntries(partly, [
      {
        action: 'delivery_request.update',
        entityLabel: request.number,
        oldValues: { status: 'open' },
        newValues: { status: 'partially_shipped' },
      },
    ]);
    const got = await r().get.query({ id: request.id });
    expect(got).toMatchObject({
      status: 'partially_shipped',
      shippedQuantity: 4,
      version: 2,
      editable: true,
    });
    await expectApiError(
      r().update.mutate({ id: request.id, expectedVersion: 2, patch: { quantity: 3 } }),
      'BAD_REQUEST',
      `4 of ${request.number} have shipped already`,
    );
    await expectApiError(
      r().update.mutate({ id: request.id, expectedVersion: 2, patch: { customerId: a.north } }),
      'BAD_REQUEST',
      'Part of the request has shipped: its customer and product stay as they are',
    );
    await expectApiError(
      r().cancel.mutate({ id: request.id, expectedVersion: 2, reason: 'Stop' }),
      'CONFLICT',
      `Part of ${request.number} has shipped: lower its quantity to the 4 shipped instead`,
    );
    const lowered = await r().update.mutate({ id: request.id, expectedVersion: 2, patch: { quantity: 6 } });
    expect(lowered).toMatchObject({ status: 'partially_shipped', quantity: 6 });
    expect(await ship('delivered', 2)).toEqual([
      { id: request.id, status: 'shipped', quantity: 6, shippedQuantity: 6 },
    ]);
    expect((await r().get.query({ id: request.id })).editable).toBe(false);
    // Requests the caller cannot see are left alone.
    const other = await db.transact({ tenantId: app.tenants.b.tenantId, plantIds: 'all' }, (tx) =>
      refreshRequestStatus(tx, [request.id]),
    );
    expect(other).toEqual([]);
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { expectApiError } from '../../testing/api-assertions.js';
import { useTestApp } from '../../testing/app.js';
import { testEngines } from '../../testing/engines.js';
import { resinBoltGear } from './material-fixtures.js';

/*
 * What orders consume and produce (docs/materials.md, "Order materials" and "Backflush"): consumption
 * and output go through the ledger with the order's id and show as consumed and produced against the
 * plan; completing an order that backflushes takes what the output requires minus what was consumed,
 * from the line side, lots first-expiry-first-out; a shortage refuses the completion with the list
 * and writes nothing; a consumption racing the backflush for the last stock leaves one of them refused.
 */

describe.each(testEngines)('order materials ($name engine)', (engine) => {
  const app = useTestApp(engine);
  const s = {} as {
    plant: string;
    otherPlant: string;
    gear: string;
    gearMaterial: string;
    resin: string;
    bolt: string;
    store: string;
    line: string;
    otherLine: string;
    lots: Record<'R1' | 'R2' | 'R3', string>;
  };
  const trpc = () => app.admin.trpc;

  beforeAll(async () => {
    const { materials, inventory, boms } = trpc();
    [s.plant, s.otherPlant] = app.tenants.a.plantIds as [string, string];
    ({
      resin: s.resin,
      bolt: s.bolt,
      gear: s.gear,
      gearMaterial: s.gearMaterial,
    } = await resinBoltGear(trpc()));
    const location = (plantId: string, code: string, kind: 'warehouse' | 'production') =>
      materials.locations.create.mutate({ plantId, code, name: code, kind }).then((l) => l.id);
    s.store = await location(s.plant, 'STORE', 'warehouse');
    s.line = await location(s.plant, 'LINE', 'production');
    s.otherLine = await location(s.otherPlant, 'LINE', 'production');
    const lot = (lotCode: string, expiresOn: string | null) =>
      materials.lots.create
        .mutate({ plantId: s.plant, materialId: s.resin, lotCode, expiresOn })
        .then((l) => l.id);
    s.lots = {
      R1: await lot('R1', '2026-09-01'),
      R2: await lot('R2', '2026-08-01'),
      R3: await lot('R3', null),
    };
    const receive = (lotId: string | null, materialId: string, quantity: number) =>
      inventory.receive.mutate({ materialId, lotId, locationId: s.line, quantity });
    await receive(s.lots.R1, s.resin, 1);
    await receive(s.lots.R2, s.resin, 0.5);
    await receive(s.lots.R3, s.resin, 5);
    await receive(null, s.bolt, 100);
    const bom = await boms.create.mutate({
      materialId: s.gearMaterial,
      baseQuantity: 1,
      backflush: true,
      items: [
        { materialId: s.resin, quantity: 0.2, backflush: true },
        { materialId: s.bolt, quantity: 4 },
      ],
    });
    await boms.release.mutate({ id: bom.id, validFrom: new Date(Date.UTC(2026, 0, 1)) });
  });

  const startedOrder = async (quantity: number, more = {}) => {
    const { orders } = trpc().production;
    const order = await orders.create.mutate({ plantId: s.plant, productId: s.gear, quantity, ...more });
    await orders.update.mutate({ id: order.id, patch: { status: 'released' } });
    await orders.update.mutate({ id: order.id, patch: { status: 'in_progress' } });
    return order;
  };
  const complete = (id: string) =>
    trpc().production.orders.update.mutate({ id, patch: { status: 'completed' } });
  const view = (orderId: string) => trpc().orderMaterials.get.query({ orderId });
  const resinAtLine = async () =>
    Object.fromEntries(
      (await trpc().inventory.balances.query({ materialId: s.resin, locationId: s.line })).map((b) => [
        b.lotCode,
        b.quantity,
      ]),
    );

  it('books consumption and output against the order and shows them beside the plan', async () => {
    const order = await startedOrder(10);
    const { orderMaterials } = trpc();
    await orderMaterials.consume.mutate({
      orderId: order.id,
      materialId: s.bolt,
      locationId: s.line,
      quantity: 30,
    });
    const [made] = await orderMaterials.output.mutate({
      orderId: order.id,
      locationId: s.store,
      quantity: 4,
    });
    expect([made!.kind, made!.quantity, made!.productionOrderId, made!.orderCode]).toEqual([
      'production',
      '4',
      order.id,
      order.number,
    ]);
    const lot = await trpc().materials.lots.get.query({ id: made!.lotId! });
    expect([lot.lotCode, lot.materialId, lot.plantId]).toEqual([order.number, s.gearMaterial, s.plant]);
    // A second output goes into the same lot.
    await orderMaterials.output.mutate({ orderId: order.id, locationId: s.store, quantity: 1 });
    const shown = await view(order.id);
    expect([shown.backflush, shown.bom?.version, shown.output.planned, shown.output.produced]).toEqual([
      true,
      1,
      '10',
      '5',
    ]);
    expect(shown.components.map((c) => [c.code, c.planned, c.consumed, c.remaining, c.inPlan])).toEqual([
      ['RESIN', '2', '0', '2', true],
      ['BOLT', '40', '30', '10', true],
    ]);
    // Completing backflushes resin for 5 made (1 kg), earliest expiry first: R2 then R1.
    await complete(order.id);
    expect(await resinAtLine()).toEqual({ R1: '0.5', R3: '5' });
    const after = await view(order.id);
    expect(after.components.map((c) => [c.code, c.consumed, c.remaining])).toEqual([
      ['RESIN', '1', '1'],
      ['BOLT', '30', '10'],
    ]);
    const backflushed = await trpc().inventory.movements.query({ materialId: s.resin, kind: 'consumption' });
    expect(new Set(backflushed.map((m) => m.groupId)).size).toBe(1);
    expect(backflushed.every((m) => m.productionOrderId === order.id)).toBe(true);
  });

  it('refuses consumption and output that do not fit the order, with a reason', async () => {
    const { orders } = trpc().production;
    const planned = await orders.create.mutate({ plantId: s.plant, productId: s.gear, quantity: 5 });
    const { orderMaterials } = trpc();
    const bolt = { materialId: s.bolt, locationId: s.line, quantity: 1 };
    await expectApiError(
      orderMaterials.consume.mutate({ orderId: planned.id, ...bolt }),
      'CONFLICT',
      `Order ${planned.number} is planned; stock is booked against released orders and orders in progress`,
    );
    const order = await startedOrder(5);
    await expectApiError(
      orderMaterials.consume.mutate({ orderId: order.id, ...bolt, locationId: s.otherLine }),
      'BAD_REQUEST',
      `Location LINE is not in order ${order.number}'s plant`,
    );
    await expectApiError(
      orderMaterials.consume.mutate({ orderId: order.id, ...bolt, materialId: s.gearMaterial }),
      'BAD_REQUEST',
      `GEAR is what order ${order.number} makes, not a component`,
    );
    await expectApiError(
      orderMaterials.consume.mutate({ orderId: order.id, ...bolt, quantity: 1000 }),
      'BAD_REQUEST',
      'Not enough BOLT at LINE: 70 available, 1000 asked',
    );
    await expectApiError(
      orderMaterials.consume.mutate({
        orderId: order.id,
        materialId: s.resin,
        locationId: s.line,
        quantity: 1,
      }),
      'BAD_REQUEST',
      /lot/,
    );
    await expectApiError(
      orderMaterials.consume.mutate({ orderId: order.id, ...bolt, quantity: -1 }),
      'BAD_REQUEST',
    );
    const shown = await view(order.id);
    expect(shown.components.map((c) => c.consumed)).toEqual(['0', '0']);
  });

  it('refuses a completion it cannot backflush with the whole list, and writes nothing', async () => {
    const order = await startedOrder(100);
    await trpc().orderMaterials.output.mutate({ orderId: order.id, locationId: s.store, quantity: 50 });
    const before = await resinAtLine();
    await expectApiError(
      complete(order.id),
      'BAD_REQUEST',
      `Order ${order.number} cannot complete: not enough stock to backflush. RESIN: 10 kg needed at LINE, 5.5 available`,
    );
    expect(await resinAtLine()).toEqual(before);
    expect((await trpc().production.orders.get.query({ id: order.id })).status).toBe('in_progress');
    // An order that says no backflush completes without consuming.
    await trpc().production.orders.update.mutate({ id: order.id, patch: { backflush: false } });
    await complete(order.id);
    expect(await resinAtLine()).toEqual(before);
  });

  it('lets one of a backflush and a consumption racing for the last stock through', async () => {
    const order = await startedOrder(25);
    const other = await startedOrder(1);
    await trpc().orderMaterials.output.mutate({ orderId: order.id, locationId: s.store, quantity: 25 });
    // The backflush needs 5 kg of the 5.5 left (R1 0.5, R3 5); another order's consumption wants 4.5 of R3.
    const outcomes = await Promise.allSettled([
      complete(order.id),
      trpc().orderMaterials.consume.mutate({
        orderId: other.id,
        materialId: s.resin,
        lotId: s.lots.R3,
        locationId: s.line,
        quantity: 4.5,
      }),
    ]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
    const left = await resinAtLine();
    if (outcomes[0]!.status === 'fulfilled') expect(left).toEqual({ R3: '0.5' });
    else expect(left).toEqual({ R1: '0.5', R3: '0.5' });
  });
});

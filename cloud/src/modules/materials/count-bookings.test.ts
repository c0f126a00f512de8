import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../db/index.js';
import type { ApiClient } from '../../testing/api.js';
import { useTestApp } from '../../testing/app.js';
import { testEngines } from '../../testing/engines.js';
import { envelope } from '../../testing/events.js';
import { resinBoltGear } from './material-fixtures.js';

/*
 * Counted production (docs/materials.md, "Counted production"): good parts an edge counts for an
 * order in progress go into the order's lot, where its output went before, and consume its
 * backflushed components from the line side as they are counted. A short line side books what it
 * has, keeps the rest due and says so once; a refused booking never costs the count; counts of no
 * open order, or of a plant that keeps no stock at its lines, book nothing.
 */
describe.each(testEngines)('counted production ($name engine)', (engine) => {
  const app = useTestApp(engine);
  const s = {} as {
    plant: string;
    otherPlant: string;
    resin: string;
    bolt: string;
    gear: string;
    gearMaterial: string;
    lineSide: string;
    finished: string;
    r1: string;
    order: { id: string; number: string };
  };
  let edge: ApiClient;
  const trpc = () => app.admin.trpc;
  const M1 = { plant: 'A1', line: 'L1', machine: 'M1' };
  const count = (good: number, order: string, at = M1) => envelope(at, 'count', { good, scrap: 0, order });
  const push = (...events: object[]) => edge.trpc.ingest.push.mutate({ events });
  const bookings = (orderId: string) => trpc().inventory.productionBookings.query({ orderId });
  const consumed = async (orderId: string) =>
    Object.fromEntries(
      (await trpc().orderMaterials.get.query({ orderId })).components.map((c) => [c.code, c.consumed]),
    );
  const shortNotices = async () =>
    (await trpc().notifications.list.query({})).items.filter((n) => n.kind === 'materials.line-short');

  const startedOrder = async (lineId: string, plantId = s.plant, quantity = 10) => {
    const order = await trpc().production.orders.create.mutate({
      plantId,
      productId: s.gear,
      lineId,
      quantity,
    });
    for (const status of ['released', 'in_progress'] as const)
      await trpc().production.orders.update.mutate({ id: order.id, patch: { status } });
    return { id: order.id, number: order.number };
  };

  beforeAll(async () => {
    const { materials, inventory, boms } = trpc();
    [s.plant, s.otherPlant] = app.tenants.a.plantIds as [string, string];
    ({
      resin: s.resin,
      bolt: s.bolt,
      gear: s.gear,
      gearMaterial: s.gearMaterial,
    } = await resinBoltGear(trpc()));
    const bom = await boms.create.mutate({
      materialId: s.gearMaterial,
      baseQuantity: 1,
      backflush: true,
      items: [
        { materialId: s.resin, quantity: 0.5, backflush: true },
        { materialId: s.bolt, quantity: 2, backflush: true },
      ],
    });
    await boms.release.mutate({ id: bom.id, validFrom: new Date(Date.now() - 86_400_000) });
    const line = await app.line(s.plant, 'L1');
    await app.machine(line, 'M1');
    s.lineSide = (
      await materials.locations.create.mutate({
        plantId: s.plant,
        code: 'L1-SIDE',
        name: 'Line 1 side',
        kind: 'production',
        lineId: line,
      })
    ).id;
    s.finished = (
      await materials.locations.create.mutate({ plantId: s.plant, code: 'FG', name: 'FG', kind: 'warehouse' })
    ).id;
    s.r1 = (await materials.lots.create.mutate({ plantId: s.plant, materialId: s.resin, lotCode: 'R1' })).id;
    await inventory.receive.mutate({ materialId: s.resin, lotId: s.r1, locationId: s.lineSide, quantity: 2 });
    await inventory.receive.mutate({ materialId: s.bolt, locationId: s.lineSide, quantity: 100 });
    s.order = await startedOrder(line);
    edge = await app.edge(app.tenants.a.plantIds);
  });

  it('puts counted parts into the order’s lot where its output went, consuming its components', async () => {
    // One piece booked by hand into finished goods: the counted ones follow it there.
    await trpc().orderMaterials.output.mutate({ orderId: s.order.id, locationId: s.finished, quantity: 1 });
    const event = count(2, s.order.number);
    const { results } = await push(event);
    expect(results.map((r) => r.status)).toEqual(['accepted']);
    const [booking] = await bookings(s.order.id);
    expect(booking).toMatchObject({
      result: 'booked',
      good: 2,
      counts: 1,
      machineCode: 'M1',
      lotCode: s.order.number,
      locationCode: 'FG',
      message: `2 pcs into lot ${s.order.number} at FG; 2 component movements`,
      shortages: null,
    });
    const rows = await trpc().inventory.movements.query({ kind: 'consumption' });
    expect(rows.filter((r) => r.groupId === booking!.groupId).map((r) => [r.lotCode, r.quantity])).toEqual(
      expect.arrayContaining([
        ['R1', '-1.5'],
        [null, '-6'],
      ]),
    );
    expect(await consumed(s.order.id)).toEqual({ RESIN: '1.5', BOLT: '6' });
    expect((await trpc().orderMaterials.get.query({ orderId: s.order.id })).output.produced).toBe('3');
    // The ledger made the genealogy: the resin lot went into the order's lot.
    const trace = await trpc().materials.lots.trace.query({ start: { lotId: s.r1 }, direction: 'forward' });
    expect(trace.nodes.map((n) => n.lotCode)).toEqual(['R1', s.order.number]);

    // The edge sends the batch again (its reply was lost): stored once, booked once.
    expect((await push(event)).results.map((r) => r.status)).toEqual(['duplicate']);
    expect(await bookings(s.order.id)).toHaveLength(1);
    expect(await consumed(s.order.id)).toEqual({ RESIN: '1.5', BOLT: '6' });
  });

  it('books what a short line side has, keeps the rest due, says so once, and catches up', async () => {
    const first = await push(count(2, s.order.number));
    expect(first.results[0]?.status).toBe('accepted');
    const [short] = await bookings(s.order.id);
    // 5 made need 2.5 kg of resin; 1.5 were consumed and 0.5 is left at the line side.
    expect(short).toMatchObject({
      result: 'short',
      good: 2,
      message: `2 pcs into lot ${s.order.number} at FG; short: RESIN: 1 kg needed at L1-SIDE, 0.5 available`,
      shortages: [{ code: 'RESIN', unit: 'kg', location: 'L1-SIDE', needed: '1', available: '0.5' }],
    });
    expect(await consumed(s.order.id)).toEqual({ RESIN: '2', BOLT: '10' });
    const notices = await shortNotices();
    expect(notices.map((n) => [n.title, n.link])).toEqual([
      [`L1-SIDE is short for ${s.order.number}: RESIN`, `/orders/${s.order.id}/materials`],
    ]);

    await push(count(1, s.order.number));
    expect((await bookings(s.order.id))[0]).toMatchObject({ result: 'short', good: 1 });
    expect(await shortNotices()).toHaveLength(1);

    const r2 = await trpc().materials.lots.create.mutate({
      plantId: s.plant,
      materialId: s.resin,
      lotCode: 'R2',
    });
    await trpc().inventory.receive.mutate({
      materialId: s.resin,
      lotId: r2.id,
      locationId: s.lineSide,
      quantity: 3,
    });
    await push(count(1, s.order.number));
    expect((await bookings(s.order.id))[0]).toMatchObject({ result: 'booked', good: 1 });
    // 7 made need 3.5 kg: the resin missing before is consumed with this count.
    expect(await consumed(s.order.id)).toEqual({ RESIN: '3.5', BOLT: '14' });
    const back = await trpc().materials.lots.trace.query({
      start: { lotId: (await bookings(s.order.id))[0]!.lotId! },
      direction: 'backward',
    });
    expect(back.nodes.map((n) => n.lotCode).sort()).toEqual(['R1', 'R2', s.order.number].sort());

    // Completing the order finds nothing left to backflush.
    const before = (await trpc().inventory.movements.query({ kind: 'consumption' })).length;
    await trpc().production.orders.update.mutate({ id: s.order.id, patch: { status: 'completed' } });
    expect(await trpc().inventory.movements.query({ kind: 'consumption' })).toHaveLength(before);
    // A count for the completed order is stored and books nothing.
    expect((await push(count(3, s.order.number))).results[0]?.status).toBe('accepted');
    expect(await bookings(s.order.id)).toHaveLength(4);
  });

  it('keeps the count when the ledger refuses its booking, and records why', async () => {
    const line = await app.line(s.plant, 'L2');
    await app.machine(line, 'M2');
    const order = await startedOrder(line);
    const lot = await trpc().materials.lots.create.mutate({
      plantId: s.plant,
      materialId: s.gearMaterial,
      lotCode: order.number,
    });
    await trpc().materials.lots.setStatus.mutate({ id: lot.id, status: 'consumed', reason: 'Closed' });
    const { results } = await push(count(4, order.number, { plant: 'A1', line: 'L2', machine: 'M2' }));
    expect(results.map((r) => r.status)).toEqual(['accepted']);
    expect(await bookings(order.id)).toMatchObject([
      {
        result: 'refused',
        good: 4,
        groupId: null,
        message: `4 counted, nothing booked: Lot ${order.number} is consumed`,
      },
    ]);
    const view = await trpc().orderMaterials.get.query({ orderId: order.id });
    expect([view.output.produced, ...view.components.map((c) => c.consumed)]).toEqual(['0', '0', '0']);

    // Refused after the booking made the order's lot: the lot and its audit entry go with the rest.
    const old = await trpc().materials.locations.create.mutate({
      plantId: s.plant,
      code: 'OLD-SIDE',
      name: 'Old line side',
      kind: 'production',
    });
    const other = await trpc().production.orders.create.mutate({
      plantId: s.plant,
      productId: s.gear,
      lineId: line,
      quantity: 5,
      lineSideLocationId: old.id,
    });
    for (const status of ['released', 'in_progress'] as const)
      await trpc().production.orders.update.mutate({ id: other.id, patch: { status } });
    await trpc().materials.locations.update.mutate({ id: old.id, patch: { isActive: false } });
    await push(count(1, other.number, { plant: 'A1', line: 'L2', machine: 'M2' }));
    expect(await bookings(other.id)).toMatchObject([
      { result: 'refused', message: '1 counted, nothing booked: Location OLD-SIDE is inactive' },
    ]);
    const lots = await trpc().materials.lots.list.query({ materialId: s.gearMaterial, limit: 200 });
    expect(lots.map((l) => l.lotCode)).not.toContain(other.number);
    const { entries } = await trpc().audit.entries.list.query({ entityType: 'material_lot', limit: 200 });
    const labels = entries.map((e) => e.entityLabel);
    expect(labels).toContain(`GEAR ${order.number}`);
    expect(labels).not.toContain(`GEAR ${other.number}`);
  });

  it('plans the genealogy trigger for each order, so an order with many counts stays quick', async () => {
    // A generic plan took 1.1 s a count at 1 200 movements on the embedded engine (migration 0040).
    const [trigger] = await app.database.db.ownerTransact(null, (tx) =>
      rows<{ config: string[] | null }>(
        tx,
        sql`select proconfig as config from pg_proc where oid = 'plantline.derive_lot_genealogy'::regproc`,
      ),
    );
    expect(trigger?.config).toContain('plan_cache_mode=force_custom_plan');
  });

  it('books nothing for unknown orders, another plant’s order, or a plant without line stock', async () => {
    const line = await app.line(s.otherPlant, 'T1');
    await app.machine(line, 'M1');
    const there = await startedOrder(line, s.otherPlant);
    const T1 = { plant: 'A2', line: 'T1', machine: 'M1' };
    const { results } = await push(
      count(5, 'PO-NO-SUCH-ORDER'),
      count(5, there.number),
      count(5, there.number, T1),
    );
    expect(results.map((r) => r.status)).toEqual(['accepted', 'accepted', 'accepted']);
    expect(await bookings(there.id)).toEqual([]);
    expect((await trpc().orderMaterials.get.query({ orderId: there.id })).output.produced).toBe('0');
  });
});

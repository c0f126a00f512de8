import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../db/index.js';
import { addUser, signIn } from '../../testing/api.js';
import { expectApiError } from '../../testing/api-assertions.js';
import { useTestApp } from '../../testing/app.js';
import { auditTrail, expectEntries } from '../../testing/audit-entries.js';
import { testEngines } from '../../testing/engines.js';

/*
 * BOMs through the API (docs/materials.md, "BOMs" and "Order materials"): an order's requirements are
 * order quantity / base quantity × item quantity (in the component's base unit) × (1 + scrap %), taken
 * from the version effective at the order's planned start and kept with the order; released versions
 * never overlap and do not change; a BOM never contains its own material; bad input is refused.
 */
const DAY = 86_400_000;

describe.each(testEngines)('BOMs ($name engine)', (engine) => {
  const app = useTestApp(engine);
  const s = {} as { plant: string; otherPlant: string; caliper: string; caliperMaterial: string };
  const m = {} as Record<'resin' | 'bolt' | 'pad' | 'shim' | 'plate', string>;
  const trpc = () => app.admin.trpc;
  const t0 = new Date(Date.UTC(2026, 5, 1));
  const at = (days: number) => new Date(t0.getTime() + days * DAY);

  beforeAll(async () => {
    const { materials, production } = trpc();
    [s.plant, s.otherPlant] = app.tenants.a.plantIds as [string, string];
    await materials.units.create.mutate({ code: 'kg', name: 'Kilogram', dimension: 'mass' });
    await materials.units.create.mutate({ code: 'g', name: 'Gram', dimension: 'mass' });
    await materials.units.create.mutate({ code: 'pcs', name: 'Pieces', dimension: 'count' });
    await materials.units.create.mutate({ code: 'box', name: 'Box', dimension: 'count' });
    await materials.conversions.create.mutate({ fromUnit: 'g', toUnit: 'kg', factor: 0.001 });
    const material = (code: string, baseUnit: string, kind: 'raw' | 'semi_finished' = 'raw') =>
      materials.create.mutate({ code, name: code, kind, baseUnit }).then((x) => x.id);
    m.resin = await material('RESIN', 'kg');
    m.bolt = await material('BOLT', 'pcs');
    m.pad = await material('PAD', 'pcs', 'semi_finished');
    m.shim = await material('SHIM', 'pcs', 'semi_finished');
    m.plate = await material('PLATE', 'pcs', 'semi_finished');
    s.caliper = (await production.products.create.mutate({ code: 'CAL', name: 'Caliper', unit: 'pcs' })).id;
    const finished = await materials.list.query({ kind: 'finished' });
    s.caliperMaterial = finished.find((f) => f.code === 'CAL')!.id;
  });

  const order = (quantity: number, plannedStart: Date | null, more = {}) =>
    trpc().production.orders.create.mutate({
      plantId: s.plant,
      productId: s.caliper,
      quantity,
      plannedStart,
      ...more,
    });
  const requirements = async (orderId: string) =>
    (await trpc().orderMaterials.get.query({ orderId })).components.map((c) => [c.code, c.planned]);

  it('explodes the effective version into the order with units converted and scrap added', async () => {
    const trail = auditTrail(app.database.db, app.tenants.a);
    const start = await trail.lastSeq();
    const draft = await trpc().boms.create.mutate({
      materialId: s.caliperMaterial,
      baseQuantity: 10,
      items: [
        { materialId: m.resin, quantity: 500, unit: 'g', scrapPercent: 5 },
        { materialId: m.bolt, quantity: 4, backflush: true },
      ],
    });
    expect([draft.code, draft.version, draft.status, draft.name]).toEqual(['CAL/1', 1, 'draft', 'Caliper']);
    expect(draft.items.map((i) => [i.position, i.materialCode, i.quantity, i.unit, i.scrapPercent])).toEqual([
      [1, 'RESIN', '500', 'g', '5'],
      [2, 'BOLT', '4', 'pcs', '0'],
    ]);
    // A draft is not effective: an order made now has no requirements yet.
    const early = await order(25, at(1));
    expect(await requirements(early.id)).toEqual([]);
    const released = await trpc().boms.release.mutate({ id: draft.id, validFrom: t0 });
    expect([released.status, released.validFrom, released.validTo]).toEqual([
      'released',
      t0.toISOString(),
      null,
    ]);
    // 25 / 10 × 0.5 kg × 1.05 and 25 / 10 × 4 pcs.
    const made = await order(25, at(1));
    expect(await requirements(made.id)).toEqual([
      ['RESIN', '1.3125'],
      ['BOLT', '10'],
    ]);
    expect((await trpc().production.orders.get.query({ id: made.id })).bomId).toBe(draft.id);
    // Releasing the planned order explodes again, now that the BOM is effective.
    await trpc().production.orders.update.mutate({ id: early.id, patch: { status: 'released' } });
    expect(await requirements(early.id)).toEqual([
      ['RESIN', '1.3125'],
      ['BOLT', '10'],
    ]);
    const entries = (await trail.since(start)).filter((e) => e.entityType === 'bom');
    expectEntries(entries, [
      { action: 'bom.create', entityLabel: 'CAL/1' },
      { action: 'bom.release', entityLabel: 'CAL/1' },
    ]);
  });

  it('supersedes the open version, refuses overlaps and keeps orders in progress as exploded', async () => {
    const [v1] = await trpc().boms.list.query({ materialId: s.caliperMaterial });
    const running = await order(10, at(2));
    await trpc().production.orders.update.mutate({ id: running.id, patch: { status: 'released' } });
    await trpc().production.orders.update.mutate({ id: running.id, patch: { status: 'in_progress' } });
    // A new version starts as a copy of the latest; its draft changes only itself.
    const v2 = await trpc().boms.create.mutate({ materialId: s.caliperMaterial });
    expect(v2.items.map((i) => [i.materialCode, i.quantity, i.unit])).toEqual([
      ['RESIN', '500', 'g'],
      ['BOLT', '4', 'pcs'],
    ]);
    await trpc().boms.update.mutate({
      id: v2.id,
      patch: { baseQuantity: 1, items: [{ materialId: m.bolt, quantity: 6, unit: 'pcs' }] },
    });
    await trpc().boms.release.mutate({ id: v2.id, validFrom: at(10) });
    const versions = await trpc().boms.list.query({ materialId: s.caliperMaterial });
    expect(versions.map((v) => [v.version, v.status, v.validFrom, v.validTo])).toEqual([
      [2, 'released', at(10).toISOString(), null],
      [1, 'released', t0.toISOString(), at(10).toISOString()],
    ]);
    // Each order takes the version effective at its planned start.
    expect(await requirements((await order(3, at(9))).id)).toEqual([
      ['RESIN', '0.1575'],
      ['BOLT', '1.2'],
    ]);
    expect(await requirements((await order(3, at(10))).id)).toEqual([['BOLT', '18']]);
    // The order in progress keeps what it was exploded with.
    expect(await requirements(running.id)).toEqual([
      ['RESIN', '0.525'],
      ['BOLT', '4'],
    ]);
    // A version released inside another's validity is refused, naming it.
    const v3 = await trpc().boms.create.mutate({ materialId: s.caliperMaterial });
    await expectApiError(
      trpc().boms.release.mutate({ id: v3.id, validFrom: at(-5), validTo: at(3) }),
      'CONFLICT',
      /CAL\/1 is released from .* which overlaps/,
    );
    // Released versions do not change; old ones stay readable.
    await expectApiError(
      trpc().boms.update.mutate({ id: v1!.id, patch: { baseQuantity: 2 } }),
      'CONFLICT',
      'CAL/1 is released and no longer changes; make a new version',
    );
    expect((await trpc().boms.get.query({ id: v1!.id })).items).toHaveLength(2);
    await trpc().boms.obsolete.mutate({ id: v2.id });
    expect(await requirements((await order(3, at(12))).id)).toEqual([]);
    await trpc().boms.delete.mutate({ id: v3.id });
  });

  it('refuses a BOM that contains its own material, directly or through sub-BOMs', async () => {
    const { boms } = trpc();
    await expectApiError(
      boms.create.mutate({ materialId: m.pad, items: [{ materialId: m.pad, quantity: 1 }] }),
      'BAD_REQUEST',
      'A BOM of PAD cannot contain PAD itself',
    );
    // PAD ← SHIM ← PLATE; a BOM of PLATE containing PAD would close the loop.
    await boms.create.mutate({ materialId: m.pad, items: [{ materialId: m.shim, quantity: 2 }] });
    await boms.create.mutate({ materialId: m.shim, items: [{ materialId: m.plate, quantity: 1 }] });
    await expectApiError(
      boms.create.mutate({ materialId: m.plate, items: [{ materialId: m.pad, quantity: 1 }] }),
      'BAD_REQUEST',
      'PAD contains PLATE through its own BOM: a BOM cannot contain itself',
    );
    const plate = await boms.create.mutate({
      materialId: m.plate,
      items: [{ materialId: m.resin, quantity: 1 }],
    });
    await expectApiError(
      boms.update.mutate({ id: plate.id, patch: { items: [{ materialId: m.shim, quantity: 1 }] } }),
      'BAD_REQUEST',
      /SHIM contains PLATE/,
    );
  });

  it('refuses bad input with a reason and writes nothing', async () => {
    const { boms } = trpc();
    const before = (await boms.list.query()).length;
    await expectApiError(
      boms.create.mutate({ materialId: m.pad, items: [{ materialId: m.resin, quantity: 1, unit: 'box' }] }),
      'BAD_REQUEST',
      'No conversion from box to kg for RESIN',
    );
    await expectApiError(
      boms.create.mutate({ materialId: m.pad, items: [{ materialId: m.resin, quantity: 1, unit: 'lbs' }] }),
      'BAD_REQUEST',
      'Unknown unit lbs',
    );
    await expectApiError(
      boms.create.mutate({
        materialId: m.pad,
        items: [
          { materialId: m.bolt, quantity: 1 },
          { materialId: m.bolt, quantity: 2 },
        ],
      }),
      'BAD_REQUEST',
      'BOLT is listed twice; give it once',
    );
    await expectApiError(
      boms.create.mutate({
        materialId: m.pad,
        items: [{ materialId: m.bolt, quantity: 1, scrapPercent: 120 }],
      }),
      'BAD_REQUEST',
    );
    await expectApiError(boms.create.mutate({ materialId: m.pad, baseQuantity: 0 }), 'BAD_REQUEST');
    expect((await boms.list.query()).length).toBe(before);
    const empty = await boms.create.mutate({ materialId: m.bolt, items: [] });
    await expectApiError(
      boms.release.mutate({ id: empty.id, validFrom: t0 }),
      'BAD_REQUEST',
      'BOLT/1 has no items; add what it is made of',
    );
    await boms.update.mutate({ id: empty.id, patch: { items: [{ materialId: m.resin, quantity: 1 }] } });
    await expectApiError(
      boms.release.mutate({ id: empty.id, validFrom: at(2), validTo: at(1) }),
      'BAD_REQUEST',
      'The end of validity must come after its start',
    );
    await expectApiError(boms.obsolete.mutate({ id: empty.id }), 'CONFLICT', /Only a released BOM/);
  });

  it('shows BOMs to the tenant only, requirements to the order’s plant only, edits to boms.manage', async () => {
    const made = await order(5, at(1));
    const { roleIds } = app.tenants.a;
    const elsewhere = await signIn(
      app.server.url,
      (await addUser(app.admin, { roleIds: [roleIds.supervisor!], plantIds: [s.otherPlant] })).email,
    );
    expect((await elsewhere.trpc.boms.list.query()).length).toBeGreaterThan(0);
    await expectApiError(elsewhere.trpc.orderMaterials.get.query({ orderId: made.id }), 'NOT_FOUND');
    await expectApiError(elsewhere.trpc.boms.create.mutate({ materialId: m.bolt }), 'FORBIDDEN');
    expect(await app.adminB.trpc.boms.list.query()).toEqual([]);
    const { db } = app.database;
    const count = (scope: { tenantId: string; plantIds: 'all' | string[] }) =>
      db.transact({ ...scope, userId: null }, (tx) =>
        rows<{ n: string }>(
          tx,
          sql`select (select count(*) from boms) + (select count(*) from bom_items)
                + (select count(*) from production_order_materials) as n`,
        ),
      );
    expect(Number((await count({ tenantId: app.tenants.b.tenantId, plantIds: 'all' }))[0]?.n)).toBe(0);
    const [plantOnly] = await db.transact(
      { tenantId: app.tenants.a.tenantId, userId: null, plantIds: [s.otherPlant] },
      (tx) => rows<{ n: string }>(tx, sql`select count(*) as n from production_order_materials`),
    );
    expect(Number(plantOnly?.n)).toBe(0);
  });
});

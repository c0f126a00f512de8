import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../testing/api.js';
import { expectApiError } from '../../testing/api-assertions.js';
import { useTestApp } from '../../testing/app.js';
import { auditTrail } from '../../testing/audit-entries.js';
import { testEngines } from '../../testing/engines.js';
import { addCarrier, addCustomer, setGs1Prefix, type TestCustomer } from '../../testing/logistics.js';
import { type Stocked, stockProduct } from '../../testing/stock.js';

/*
 * Shipping books the goods issue (docs/materials.md, "Goods issue on shipping"; docs/logistics.md,
 * "Shipments"): what was packed leaves the shipping plant's stock as one ledger act, shipping docks
 * first and split over locations when one is not enough; short stock, a blocked lot, another plant's
 * or tenant's stock refuse the shipment and write nothing; two shipments racing for the last stock
 * ship one.
 */
const GTIN = {
  tracked: '09528765000017',
  plain: '09528765000024',
  race: '09528765000031',
  away: '09528765000048',
};

describe.each(testEngines)('the goods issue of a shipment ($name engine)', (engine) => {
  const app = useTestApp(engine);
  let admin: ApiClient;
  const a = {} as {
    plant1: string;
    plant2: string;
    tracked: string;
    plain: string;
    race: string;
    away: string;
    customer: TestCustomer;
    carrier: string;
  };

  beforeAll(async () => {
    ({ admin } = app);
    const { db } = app.database;
    [a.plant1, a.plant2] = app.tenants.a.plantIds as [string, string];
    const product = async (code: string, gtin: string) =>
      (await admin.trpc.production.products.create.mutate({ code, name: code, gtin })).id;
    a.tracked = await product('DISC-1', GTIN.tracked);
    a.plain = await product('PAD-1', GTIN.plain);
    a.race = await product('PIN-1', GTIN.race);
    a.away = await product('CAP-1', GTIN.away);
    a.customer = await addCustomer(db, app.tenants.a.tenantId, { code: 'ACME' });
    a.carrier = await addCarrier(db, app.tenants.a.tenantId, { code: 'DHL' });
    await setGs1Prefix(admin, '9528765');
  });

  const stock = (
    productId: string,
    quantity: number,
    more: Partial<Parameters<typeof stockProduct>[1]> = {},
  ) => stockProduct(admin, { plantId: a.plant1, productId, quantity, ...more });

  /** A shipment of `lines`, packed onto one pallet by a scan per line: packed and ready to ship. */
  async function packed(
    lines: { productId: string; gtin: string; quantity: number; lot?: string }[],
    client = admin,
    plantId = a.plant1,
  ) {
    const shipment = await client.trpc.logistics.shipments.create.mutate({
      plantId,
      customerId: a.customer.customerId,
      shipToId: a.customer.shipToId,
      carrierId: a.carrier,
      products: lines.map((l) => ({ productId: l.productId, quantity: l.quantity })),
    });
    const pallet = await client.trpc.logistics.packing.openPackage.mutate({
      shipmentId: shipment.id,
      kind: 'pallet',
    });
    let version = shipment.version;
    for (const line of lines) {
      const lot = line.lot === undefined ? '' : `(10)${line.lot}`;
      const scan = await client.trpc.logistics.packing.scan.mutate({
        shipmentId: shipment.id,
        packageId: pallet.id,
        data: `(01)${line.gtin}${lot}(30)${line.quantity}`,
      });
      expect(scan.result).toBe('ok');
      version = scan.version;
    }
    return { id: shipment.id, number: shipment.number, version };
  }

  const ship = (s: { id: string; version: number }, client = admin) =>
    client.trpc.logistics.shipments.ship.mutate({ id: s.id, expectedVersion: s.version });

  const balance = async (at: Stocked) => {
    const found = await admin.trpc.inventory.balances.query({
      materialId: at.materialId,
      locationId: at.locationId,
      ...(at.lotId === null ? {} : { lotId: at.lotId }),
    });
    return found.reduce((sum, b) => sum + Number(b.quantity), 0);
  };

  const issuesOf = async (number: string) =>
    (await admin.trpc.inventory.movements.query({ kind: 'issue', limit: 500 })).filter(
      (m) => m.note === `Shipped on ${number}`,
    );

  it('issues every packed content as one act, shipping docks first, split over locations', async () => {
    const dock = await stock(a.tracked, 50, { lot: 'L-1' });
    const store = await stock(a.tracked, 30, { lot: 'L-1', location: 'FG', kind: 'warehouse' });
    const pads = await stock(a.plain, 20);
    const shipment = await packed([
      { productId: a.tracked, gtin: GTIN.tracked, quantity: 60, lot: 'L-1' },
      { productId: a.plain, gtin: GTIN.plain, quantity: 5 },
    ]);
    const entries = await auditTrail(app.database.db, app.tenants.a).during(async () =>
      expect(await ship(shipment)).toMatchObject({ status: 'shipped' }),
    );
    expect([await balance(dock), await balance(store), await balance(pads)]).toEqual([0, 20, 15]);
    const issues = await issuesOf(shipment.number);
    expect(
      issues
        .map((m) => [m.locationId, m.lotId, Number(m.quantity)])
        .sort((x, y) => (x[2]! as number) - (y[2] as number)),
    ).toEqual([
      [dock.locationId, dock.lotId, -50],
      [store.locationId, store.lotId, -10],
      [pads.locationId, null, -5],
    ]);
    expect(new Set(issues.map((m) => m.groupId)).size).toBe(1);
    expect(issues[0]!.groupId).not.toBeNull();
    const act = entries.filter((e) => e.action === 'inventory_movement.goods_issue');
    expect(act).toHaveLength(1);
    expect(act[0]).toMatchObject({ entityLabel: shipment.number, plantId: a.plant1 });
  });

  it('refuses to ship short stock, naming the lot and what is missing, and writes nothing', async () => {
    const lot = await stock(a.tracked, 40, { lot: 'L-2' });
    const shipment = await packed([{ productId: a.tracked, gtin: GTIN.tracked, quantity: 50, lot: 'L-2' }]);
    const entries = await auditTrail(app.database.db, app.tenants.a).during(() =>
      expectApiError(
        ship(shipment),
        'BAD_REQUEST',
        `${shipment.number} cannot ship: not enough stock. Lot L-2 of DISC-1: 40 in stock at plant A1, 50 packed`,
      ),
    );
    expect(entries).toEqual([]);
    expect(await balance(lot)).toBe(40);
    expect(await issuesOf(shipment.number)).toEqual([]);
    const page = await admin.trpc.logistics.shipments.get.query({ id: shipment.id });
    expect(page.status).toBe('packed');
    expect(page.packages.map((p) => p.status)).not.toContain('shipped');
    // With the missing ten received, it ships.
    await stock(a.tracked, 10, { lot: 'L-2' });
    await ship(shipment);
    expect(await balance(lot)).toBe(0);
  });

  it('refuses a blocked lot by the ledger’s rule', async () => {
    const lot = await stock(a.tracked, 10, { lot: 'L-3' });
    const shipment = await packed([{ productId: a.tracked, gtin: GTIN.tracked, quantity: 5, lot: 'L-3' }]);
    await admin.trpc.materials.lots.setStatus.mutate({ id: lot.lotId!, status: 'blocked', reason: 'Cracks' });
    await expectApiError(ship(shipment), 'BAD_REQUEST', 'Lot L-3 is blocked');
    expect(await balance(lot)).toBe(10);
    expect((await admin.trpc.logistics.shipments.get.query({ id: shipment.id })).status).toBe('packed');
  });

  it('ships one of two shipments racing for the last stock and refuses the other', async () => {
    const pins = await stock(a.race, 10);
    const first = await packed([{ productId: a.race, gtin: GTIN.race, quantity: 10 }]);
    const second = await packed([{ productId: a.race, gtin: GTIN.race, quantity: 10 }]);
    const outcomes = await Promise.allSettled([ship(first), ship(second)]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refused = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
    expect(String(refused.reason)).toMatch(/PIN-1: 0 in stock at plant A1, 10 packed/);
    expect(await balance(pins)).toBe(0);
  });

  it('ships without a goods issue from a plant that keeps no stock in Plantline', async () => {
    // Plant 2 has no inventory location yet (the next case gives it one).
    const shipment = await packed([{ productId: a.plain, gtin: GTIN.plain, quantity: 3 }], admin, a.plant2);
    expect((await ship(shipment)).status).toBe('shipped');
    expect(await issuesOf(shipment.number)).toEqual([]);
  });

  it('takes stock of the shipment’s own plant and tenant only', async () => {
    const elsewhere = await stockProduct(admin, { plantId: a.plant2, productId: a.away, quantity: 10 });
    const shipment = await packed([{ productId: a.away, gtin: GTIN.away, quantity: 4 }]);
    await expectApiError(ship(shipment), 'BAD_REQUEST', /CAP-1: 0 in stock at plant A1, 4 packed/);
    expect(await balance(elsewhere)).toBe(10);

    // Tenant B's product of the same code and GTIN has no stock; tenant A's is not reachable.
    const { adminB } = app;
    const { db } = app.database;
    const tenantB = app.tenants.b.tenantId;
    const customerB = await addCustomer(db, tenantB, { code: 'ACME' });
    const productB = (
      await adminB.trpc.production.products.create.mutate({ code: 'CAP-1', name: 'Cap', gtin: GTIN.away })
    ).id;
    await setGs1Prefix(adminB, '9528766');
    const plantB = app.tenants.b.plantIds[0]!;
    await stockProduct(adminB, { plantId: plantB, productId: productB, quantity: 0 });
    const created = await adminB.trpc.logistics.shipments.create.mutate({
      plantId: plantB,
      customerId: customerB.customerId,
      shipToId: customerB.shipToId,
      carrierId: await addCarrier(db, tenantB, { code: 'DHL' }),
      products: [{ productId: productB, quantity: 4 }],
    });
    const pallet = await adminB.trpc.logistics.packing.openPackage.mutate({
      shipmentId: created.id,
      kind: 'pallet',
    });
    const scan = await adminB.trpc.logistics.packing.scan.mutate({
      shipmentId: created.id,
      packageId: pallet.id,
      data: `(01)${GTIN.away}(30)4`,
    });
    await expectApiError(
      ship({ id: created.id, version: scan.version }, adminB),
      'BAD_REQUEST',
      /CAP-1: 0 in stock/,
    );
    // Tenant A's plant 1 ships once it holds the stock; plant 2's stays.
    await stock(a.away, 4);
    await ship(shipment);
    expect(await balance(elsewhere)).toBe(10);
  });
});

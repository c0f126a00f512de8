import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from '../../testing/api.js';
import { callerContext } from '../../testing/context.js';
import { type TestDatabase, testEngines, testLog } from '../../testing/engines.js';
import { startTestServer } from '../../testing/server.js';
import { DEMO_DISPATCHES } from './demo-dispatch.js';
import { plantDate } from './demo-logistics.js';
import { seedDemoTenant } from './demo-seed.js';
import { DEMO_GS1_PREFIX, DEMO_STOCK } from './demo-shipments.js';
import { PAST_DELIVERIES } from './demo-shipping-history.js';

/*
 * The demo's shipments (docs/demo.md, "Shipments"): two open ones per plant, numbered by each
 * plant's scheme, one of them being picked with a carton half packed by scan under the demo's GS1
 * company prefix; and eight weeks of past shipments, packed, shipped and delivered on their own days,
 * which give on-time delivery its figures.
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
    const { items } = await admin.trpc.logistics.shipments.list.query({ status: ['draft', 'picking'] });
    expect(items.map((s) => s.number)).toHaveLength(4);
    for (const s of items) expect(s.number).toMatch(/^SHP-(RIV|LAK)-\d{4}-\d{5}$/);
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
    // Shipping moved the pallet's lots out of Riverside's stock into its transit location.
    const moved = (await admin.trpc.inventory.movements.query({ limit: 500 })).filter(
      (m) => m.note === `Shipped on ${items[0]!.number}`,
    );
    expect(moved.map((m) => [m.kind, m.materialCode, Number(m.quantity)]).sort()).toEqual([
      ['transfer_in', 'BRK-100', 12],
      ['transfer_in', 'HSG-310', 6],
      ['transfer_out', 'BRK-100', -12],
      ['transfer_out', 'HSG-310', -6],
    ]);
    expect(new Set(moved.map((m) => m.groupId))).toEqual(new Set([items[0]!.id]));
  });

  it('ships the completed orders’ lots, so a supplier lot traces to customers and a recall', async () => {
    const admin = await signIn(server.url, email, password);
    const year = new Date().getUTCFullYear();
    const [calipers, housings] = [`PO-RIV-${year}-00001`, `PO-RIV-${year}-00005`];
    const trace = await admin.trpc.materials.lots.trace.query({
      start: { supplierLot: 'EN-88412' },
      direction: 'forward',
    });
    const lotCode = new Map(trace.nodes.map((n) => [n.lotId, n.lotCode]));
    expect(trace.nodes.map((n) => [n.lotCode, n.depth])).toEqual([
      ['CI-2401', 0],
      [calipers, 1],
      [housings, 1],
    ]);
    // Shipped this morning, and the carton being picked for the open shipment, all from these lots.
    expect(trace.shipments.map((x) => [x.customerCode, x.status, lotCode.get(x.lotId), x.quantity])).toEqual([
      ['ALPINE', 'shipped', housings, '150'],
      ['ALPINE', 'picking', calipers, '12'],
      ['NORDBRAKE', 'shipped', calipers, '240'],
    ]);
    expect(trace.transfers.map((t) => [t.status, lotCode.get(t.lotId), t.quantity]).sort()).toEqual([
      ['in_transit', calipers, '12'],
      ['in_transit', housings, '6'],
    ]);
    // What left is no longer on hand: 400 made, 240 shipped and 12 in transit; 400 made, 150 and 6.
    const onHand = new Map(trace.nodes.map((n) => [n.lotCode, n.onHand]));
    expect([onHand.get(calipers), onHand.get(housings)]).toEqual(['148', '244']);

    const lot = trace.rootLotIds[0]!;
    const recall = await admin.trpc.reports.preview.query({
      reportKey: 'lot-recall',
      parameters: { lotId: lot },
    });
    const keys = recall.columns.map((c) => c.key);
    const cell = (row: unknown[], key: string) => row[keys.indexOf(key)];
    const shipped = trace.shipments.filter((x) => x.status === 'shipped');
    expect(
      recall.rows
        .filter((r) => cell(r, 'status') === 'shipped')
        .map((r) => ['destination', 'document', 'lot', 'quantity', 'unit', 'depth'].map((k) => cell(r, k))),
    ).toEqual([
      ['Alpine Trucks AG', shipped[0]!.number, housings, 150, 'pcs', 1],
      ['Nordbrake Automotive GmbH', shipped[1]!.number, calipers, 240, 'pcs', 1],
    ]);
  });

  it('issued every shipped shipment’s goods from stock, and holds what the open ones will ship', async () => {
    const admin = await signIn(server.url, email, password);
    const { items } = await admin.trpc.logistics.shipments.list.query({
      status: ['shipped', 'delivered'],
      limit: 200,
    });
    const issues = await admin.trpc.inventory.movements.query({ kind: 'issue', limit: 500 });
    for (const shipment of items) {
      const act = issues.filter((m) => m.note === `Shipped on ${shipment.number}`);
      expect(new Set(act.map((m) => m.groupId)).size).toBe(1);
      expect(-act.reduce((sum, m) => sum + Number(m.quantity), 0)).toBe(shipment.packedQuantity);
    }
    const stock = await admin.trpc.inventory.balances.query({});
    const held = (lot: string, code: string) =>
      stock
        .filter((b) => b.lotCode === lot && b.materialCode === code)
        .map((b) => [b.plantId, Number(b.quantity)]);
    const plants = await admin.trpc.tenancy.plants.list.query();
    const plantId = (code: string) => plants.find((p) => p.code === code)!.id;
    for (const [plant, lots] of Object.entries(DEMO_STOCK))
      for (const lot of lots) expect(held(lot.lot, lot.product)).toEqual([[plantId(plant), lot.quantity]]);
  });

  it('has eight weeks of shipped history on the days it happened, late ones with their reason', async () => {
    const admin = await signIn(server.url, email, password);
    const { items } = await admin.trpc.logistics.shipments.list.query({
      status: ['shipped', 'delivered'],
      limit: 200,
    });
    const planned = Object.values(PAST_DELIVERIES).flat();
    // The past deliveries, and this morning's dispatch of the completed orders' lots.
    expect(items).toHaveLength(planned.length + DEMO_DISPATCHES.length);
    // Planned before the open ones, so numbered before them.
    const open = await admin.trpc.logistics.shipments.list.query({ status: ['draft', 'picking'] });
    const seq = (n: string) => Number(n.slice(-5));
    const riv = (list: { number: string }[]) => list.filter((s) => s.number.startsWith('SHP-RIV'));
    expect(Math.max(...riv(items).map((s) => seq(s.number)))).toBeLessThan(
      Math.min(...riv(open.items).map((s) => seq(s.number))),
    );
    const now = Date.now();
    for (const listed of items) {
      const shipment = await admin.trpc.logistics.shipments.get.query({ id: listed.id });
      const shippedAt = new Date(shipment.shippedAt!).getTime();
      expect(shippedAt).toBeLessThan(now);
      expect(shippedAt).toBeGreaterThan(now - 60 * 86_400_000);
      expect(shipment.items.every((i) => i.packedQuantity === i.quantity)).toBe(true);
      expect(shipment.packages.map((p) => p.status)).toEqual(['shipped']);
      // Packed on the day it left, not on the day the demo was made.
      const scannedAt = new Date(shipment.scans[0]!.at).getTime();
      expect(scannedAt).toBeLessThan(shippedAt);
      expect(shippedAt - scannedAt).toBeLessThan(86_400_000);
      if (shipment.status === 'delivered')
        expect(new Date(shipment.deliveredAt!).getTime()).toBeGreaterThan(shippedAt);
    }
    const reasons = items.map((s) => s.lateReason).filter((r) => r !== '');
    expect(reasons.sort()).toEqual(
      planned.flatMap((p) => (p.lateReason === undefined ? [] : [p.lateReason])).sort(),
    );

    // OTD over the last 28 days at Riverside, as the board's tile asks for it: late ones count against it.
    const plants = await admin.trpc.tenancy.plants.list.query();
    const riverside = plants.find((p) => p.code === 'RIV')!;
    const today = plantDate(new Date(), riverside.timezone, 0);
    const report = await admin.trpc.kpi.otd.query({
      plantId: riverside.id,
      from: plantDate(new Date(), riverside.timezone, -27),
      to: today,
      bucket: 'week',
    });
    const recent = PAST_DELIVERIES.RIV!.filter((p) => p.requestedAgo <= 27);
    const late = recent.filter((p) => p.lateReason !== undefined);
    expect(report.totals.toRequest.due).toBe(recent.length);
    expect(report.totals.toRequest.otd).toBeCloseTo((recent.length - late.length) / recent.length);
    expect(report.lateLines.toRequest.map((l) => l.reason)).toEqual(late.map((p) => p.lateReason));
  });
});

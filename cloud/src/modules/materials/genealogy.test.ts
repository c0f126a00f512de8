import { beforeAll, describe, expect, it } from 'vitest';
import { addUser, signIn } from '../../testing/api.js';
import { expectApiError } from '../../testing/api-assertions.js';
import { useTestApp } from '../../testing/app.js';
import { testEngines } from '../../testing/engines.js';
import { packedPallet } from '../../testing/packed-packages.js';

/*
 * Lot genealogy and trace (docs/materials.md, "Genealogy" and "Trace"): a hand-built genealogy with
 * two production orders, a split, a merge and a rework — diamonds included — traced forward and
 * backward against a hand-written answer; edges made by the ledger whichever movement comes first,
 * reversals taking their share back; a cycle that ends the walk; shipments and transfers found from
 * what was packed; plants and tenants kept apart by row-level security.
 */
describe.each(testEngines)('lot genealogy and trace ($name engine)', (engine) => {
  const app = useTestApp(engine);
  const lot = {} as Record<string, string>;
  const s = {} as {
    plantA: string;
    plantB: string;
    store: string;
    raw: string;
    mix: string;
    fg: string;
    product: string;
  };
  const order = {} as Record<string, string>;
  const inventory = () => app.admin.trpc.inventory;

  const codeOf = (id: string) => Object.entries(lot).find(([, v]) => v === id)?.[0] ?? id;
  const shape = (trace: {
    nodes: { lotId: string; depth: number }[];
    edges: { parentLotId: string; childLotId: string; kind: string; quantity: string }[];
  }) => ({
    nodes: trace.nodes.map((n) => `${codeOf(n.lotId)}@${n.depth}`).sort(),
    edges: trace.edges
      .map((e) => `${codeOf(e.parentLotId)}>${codeOf(e.childLotId)} ${e.kind} ${e.quantity}`)
      .sort(),
  });

  beforeAll(async () => {
    const { materials, production } = app.admin.trpc;
    [s.plantA, s.plantB] = app.tenants.a.plantIds as [string, string];
    await materials.units.create.mutate({ code: 'kg', name: 'Kilogram', dimension: 'mass' });
    const material = (code: string, kind: 'raw' | 'semi_finished') =>
      materials.create.mutate({ code, name: code, kind, baseUnit: 'kg', lotTracked: true }).then((m) => m.id);
    s.raw = await material('RAW', 'raw');
    s.mix = await material('MIX', 'semi_finished');
    const product = await production.products.create.mutate({ code: 'FG', name: 'Finished', unit: 'kg' });
    s.product = product.id;
    const fg = (await materials.list.query({})).find((m) => m.productId === product.id);
    s.fg = fg?.id ?? '';
    await materials.update.mutate({ id: s.fg, patch: { lotTracked: true } });
    s.store = (
      await materials.locations.create.mutate({
        plantId: s.plantA,
        code: 'ST',
        name: 'Store',
        kind: 'warehouse',
      })
    ).id;
    const newLot = async (code: string, materialId: string, supplierLot?: string) => {
      lot[code] = (
        await materials.lots.create.mutate({ plantId: s.plantA, materialId, lotCode: code, supplierLot })
      ).id;
    };
    await newLot('A1', s.raw, 'SUP-77');
    await newLot('A2', s.raw);
    await newLot('B1', s.raw);
    for (const code of ['M1', 'M2']) await newLot(code, s.mix);
    await newLot('F1', s.fg);
    for (const code of ['A1', 'A2', 'B1'])
      await inventory().receive.mutate({
        materialId: s.raw,
        lotId: lot[code],
        locationId: s.store,
        quantity: 100,
      });
    for (const n of ['O1', 'O2'])
      order[n] = (
        await production.orders.create.mutate({
          plantId: s.plantA,
          number: n,
          productId: product.id,
          quantity: 1,
        })
      ).id;
  });

  const consume = (code: string, materialId: string, quantity: number, o: string) =>
    inventory().issue.mutate({
      kind: 'consumption',
      materialId,
      lotId: lot[code],
      locationId: s.store,
      quantity,
      productionOrderId: order[o],
    });
  const produce = (code: string, materialId: string, quantity: number, o: string) =>
    inventory().receive.mutate({
      kind: 'production',
      materialId,
      lotId: lot[code],
      locationId: s.store,
      quantity,
      productionOrderId: order[o],
    });

  it('links what an order consumed to what it produced, whichever comes first, shared by output', async () => {
    await consume('A1', s.raw, 60, 'O1');
    await produce('M1', s.mix, 60, 'O1');
    // Produced before the second consumption: B1's edges appear when B1 is consumed.
    await produce('M2', s.mix, 40, 'O1');
    await consume('B1', s.raw, 40, 'O1');
    const [a2] = await consume('A2', s.raw, 10, 'O1');
    // A mistaken consumption, reversed: its edges go again, the others are untouched.
    await inventory().reverse.mutate({ movementId: a2?.id ?? '', note: 'Wrong lot scanned' });
    const trace = await app.admin.trpc.materials.lots.trace.query({
      start: { lotId: lot.B1! },
      direction: 'forward',
    });
    expect(shape(trace)).toEqual({
      nodes: ['B1@0', 'M1@1', 'M2@1'],
      edges: ['B1>M1 production 24', 'B1>M2 production 16'],
    });
    const fromA1 = await app.admin.trpc.materials.lots.trace.query({
      start: { lotId: lot.A1! },
      direction: 'forward',
    });
    expect(shape(fromA1).edges).toEqual(['A1>M1 production 36', 'A1>M2 production 24']);
    expect(fromA1.orders.map((o) => o.number)).toEqual(['O1']);
  });

  it('keeps the edges of a split, a merge and a rework, and traces the whole graph both ways', async () => {
    const split = await inventory().split.mutate({
      lotId: lot.M2!,
      locationId: s.store,
      parts: [
        { lotCode: 'M2a', quantity: 15 },
        { lotCode: 'M2b', quantity: 25 },
      ],
    });
    for (const l of split.lots) lot[l.lotCode] = l.id;
    const merged = await inventory().merge.mutate({
      parts: [
        { lotId: lot.M1!, quantity: 50 },
        { lotId: lot.M2a!, quantity: 15 },
      ],
      lotCode: 'M3',
      locationId: s.store,
    });
    lot.M3 = merged.lots[0]?.id ?? '';
    const reworked = await inventory().rework.mutate({
      lotId: lot.M2b!,
      locationId: s.store,
      quantity: 25,
      lotCode: 'R1',
      note: 'Regranulated',
    });
    lot.R1 = reworked.lots[0]?.id ?? '';
    expect(reworked.lots[0]?.status).toBe('released');
    await consume('M3', s.mix, 65, 'O2');
    await consume('A2', s.raw, 10, 'O2');
    await produce('F1', s.fg, 65, 'O2');

    const forward = await app.admin.trpc.materials.lots.trace.query({
      start: { lotId: lot.A1! },
      direction: 'forward',
    });
    expect(shape(forward)).toEqual({
      nodes: ['A1@0', 'F1@3', 'M1@1', 'M2@1', 'M2a@2', 'M2b@2', 'M3@2', 'R1@3'],
      edges: [
        'A1>M1 production 36',
        'A1>M2 production 24',
        'M1>M3 merge 50',
        'M2>M2a split 15',
        'M2>M2b split 25',
        'M2a>M3 merge 15',
        'M2b>R1 rework 25',
        'M3>F1 production 65',
      ],
    });
    expect(forward.orders.map((o) => o.number)).toEqual(['O1', 'O2']);
    const byCode = new Map(forward.nodes.map((n) => [n.lotCode, n]));
    expect(byCode.get('M3')?.onHand).toBe('0');
    expect(byCode.get('F1')?.onHand).toBe('65');
    expect(byCode.get('M1')?.onHand).toBe('10');

    const backward = await app.admin.trpc.materials.lots.trace.query({
      start: { lotId: lot.F1! },
      direction: 'backward',
    });
    expect(shape(backward)).toEqual({
      nodes: ['A1@3', 'A2@1', 'B1@3', 'F1@0', 'M1@2', 'M2@3', 'M2a@2', 'M3@1'],
      edges: [
        'A1>M1 production 36',
        'A1>M2 production 24',
        'A2>F1 production 10',
        'B1>M1 production 24',
        'B1>M2 production 16',
        'M1>M3 merge 50',
        'M2>M2a split 15',
        'M2a>M3 merge 15',
        'M3>F1 production 65',
      ],
    });
    expect(backward.shipments).toEqual([]);
  });

  it('starts from a supplier lot or a serial, and follows what was packed to customers and plants', async () => {
    const { tenantId } = app.tenants.a;
    const shipped = await packedPallet(app.database.db, {
      tenantId,
      plantId: s.plantA,
      contents: [{ lot: 'F1', quantity: 40, productCode: 'FG' }],
    });
    await packedPallet(app.database.db, {
      tenantId,
      plantId: s.plantA,
      transferTo: s.plantB,
      contents: [{ lot: 'F1', quantity: 10, productCode: 'FG' }],
    });
    const trace = await app.admin.trpc.materials.lots.trace.query({
      start: { supplierLot: 'SUP-77' },
      direction: 'forward',
    });
    expect(trace.rootLotIds).toEqual([lot.A1]);
    expect(trace.shipments.map((x) => [x.shipmentId, codeOf(x.lotId), x.quantity])).toEqual([
      [shipped.shipmentId, 'F1', '40'],
    ]);
    expect(trace.transfers.map((t) => [t.toPlantId, codeOf(t.lotId), t.quantity])).toEqual([
      [s.plantB, 'F1', '10'],
    ]);
    expect(trace.plants.map((p) => p.id).sort()).toEqual([s.plantA, s.plantB].sort());

    // The recall report lists the same, ready for CSV, XLSX and PDF.
    const recall = await app.admin.trpc.reports.preview.query({
      reportKey: 'lot-recall',
      parameters: { lotId: lot.A1 },
    });
    const keys = recall.columns.map((c) => c.key);
    const cells = recall.rows.map((r) =>
      ['destinationKind', 'lot', 'quantity', 'unit', 'depth'].map((k) => r[keys.indexOf(k)]),
    );
    expect(cells).toEqual([
      ['customer', 'F1', 40, 'kg', 3],
      ['plant', 'F1', 10, 'kg', 3],
    ]);
    await expectApiError(
      app.admin.trpc.reports.preview.query({ reportKey: 'lot-recall', parameters: {} }),
      'BAD_REQUEST',
    );

    await app.admin.trpc.materials.update.mutate({ id: s.fg, patch: { serialTracked: true } });
    const serial = await app.admin.trpc.materials.serials.create.mutate({
      plantId: s.plantA,
      materialId: s.fg,
      serial: 'SN-1',
      lotId: lot.F1,
    });
    const back = await app.admin.trpc.materials.lots.trace.query({
      start: { serialId: serial.id },
      direction: 'backward',
    });
    expect(back.rootLotIds).toEqual([lot.F1]);
    expect(back.nodes).toHaveLength(8);
  });

  it('refuses unknown starts and bad acts, and a cycle only ends the walk', async () => {
    const { trace } = app.admin.trpc.materials.lots;
    const unknown = '00000000-0000-4000-8000-000000000000';
    await expectApiError(
      trace.query({ start: { lotId: unknown }, direction: 'forward' }),
      'NOT_FOUND',
      'Lot not found',
    );
    await expectApiError(trace.query({ start: { serialId: unknown }, direction: 'forward' }), 'NOT_FOUND');
    await expectApiError(
      trace.query({ start: { supplierLot: 'NOPE' }, direction: 'forward' }),
      'NOT_FOUND',
      /NOPE/,
    );
    await expectApiError(
      inventory().split.mutate({
        lotId: lot.M1!,
        locationId: s.store,
        parts: [
          { lotCode: 'X', quantity: 1 },
          { lotCode: 'X', quantity: 1 },
        ],
      }),
      'BAD_REQUEST',
      /named twice/,
    );
    await expectApiError(
      inventory().split.mutate({
        lotId: lot.M1!,
        locationId: s.store,
        parts: [
          { lotCode: 'X1', quantity: 8 },
          { lotCode: 'X2', quantity: 8 },
        ],
      }),
      'BAD_REQUEST',
      /Not enough MIX lot M1/,
    );
    await expectApiError(
      inventory().merge.mutate({
        parts: [
          { lotId: lot.M1!, quantity: 1 },
          { lotId: lot.A2!, quantity: 1 },
        ],
        lotCode: 'X3',
        locationId: s.store,
      }),
      'BAD_REQUEST',
      /another material/,
    );
    // Nothing of the refused acts stayed: no lot X1 or X3.
    const lots = await app.admin.trpc.materials.lots.list.query({ limit: 100 });
    expect(lots.filter((l) => ['X1', 'X2', 'X3'].includes(l.lotCode))).toEqual([]);

    // An order that consumes F1 and produces into A1 closes a cycle A1 → … → F1 → A1.
    order.O3 = (
      await app.admin.trpc.production.orders.create.mutate({
        plantId: s.plantA,
        number: 'O3',
        productId: s.product,
        quantity: 1,
      })
    ).id;
    await consume('F1', s.fg, 5, 'O3');
    await produce('A1', s.raw, 5, 'O3');
    const cyclic = await trace.query({ start: { lotId: lot.A1! }, direction: 'forward' });
    expect(shape(cyclic).nodes).toEqual(['A1@0', 'F1@3', 'M1@1', 'M2@1', 'M2a@2', 'M2b@2', 'M3@2', 'R1@3']);
    expect(shape(cyclic).edges).toContain('F1>A1 production 5');
  });

  it('takes a split back with its reversal', async () => {
    const split = await inventory().split.mutate({
      lotId: lot.M1!,
      locationId: s.store,
      parts: [
        { lotCode: 'M1x', quantity: 4 },
        { lotCode: 'M1y', quantity: 6 },
      ],
    });
    const before = await app.admin.trpc.materials.lots.trace.query({
      start: { lotId: lot.M1! },
      direction: 'forward',
    });
    for (const l of split.lots) lot[l.lotCode] = l.id;
    expect(shape(before).edges.filter((e) => e.startsWith('M1>') && e.includes('split'))).toEqual([
      'M1>M1x split 4',
      'M1>M1y split 6',
    ]);
    await inventory().reverse.mutate({ movementId: split.movements[0]?.id ?? '', note: 'Split by mistake' });
    const after = await app.admin.trpc.materials.lots.trace.query({
      start: { lotId: lot.M1! },
      direction: 'forward',
    });
    expect(shape(after).edges.filter((e) => e.startsWith('M1>') && e.includes('split'))).toEqual([]);
    expect(shape(after).nodes.filter((n) => n.startsWith('M1x') || n.startsWith('M1y'))).toEqual([]);
    const left = await inventory().balances.query({ lotId: lot.M1 });
    expect(left.map((b) => b.quantity)).toEqual(['10']);
  });

  it('shows genealogy across plants, shipments only of plants in reach, and another tenant nothing', async () => {
    const { roleIds } = app.tenants.a;
    const planterB = await signIn(
      app.server.url,
      (await addUser(app.admin, { roleIds: [roleIds.planner!], plantIds: [s.plantB] })).email,
    );
    const seen = await planterB.trpc.materials.lots.trace.query({
      start: { lotId: lot.A1! },
      direction: 'forward',
    });
    expect(shape(seen).nodes).toContain('F1@3');
    // Plant A's stock and shipment are out of reach; the transfer into plant B is not.
    expect(seen.nodes.every((n) => n.onHand === '0')).toBe(true);
    expect(seen.shipments).toEqual([]);
    expect(seen.transfers.map((t) => t.toPlantId)).toEqual([s.plantB]);
    await expectApiError(
      app.adminB.trpc.materials.lots.trace.query({ start: { lotId: lot.A1! }, direction: 'forward' }),
      'NOT_FOUND',
    );
    await expectApiError(
      app.adminB.trpc.materials.lots.trace.query({ start: { supplierLot: 'SUP-77' }, direction: 'forward' }),
      'NOT_FOUND',
    );
  });

  it('warns about every lot made from a blocked lot that is still in stock, and marks them', async () => {
    const blocked = await app.admin.trpc.materials.lots.setStatus.mutate({
      id: lot.A1!,
      status: 'blocked',
      reason: 'Supplier recall',
    });
    expect(blocked.downstreamInStock.map((d) => d.lotCode).sort()).toEqual(['F1', 'M1', 'R1']);
    const { items } = await app.admin.trpc.notifications.list.query({ unreadOnly: true });
    const warning = items.find((n) => n.title.startsWith('Lot A1 blocked'));
    expect(warning?.title).toBe('Lot A1 blocked: 3 lots made from it in stock');
    expect(warning?.body).toContain('FG F1: 60 kg');
    // M2b is below A1 although its trace starts under it: the block is found upstream.
    const trace = await app.admin.trpc.materials.lots.trace.query({
      start: { lotId: lot.M2b! },
      direction: 'forward',
    });
    expect(trace.nodes.map((n) => [n.lotCode, n.heldBy])).toEqual([
      ['M2b', 'A1'],
      ['R1', 'A1'],
    ]);
    const unrelated = await app.admin.trpc.materials.lots.trace.query({
      start: { lotId: lot.B1! },
      direction: 'forward',
    });
    expect(unrelated.nodes.find((n) => n.lotCode === 'B1')?.heldBy).toBeNull();
  });
});

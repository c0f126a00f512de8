import { allPermissions } from '@plantline/schema';
import { hasValidCheckDigit } from '@plantline/schema/gs1';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { EventBus, type Principal } from '../../platform/index.js';
import { type ApiClient, addUser, signIn, wsClient } from '../../testing/api.js';
import { expectApiError } from '../../testing/api-assertions.js';
import { useTestApp } from '../../testing/app.js';
import { testEngines } from '../../testing/engines.js';
import { nextEventId } from '../../testing/events.js';
import { addCustomer, setGs1Prefix, type TestCustomer } from '../../testing/logistics.js';
import { recordPackingRuns, recordPackingScan } from './packing.js';
import { issueSscc } from './sscc.js';

/*
 * Packing by scanning through the API (docs/logistics.md, "Packing by scanning"): SSCCs issued once
 * each however many packers ask at the same moment, every typed answer recorded, stations scanning
 * one item at once never over-packing it, cartons nested on pallets, the live progress, and the scan
 * path the edge's scanner events will take.
 */
const ROTOR = '09521234543213';
const CALIPER = '09506000134352';

describe.each(testEngines)('packing by scanning ($name engine)', (engine) => {
  const app = useTestApp(engine);
  let admin: ApiClient;
  const a = {} as { plant1: string; plant2: string; rotor: string; caliper: string; customer: TestCustomer };

  beforeAll(async () => {
    ({ admin } = app);
    [a.plant1, a.plant2] = app.tenants.a.plantIds as [string, string];
    a.rotor = (
      await admin.trpc.production.products.create.mutate({ code: 'BRK-100', name: 'Rotor', gtin: ROTOR })
    ).id;
    a.caliper = (
      await admin.trpc.production.products.create.mutate({ code: 'BRK-200', name: 'Caliper', gtin: CALIPER })
    ).id;
    a.customer = await addCustomer(app.database.db, app.tenants.a.tenantId, { code: 'ACME' });
  });

  const shipment = (products: { productId: string; quantity: number; lot?: string }[], plantId = a.plant1) =>
    admin.trpc.logistics.shipments.create.mutate({
      plantId,
      customerId: a.customer.customerId,
      shipToId: a.customer.shipToId,
      plannedShipDate: '2026-03-04',
      products,
    });
  const carton = (shipmentId: string, client: ApiClient = admin) =>
    client.trpc.logistics.packing.openPackage.mutate({ shipmentId, kind: 'carton' });

  it('issues no SSCC until the company prefix is set, then one per package, each once', async () => {
    const { id } = await shipment([{ productId: a.rotor, quantity: 1 }]);
    await expectApiError(
      carton(id),
      'CONFLICT',
      'SSCCs cannot be issued until the tenant’s GS1 company prefix is set (Settings → Logistics)',
    );
    await setGs1Prefix(admin, '9528765', 3);
    const first = await carton(id);
    expect(first).toMatchObject({ kind: 'carton', status: 'open', sscc: '395287650000000018' });
    expect(hasValidCheckDigit(first.sscc!)).toBe(true);
    // Packers at many stations at once: every SSCC is its own.
    const opened = await Promise.all(Array.from({ length: 24 }, () => carton(id)));
    const ssccs = new Set([first.sscc, ...opened.map((p) => p.sscc)]);
    expect(ssccs.size).toBe(25);
    expect([...ssccs].every((sscc) => sscc !== null && hasValidCheckDigit(sscc))).toBe(true);
    expect(Math.max(...[...ssccs].map((sscc) => Number(sscc!.slice(8, 17))))).toBe(25);
  });

  it('issues distinct SSCCs from transactions running at the same moment', async () => {
    // Each issue in a transaction of its own, as packers of different shipments take them: only the
    // upsert of the sequence row keeps them apart.
    const tenantId = app.tenants.a.tenantId;
    const issued = await Promise.all(
      Array.from({ length: 40 }, () =>
        app.database.db.transact({ tenantId, plantIds: 'all' }, (tx) => issueSscc(tx, tenantId)),
      ),
    );
    expect(new Set(issued).size).toBe(40);
    expect(issued.every((sscc) => sscc.startsWith('39528765') && hasValidCheckDigit(sscc))).toBe(true);
  });

  it('answers each scan with its typed result, records every one, and moves the shipment along', async () => {
    const planned = await shipment([
      { productId: a.rotor, quantity: 3 },
      { productId: a.caliper, quantity: 1, lot: 'L-17' },
    ]);
    const box = await carton(planned.id);
    const scan = (data: string) =>
      admin.trpc.logistics.packing.scan.mutate({ shipmentId: planned.id, packageId: box.id, data });
    const answers = [
      await scan('(01)09521234543214'),
      await scan('not a barcode'),
      await scan('(01)09506000134376'),
      await scan(`(01)${CALIPER}(10)L-18`),
      await scan(`(01)${CALIPER}(10)L-17(17)260301`),
      await scan(`(01)${ROTOR}(21)SN-1`),
      await scan(`(01)${ROTOR}(21)SN-1`),
      await scan(`(01)${ROTOR}(30)5`),
    ];
    expect(answers.map((answer) => answer.result)).toEqual([
      'bad_check_digit',
      'unreadable',
      'wrong_item',
      'wrong_lot',
      'expired',
      'ok',
      'duplicate',
      'over_quantity',
    ]);
    expect(answers[3]!.message).toBe('Lot L-17 expected, L-18 scanned');
    expect(answers[5]).toMatchObject({
      status: 'picking',
      item: { productCode: 'BRK-100', quantity: 3, packedQuantity: 1 },
    });
    // Keyboard-wedge data: `#` stands for FNC1.
    expect((await scan(`01${ROTOR}30${'2'}`)).result).toBe('ok');
    const done = await scan(`01${CALIPER}10L-17#17261231`);
    expect(done).toMatchObject({
      result: 'ok',
      status: 'packed',
      message: '1 × BRK-200 packed: BRK-200 is complete',
    });

    const page = await admin.trpc.logistics.shipments.get.query({ id: planned.id });
    expect(page.status).toBe('packed');
    expect(page.items.map((i) => [i.productCode, i.packedQuantity])).toEqual([
      ['BRK-100', 3],
      ['BRK-200', 1],
    ]);
    expect(page.scans).toHaveLength(10);
    expect(page.scans.every((s) => s.source === 'browser' && s.scannedByName === 'Admin A')).toBe(true);
    expect(page.scans.at(-1)).toMatchObject({ data: '(01)09521234543214', result: 'bad_check_digit' });
    expect(
      page.packages[0]!.contents.map((c) => [c.productCode, c.lot, c.serial, c.expiry, c.quantity]),
    ).toEqual([
      ['BRK-100', null, 'SN-1', null, 1],
      ['BRK-100', null, null, null, 2],
      ['BRK-200', 'L-17', null, '2026-12-31', 1],
    ]);
  });

  it('stores a (15) best-before apart from a (17) expiry, refusing only a past expiry', async () => {
    const planned = await shipment([{ productId: a.rotor, quantity: 4 }]);
    const box = await carton(planned.id);
    const scan = (data: string) =>
      admin.trpc.logistics.packing.scan.mutate({ shipmentId: planned.id, packageId: box.id, data });
    // The shipment leaves on 2026-03-04.
    expect(await scan(`(01)${ROTOR}(17)260303`)).toMatchObject({ result: 'expired', warning: null });
    expect(await scan(`(01)${ROTOR}(15)260301`)).toMatchObject({
      result: 'ok',
      message:
        '1 × BRK-100 packed: 3 to go. Best before 2026-03-01, before the shipment leaves on 2026-03-04',
      warning: 'Best before 2026-03-01, before the shipment leaves on 2026-03-04',
    });
    expect(await scan(`(01)${ROTOR}(17)261130`)).toMatchObject({ result: 'ok', warning: null });
    expect(await scan(`(01)${ROTOR}(15)261031(17)261130`)).toMatchObject({ result: 'ok', warning: null });
    const page = await admin.trpc.logistics.shipments.get.query({ id: planned.id });
    expect(page.packages[0]!.contents.map((c) => [c.bestBefore, c.expiry])).toEqual([
      ['2026-03-01', null],
      [null, '2026-11-30'],
      ['2026-10-31', '2026-11-30'],
    ]);
    expect(page.scans.find((s) => s.result === 'ok' && s.message.includes('Best before'))).toBeDefined();
  });

  it('never over-packs an item when stations scan it at the same moment', async () => {
    const planned = await shipment([{ productId: a.rotor, quantity: 5 }]);
    const [one, two] = [await carton(planned.id), await carton(planned.id)];
    const station = (packageId: string) =>
      admin.trpc.logistics.packing.scan.mutate({ shipmentId: planned.id, packageId, data: `(01)${ROTOR}` });
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) => station(i % 2 === 0 ? one.id : two.id)),
    );
    expect(answers.filter((answer) => answer.result === 'ok')).toHaveLength(5);
    expect(answers.filter((answer) => answer.result === 'over_quantity')).toHaveLength(7);
    const page = await admin.trpc.logistics.shipments.get.query({ id: planned.id });
    expect(page).toMatchObject({ status: 'packed', packedQuantity: 5 });
    expect(page.packages.flatMap((p) => p.contents).reduce((sum, c) => sum + c.quantity, 0)).toBe(5);
    expect(page.scans).toHaveLength(12);
  });

  it('nests closed cartons on a pallet by their SSCC, and refuses what does not belong', async () => {
    const planned = await shipment([{ productId: a.rotor, quantity: 4 }]);
    const other = await shipment([{ productId: a.rotor, quantity: 1 }]);
    const box = await carton(planned.id);
    const scanInto = (packageId: string, data: string, shipmentId = planned.id) =>
      admin.trpc.logistics.packing.scan.mutate({ shipmentId, packageId, data });
    await expectApiError(
      admin.trpc.logistics.packing.closePackage.mutate({ packageId: box.id }),
      'CONFLICT',
      `Carton ${box.sscc} is empty: pack something first`,
    );
    expect((await scanInto(box.id, `(01)${ROTOR}(30)4`)).result).toBe('ok');
    const pallet = await admin.trpc.logistics.packing.openPackage.mutate({
      shipmentId: planned.id,
      kind: 'pallet',
    });
    expect((await scanInto(pallet.id, `(00)${box.sscc}`)).message).toBe(
      `Close carton ${box.sscc} before putting it on the pallet`,
    );
    expect(await admin.trpc.logistics.packing.closePackage.mutate({ packageId: box.id })).toMatchObject({
      status: 'closed',
    });
    await expectApiError(
      scanInto(box.id, `(01)${ROTOR}`),
      'CONFLICT',
      /is closed: open a new one to pack into/,
    );
    expect(await scanInto(pallet.id, `(00)${box.sscc}`)).toMatchObject({ result: 'ok', status: 'packed' });
    expect((await scanInto(pallet.id, `(00)${box.sscc}`)).result).toBe('duplicate');
    const foreign = await carton(other.id);
    expect((await scanInto(pallet.id, `(00)${foreign.sscc}`)).result).toBe('not_in_shipment');
    const page = await admin.trpc.logistics.shipments.get.query({ id: planned.id });
    expect(page.packages.find((p) => p.id === box.id)?.parentId).toBe(pallet.id);
    // A package, and a station, of another shipment or plant are refused before anything is recorded.
    await expectApiError(scanInto(foreign.id, `(01)${ROTOR}`), 'BAD_REQUEST', /is not one of/);
    const elsewhere = await app.line(a.plant2, 'L9');
    const station = await admin.trpc.masterdata.stations.create.mutate({
      plantId: a.plant2,
      lineId: elsewhere,
      code: 'S9',
      name: 'Elsewhere',
    });
    const refused = await expectApiError(
      admin.trpc.logistics.packing.scan.mutate({
        shipmentId: other.id,
        packageId: foreign.id,
        data: `(01)${ROTOR}`,
        stationId: station.id,
      }),
      'BAD_REQUEST',
    );
    expect(refused.data?.fieldErrors).toEqual({ stationId: 'Not in this plant' });
    await expectApiError(
      scanInto(foreign.id, '9'.repeat(4097), other.id),
      'BAD_REQUEST',
      /Scan data is at most 4096 characters/,
    );
  });

  it('pushes the packing progress live to whoever may read the shipment', async () => {
    const planned = await shipment([{ productId: a.rotor, quantity: 2 }]);
    const box = await carton(planned.id);
    const client = wsClient(app.server.url, { token: app.admin.token });
    const messages: {
      status: string;
      items: { quantity: number; packedQuantity: number }[];
      lastScan: { result: string } | null;
    }[] = [];
    const subscription = client.trpc.logistics.shipments.live.subscribe(
      { shipmentId: planned.id },
      { onData: (message) => messages.push(message) },
    );
    try {
      await vi.waitFor(() => expect(messages).toHaveLength(1), { timeout: 10_000 });
      expect(messages[0]).toMatchObject({
        status: 'draft',
        items: [{ packedQuantity: 0, quantity: 2 }],
        lastScan: null,
      });
      await admin.trpc.logistics.packing.scan.mutate({
        shipmentId: planned.id,
        packageId: box.id,
        data: `(01)${ROTOR}`,
      });
      await vi.waitFor(() => expect(messages.at(-1)?.items[0]?.packedQuantity).toBe(1), { timeout: 10_000 });
      expect(messages.at(-1)).toMatchObject({ status: 'picking', lastScan: { result: 'ok' } });
    } finally {
      subscription.unsubscribe();
      client.close();
    }
    const viewer = await signIn(
      app.server.url,
      (await addUser(admin, { roleIds: [app.tenants.a.roleIds.planner!], plantIds: [a.plant2] })).email,
    );
    const outside = wsClient(app.server.url, { token: viewer.token });
    const errors: unknown[] = [];
    const refused = outside.trpc.logistics.shipments.live.subscribe(
      { shipmentId: planned.id },
      { onData: () => undefined, onError: (error) => errors.push(error) },
    );
    try {
      await vi.waitFor(() => expect(errors).toHaveLength(1), { timeout: 10_000 });
      expect(String(errors[0])).toMatch(/Shipment not found/);
    } finally {
      refused.unsubscribe();
      outside.close();
    }
  });

  it('is for holders of logistics.pack only', async () => {
    const planned = await shipment([{ productId: a.rotor, quantity: 1 }]);
    const box = await carton(planned.id);
    const planner = await signIn(
      app.server.url,
      (await addUser(admin, { roleIds: [app.tenants.a.roleIds.planner!], plantIds: [a.plant1] })).email,
    );
    await expectApiError(
      planner.trpc.logistics.packing.scan.mutate({
        shipmentId: planned.id,
        packageId: box.id,
        data: `(01)${ROTOR}`,
      }),
      'FORBIDDEN',
      'This needs the permission logistics.pack',
    );
    const operator = await signIn(
      app.server.url,
      (await addUser(admin, { roleIds: [app.tenants.a.roleIds.operator!], plantIds: [a.plant1] })).email,
    );
    const answer = await operator.trpc.logistics.packing.scan.mutate({
      shipmentId: planned.id,
      packageId: box.id,
      data: `(01)${ROTOR}`,
    });
    expect(answer.result).toBe('ok');
  });

  const edgeCall = <T>(work: (call: Parameters<typeof recordPackingRuns>[0]) => Promise<T>) => {
    const tenantId = app.tenants.a.tenantId;
    const principal: Principal = {
      kind: 'api-key',
      tenantId,
      userId: null,
      apiKeyId: null,
      sessionId: null,
      permissions: new Set(allPermissions),
      plantIds: [a.plant1],
    };
    const bus = new EventBus(() => undefined);
    return app.database.db.transact({ tenantId, plantIds: [a.plant1] }, (tx) =>
      work({ tx, principal, afterCommit: (effect) => effect(), deps: { bus } }),
    );
  };

  it('takes a plant scanner’s event once: the edge’s path records its event id', async () => {
    const planned = await shipment([{ productId: a.rotor, quantity: 3 }]);
    const box = await carton(planned.id);
    const scanEventId = nextEventId();
    const scanAtEdge = () =>
      edgeCall((call) =>
        recordPackingScan(call, {
          shipmentId: planned.id,
          packageId: box.id,
          data: `]C101${ROTOR}`,
          source: 'edge',
          scanEventId,
        }),
      );
    expect(await scanAtEdge()).toMatchObject({ result: 'ok', item: { packedQuantity: 1 } });
    expect(await scanAtEdge()).toMatchObject({
      result: 'duplicate',
      message: 'This scan was already packed',
    });
    const page = await admin.trpc.logistics.shipments.get.query({ id: planned.id });
    expect(page.scans.map((s) => [s.source, s.result, s.scannedByName])).toEqual([
      ['edge', 'duplicate', null],
      ['edge', 'ok', null],
    ]);
  });

  it('answers duplicate for a serial packed in a plant the packer cannot see, and records it so', async () => {
    // Plant 2 packs serial SN-X first; plant 1's scanner cannot read plant 2's packings, so only the
    // unique index across the tenant stops the second packing.
    const elsewhere = await shipment([{ productId: a.rotor, quantity: 1 }], a.plant2);
    await admin.trpc.logistics.packing.scan.mutate({
      shipmentId: elsewhere.id,
      packageId: (await carton(elsewhere.id)).id,
      data: `(01)${ROTOR}(21)SN-X`,
    });
    const planned = await shipment([{ productId: a.rotor, quantity: 3 }]);
    const box = await carton(planned.id);
    const [run] = await edgeCall((call) =>
      recordPackingRuns(call, [
        {
          station: { shipmentId: planned.id, packageId: box.id, source: 'edge' },
          scans: [
            { data: `(01)${ROTOR}(21)SN-X`, scanEventId: nextEventId() },
            { data: `(01)${ROTOR}(21)SN-Y`, scanEventId: nextEventId() },
          ],
        },
      ]),
    );
    expect(
      'outcomes' in run! && run.outcomes.map((o) => [o.result, o.message, o.item?.packedQuantity]),
    ).toEqual([
      ['duplicate', 'Serial SN-X of BRK-100 is already packed', undefined],
      // Answered before the index turned the first away, so its sentence counts that one (packing.ts).
      ['ok', '1 × BRK-100 packed: 1 to go', 1],
    ]);
    const page = await admin.trpc.logistics.shipments.get.query({ id: planned.id });
    expect(page.packedQuantity).toBe(1);
    expect(page.scans.map((s) => [s.result, s.message])).toEqual([
      ['ok', '1 × BRK-100 packed: 1 to go'],
      ['duplicate', 'Serial SN-X of BRK-100 is already packed'],
    ]);
  });

  it('packs a run longer than one statement takes, in the order scanned, and refuses a closed package’s run alone', async () => {
    const planned = await shipment([{ productId: a.rotor, quantity: 1500 }]);
    const closed = await carton(planned.id);
    await admin.trpc.logistics.packing.scan.mutate({
      shipmentId: planned.id,
      packageId: closed.id,
      data: `(01)${ROTOR}`,
    });
    await admin.trpc.logistics.packing.closePackage.mutate({ packageId: closed.id });
    const box = await carton(planned.id);
    const scans = Array.from({ length: 1500 }, () => ({ data: `]C101${ROTOR}`, scanEventId: nextEventId() }));
    const [open, refused] = await edgeCall((call) =>
      recordPackingRuns(call, [
        { station: { shipmentId: planned.id, packageId: box.id, source: 'edge' }, scans },
        {
          station: { shipmentId: planned.id, packageId: closed.id, source: 'edge' },
          scans: scans.slice(0, 1),
        },
      ]),
    );
    if (!('outcomes' in open!)) throw new Error('the open carton’s run was refused');
    expect(open.outcomes.at(0)).toMatchObject({ result: 'ok', item: { packedQuantity: 2 } });
    expect(open.outcomes.at(-2)).toMatchObject({
      result: 'ok',
      item: { packedQuantity: 1500 },
      status: 'packed',
    });
    expect(open.outcomes.at(-1)).toMatchObject({ result: 'over_quantity', item: null, status: 'packed' });
    expect(refused).toMatchObject({ refused: { message: expect.stringMatching(/is closed/) } });
    const page = await admin.trpc.logistics.shipments.get.query({ id: planned.id });
    expect(page).toMatchObject({ status: 'packed', packedQuantity: 1500 });
  });
});

import { gs1CheckDigit } from '@plantline/schema/gs1';
import { beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, addUser, signIn } from '../../testing/api.js';
import { expectApiError } from '../../testing/api-assertions.js';
import { useTestApp } from '../../testing/app.js';
import { testEngines } from '../../testing/engines.js';
import { envelope } from '../../testing/events.js';

/*
 * Scan-driven stock through the API (docs/materials.md, "Receiving by scanning", "Moving by
 * scanning", "Consuming at a machine"): a supplier's GS1 label received into a lot, refused when it
 * cannot be trusted; lots moved by scanning; and an edge's `action: consume` scans answered at the
 * station, refused ones recorded, none consumed twice.
 */
const DAY = 86_400_000;
const gtin = (body: string) => `${body}${gs1CheckDigit(body)}`;
const RESIN = gtin('0952123400001');
const BOLT = gtin('0952123400002');
const UNKNOWN = gtin('0952123499999');
/** YYMMDD of the day `days` from now. */
const yymmdd = (days: number) =>
  new Date(Date.now() + days * DAY).toISOString().slice(2, 10).replaceAll('-', '');
const isoDay = (days: number) => new Date(Date.now() + days * DAY).toISOString().slice(0, 10);

describe.each(testEngines)('scan-driven stock ($name engine)', (engine) => {
  const app = useTestApp(engine);
  const s = {} as {
    plantA: string;
    plantB: string;
    resin: string;
    bolt: string;
    gear: string;
    gearProduct: string;
    receiving: string;
    store: string;
    lineSide: string;
    storeB: string;
    line: string;
    order: string;
  };
  let edge: ApiClient;
  const trpc = () => app.admin.trpc;
  const receive = (data: string, more = {}) =>
    trpc().inventory.receiveScan.mutate({ locationId: s.receiving, data, ...more });
  const balanceOf = async (locationId: string, lotId: string | null) =>
    (await trpc().inventory.balances.query({ locationId })).find((b) => b.lotId === lotId)?.quantity ?? '0';

  beforeAll(async () => {
    const { materials } = trpc();
    [s.plantA, s.plantB] = app.tenants.a.plantIds as [string, string];
    await materials.units.create.mutate({ code: 'kg', name: 'Kilogram', dimension: 'mass' });
    await materials.units.create.mutate({ code: 'pcs', name: 'Pieces', dimension: 'count' });
    const material = (code: string, baseUnit: string, gtinCode: string) =>
      materials.create
        .mutate({ code, name: code, kind: 'raw', baseUnit, lotTracked: true, gtin: gtinCode })
        .then((m) => m.id);
    s.resin = await material('RES-1', 'kg', RESIN);
    s.bolt = await material('BOLT', 'pcs', BOLT);
    s.gearProduct = (
      await trpc().production.products.create.mutate({ code: 'GEAR', name: 'Gear', unit: 'pcs' })
    ).id;
    s.line = await app.line(s.plantA, 'L1');
    await app.machine(s.line, 'M1');
    const location = (
      plantId: string,
      code: string,
      kind: 'warehouse' | 'receiving' | 'production',
      more = {},
    ) => materials.locations.create.mutate({ plantId, code, name: code, kind, ...more }).then((l) => l.id);
    s.receiving = await location(s.plantA, 'GR', 'receiving');
    s.store = await location(s.plantA, 'STORE', 'warehouse');
    s.lineSide = await location(s.plantA, 'L1-SIDE', 'production', { lineId: s.line });
    s.storeB = await location(s.plantB, 'STORE', 'warehouse');
    const order = await trpc().production.orders.create.mutate({
      plantId: s.plantA,
      productId: s.gearProduct,
      lineId: s.line,
      quantity: 100,
    });
    for (const status of ['released', 'in_progress'] as const)
      await trpc().production.orders.update.mutate({ id: order.id, patch: { status } });
    s.order = order.number;
    edge = await app.edge([s.plantA]);
  });

  it('receives a GS1 label into a new lot, keeping the batch as supplier lot, and finds it again', async () => {
    const label = `(01)${RESIN}(17)${yymmdd(90)}(10)SUP-77(3102)002550`;
    const first = await receive(label, { supplier: 'Polymer AG' });
    expect(first).toMatchObject({
      material: { code: 'RES-1' },
      lot: { lotCode: 'SUP-77', supplierLot: 'SUP-77', supplier: 'Polymer AG', expiresOn: isoDay(90) },
      lotCreated: true,
      quantity: '25.5',
    });
    const again = await receive(label);
    expect(again).toMatchObject({ lot: { id: first.lot!.id }, lotCreated: false, quantity: '25.5' });
    expect(Number(await balanceOf(s.receiving, first.lot!.id))).toBe(51);
    // A count (AI 30) is in the base unit when that counts; a typed quantity takes precedence.
    const bolts = await receive(`(01)${BOLT}(10)B-1(30)500`);
    expect(bolts).toMatchObject({ quantity: '500', lot: { expiresOn: null } });
    expect(await receive(`(01)${BOLT}(10)B-1(30)500`, { quantity: 20 })).toMatchObject({ quantity: '20' });
  });

  it('refuses a label it cannot trust, writing nothing', async () => {
    const before = await trpc().inventory.movements.query({ locationId: s.receiving });
    await expectApiError(
      receive(`(01)${UNKNOWN}(10)X(30)5`),
      'BAD_REQUEST',
      `No material has GTIN ${UNKNOWN}`,
    );
    await expectApiError(
      receive(`(01)${RESIN}(17)${yymmdd(-2)}(10)OLD-1(3102)001000`),
      'BAD_REQUEST',
      `RES-1 expired on ${isoDay(-2)}`,
    );
    await trpc().materials.lots.create.mutate({ plantId: s.plantA, materialId: s.bolt, lotCode: 'SHARED-9' });
    await expectApiError(
      receive(`(01)${RESIN}(10)SHARED-9(3102)001000`),
      'BAD_REQUEST',
      'Lot SHARED-9 is a lot of BOLT, not of RES-1: check the label',
    );
    await expectApiError(
      receive(`(01)${RESIN}(10)NEW-1`),
      'BAD_REQUEST',
      'The label states no quantity (AI 30, 37 or 310n): enter it',
    );
    await expectApiError(
      receive(`(01)${RESIN}(10)NEW-1(30)4`),
      'BAD_REQUEST',
      'The label counts items (AI 30) but RES-1 is kept in kg: enter the quantity',
    );
    await expectApiError(
      receive(`(01)${RESIN}(3102)001000`),
      'BAD_REQUEST',
      'RES-1 is lot-tracked: the label has no batch (AI 10)',
    );
    await expectApiError(receive('(01)09521234000010'), 'BAD_REQUEST', /Not a valid GS1 label/);
    expect(await trpc().inventory.movements.query({ locationId: s.receiving })).toEqual(before);
    expect(
      (await trpc().materials.lots.list.query({ materialId: s.resin })).map((l) => l.lotCode),
    ).not.toContain('NEW-1');
  });

  it('receives the same new lot scanned at two docks at once into one lot', async () => {
    const label = `(01)${RESIN}(10)RACE-1(3102)001000`;
    const [one, two] = await Promise.all([receive(label), receive(label)]);
    expect(one.lot!.id).toBe(two.lot!.id);
    expect([one.lotCreated, two.lotCreated].sort()).toEqual([false, true]);
    expect(await balanceOf(s.receiving, one.lot!.id)).toBe('20');
  });

  it('keeps receipts within the plants and the tenant of the caller', async () => {
    const { roleIds } = app.tenants.a;
    const onlyB = await signIn(
      app.server.url,
      (await addUser(app.admin, { roleIds: [roleIds.supervisor!], plantIds: [s.plantB] })).email,
    );
    await expectApiError(
      onlyB.trpc.inventory.receiveScan.mutate({
        locationId: s.receiving,
        data: `(01)${RESIN}(10)X(3102)001000`,
      }),
      'NOT_FOUND',
      'Location not found',
    );
    await expectApiError(
      app.adminB.trpc.inventory.receiveScan.mutate({
        locationId: s.receiving,
        data: `(01)${RESIN}(10)X(3102)001000`,
      }),
      'NOT_FOUND',
      'Location not found',
    );
    await expectApiError(
      app.adminB.trpc.inventory.identify.query({ plantId: s.plantA, data: 'STORE' }),
      'NOT_FOUND',
      'Plant not found',
    );
  });

  it('identifies scanned locations and lots and moves the lots scanned', async () => {
    const received = await receive(`(01)${RESIN}(10)MOVE-1(3102)003000`);
    const lotId = received.lot!.id;
    const { identify } = trpc().inventory;
    expect(await identify.query({ plantId: s.plantA, data: 'GR' })).toMatchObject({
      kind: 'location',
      location: { id: s.receiving },
    });
    expect(await identify.query({ plantId: s.plantA, data: `(01)${RESIN}(10)MOVE-1` })).toMatchObject({
      kind: 'stock',
      material: { code: 'RES-1' },
      lot: { id: lotId },
    });
    expect(await identify.query({ plantId: s.plantA, data: 'MOVE-1\r\n' })).toMatchObject({
      lot: { id: lotId },
    });
    await expectApiError(
      identify.query({ plantId: s.plantA, data: 'NOWHERE' }),
      'BAD_REQUEST',
      'NOWHERE is no location of this plant and no lot',
    );
    const moved = await trpc().inventory.moveScanned.mutate({
      fromLocationId: s.receiving,
      toLocationId: s.store,
      items: [{ materialId: s.resin, lotId }],
    });
    expect(moved.map((m) => [m.kind, m.quantity])).toEqual([
      ['transfer_out', '-30'],
      ['transfer_in', '30'],
    ]);
    expect(await balanceOf(s.store, lotId)).toBe('30');
    expect(await balanceOf(s.receiving, lotId)).toBe('0');
    await expectApiError(
      trpc().inventory.moveScanned.mutate({
        fromLocationId: s.receiving,
        toLocationId: s.store,
        items: [{ materialId: s.resin, lotId }],
      }),
      'BAD_REQUEST',
      'No RES-1 of that lot at GR',
    );
    await expectApiError(
      trpc().inventory.moveScanned.mutate({
        fromLocationId: s.store,
        toLocationId: s.storeB,
        items: [{ materialId: s.resin, lotId, quantity: 1 }],
      }),
      'BAD_REQUEST',
      'A transfer stays within one plant; between plants use a transfer order',
    );
  });

  describe('consuming at a machine through the edge', () => {
    const M1 = { plant: 'A1', line: 'L1', machine: 'M1' };
    const consume = (code: string) =>
      envelope(M1, 'scan', { code, symbology: 'datamatrix', action: 'consume' });
    const push = (...events: object[]) => edge.trpc.ingest.push.mutate({ events });
    const atLineSide = async (batch: string, kg: number, more = {}) => {
      const lot = (await receive(`(01)${RESIN}(10)${batch}(3102)${String(kg * 100).padStart(6, '0')}`, more))
        .lot!;
      await trpc().inventory.moveScanned.mutate({
        fromLocationId: s.receiving,
        toLocationId: s.lineSide,
        items: [{ materialId: s.resin, lotId: lot.id }],
      });
      return lot;
    };

    it('consumes the scanned lot at the line side for the order in progress, once per event', async () => {
      const lot = await atLineSide('USE-1', 12);
      const event = consume(`(01)${RESIN}(10)USE-1`);
      const { results } = await push(event);
      expect(results[0]).toMatchObject({
        status: 'accepted',
        answer: {
          result: 'ok',
          message: `Consumed 12 kg of RES-1 lot USE-1 for ${s.order}`,
          station: 'M1',
          shipment: s.order,
        },
      });
      expect(await balanceOf(s.lineSide, lot.id)).toBe('0');
      const [movement] = await trpc().inventory.movements.query({ lotId: lot.id, kind: 'consumption' });
      expect(movement).toMatchObject({ quantity: '-12', orderCode: s.order, locationId: s.lineSide });
      // The edge sends it again (its reply was lost): the same answer, nothing consumed twice.
      const resent = await push(event);
      expect(resent.results[0]).toMatchObject({ status: 'duplicate', answer: { result: 'ok' } });
      expect(await trpc().inventory.movements.query({ lotId: lot.id, kind: 'consumption' })).toHaveLength(1);
    });

    it('takes what the label states when it states a quantity', async () => {
      const lot = await atLineSide('USE-2', 10);
      const { results } = await push(consume(`(01)${RESIN}(10)USE-2(3102)000250`));
      expect(results[0]?.answer).toMatchObject({ result: 'ok' });
      expect(await balanceOf(s.lineSide, lot.id)).toBe('7.5');
    });

    it('refuses blocked, quarantined, expired, unknown and foreign stock at the station, recording why', async () => {
      const blocked = await atLineSide('BLK-1', 5);
      await trpc().materials.lots.setStatus.mutate({
        id: blocked.id,
        status: 'blocked',
        reason: 'Supplier recall',
      });
      const quarantined = await atLineSide('QRT-1', 5, { quarantine: true });
      const expiring = await trpc().materials.lots.create.mutate({
        plantId: s.plantA,
        materialId: s.resin,
        lotCode: 'EXP-1',
        expiresOn: isoDay(-1),
      });
      const { results } = await push(
        consume(`(01)${RESIN}(10)BLK-1`),
        consume('QRT-1'),
        consume(`(01)${RESIN}(10)EXP-1`),
        consume(`(01)${UNKNOWN}(10)X`),
        consume(`(01)${RESIN}(10)NEVER`),
        consume(`(01)${RESIN}(10)MOVE-1`),
      );
      expect(results.map((r) => [r.status, r.answer?.result, r.answer?.message])).toEqual([
        ['accepted', 'wrong_lot', 'Lot BLK-1 is blocked'],
        ['accepted', 'wrong_lot', 'Lot QRT-1 is in quarantine'],
        ['accepted', 'expired', `Lot EXP-1 expired on ${expiring.expiresOn}`],
        ['accepted', 'wrong_item', `No material has GTIN ${UNKNOWN}`],
        ['accepted', 'wrong_lot', 'RES-1 has no lot NEVER: it was never received'],
        ['accepted', 'over_quantity', 'No RES-1 lot MOVE-1 at L1-SIDE: move it to the line first'],
      ]);
      expect(await balanceOf(s.lineSide, blocked.id)).toBe('5');
      expect(await balanceOf(s.lineSide, quarantined.id)).toBe('5');
      const recorded = await trpc().inventory.consumptionScans.query({ plantId: s.plantA });
      expect(
        recorded
          .filter((r) => r.result !== 'ok')
          .slice(0, 6)
          .map((r) => r.message)
          .sort(),
      ).toEqual(results.map((r) => r.answer?.message).sort());
      expect(recorded.find((r) => r.lotCode === 'BLK-1')).toMatchObject({
        machineCode: 'M1',
        orderNumber: s.order,
        materialCode: 'RES-1',
        movementId: null,
      });
    });

    it('answers no_task without a line side or an order in progress, and leaves other scans alone', async () => {
      const line2 = await app.line(s.plantA, 'L2');
      await app.machine(line2, 'M2');
      const idle = envelope({ plant: 'A1', line: 'L2', machine: 'M2' }, 'scan', {
        code: `(01)${RESIN}(10)USE-1`,
        action: 'consume',
      });
      const { results } = await push(idle);
      expect(results[0]?.answer).toMatchObject({
        result: 'no_task',
        message: 'Line L2 has no line-side location to consume from',
        shipment: null,
      });
      await trpc().materials.locations.create.mutate({
        plantId: s.plantA,
        code: 'L2-SIDE',
        name: 'L2 side',
        kind: 'production',
        lineId: line2,
      });
      const again = await push({ ...idle, id: consume('x').id });
      expect(again.results[0]?.answer).toMatchObject({
        result: 'no_task',
        message: 'No order is in progress on line L2',
      });
      // A scan without `action` (every edge before consumption existed) still goes to its station.
      const plain = await push(envelope(M1, 'scan', { code: 'ANY' }));
      expect(plain.results[0]).toMatchObject({ status: 'accepted' });
      expect(plain.results[0]?.answer).toBeUndefined();
    });

    it('refuses a material the order does not plan as the wrong item, consuming nothing', async () => {
      // An order whose product has a BOM may take only what its requirements list (docs/materials.md,
      // "Consuming at a machine"): this one plans bolts, not resin.
      const line3 = await app.line(s.plantA, 'L3');
      await app.machine(line3, 'M3');
      const side = await trpc().materials.locations.create.mutate({
        plantId: s.plantA,
        code: 'L3-SIDE',
        name: 'L3 side',
        kind: 'production',
        lineId: line3,
      });
      await trpc().production.products.create.mutate({ code: 'AXLE', name: 'Axle', unit: 'pcs' });
      const axle = (await trpc().materials.list.query({ kind: 'finished' })).find((m) => m.code === 'AXLE')!;
      const bom = await trpc().boms.create.mutate({
        materialId: axle.id,
        baseQuantity: 1,
        backflush: false,
        items: [{ materialId: s.bolt, quantity: 2 }],
      });
      await trpc().boms.release.mutate({ id: bom.id, validFrom: new Date(Date.now() - DAY) });
      const order = await trpc().production.orders.create.mutate({
        plantId: s.plantA,
        productId: axle.productId!,
        lineId: line3,
        quantity: 10,
      });
      for (const status of ['released', 'in_progress'] as const)
        await trpc().production.orders.update.mutate({ id: order.id, patch: { status } });
      const lot = (await receive(`(01)${RESIN}(10)AXL-R(3102)000400`)).lot!;
      await trpc().inventory.moveScanned.mutate({
        fromLocationId: s.receiving,
        toLocationId: side.id,
        items: [{ materialId: s.resin, lotId: lot.id }],
      });
      const scan = envelope({ plant: 'A1', line: 'L3', machine: 'M3' }, 'scan', {
        code: `(01)${RESIN}(10)AXL-R`,
        action: 'consume',
      });
      const { results } = await push(scan);
      expect(results[0]).toMatchObject({
        status: 'accepted',
        answer: {
          result: 'wrong_item',
          message: `RES-1 is not a material of ${order.number}`,
          station: 'M3',
          shipment: order.number,
        },
      });
      expect(await balanceOf(side.id, lot.id)).toBe('4');
      expect(await trpc().inventory.movements.query({ lotId: lot.id, kind: 'consumption' })).toEqual([]);
      const materials = await trpc().orderMaterials.get.query({ orderId: order.id });
      expect(materials.components.map((c) => [c.code, c.consumed])).toEqual([['BOLT', '0']]);
      const [recorded] = await trpc().inventory.consumptionScans.query({ plantId: s.plantA, limit: 1 });
      expect(recorded).toMatchObject({
        result: 'wrong_item',
        machineCode: 'M3',
        orderNumber: order.number,
        lotCode: 'AXL-R',
        movementId: null,
      });
    });

    it('refuses a second line side for a line, and a line side of another plant’s line', async () => {
      await expectApiError(
        trpc().materials.locations.create.mutate({
          plantId: s.plantA,
          code: 'L1-SIDE-2',
          name: 'again',
          kind: 'production',
          lineId: s.line,
        }),
        'CONFLICT',
        'That line already has its line-side location',
      );
      await expectApiError(
        trpc().materials.locations.create.mutate({
          plantId: s.plantB,
          code: 'X',
          name: 'X',
          kind: 'production',
          lineId: s.line,
        }),
        'BAD_REQUEST',
        'The line is not a line of this plant',
      );
      await expectApiError(
        trpc().materials.locations.create.mutate({
          plantId: s.plantA,
          code: 'Y',
          name: 'Y',
          kind: 'warehouse',
          lineId: s.line,
        }),
        'BAD_REQUEST',
        'Only a production location stocks a line',
      );
    });
  });
});

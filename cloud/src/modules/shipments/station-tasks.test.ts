import { tables } from '@plantline/schema';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../db/index.js';
import { type ApiClient, addUser, signIn } from '../../testing/api.js';
import { expectApiError } from '../../testing/api-assertions.js';
import { useTestApp } from '../../testing/app.js';
import { auditEntries, auditMark } from '../../testing/audit-entries.js';
import { testEngines } from '../../testing/engines.js';
import { envelope } from '../../testing/events.js';
import { addCarrier, addCustomer, setGs1Prefix, type TestCustomer } from '../../testing/logistics.js';
import { stockProduct } from '../../testing/stock.js';

/*
 * Stations driven by plant scanners (docs/logistics.md, "Scanning at a station"): a person assigns a
 * station its task, the edge's scan events at the station are packed in the ingest call and answered
 * in its reply — once per event however often the edge sends it, only at stations of the edge key's
 * plants, and not at all once the shipment has left.
 */
const ROTOR = '09521234543213';
const CALIPER = '09506000134352';

describe.each(testEngines)('stations scanning through the edge ($name engine)', (engine) => {
  const app = useTestApp(engine);
  let admin: ApiClient;
  let edge: ApiClient;
  const a = {} as {
    plant1: string;
    plant2: string;
    rotor: string;
    caliper: string;
    customer: TestCustomer;
    carrier: string;
    station: string;
    idle: string;
    far: string;
  };
  const PACK1 = { plant: 'A1', line: 'L1', machine: 'PACK-1' };

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
    a.carrier = await addCarrier(app.database.db, app.tenants.a.tenantId, { code: 'DHL' });
    await setGs1Prefix(admin, '9528765', 4);
    const line = await app.line(a.plant1, 'L1');
    // The scanner publishes under its station's code as the machine: no machine of that code exists.
    const station = (code: string, plantId = a.plant1, lineId: string | null = line) =>
      admin.trpc.masterdata.stations.create.mutate({ plantId, lineId, code, name: code });
    a.station = (await station('PACK-1')).id;
    a.idle = (await station('PACK-2')).id;
    a.far = (await station('PACK-9', a.plant2, await app.line(a.plant2, 'L1'))).id;
    edge = await app.edge([a.plant1]);
    // Shipping issues what is packed (docs/materials.md, "Goods issue on shipping").
    await stockProduct(admin, { plantId: a.plant1, productId: a.rotor, quantity: 100 });
  });

  const shipment = (quantity = 3, plantId = a.plant1) =>
    admin.trpc.logistics.shipments.create.mutate({
      plantId,
      customerId: a.customer.customerId,
      shipToId: a.customer.shipToId,
      plannedShipDate: '2026-03-04',
      products: [{ productId: a.rotor, quantity }],
    });
  const pallet = (shipmentId: string) =>
    admin.trpc.logistics.packing.openPackage.mutate({ shipmentId, kind: 'pallet' });
  const taskOf = async (stationId: string) =>
    (await admin.trpc.logistics.stations.list.query({})).find((s) => s.stationId === stationId)?.task ?? null;
  const assign = async (stationId: string, shipmentId: string, packageId: string) =>
    admin.trpc.logistics.stations.assign.mutate({
      stationId,
      mode: 'pack',
      shipmentId,
      packageId,
      expectedVersion: (await taskOf(stationId))?.version ?? null,
    });
  const scan = (
    code: string,
    address: { plant: string; line: string; machine: string } = PACK1,
    station?: string,
  ) =>
    envelope(address, 'scan', { code, symbology: 'code128', ...(station === undefined ? {} : { station }) });
  const push = (...events: object[]) => edge.trpc.ingest.push.mutate({ events });

  it('lists the stations with their tasks, assigns one against the version seen, and clears it', async () => {
    const mark = await auditMark(app.database.db, app.tenants.a.tenantId);
    const planned = await shipment();
    const into = await pallet(planned.id);
    const assigned = await assign(a.idle, planned.id, into.id);
    expect(assigned).toMatchObject({ version: 1, target: `pack ${planned.number} into pallet ${into.sscc}` });
    const listed = (await admin.trpc.logistics.stations.list.query({ plantId: a.plant1 })).map((s) => s.code);
    expect(listed).toEqual(['PACK-1', 'PACK-2']);
    expect(await taskOf(a.idle)).toMatchObject({
      mode: 'pack',
      shipmentNumber: planned.number,
      packageSscc: into.sscc,
      packageKind: 'pallet',
      assignedByName: 'Admin A',
      version: 1,
    });
    // Someone else assigned it meanwhile: the version the assigner saw no longer holds.
    await expectApiError(
      admin.trpc.logistics.stations.assign.mutate({
        stationId: a.idle,
        mode: 'pack',
        shipmentId: planned.id,
        packageId: into.id,
        expectedVersion: null,
      }),
      'CONFLICT',
      'Station PACK-2 was assigned meanwhile; reload and try again',
    );
    const carton = await admin.trpc.logistics.packing.openPackage.mutate({
      shipmentId: planned.id,
      kind: 'carton',
    });
    expect((await assign(a.idle, planned.id, carton.id)).version).toBe(2);
    await expectApiError(
      admin.trpc.logistics.stations.clear.mutate({ stationId: a.idle, expectedVersion: 1 }),
      'CONFLICT',
      /was assigned meanwhile/,
    );
    await admin.trpc.logistics.stations.clear.mutate({ stationId: a.idle, expectedVersion: 2 });
    expect(await taskOf(a.idle)).toBeNull();
    const trail = await auditEntries(app.database.db, app.tenants.a.tenantId, mark);
    expect(
      trail.filter((e) => e.entityType === 'station_task').map((e) => [e.action, e.entityLabel]),
    ).toEqual([
      ['station_task.assign', 'PACK-2'],
      ['station_task.assign', 'PACK-2'],
      ['station_task.clear', 'PACK-2'],
    ]);
  });

  it('refuses a task the station cannot do, naming the field', async () => {
    const planned = await shipment();
    const into = await pallet(planned.id);
    const other = await shipment();
    const otherPallet = await pallet(other.id);
    const elsewhere = await shipment(1, a.plant2);
    const fields = async (input: Parameters<typeof admin.trpc.logistics.stations.assign.mutate>[0]) =>
      (await expectApiError(admin.trpc.logistics.stations.assign.mutate(input), 'BAD_REQUEST')).data
        ?.fieldErrors;
    const base = { stationId: a.idle, mode: 'pack' as const, expectedVersion: null };
    expect(await fields({ ...base, shipmentId: planned.id })).toEqual({ packageId: 'Choose a package' });
    expect(await fields({ ...base, shipmentId: planned.id, packageId: otherPallet.id })).toEqual({
      packageId: 'Another shipment’s',
    });
    expect(await fields({ ...base, shipmentId: elsewhere.id, packageId: into.id })).toEqual({
      stationId: 'Not in the shipment’s plant',
    });
    expect(await fields({ ...base, mode: 'receive', shipmentId: planned.id })).toEqual({
      mode: 'Shipments are packed',
    });
    expect(await fields({ ...base, packageId: into.id })).toEqual({ shipmentId: 'Choose one' });
    const missing = await expectApiError(
      admin.trpc.logistics.stations.assign.mutate({ ...base, shipmentId: planned.id, packageId: a.rotor }),
      'NOT_FOUND',
    );
    expect(missing.data?.fieldErrors).toEqual({ packageId: 'Not found' });
    const planner = await signIn(
      app.server.url,
      (await addUser(admin, { roleIds: [app.tenants.a.roleIds.planner!], plantIds: [a.plant1] })).email,
    );
    await expectApiError(
      planner.trpc.logistics.stations.list.query({}),
      'FORBIDDEN',
      'This needs the permission logistics.pack',
    );
  });

  it('packs the scanner’s scans in the ingest call and answers each, live on the shipment', async () => {
    const planned = await shipment(3);
    const into = await pallet(planned.id);
    await assign(a.station, planned.id, into.id);
    const events = [scan(`(01)${ROTOR}`), scan(`(01)${CALIPER}`), scan(`(01)${ROTOR}(30)5`)];
    const { results } = await push(...events);
    expect(results.map((r) => [r.status, r.answer?.result])).toEqual([
      ['accepted', 'ok'],
      ['accepted', 'wrong_item'],
      ['accepted', 'over_quantity'],
    ]);
    expect(results[0]!.answer).toEqual({
      result: 'ok',
      message: '1 × BRK-100 packed: 2 to go',
      station: 'PACK-1',
      shipment: planned.number,
      item: { productCode: 'BRK-100', packed: 1, quantity: 3 },
    });
    const page = await admin.trpc.logistics.shipments.get.query({ id: planned.id });
    expect(page).toMatchObject({ status: 'picking', packedQuantity: 1 });
    expect(page.scans.map((s) => [s.source, s.stationCode, s.result, s.scannedByName])).toEqual([
      ['edge', 'PACK-1', 'over_quantity', null],
      ['edge', 'PACK-1', 'wrong_item', null],
      ['edge', 'PACK-1', 'ok', null],
    ]);
  });

  it('answers a resent event with what was recorded, and packs it once', async () => {
    const planned = await shipment(3);
    await assign(a.station, planned.id, (await pallet(planned.id)).id);
    const once = scan(`(01)${ROTOR}(21)SN-77`);
    const first = await push(once);
    // The edge lost the reply and sends the event again, and twice within one batch.
    const again = await push(once, once);
    expect(first.results[0]!.answer).toMatchObject({ result: 'ok', item: { packed: 1 } });
    expect(again.results.map((r) => [r.status, r.answer?.result, r.answer?.message])).toEqual([
      ['duplicate', 'ok', '1 × BRK-100 packed: 2 to go'],
      ['duplicate', 'ok', '1 × BRK-100 packed: 2 to go'],
    ]);
    const page = await admin.trpc.logistics.shipments.get.query({ id: planned.id });
    expect(page.packedQuantity).toBe(1);
    expect(page.scans).toHaveLength(1);
  });

  it('only stores a scan at a station without a task, and answers that it has none', async () => {
    const event = scan(`(01)${ROTOR}`, { ...PACK1, machine: 'PACK-2' });
    const machineScan = scan(`(01)${ROTOR}`, { ...PACK1, machine: 'READER-7' });
    const { results } = await push(event, machineScan);
    expect(results[0]).toMatchObject({
      status: 'accepted',
      answer: { result: 'no_task', message: 'Station PACK-2 has no open task', shipment: null },
    });
    // A code that is no station gets no answer: a machine's reader, held like any unknown machine.
    expect(results[1]!.status).toBe('accepted');
    expect(results[1]!.answer).toBeUndefined();
    const [counted] = await app.database.db.ownerTransact(
      { tenantId: app.tenants.a.tenantId, plantIds: 'all' },
      (tx) =>
        rows<{ held: string | number; scans: string | number }>(
          tx,
          sql`select (select count(*) from unassigned_events where event_id = ${event.id}::uuid) as held,
                     (select count(*) from packing_scans where scan_event_id = ${event.id}::uuid) as scans`,
        ),
    );
    expect([Number(counted!.held), Number(counted!.scans)]).toEqual([1, 0]);
  });

  it('lets an edge key drive only the stations of its own plants', async () => {
    const planned = await shipment(2, a.plant2);
    await assign(a.far, planned.id, (await pallet(planned.id)).id);
    const A2 = { plant: 'A2', line: 'L1', machine: 'PACK-9' };
    // The topic's plant is not the key's; the payload naming a station of another plant finds none.
    const { results } = await push(scan(`(01)${ROTOR}`, A2), scan(`(01)${ROTOR}`, PACK1, 'PACK-9'));
    expect(results[0]).toMatchObject({
      status: 'rejected',
      reason: "plant A2 is not in this API key's plants",
    });
    expect(results[1]!.status).toBe('accepted');
    expect(results[1]!.answer).toBeUndefined();
    const page = await admin.trpc.logistics.shipments.get.query({ id: planned.id });
    expect(page.packedQuantity).toBe(0);
    expect(page.scans).toHaveLength(0);
  });

  it('ends the stations’ tasks when the shipment ships, and the station says so', async () => {
    const planned = await shipment(1);
    await assign(a.station, planned.id, (await pallet(planned.id)).id);
    expect((await push(scan(`(01)${ROTOR}`))).results[0]!.answer?.result).toBe('ok');
    const packed = await admin.trpc.logistics.shipments.get.query({ id: planned.id });
    await admin.trpc.logistics.shipments.ship.mutate({
      id: planned.id,
      expectedVersion: packed.version,
      carrierId: a.carrier,
    });
    expect(await taskOf(a.station)).toBeNull();
    expect((await push(scan(`(01)${ROTOR}`))).results[0]!.answer).toEqual({
      result: 'no_task',
      message: 'Station PACK-1 has no open task',
      station: 'PACK-1',
      shipment: null,
      item: null,
    });
  });

  it('answers a scan into a closed package with the reason, and a transfer task through the transfers module', async () => {
    const planned = await shipment(2);
    const box = await admin.trpc.logistics.packing.openPackage.mutate({
      shipmentId: planned.id,
      kind: 'carton',
    });
    await assign(a.station, planned.id, box.id);
    expect((await push(scan(`(01)${ROTOR}`))).results[0]!.answer?.result).toBe('ok');
    await admin.trpc.logistics.packing.closePackage.mutate({ packageId: box.id });
    expect((await push(scan(`(01)${ROTOR}`))).results[0]!.answer).toMatchObject({
      result: 'no_task',
      message: `carton ${box.sscc} is closed: open a new one to pack into`,
      shipment: planned.number,
    });
    const transferId = await addTransfer(a.plant2, a.plant1);
    await admin.trpc.logistics.stations.assign.mutate({
      stationId: a.station,
      mode: 'receive',
      transferOrderId: transferId,
      expectedVersion: (await taskOf(a.station))!.version,
    });
    // The transfers module answers its stations (registered in build-app-deps.ts): a receiving
    // station takes the SSCC of a package, so a product's scan is unreadable to it.
    expect((await push(scan(`(01)${ROTOR}`))).results[0]!.answer).toMatchObject({
      result: 'unreadable',
      shipment: 'TRF-TEST-1',
    });
    // Receiving happens in the receiving plant only.
    const refused = await expectApiError(
      admin.trpc.logistics.stations.assign.mutate({
        stationId: a.far,
        mode: 'receive',
        transferOrderId: transferId,
        expectedVersion: (await taskOf(a.far))?.version ?? null,
      }),
      'BAD_REQUEST',
    );
    expect(refused.data?.fieldErrors).toEqual({ stationId: 'Not in the receiving plant' });
  });

  async function addTransfer(fromPlantId: string, toPlantId: string): Promise<string> {
    const tenantId = app.tenants.a.tenantId;
    return app.database.db.ownerTransact({ tenantId, plantIds: 'all' }, async (tx) => {
      const [row] = await tx
        .insert(tables.transferOrders)
        .values({ tenantId, fromPlantId, toPlantId, number: 'TRF-TEST-1', status: 'in_transit' })
        .returning({ id: tables.transferOrders.id });
      return row!.id;
    });
  }
});

import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../db/index.js';
import { type ApiClient, addUser, signIn } from '../../testing/api.js';
import { expectApiError } from '../../testing/api-assertions.js';
import { useTestApp } from '../../testing/app.js';
import { auditTrail } from '../../testing/audit-entries.js';
import { testEngines } from '../../testing/engines.js';
import {
  addCarrier,
  addCustomer,
  addRequest,
  setGs1Prefix,
  type TestCustomer,
} from '../../testing/logistics.js';
import { stockProduct } from '../../testing/stock.js';

/*
 * Shipments through the API (docs/logistics.md, "Shipments"): numbering, lines from open requests and
 * products, references of the shipment's own tenant and plant only, edits against a stale version, the
 * life cycle with its refusals, the explicit backorder, the requests' status, plants and tenants apart.
 */
describe.each(testEngines)('shipments ($name engine)', (engine) => {
  const app = useTestApp(engine);
  let admin: ApiClient;
  let adminB: ApiClient;
  const a = {} as {
    plant1: string;
    plant2: string;
    rotor: string;
    caliper: string;
    old: string;
    customer: TestCustomer;
    other: TestCustomer;
    carrier: string;
    retired: string;
  };
  const b = {} as { customer: TestCustomer; product: string; carrier: string };
  const year = new Date().getUTCFullYear();
  const shipmentNumber = (plant: string, seq: number) =>
    `SHP-${plant}-${year}-${String(seq).padStart(5, '0')}`;

  beforeAll(async () => {
    ({ admin, adminB } = app);
    const { db } = app.database;
    const tenantA = app.tenants.a.tenantId;
    [a.plant1, a.plant2] = app.tenants.a.plantIds as [string, string];
    const product = async (client: ApiClient, code: string, gtin: string | null) =>
      (await client.trpc.production.products.create.mutate({ code, name: code, gtin })).id;
    a.rotor = await product(admin, 'BRK-100', '09521234543213');
    a.caliper = await product(admin, 'BRK-200', '09506000134352');
    a.old = await product(admin, 'OLD-1', null);
    await admin.trpc.production.products.deactivate.mutate({ id: a.old });
    a.customer = await addCustomer(db, tenantA, { code: 'ACME', name: 'Acme Brakes' });
    a.other = await addCustomer(db, tenantA, { code: 'GLOBEX' });
    a.carrier = await addCarrier(db, tenantA, {
      code: 'DHL',
      trackingUrl: 'https://track.example/?n={tracking}',
    });
    a.retired = await addCarrier(db, tenantA, { code: 'OLDCO', isActive: false });
    const tenantB = app.tenants.b.tenantId;
    b.customer = await addCustomer(db, tenantB, { code: 'ACME' });
    b.product = await product(adminB, 'B-1', '09521234543213');
    b.carrier = await addCarrier(db, tenantB, { code: 'DHL' });
    await setGs1Prefix(admin, '9528765');
    // Shipping issues what is packed from the plant's stock (docs/materials.md, "Goods issue on shipping").
    for (const productId of [a.rotor, a.caliper])
      await stockProduct(admin, { plantId: a.plant1, productId, quantity: 100 });
  });

  const request = (fields: {
    productId: string;
    quantity: number;
    plantId?: string;
    customer?: TestCustomer;
    customerPo?: string;
    shipToId?: string;
  }) =>
    addRequest(app.database.db, app.tenants.a.tenantId, {
      plantId: fields.plantId ?? a.plant1,
      customerId: (fields.customer ?? a.customer).customerId,
      shipToId: fields.shipToId ?? (fields.customer ?? a.customer).shipToId,
      productId: fields.productId,
      quantity: fields.quantity,
      customerPo: fields.customerPo ?? 'PO-4711',
    });

  const draft = (client: ApiClient = admin, extra: Record<string, unknown> = {}) =>
    client.trpc.logistics.shipments.create.mutate({
      plantId: a.plant1,
      customerId: a.customer.customerId,
      shipToId: a.customer.shipToId,
      products: [{ productId: a.rotor, quantity: 4 }],
      ...extra,
    });

  it('numbers shipments per plant and takes their lines from open requests and products', async () => {
    await admin.trpc.config.fields.create.mutate({
      entityType: 'shipment',
      key: 'dock_door',
      label: 'Dock door',
      type: 'text',
    });
    const first = await request({ productId: a.rotor, quantity: 24 });
    const second = await request({ productId: a.caliper, quantity: 6 });
    const created = await admin.trpc.logistics.shipments.create.mutate({
      plantId: a.plant1,
      customerId: a.customer.customerId,
      shipToId: a.customer.shipToId,
      carrierId: a.carrier,
      plannedShipDate: '2026-03-09',
      requests: [{ requestId: first.id }, { requestId: second.id, quantity: 4 }],
      products: [{ productId: a.caliper, quantity: 2, lot: ' L-17 ' }],
      custom: { dock_door: 'D4' },
    });
    expect(created).toMatchObject({
      number: shipmentNumber('A1', 1),
      status: 'draft',
      plantCode: 'A1',
      customerCode: 'ACME',
      shipToLabel: 'Main dock',
      carrierCode: 'DHL',
      // The requests' PO, as the shipment names none.
      customerPo: 'PO-4711',
      plannedShipDate: '2026-03-09',
      quantity: 30,
      packedQuantity: 0,
      version: 1,
      createdByName: 'Admin A',
      custom: { dock_door: 'D4' },
    });
    expect(created.items.map((i) => [i.lineNo, i.productCode, i.quantity, i.lot, i.requestNumber])).toEqual([
      [1, 'BRK-100', 24, null, first.number],
      [2, 'BRK-200', 4, null, second.number],
      [3, 'BRK-200', 2, 'L-17', null],
    ]);
    expect((await draft()).number).toBe(shipmentNumber('A1', 2));
    expect((await draft(admin, { plantId: a.plant2 })).number).toBe(shipmentNumber('A2', 1));
    const page = await admin.trpc.logistics.shipments.get.query({ id: created.id });
    expect(page).toMatchObject({ packages: [], scans: [], backorders: [], trackingLink: null });

    // What is left of a request is all a second shipment can take.
    const error = await expectApiError(
      admin.trpc.logistics.shipments.create.mutate({
        plantId: a.plant1,
        customerId: a.customer.customerId,
        shipToId: a.customer.shipToId,
        requests: [{ requestId: second.id, quantity: 3 }],
      }),
      'BAD_REQUEST',
      `Only 2 of ${second.number} is left to ship`,
    );
    expect(error.data?.fieldErrors).toEqual({ requests: `${second.number}: at most 2` });
    await expectApiError(
      admin.trpc.logistics.shipments.create.mutate({
        plantId: a.plant1,
        customerId: a.customer.customerId,
        shipToId: a.customer.shipToId,
        requests: [{ requestId: first.id }],
      }),
      'BAD_REQUEST',
      `${first.number} cannot go on this shipment: it is already on other shipments`,
    );
  });

  it('refuses references of another tenant, plant, customer or address, each on its field', async () => {
    const create = (fields: Record<string, unknown>) => draft(admin, fields);
    const refused = async (
      fields: Record<string, unknown>,
      code: 'BAD_REQUEST' | 'NOT_FOUND',
      errors: object,
    ) => {
      const error = await expectApiError(create(fields), code);
      expect(error.data?.fieldErrors).toEqual(errors);
    };
    await refused({ customerId: b.customer.customerId, shipToId: b.customer.shipToId }, 'NOT_FOUND', {
      customerId: 'Not found',
    });
    await refused({ shipToId: a.other.shipToId }, 'BAD_REQUEST', { shipToId: 'Not this customer’s address' });
    await refused({ shipToId: b.customer.shipToId }, 'NOT_FOUND', { shipToId: 'Not found' });
    await refused({ carrierId: b.carrier }, 'NOT_FOUND', { carrierId: 'Not found' });
    await refused({ carrierId: a.retired }, 'BAD_REQUEST', { carrierId: 'Deactivated' });
    await refused({ products: [{ productId: b.product, quantity: 1 }] }, 'NOT_FOUND', {
      products: 'Not found',
    });
    await refused({ products: [{ productId: a.old, quantity: 1 }] }, 'BAD_REQUEST', {
      products: 'OLD-1 is deactivated',
    });
    const elsewhere = await request({ productId: a.rotor, quantity: 1, plantId: a.plant2 });
    await refused({ requests: [{ requestId: elsewhere.id }], products: [] }, 'BAD_REQUEST', {
      requests: `${elsewhere.number}: it is shipped from another plant`,
    });
    const others = await request({ productId: a.rotor, quantity: 1, customer: a.other });
    await refused({ requests: [{ requestId: others.id }], products: [] }, 'BAD_REQUEST', {
      requests: `${others.number}: it is another customer’s`,
    });
    const otherDock = await request({ productId: a.rotor, quantity: 1, shipToId: a.customer.otherShipToId });
    await refused({ requests: [{ requestId: otherDock.id }], products: [] }, 'BAD_REQUEST', {
      requests: `${otherDock.number}: it goes to another address`,
    });
    // Oversized and empty input never reaches the database.
    await expectApiError(create({ customerPo: 'P'.repeat(31) }), 'BAD_REQUEST', /AI 400/);
    await expectApiError(create({ products: [] }), 'BAD_REQUEST', /Add a delivery request or a product/);
    const many = Array.from({ length: 201 }, () => ({ productId: a.rotor, quantity: 1 }));
    await expectApiError(create({ products: many }), 'BAD_REQUEST', /At most 200 lines/);
    await expectApiError(
      create({ products: [{ productId: a.rotor, quantity: 0 }] }),
      'BAD_REQUEST',
      /above zero/,
    );
  });

  it('edits a draft against the version its editor saw, and refuses a stale one naming who changed it', async () => {
    const shipment = await draft();
    const trail = auditTrail(app.database.db, app.tenants.a);
    const entries = await trail.during(async () => {
      const edited = await admin.trpc.logistics.shipments.update.mutate({
        id: shipment.id,
        expectedVersion: 1,
        patch: {
          shipToId: a.customer.otherShipToId,
          note: 'Fragile',
          carrierId: a.carrier,
          trackingNumber: ' 1Z999AA10123456784 ',
          plannedShipDate: '2030-01-15',
        },
        addProducts: [{ productId: a.caliper, quantity: 3 }],
        quantities: [{ itemId: shipment.items[0]!.id, quantity: 6 }],
      });
      expect(edited).toMatchObject({
        version: 2,
        shipToLabel: 'Second dock',
        note: 'Fragile',
        quantity: 9,
        carrierCode: 'DHL',
        plannedShipDate: '2030-01-15',
        trackingNumber: '1Z999AA10123456784',
        trackingLink: 'https://track.example/?n=1Z999AA10123456784',
      });
      expect(edited.items.map((i) => [i.lineNo, i.productCode, i.quantity])).toEqual([
        [1, 'BRK-100', 6],
        [2, 'BRK-200', 3],
      ]);
    });
    expect(entries.map((e) => e.action)).toEqual(['shipment.update']);
    expect(entries[0]).toMatchObject({ entityLabel: shipment.number, plantId: a.plant1 });
    expect(JSON.stringify(entries[0])).toContain('1Z999AA10123456784');
    await expectApiError(
      admin.trpc.logistics.shipments.update.mutate({
        id: shipment.id,
        expectedVersion: 2,
        patch: { trackingNumber: 'X'.repeat(65) },
      }),
      'BAD_REQUEST',
      /At most 64 characters/,
    );
    const stale = await expectApiError(
      admin.trpc.logistics.shipments.update.mutate({
        id: shipment.id,
        expectedVersion: 1,
        patch: { note: 'Mine' },
      }),
      'CONFLICT',
      /^SHP-A1-\d{4}-\d{5} was changed since you opened it \(by Admin A at .+ UTC\); reload it and try again$/,
    );
    expect(stale.data?.fieldErrors).toEqual({ expectedVersion: 'Changed since you opened it' });
    const after = await admin.trpc.logistics.shipments.get.query({ id: shipment.id });
    const removed = await admin.trpc.logistics.shipments.update.mutate({
      id: shipment.id,
      expectedVersion: after.version,
      removeItemIds: [after.items[1]!.id],
    });
    expect(removed.items.map((i) => i.productCode)).toEqual(['BRK-100']);
    await expectApiError(
      admin.trpc.logistics.shipments.update.mutate({
        id: shipment.id,
        expectedVersion: removed.version,
        removeItemIds: [removed.items[0]!.id],
      }),
      'BAD_REQUEST',
      'A shipment needs at least one line',
    );
    await expectApiError(
      admin.trpc.logistics.shipments.update.mutate({ id: shipment.id, expectedVersion: removed.version }),
      'BAD_REQUEST',
      /Nothing to change/,
    );
  });

  it('ships short only with an explicit backorder, which carries every remainder', async () => {
    const req = await request({ productId: a.rotor, quantity: 5 });
    const shipment = await admin.trpc.logistics.shipments.create.mutate({
      plantId: a.plant1,
      customerId: a.customer.customerId,
      shipToId: a.customer.shipToId,
      requests: [{ requestId: req.id }],
      products: [{ productId: a.caliper, quantity: 2 }],
    });
    const ship = (fields: Record<string, unknown>) =>
      admin.trpc.logistics.shipments.ship.mutate({ id: shipment.id, expectedVersion: 1, ...fields });
    await expectApiError(
      ship({ carrierId: a.carrier }),
      'CONFLICT',
      `${shipment.number} is a draft: only a shipment being picked or packed can be shipped`,
    );
    const picking = await admin.trpc.logistics.shipments.startPicking.mutate({
      id: shipment.id,
      expectedVersion: 1,
    });
    expect(picking).toMatchObject({ status: 'picking', version: 2 });
    const carton = await admin.trpc.logistics.packing.openPackage.mutate({
      shipmentId: shipment.id,
      kind: 'carton',
    });
    const scanned = await admin.trpc.logistics.packing.scan.mutate({
      shipmentId: shipment.id,
      packageId: carton.id,
      data: '(01)09521234543213(30)3',
    });
    expect(scanned).toMatchObject({ result: 'ok', status: 'picking' });
    const shipV2 = (fields: Record<string, unknown>) =>
      admin.trpc.logistics.shipments.ship.mutate({ id: shipment.id, expectedVersion: 2, ...fields });
    await expectApiError(shipV2({}), 'BAD_REQUEST', 'Choose the carrier that takes the shipment');
    const short = await expectApiError(
      shipV2({ carrierId: a.carrier }),
      'CONFLICT',
      '2 items are not fully packed: ship with a backorder for the rest, or pack them first',
    );
    expect(short.data?.fieldErrors).toHaveProperty('backorder');
    const shipped = await shipV2({
      carrierId: a.carrier,
      trackingNumber: ' 00340434161094042557 ',
      backorder: true,
      lateReason: 'Waited for the calipers',
    });
    expect(shipped).toMatchObject({
      status: 'shipped',
      trackingNumber: '00340434161094042557',
      trackingLink: 'https://track.example/?n=00340434161094042557',
      lateReason: 'Waited for the calipers',
      backorder: { number: expect.stringMatching(/^SHP-A1-/) },
    });
    expect(shipped.shippedAt).not.toBeNull();
    const backorder = await admin.trpc.logistics.shipments.get.query({ id: shipped.backorder!.id });
    expect(backorder).toMatchObject({
      status: 'draft',
      backorderOfId: shipment.id,
      backorderOfNumber: shipment.number,
    });
    const original = await admin.trpc.logistics.shipments.get.query({ id: shipment.id });
    expect(
      backorder.items.map((i) => [i.productCode, i.quantity, i.requestNumber, i.backorderOfItemId]),
    ).toEqual([
      ['BRK-100', 2, req.number, original.items[0]!.id],
      ['BRK-200', 2, null, original.items[1]!.id],
    ]);
    expect(original.backorders).toEqual([{ id: backorder.id, number: backorder.number, status: 'draft' }]);
    expect(original.packages.map((p) => p.status)).toEqual(['shipped']);
    // The request shipped three of five; the backorder holds the rest.
    const statuses = await requestStatus([req.id]);
    expect(statuses).toEqual(['partially_shipped']);

    await expectApiError(
      admin.trpc.logistics.shipments.cancel.mutate({
        id: shipment.id,
        expectedVersion: shipped.version,
        reason: 'x',
      }),
      'CONFLICT',
      `${shipment.number} is shipped: only a shipment that has not left can be cancelled`,
    );
    await expectApiError(
      admin.trpc.logistics.shipments.deliver.mutate({
        id: shipment.id,
        expectedVersion: shipped.version,
        deliveredAt: new Date(Date.now() + 3_600_000),
      }),
      'BAD_REQUEST',
      'A delivery cannot be recorded ahead of time',
    );
    const delivered = await admin.trpc.logistics.shipments.deliver.mutate({
      id: shipment.id,
      expectedVersion: shipped.version,
    });
    expect(delivered).toMatchObject({ status: 'delivered' });
    expect(delivered.deliveredAt).not.toBeNull();
  });

  it('cancels a shipment before it leaves, keeping the reason, and frees its requests', async () => {
    const req = await request({ productId: a.caliper, quantity: 2 });
    const make = () =>
      admin.trpc.logistics.shipments.create.mutate({
        plantId: a.plant1,
        customerId: a.customer.customerId,
        shipToId: a.customer.shipToId,
        requests: [{ requestId: req.id }],
      });
    const shipment = await make();
    await expectApiError(
      admin.trpc.logistics.shipments.cancel.mutate({ id: shipment.id, expectedVersion: 1, reason: '  ' }),
      'BAD_REQUEST',
      /Say why it is cancelled/,
    );
    const cancelled = await admin.trpc.logistics.shipments.cancel.mutate({
      id: shipment.id,
      expectedVersion: 1,
      reason: 'Customer moved the order to next week',
    });
    expect(cancelled).toMatchObject({
      status: 'cancelled',
      cancelReason: 'Customer moved the order to next week',
    });
    await expectApiError(
      admin.trpc.logistics.shipments.update.mutate({
        id: shipment.id,
        expectedVersion: 2,
        patch: { note: 'x' },
      }),
      'CONFLICT',
      `${shipment.number} is cancelled: only a draft or a shipment being picked can be changed`,
    );
    expect((await make()).items[0]!.quantity).toBe(2);
  });

  it('keeps shipments to the plants their users reach and to their tenant', async () => {
    const shipment2 = await draft(admin, { plantId: a.plant2 });
    const planner = await signIn(
      app.server.url,
      (await addUser(admin, { roleIds: [app.tenants.a.roleIds.planner!], plantIds: [a.plant1] })).email,
    );
    await expectApiError(planner.trpc.logistics.shipments.get.query({ id: shipment2.id }), 'NOT_FOUND');
    const error = await expectApiError(draft(planner, { plantId: a.plant2 }), 'NOT_FOUND');
    expect(error.data?.fieldErrors).toEqual({ plantId: 'Not found' });
    const listed = await planner.trpc.logistics.shipments.list.query({});
    expect(listed.items.every((s) => s.plantId === a.plant1)).toBe(true);
    expect(listed.items.length).toBeGreaterThan(0);
    await expectApiError(adminB.trpc.logistics.shipments.get.query({ id: shipment2.id }), 'NOT_FOUND');
    expect((await adminB.trpc.logistics.shipments.list.query({})).items).toEqual([]);
    // A planner plans but does not ship: that is the dock's (logistics.pack).
    const own = await draft(planner);
    await expectApiError(
      planner.trpc.logistics.shipments.startPicking.mutate({ id: own.id, expectedVersion: 1 }),
      'FORBIDDEN',
      'This needs the permission logistics.pack',
    );
  });

  it('offers a new shipment’s choices: active customers and carriers, requests with what is left', async () => {
    const partly = await request({ productId: a.rotor, quantity: 10 });
    await draft(admin, { requests: [{ requestId: partly.id, quantity: 4 }], products: [] });
    const choices = await admin.trpc.logistics.shipments.choices.query({ plantId: a.plant1 });
    expect(choices.customers.map((c) => [c.code, c.addresses.map((x) => x.label)])).toEqual([
      ['ACME', ['Main dock', 'Second dock']],
      ['GLOBEX', ['Main dock', 'Second dock']],
    ]);
    expect(choices.carriers.map((c) => c.code)).toEqual(['DHL']);
    expect(choices.requests.find((r) => r.id === partly.id)).toMatchObject({ quantity: 10, open: 6 });
    // Requests wholly on shipments are not offered.
    expect(choices.requests.every((r) => r.open > 0)).toBe(true);
    await expectApiError(adminB.trpc.logistics.shipments.choices.query({ plantId: a.plant1 }), 'NOT_FOUND');
  });

  it('lists by status and customer, pages, and finds a shipment by its number', async () => {
    const cancelled = await admin.trpc.logistics.shipments.list.query({ status: ['cancelled'] });
    expect(cancelled.items.map((s) => s.status)).toEqual(['cancelled']);
    const first = await admin.trpc.logistics.shipments.list.query({ plantId: a.plant1, limit: 2 });
    expect(first.items).toHaveLength(2);
    const next = await admin.trpc.logistics.shipments.list.query({
      plantId: a.plant1,
      limit: 2,
      cursor: first.nextCursor!,
    });
    expect(next.items.map((s) => s.id)).not.toContain(first.items[0]!.id);
    expect(
      (await admin.trpc.logistics.shipments.list.query({ customerId: a.other.customerId })).items,
    ).toEqual([]);
    const number = shipmentNumber('A1', 1);
    const byText = await admin.trpc.logistics.shipments.list.query({ text: number });
    expect(byText.items.map((s) => s.number)).toEqual([number]);
    const found = await admin.trpc.search.query.query({ q: number });
    expect(JSON.stringify(found)).toContain(number);
  });

  async function requestStatus(ids: string[]) {
    return app.database.db.transact({ tenantId: app.tenants.a.tenantId, plantIds: 'all' }, async (tx) =>
      (
        await rows<{ status: string }>(
          tx,
          sql`select status from delivery_requests where id in (${sql.join(
            ids.map((id) => sql`${id}::uuid`),
            sql`, `,
          )})`,
        )
      ).map((r) => r.status),
    );
  }
});

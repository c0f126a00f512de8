import { beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, addUser, signIn } from '../../testing/api.js';
import { expectApiError } from '../../testing/api-assertions.js';
import { useTestApp } from '../../testing/app.js';
import { auditTrail, expectEntries } from '../../testing/audit-entries.js';
import { testEngines } from '../../testing/engines.js';

/*
 * Change orders through the API (docs/change-orders.md): numbering, items and their references,
 * effectivity, edits against a version, lists, plant and tenant isolation, search and the audit trail.
 */
describe.each(testEngines)('change orders ($name engine)', (engine) => {
  const app = useTestApp(engine);
  let admin: ApiClient;
  const ids = {} as { brake: string; disc: string; routing: string; otherRouting: string; productB: string };
  const year = new Date().getUTCFullYear();
  const eco = (seq: number) => `ECO-${year}-${String(seq).padStart(5, '0')}`;

  beforeAll(async () => {
    admin = app.admin;
    const product = (client: ApiClient, code: string) =>
      client.trpc.production.products.create.mutate({ code, name: `Product ${code}` }).then((p) => p.id);
    ids.brake = await product(admin, 'BRK-100');
    ids.disc = await product(admin, 'DSC-200');
    ids.productB = await product(app.adminB, 'B-1');
    const routing = (productId: string, code: string) =>
      admin.trpc.production.routings.create
        .mutate({ productId, code, name: code, operations: [{ sequence: 10, code: 'OP10', name: 'Op' }] })
        .then((r) => r.id);
    ids.routing = await routing(ids.brake, 'RT-BRK');
    ids.otherRouting = await routing(ids.disc, 'RT-DSC');
  });

  it('numbers change orders from the change order sequence and starts items at the current revision', async () => {
    const created = await admin.trpc.changeOrders.create.mutate({
      title: 'Thicker caliper wall',
      reason: 'Field cracks at the mounting bolt',
      urgency: 'high',
      items: [
        { productId: ids.brake, routingId: ids.routing, note: 'Wall 4 → 5 mm' },
        { productId: ids.disc },
      ],
    });
    expect(created).toMatchObject({
      number: eco(1),
      title: 'Thicker caliper wall',
      status: 'draft',
      urgency: 'high',
      effectivity: 'immediate',
      effectiveDate: null,
      effectiveLot: null,
      plantId: null,
      ownerId: app.tenants.a.adminUserId,
      ownerName: 'Admin A',
      raisedBy: app.tenants.a.adminUserId,
      implementedAt: null,
      version: 1,
      custom: {},
    });
    expect(created.items).toEqual([
      expect.objectContaining({
        productCode: 'BRK-100',
        currentRevision: 'A',
        routingCode: 'RT-BRK',
        fromRevision: 'A',
        toRevision: null,
        note: 'Wall 4 → 5 mm',
      }),
      expect.objectContaining({ productCode: 'DSC-200', routingId: null, fromRevision: 'A', note: '' }),
    ]);
    const { custom, ...order } = created;
    expect(custom).toEqual({});
    expect(await admin.trpc.changeOrders.get.query({ id: created.id })).toEqual(
      JSON.parse(JSON.stringify(order)),
    );
    const second = await admin.trpc.changeOrders.create.mutate({
      title: 'Second',
      plantId: app.tenants.a.plantIds[0]!,
    });
    expect(second).toMatchObject({ number: eco(2), plantCode: 'A1', items: [] });
  });

  it('refuses products of another tenant, routings of another product and a product listed twice', async () => {
    const foreign = await expectApiError(
      admin.trpc.changeOrders.create.mutate({
        title: 'X',
        items: [{ productId: ids.brake }, { productId: ids.productB }],
      }),
      'NOT_FOUND',
      'Product not found',
    );
    expect(foreign.data?.fieldErrors).toEqual({ 'items.1.productId': 'Not found' });
    const routing = await expectApiError(
      admin.trpc.changeOrders.create.mutate({
        title: 'X',
        items: [{ productId: ids.brake, routingId: ids.otherRouting }],
      }),
      'BAD_REQUEST',
      'A routing belongs to another product',
    );
    expect(routing.data?.fieldErrors).toEqual({ 'items.0.routingId': 'Not a routing of this product' });
    const twice = await expectApiError(
      admin.trpc.changeOrders.create.mutate({
        title: 'X',
        items: [{ productId: ids.disc }, { productId: ids.disc }],
      }),
      'BAD_REQUEST',
    );
    expect(twice.data?.fieldErrors).toEqual({ 'items.1.productId': 'Listed twice' });
    await expectApiError(
      app.adminB.trpc.changeOrders.create.mutate({ title: 'X', plantId: app.tenants.a.plantIds[0]! }),
      'NOT_FOUND',
      'Plant not found',
    );
    // The refused calls took no numbers: a rolled-back number goes to the next change order.
    const next = await admin.trpc.changeOrders.create.mutate({ title: 'After refusals' });
    expect(next.number).toBe(eco(3));
  });

  it('keeps only the effectivity value that applies and asks for the one that is missing', async () => {
    const missing = await expectApiError(
      admin.trpc.changeOrders.create.mutate({ title: 'Dated', effectivity: 'date' }),
      'BAD_REQUEST',
      'Give the date the change takes effect',
    );
    expect(missing.data?.fieldErrors).toEqual({ effectiveDate: 'Enter a date' });
    const byLot = await admin.trpc.changeOrders.create.mutate({
      title: 'From a lot',
      effectivity: 'lot',
      effectiveLot: 'LOT-77',
      effectiveDate: '2027-01-01',
    });
    expect(byLot).toMatchObject({ effectivity: 'lot', effectiveLot: 'LOT-77', effectiveDate: null });
    const dated = await admin.trpc.changeOrders.update.mutate({
      id: byLot.id,
      expectedVersion: 1,
      patch: { effectivity: 'date', effectiveDate: '2027-02-01' },
    });
    expect(dated).toMatchObject({ effectivity: 'date', effectiveDate: '2027-02-01', effectiveLot: null });
    await expectApiError(
      admin.trpc.changeOrders.update.mutate({
        id: byLot.id,
        expectedVersion: 2,
        patch: { effectivity: 'lot' },
      }),
      'BAD_REQUEST',
      'Give the first lot made to the change',
    );
  });

  it('edits against the version seen, adds and removes items, and audits only what changed', async () => {
    const trail = auditTrail(app.database.db, app.tenants.a);
    const order = await admin.trpc.changeOrders.create.mutate({
      title: 'Edited',
      items: [{ productId: ids.brake }],
    });
    const brakeItem = order.items[0]!.id;
    const entries = await trail.during(async () => {
      const edited = await admin.trpc.changeOrders.update.mutate({
        id: order.id,
        expectedVersion: 1,
        patch: { title: 'Edited twice', urgency: 'emergency', reason: '' },
        removeItemIds: [brakeItem],
        addItems: [{ productId: ids.brake, routingId: ids.routing }, { productId: ids.disc }],
      });
      expect(edited.version).toBe(2);
      expect(edited.items.map((i) => [i.productCode, i.routingCode])).toEqual([
        ['BRK-100', 'RT-BRK'],
        ['DSC-200', null],
      ]);
    });
    expectEntries(entries, [
      {
        action: 'change_order.update',
        entityType: 'change_order',
        entityId: order.id,
        entityLabel: order.number,
        oldValues: { title: 'Edited', urgency: 'normal', items: ['BRK-100'] },
        newValues: { title: 'Edited twice', urgency: 'emergency', items: ['BRK-100 (RT-BRK)', 'DSC-200'] },
      },
    ]);
    const stale = await expectApiError(
      admin.trpc.changeOrders.update.mutate({ id: order.id, expectedVersion: 1, patch: { title: 'Lost' } }),
      'CONFLICT',
    );
    expect(stale.message).toBe(
      `${order.number} was changed by someone else since you opened it; reload it and make your change again`,
    );
    const again = await expectApiError(
      admin.trpc.changeOrders.update.mutate({
        id: order.id,
        expectedVersion: 2,
        addItems: [{ productId: ids.disc }],
      }),
      'BAD_REQUEST',
    );
    expect(again.data?.fieldErrors).toEqual({ 'addItems.0.productId': 'Already an item' });
    const gone = await expectApiError(
      admin.trpc.changeOrders.update.mutate({ id: order.id, expectedVersion: 2, removeItemIds: [brakeItem] }),
      'NOT_FOUND',
    );
    expect(gone.data?.fieldErrors).toEqual({ 'removeItemIds.0': 'Not an item of this change order' });
    await expectApiError(
      admin.trpc.changeOrders.update.mutate({ id: order.id, expectedVersion: 2 }),
      'BAD_REQUEST',
      /Nothing to change/,
    );
    expect((await admin.trpc.changeOrders.get.query({ id: order.id })).title).toBe('Edited twice');
  });

  it('lists with filters, newest first, a page at a time', async () => {
    const list = admin.trpc.changeOrders.list.query;
    const numbers = (page: { items: { number: string }[] }) => page.items.map((o) => o.number);
    const all = await list({});
    expect(all.items.length).toBeGreaterThan(4);
    expect(all.items.map((o) => o.createdAt)).toEqual(
      [...all.items.map((o) => o.createdAt)].sort().reverse(),
    );
    expect(numbers(await list({ urgency: ['high'] }))).toEqual([eco(1)]);
    expect(numbers(await list({ productId: ids.disc }))).toEqual(
      all.items.filter((o) => o.productCodes.includes('DSC-200')).map((o) => o.number),
    );
    expect((await list({ productId: ids.disc })).items.length).toBe(2);
    expect(numbers(await list({ text: 'caliper WALL' }))).toEqual([eco(1)]);
    expect(numbers(await list({ text: `${year}-00001` }))).toEqual([eco(1)]);
    expect(numbers(await list({ text: '100%' }))).toEqual([]);
    expect(numbers(await list({ plantId: app.tenants.a.plantIds[0]! }))).toEqual([eco(2)]);
    expect((await list({ status: ['draft'] })).items.length).toBe(all.items.length);
    expect((await list({ status: ['approved'] })).items).toEqual([]);
    const pages: string[][] = [];
    let cursor: string | undefined;
    do {
      const page = await list({ limit: 2, ...(cursor === undefined ? {} : { cursor }) });
      pages.push(numbers(page));
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    expect(pages.flat()).toEqual(numbers(all));
    expect(pages[0]).toHaveLength(2);
  });

  it('hides a plant’s change orders from users outside it, and lets readers read but not write', async () => {
    const [plant1, plant2] = app.tenants.a.plantIds as [string, string];
    const inPlant2 = await admin.trpc.changeOrders.create.mutate({ title: 'Plant 2 only', plantId: plant2 });
    const tenantWide = await admin.trpc.changeOrders.create.mutate({ title: 'Everywhere' });
    const eng = await addUser(admin, { roleIds: [app.tenants.a.roleIds.engineer!], plantIds: [plant1] });
    const engineer = await signIn(app.server.url, eng.email);
    await expectApiError(
      engineer.trpc.changeOrders.get.query({ id: inPlant2.id }),
      'NOT_FOUND',
      'Change order not found',
    );
    await expectApiError(
      engineer.trpc.changeOrders.update.mutate({
        id: inPlant2.id,
        expectedVersion: 1,
        patch: { title: 'x' },
      }),
      'NOT_FOUND',
    );
    const seen = (await engineer.trpc.changeOrders.list.query({ limit: 200 })).items.map((o) => o.id);
    expect(seen).toContain(tenantWide.id);
    expect(seen).not.toContain(inPlant2.id);
    await expectApiError(
      engineer.trpc.changeOrders.create.mutate({ title: 'x', plantId: plant2 }),
      'NOT_FOUND',
      'Plant not found',
    );
    const q = await addUser(admin, { roleIds: [app.tenants.a.roleIds.quality!], plantIds: [plant1, plant2] });
    const quality = await signIn(app.server.url, q.email);
    expect((await quality.trpc.changeOrders.get.query({ id: inPlant2.id })).title).toBe('Plant 2 only');
    await expectApiError(
      quality.trpc.changeOrders.create.mutate({ title: 'x' }),
      'FORBIDDEN',
      'This needs the permission changes.manage',
    );
    // Tenant B sees none of it, and numbers its own from 1.
    expect((await app.adminB.trpc.changeOrders.list.query({})).items).toEqual([]);
    await expectApiError(app.adminB.trpc.changeOrders.get.query({ id: tenantWide.id }), 'NOT_FOUND');
    expect((await app.adminB.trpc.changeOrders.create.mutate({ title: 'B' })).number).toBe(eco(1));
  });

  it('finds change orders by number and title in search, for those who may read them', async () => {
    const search = (client: ApiClient, q: string) =>
      client.trpc.search.query
        .query({ q })
        .then((a) => a.groups.flatMap((g) => g.results).filter((r) => r.entityType === 'change_order'));
    const byNumber = await search(admin, eco(1));
    expect(byNumber[0]).toMatchObject({ code: eco(1), title: 'Thicker caliper wall' });
    expect(byNumber[0]?.link).toMatch(/^\/change-orders\//);
    expect((await search(admin, 'caliper')).map((r) => r.code)).toContain(eco(1));
    const op = await addUser(admin, {
      roleIds: [app.tenants.a.roleIds.operator!],
      plantIds: app.tenants.a.plantIds,
    });
    expect(await search(await signIn(app.server.url, op.email), eco(1))).toEqual([]);
  });

  it('audits the creation with its items and custom values', async () => {
    await admin.trpc.config.fields.create.mutate({
      entityType: 'change_order',
      key: 'cost',
      label: 'Cost',
      type: 'decimal',
    });
    const trail = auditTrail(app.database.db, app.tenants.a);
    let id = '';
    const entries = await trail.during(async () => {
      const created = await admin.trpc.changeOrders.create.mutate({
        title: 'Audited',
        reason: 'Supplier change',
        items: [{ productId: ids.disc }],
        custom: { cost: 1200 },
      });
      id = created.id;
      expect(created.custom).toEqual({ cost: 1200 });
    });
    expectEntries(entries, [
      {
        action: 'change_order.create',
        entityId: id,
        oldValues: null,
        newValues: expect.objectContaining({ title: 'Audited', items: ['DSC-200'], urgency: 'normal' }),
        // The change order's reason is the call's reason too.
        reason: 'Supplier change',
      },
      { action: 'change_order.custom-values-change', entityId: id, newValues: { cost: 1200 } },
    ]);
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, addUser, signIn } from '../../testing/api.js';
import { expectApiError } from '../../testing/api-assertions.js';
import { type Tenants, type TestServer, useTestApp } from '../../testing/app.js';
import { testEngines } from '../../testing/engines.js';

/*
 * Production orders through the API: numbering from the production_order sequence or a
 * given unique number, filters and pages, the status life cycle, lines of the order's plant only,
 * and plant and tenant isolation by row-level security.
 */
describe.each(testEngines)('production orders ($name engine)', (engine) => {
  const app = useTestApp(engine);
  let tenants: Tenants;
  let server: TestServer;
  let adminA: ApiClient;
  let adminB: ApiClient;
  const a = {} as {
    plant1: string;
    plant2: string;
    line1: string;
    line2: string;
    brake: string;
    disc: string;
  };
  const b = {} as { line: string; product: string };
  /** Numbers are counted per year of the plant's (here UTC) local date, taken when the order is created. */
  const year = new Date().getUTCFullYear();
  const po = (plant: string, seq: number) => `PO-${plant}-${year}-${String(seq).padStart(5, '0')}`;

  beforeAll(async () => {
    ({ tenants, server, admin: adminA, adminB } = app);
    [a.plant1, a.plant2] = tenants.a.plantIds as [string, string];
    const line = (client: ApiClient, plantId: string, code: string) =>
      client.trpc.masterdata.lines.create.mutate({ plantId, code, name: code }).then((l) => l.id);
    const product = (client: ApiClient, code: string) =>
      client.trpc.production.products.create.mutate({ code, name: code }).then((p) => p.id);
    a.line1 = await line(adminA, a.plant1, 'L1');
    a.line2 = await line(adminA, a.plant2, 'L2');
    a.brake = await product(adminA, 'BRK-100');
    a.disc = await product(adminA, 'DSC-200');
    b.line = await line(adminB, tenants.b.plantIds[0]!, 'L1');
    b.product = await product(adminB, 'B-1');
  });

  it('numbers orders per plant from the production order sequence', async () => {
    const create = (plantId: string) =>
      adminA.trpc.production.orders.create.mutate({ plantId, productId: a.brake, quantity: 100 });
    const first = await create(a.plant1);
    expect(first).toMatchObject({
      number: po('A1', 1),
      plantId: a.plant1,
      plantCode: 'A1',
      productCode: 'BRK-100',
      lineId: null,
      quantity: 100,
      status: 'planned',
    });
    expect((await create(a.plant1)).number).toBe(po('A1', 2));
    expect((await create(a.plant2)).number).toBe(po('A2', 1));
    // The create also returns the order's custom values (none are defined here); get returns the order.
    const { custom, ...order } = first;
    expect(custom).toEqual({});
    expect(await adminA.trpc.production.orders.get.query({ id: first.id })).toEqual(order);
  });

  it('takes a given number once, and numbering skips a number given by hand', async () => {
    const order = await adminA.trpc.production.orders.create.mutate({
      plantId: a.plant1,
      number: ' SAP-4711 ',
      productId: a.disc,
      lineId: a.line1,
      quantity: 12.5,
      note: 'From the ERP',
    });
    expect(order).toMatchObject({ number: 'SAP-4711', lineCode: 'L1', quantity: 12.5, note: 'From the ERP' });
    const taken = await expectApiError(
      adminA.trpc.production.orders.create.mutate({
        plantId: a.plant2,
        number: 'SAP-4711',
        productId: a.disc,
        quantity: 1,
      }),
      'CONFLICT',
      'That order number is already in use',
    );
    expect(taken.data?.fieldErrors).toEqual({ number: 'Already in use' });

    await adminA.trpc.production.orders.create.mutate({
      plantId: a.plant1,
      number: po('A1', 3),
      productId: a.disc,
      quantity: 1,
    });
    const next = await adminA.trpc.production.orders.create.mutate({
      plantId: a.plant1,
      productId: a.disc,
      quantity: 1,
    });
    expect(next.number).toBe(po('A1', 4));
  });

  it('refuses a line of another plant or tenant, and another tenant’s product, as field errors', async () => {
    const otherPlant = await expectApiError(
      adminA.trpc.production.orders.create.mutate({
        plantId: a.plant1,
        lineId: a.line2,
        productId: a.brake,
        quantity: 1,
      }),
      'BAD_REQUEST',
      'The line is not a line of the order’s plant',
    );
    expect(otherPlant.data?.fieldErrors).toEqual({ lineId: 'Not in this plant' });
    const otherTenant = await expectApiError(
      adminA.trpc.production.orders.create.mutate({
        plantId: a.plant1,
        lineId: b.line,
        productId: a.brake,
        quantity: 1,
      }),
      'BAD_REQUEST',
    );
    expect(otherTenant.data?.fieldErrors).toEqual({ lineId: 'Not in this plant' });
    const product = await expectApiError(
      adminA.trpc.production.orders.create.mutate({ plantId: a.plant1, productId: b.product, quantity: 1 }),
      'NOT_FOUND',
      'Product not found',
    );
    expect(product.data?.fieldErrors).toEqual({ productId: 'Not found' });
    const [order] = (await adminA.trpc.production.orders.list.query({ plantId: a.plant1, limit: 1 })).items;
    const moved = await expectApiError(
      adminA.trpc.production.orders.update.mutate({ id: order!.id, patch: { lineId: a.line2 } }),
      'BAD_REQUEST',
    );
    expect(moved.data?.fieldErrors).toEqual({ lineId: 'Not in this plant' });
    // The refused attempts took no numbers: a rolled-back number goes to the next order.
    const next = await adminA.trpc.production.orders.create.mutate({
      plantId: a.plant1,
      productId: a.brake,
      quantity: 1,
    });
    expect(next.number).toBe(po('A1', 5));
  });

  it('checks quantities and the planned window', async () => {
    const zero = await expectApiError(
      adminA.trpc.production.orders.create.mutate({ plantId: a.plant1, productId: a.brake, quantity: 0 }),
      'BAD_REQUEST',
    );
    expect(zero.data?.fieldErrors).toEqual({ quantity: 'Must be above zero' });
    const window = await expectApiError(
      adminA.trpc.production.orders.create.mutate({
        plantId: a.plant1,
        productId: a.brake,
        quantity: 1,
        plannedStart: new Date('2026-12-01T08:00:00Z'),
        plannedEnd: new Date('2026-12-01T06:00:00Z'),
      }),
      'BAD_REQUEST',
      'The planned end must come after the planned start',
    );
    expect(window.data?.fieldErrors).toEqual({ plannedEnd: 'Not after the planned start' });
  });

  it('moves orders through their life cycle and refuses other transitions', async () => {
    const order = await adminA.trpc.production.orders.create.mutate({
      plantId: a.plant2,
      productId: a.brake,
      lineId: a.line2,
      quantity: 50,
      plannedStart: new Date('2026-12-01T06:00:00Z'),
      plannedEnd: new Date('2026-12-01T14:00:00Z'),
    });
    const setStatus = (status: 'planned' | 'released' | 'in_progress' | 'completed' | 'cancelled') =>
      adminA.trpc.production.orders.update.mutate({ id: order.id, patch: { status } });
    const skipped = await expectApiError(
      setStatus('in_progress'),
      'CONFLICT',
      'A planned order can become released or cancelled, not in progress',
    );
    expect(skipped.data?.fieldErrors).toEqual({
      status: 'A planned order can become released or cancelled, not in progress',
    });
    expect((await setStatus('released')).status).toBe('released');
    await expectApiError(
      setStatus('planned'),
      'CONFLICT',
      'A released order can become in progress or cancelled, not planned',
    );
    expect((await setStatus('in_progress')).status).toBe('in_progress');
    await expectApiError(
      setStatus('released'),
      'CONFLICT',
      'An order in progress can become completed or cancelled, not released',
    );
    const changed = await adminA.trpc.production.orders.update.mutate({
      id: order.id,
      patch: { quantity: 60, plannedEnd: new Date('2026-12-01T16:00:00Z') },
    });
    expect(changed).toMatchObject({ status: 'in_progress', quantity: 60 });
    expect(new Date(changed.plannedEnd as unknown as string).toISOString()).toBe('2026-12-01T16:00:00.000Z');
    await expectApiError(
      adminA.trpc.production.orders.update.mutate({
        id: order.id,
        patch: { plannedEnd: new Date('2026-12-01T05:00:00Z') },
      }),
      'BAD_REQUEST',
      'The planned end must come after the planned start',
    );
    expect((await setStatus('completed')).status).toBe('completed');
    await expectApiError(
      setStatus('cancelled'),
      'CONFLICT',
      'A completed order is closed; it no longer changes',
    );
    await expectApiError(
      adminA.trpc.production.orders.update.mutate({ id: order.id, patch: { note: 'late' } }),
      'CONFLICT',
      'A completed order is closed; it no longer changes',
    );

    const other = await adminA.trpc.production.orders.create.mutate({
      plantId: a.plant2,
      productId: a.brake,
      quantity: 5,
    });
    await adminA.trpc.production.orders.update.mutate({ id: other.id, patch: { status: 'released' } });
    expect(
      (await adminA.trpc.production.orders.update.mutate({ id: other.id, patch: { status: 'cancelled' } }))
        .status,
    ).toBe('cancelled');
    await expectApiError(
      adminA.trpc.production.orders.update.mutate({ id: other.id, patch: { status: 'released' } }),
      'CONFLICT',
      'A cancelled order is closed; it no longer changes',
    );
  });

  it('lists with filters, newest first, a page at a time', async () => {
    const due = (day: number) => new Date(Date.UTC(2027, 0, day, 12));
    const created = [];
    for (let day = 1; day <= 5; day++)
      created.push(
        await adminA.trpc.production.orders.create.mutate({
          plantId: a.plant1,
          productId: day % 2 === 0 ? a.disc : a.brake,
          lineId: day <= 2 ? a.line1 : null,
          quantity: day,
          dueAt: due(day),
        }),
      );
    const list = adminA.trpc.production.orders.list.query;
    const numbers = (page: { items: { number: string }[] }) => page.items.map((o) => o.number);
    const newestFirst = created.map((o) => o.number).reverse();

    const inWindow = await list({ dueFrom: due(1), dueTo: due(5) });
    expect(numbers(inWindow)).toEqual(newestFirst.slice(1));
    expect(numbers(await list({ dueFrom: due(1), productId: a.disc }))).toEqual([
      created[3]!.number,
      created[1]!.number,
    ]);
    expect(numbers(await list({ dueFrom: due(1), lineId: a.line1 }))).toEqual([
      created[1]!.number,
      created[0]!.number,
    ]);
    expect(numbers(await list({ dueFrom: due(1), plantId: a.plant2 }))).toEqual([]);
    expect((await list({ status: ['completed'] })).items.every((o) => o.status === 'completed')).toBe(true);
    expect((await list({ status: ['completed', 'cancelled'] })).items).toHaveLength(2);

    const pages: string[][] = [];
    let cursor: string | undefined;
    do {
      const page = await list({ dueFrom: due(1), limit: 2, ...(cursor === undefined ? {} : { cursor }) });
      pages.push(numbers(page));
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    expect(pages).toEqual([newestFirst.slice(0, 2), newestFirst.slice(2, 4), newestFirst.slice(4)]);

    const all = await list({});
    expect(all.items.length).toBeGreaterThan(10);
    expect(all.items.map((o) => o.createdAt)).toEqual(
      [...all.items.map((o) => o.createdAt)].sort().reverse(),
    );
    await expectApiError(list({ limit: 201 }), 'BAD_REQUEST');
  });

  it('hides orders of plants outside a user’s access, and lets readers read but not write', async () => {
    const plant2Order = (await adminA.trpc.production.orders.list.query({ plantId: a.plant2, limit: 1 }))
      .items[0]!;
    const eng = await addUser(adminA, { roleIds: [tenants.a.roleIds.engineer!], plantIds: [a.plant1] });
    const engineer = await signIn(server.url, eng.email);
    await expectApiError(
      engineer.trpc.production.orders.get.query({ id: plant2Order.id }),
      'NOT_FOUND',
      'Production order not found',
    );
    await expectApiError(
      engineer.trpc.production.orders.update.mutate({ id: plant2Order.id, patch: { note: 'x' } }),
      'NOT_FOUND',
      'Production order not found',
    );
    await expectApiError(
      engineer.trpc.production.orders.create.mutate({ plantId: a.plant2, productId: a.brake, quantity: 1 }),
      'NOT_FOUND',
      'Plant not found',
    );
    const seen = await engineer.trpc.production.orders.list.query({ limit: 200 });
    expect(seen.items.length).toBeGreaterThan(0);
    expect(seen.items.every((o) => o.plantId === a.plant1)).toBe(true);

    const op = await addUser(adminA, { roleIds: [tenants.a.roleIds.operator!], plantIds: [a.plant1] });
    const operator = await signIn(server.url, op.email);
    expect((await operator.trpc.production.orders.list.query({})).items.length).toBeGreaterThan(0);
    await expectApiError(
      operator.trpc.production.orders.create.mutate({ plantId: a.plant1, productId: a.brake, quantity: 1 }),
      'FORBIDDEN',
      'This needs the permission masterdata.manage',
    );
  });

  it('keeps tenants apart: B neither sees nor changes A’s orders, and numbers its own from 1', async () => {
    const [orderA] = (await adminA.trpc.production.orders.list.query({ limit: 1 })).items;
    await expectApiError(adminB.trpc.production.orders.get.query({ id: orderA!.id }), 'NOT_FOUND');
    await expectApiError(
      adminB.trpc.production.orders.update.mutate({ id: orderA!.id, patch: { status: 'cancelled' } }),
      'NOT_FOUND',
    );
    expect((await adminB.trpc.production.orders.list.query({})).items).toEqual([]);
    await expectApiError(
      adminB.trpc.production.orders.create.mutate({ plantId: a.plant1, productId: b.product, quantity: 1 }),
      'NOT_FOUND',
      'Plant not found',
    );
    const own = await adminB.trpc.production.orders.create.mutate({
      plantId: tenants.b.plantIds[0]!,
      productId: b.product,
      lineId: b.line,
      quantity: 1,
    });
    expect(own.number).toBe(po('B1', 1));
    // The same number in another tenant is no conflict: numbers are unique per tenant.
    expect(
      (
        await adminB.trpc.production.orders.create.mutate({
          plantId: tenants.b.plantIds[0]!,
          number: 'SAP-4711',
          productId: b.product,
          quantity: 1,
        })
      ).number,
    ).toBe('SAP-4711');
    expect((await adminA.trpc.production.orders.get.query({ id: orderA!.id })).status).toBe(orderA!.status);
  });
});

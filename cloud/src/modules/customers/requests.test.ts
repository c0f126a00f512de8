import { tables } from '@plantline/schema';
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, addUser, signIn } from '../../testing/api.js';
import { expectApiError } from '../../testing/api-assertions.js';
import { useTestApp } from '../../testing/app.js';
import { auditTrail, expectEntries } from '../../testing/audit-entries.js';
import { testEngines } from '../../testing/engines.js';

/*
 * Delivery requests and promises through the API (docs/logistics.md, "Customers and delivery
 * requests"): numbering, references of the customer and the plant in reach, the promise history
 * with its reasons, edits against a stale version, cancelling, the list's filters and paging,
 * custom values and search. request-status.test.ts follows a request through shipping.
 */

/** A date `days` from today in UTC, the test plants' zone. */
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

describe.each(testEngines)('delivery requests ($name engine)', (engine) => {
  const app = useTestApp(engine);
  let admin: ApiClient;
  let adminB: ApiClient;
  const a = {} as {
    plant1: string;
    plant2: string;
    product: string;
    acme: string;
    acmeMain: string;
    acmeDock: string;
    north: string;
    northMain: string;
  };
  const year = new Date().getUTCFullYear();
  const drNumber = (plant: string, seq: number) => `DR-${plant}-${year}-${String(seq).padStart(5, '0')}`;
  const r = () => admin.trpc.logistics.requests;

  beforeAll(async () => {
    ({ admin, adminB } = app);
    [a.plant1, a.plant2] = app.tenants.a.plantIds as [string, string];
    a.product = (await admin.trpc.production.products.create.mutate({ code: 'BRK-100', name: 'Caliper' })).id;
    const customer = async (code: string) => {
      const { id } = await admin.trpc.logistics.customers.create.mutate({ code, name: `${code} Ltd` });
      const main = await admin.trpc.logistics.customers.addresses.add.mutate({
        customerId: id,
        label: 'Main',
        name: `${code} main`,
        country: 'DE',
      });
      return { id, main: main.id };
    };
    ({ id: a.acme, main: a.acmeMain } = await customer('ACME'));
    ({ id: a.north, main: a.northMain } = await customer('NORTH'));
    a.acmeDock = (
      await admin.trpc.logistics.customers.addresses.add.mutate({
        customerId: a.acme,
        label: 'Dock 4',
        name: 'ACME dock',
        country: 'DE',
      })
    ).id;
  });

  const newRequest = (fields: Partial<Parameters<ReturnType<typeof r>['create']['mutate']>[0]> = {}) =>
    r().create.mutate({
      plantId: a.plant1,
      customerId: a.acme,
      productId: a.product,
      quantity: 10,
      requestedDate: inDays(7),
      ...fields,
    });

  it('numbers requests per plant, ships to the default address unless told, and keeps custom values', async () => {
    await admin.trpc.config.fields.create.mutate({
      entityType: 'delivery_request',
      key: 'incoterm',
      label: 'Incoterm',
      type: 'text',
    });
    const first = await newRequest({ customerPo: 'PO-4711', custom: { incoterm: 'FCA' } });
    expect(first).toMatchObject({
      number: drNumber('A1', 1),
      plantCode: 'A1',
      customerCode: 'ACME',
      shipToId: a.acmeMain,
      shipToLabel: 'Main',
      productCode: 'BRK-100',
      quantity: 10,
      shippedQuantity: 0,
      requestedDate: inDays(7),
      firstPromisedDate: null,
      latestPromisedDate: null,
      dueDate: inDays(7),
      status: 'open',
      customerPo: 'PO-4711',
      createdBy: app.tenants.a.adminUserId,
      createdByName: 'Admin A',
      version: 1,
      custom: { incoterm: 'FCA' },
    });
    expect((await newRequest({ shipToId: a.acmeDock, quantity: 2.5 })).number).toBe(drNumber('A1', 2));
    expect((await newRequest({ plantId: a.plant2 })).number).toBe(drNumber('A2', 1));
    expect((await r().get.query({ id: first.id })).shipToLabel).toBe('Main');
  });

  it('refuses references of another customer, tenant or plant, each on its field', async () => {
    const refused = async (
      call: Promise<unknown>,
      code: 'BAD_REQUEST' | 'NOT_FOUND',
      fieldErrors: Record<string, string>,
    ) => expect((await expectApiError(call, code)).data?.fieldErrors).toEqual(fieldErrors);
    await refused(newRequest({ shipToId: a.northMain }), 'BAD_REQUEST', { shipToId: 'Not this customer’s' });
    const productB = (await adminB.trpc.production.products.create.mutate({ code: 'B-1', name: 'B' })).id;
    await refused(newRequest({ productId: productB }), 'NOT_FOUND', { productId: 'Not found' });
    await refused(newRequest({ plantId: app.tenants.b.plantIds[0]! }), 'NOT_FOUND', { plantId: 'Not found' });
    const bare = await admin.trpc.logistics.customers.create.mutate({ code: 'BARE', name: 'No addresses' });
    await refused(newRequest({ customerId: bare.id }), 'BAD_REQUEST', { shipToId: 'Choose an address' });
    await admin.trpc.logistics.customers.deactivate.mutate({ id: bare.id });
    await refused(newRequest({ customerId: bare.id }), 'BAD_REQUEST', { customerId: 'Deactivated' });
    const gone = await admin.trpc.logistics.customers.addresses.add.mutate({
      customerId: a.acme,
      label: 'Closed site',
      name: 'Closed',
      country: 'DE',
    });
    await admin.trpc.logistics.customers.addresses.deactivate.mutate({ id: gone.id });
    await refused(newRequest({ shipToId: gone.id }), 'BAD_REQUEST', { shipToId: 'Deactivated' });
    await expectApiError(newRequest({ quantity: 0 }), 'BAD_REQUEST', /More than 0/);
    await expectApiError(newRequest({ requestedDate: '2026-02-30' }), 'BAD_REQUEST', /Use a date like/);
    await expectApiError(newRequest({ customerPo: 'x'.repeat(65) }), 'BAD_REQUEST');
    // A planner of plant 1 only: plant 2 is out of reach.
    const planner = await signIn(
      app.server.url,
      (await addUser(admin, { roleIds: [app.tenants.a.roleIds.planner!], plantIds: [a.plant1] })).email,
    );
    await expectApiError(
      planner.trpc.logistics.requests.create.mutate({
        plantId: a.plant2,
        customerId: a.acme,
        productId: a.product,
        quantity: 1,
        requestedDate: inDays(3),
      }),
      'NOT_FOUND',
      'Plant not found',
    );
    // Refused creates took no numbers.
    expect((await newRequest()).number).toBe(drNumber('A1', 3));
  });

  it('promises a date, then re-promises only with a reason; the history keeps both', async () => {
    const request = await newRequest({ requestedDate: inDays(5) });
    const trail = auditTrail(app.database.db, app.tenants.a);
    const promised = await trail.during(() =>
      r().promise.mutate({ requestId: request.id, promisedDate: inDays(6) }),
    );
    expectEntries(promised, [
      {
        action: 'delivery_request.promise',
        entityId: request.id,
        entityLabel: request.number,
        plantId: a.plant1,
        oldValues: null,
        newValues: { promisedDate: inDays(6) },
        reason: null,
      },
    ]);
    const noReason = await expectApiError(
      r().promise.mutate({ requestId: request.id, promisedDate: inDays(8) }),
      'BAD_REQUEST',
      'Say why the promised date moves',
    );
    expect(noReason.data?.fieldErrors).toEqual({ reason: 'Say why the promised date moves' });
    await expectApiError(
      r().promise.mutate({ requestId: request.id, promisedDate: inDays(6), reason: 'Same again' }),
      'BAD_REQUEST',
      `${inDays(6)} is already the promised date`,
    );
    await expectApiError(
      r().promise.mutate({ requestId: request.id, promisedDate: inDays(-1), reason: 'Yesterday' }),
      'BAD_REQUEST',
      `A promise is a date from today (${inDays(0)}) on`,
    );
    const moved = await trail.during(() =>
      r().promise.mutate({
        requestId: request.id,
        promisedDate: inDays(9),
        reason: 'Press L1 down two days',
      }),
    );
    expectEntries(moved, [
      {
        action: 'delivery_request.promise',
        oldValues: { promisedDate: inDays(6) },
        newValues: { promisedDate: inDays(9) },
        reason: 'Press L1 down two days',
      },
    ]);
    const got = await r().get.query({ id: request.id });
    expect(got.promises.map((p) => [p.promisedDate, p.reason, p.promisedByName])).toEqual([
      [inDays(6), '', 'Admin A'],
      [inDays(9), 'Press L1 down two days', 'Admin A'],
    ]);
    expect(got).toMatchObject({
      requestedDate: inDays(5),
      firstPromisedDate: inDays(6),
      latestPromisedDate: inDays(9),
      dueDate: inDays(9),
      firstPromise: { promisedDate: inDays(6) },
      latestPromise: { promisedDate: inDays(9) },
      // A promise is no edit of the request: an open edit form stays current.
      version: 1,
    });
    // The history is append-only in the database too, whatever the application does.
    await expect(
      app.database.db.transact({ tenantId: app.tenants.a.tenantId, plantIds: 'all' }, (tx) =>
        tx
          .update(tables.deliveryPromises)
          .set({ promisedDate: inDays(6) })
          .where(eq(tables.deliveryPromises.requestId, request.id)),
      ),
    ).rejects.toThrow();
    await expectApiError(
      adminB.trpc.logistics.requests.promise.mutate({ requestId: request.id, promisedDate: inDays(9) }),
      'NOT_FOUND',
      'Delivery request not found',
    );
  });

  it('edits an open request against its version; the requested date never changes', async () => {
    const request = await newRequest({ customerPo: 'PO-1' });
    const edited = await r().update.mutate({
      id: request.id,
      expectedVersion: 1,
      patch: { quantity: 12, customerPo: 'PO-1a' },
      custom: { incoterm: 'DAP' },
    });
    expect(edited).toMatchObject({
      quantity: 12,
      customerPo: 'PO-1a',
      version: 2,
      custom: { incoterm: 'DAP' },
    });
    await expectApiError(
      r().update.mutate({ id: request.id, expectedVersion: 1, patch: { quantity: 3 } }),
      'CONFLICT',
      new RegExp(`^${request.number} was changed since you opened it \\(by Admin A at `),
    );
    // The requested date is not in the patch: a patch of it alone changes nothing and is refused.
    await expectApiError(
      r().update.mutate({ id: request.id, expectedVersion: 2, patch: { requestedDate: inDays(1) } as never }),
      'BAD_REQUEST',
    );
    // Another customer: the request ships to its default address unless told otherwise.
    const moved = await r().update.mutate({
      id: request.id,
      expectedVersion: 2,
      patch: { customerId: a.north },
    });
    expect(moved).toMatchObject({
      customerCode: 'NORTH',
      shipToId: a.northMain,
      requestedDate: request.requestedDate,
    });
    await expectApiError(
      r().update.mutate({ id: request.id, expectedVersion: 3, patch: { shipToId: a.acmeDock } }),
      'BAD_REQUEST',
      'The address is not one of the customer’s',
    );
  });

  it('cancels an open request with its reason; a cancelled request no longer changes', async () => {
    const request = await newRequest();
    await expectApiError(
      r().cancel.mutate({ id: request.id, expectedVersion: 1, reason: ' ' }),
      'BAD_REQUEST',
    );
    const trail = auditTrail(app.database.db, app.tenants.a);
    const cancelled = await trail.during(() =>
      r().cancel.mutate({ id: request.id, expectedVersion: 1, reason: 'Customer ordered twice' }),
    );
    expectEntries(cancelled, [
      {
        action: 'delivery_request.cancel',
        oldValues: { status: 'open', cancelReason: '' },
        newValues: { status: 'cancelled', cancelReason: 'Customer ordered twice' },
        reason: 'Customer ordered twice',
      },
    ]);
    const got = await r().get.query({ id: request.id });
    expect(got).toMatchObject({
      status: 'cancelled',
      cancelReason: 'Customer ordered twice',
      editable: false,
      cancellation: { reason: 'Customer ordered twice', by: 'Admin A' },
    });
    const [stored] = await app.database.db.transact(
      { tenantId: app.tenants.a.tenantId, plantIds: 'all' },
      (tx) =>
        tx
          .select({ cancelReason: tables.deliveryRequests.cancelReason })
          .from(tables.deliveryRequests)
          .where(eq(tables.deliveryRequests.id, request.id)),
    );
    expect(stored?.cancelReason).toBe('Customer ordered twice');
    const closed = `${request.number} is cancelled; it no longer changes`;
    await expectApiError(
      r().update.mutate({ id: request.id, expectedVersion: 2, patch: { quantity: 1 } }),
      'CONFLICT',
      closed,
    );
    await expectApiError(
      r().promise.mutate({ requestId: request.id, promisedDate: inDays(9) }),
      'CONFLICT',
      closed,
    );
    await expectApiError(
      admin.trpc.config.records.setValues.mutate({
        entityType: 'delivery_request',
        entityId: request.id,
        values: { incoterm: 'EXW' },
      }),
      'CONFLICT',
      'The request is shipped or cancelled; its values no longer change',
    );
  });

  it('lists requests by due date with filters and pages; a plant out of reach is not seen', async () => {
    const list = r().list.query;
    const numbers = (page: { items: { number: string }[] }) => page.items.map((q) => q.number);
    const all = (await list({ limit: 200 })).items;
    expect(all.map((q) => q.dueDate)).toEqual(all.map((q) => q.dueDate).sort());
    expect(numbers(await list({ plantId: a.plant2 }))).toEqual([drNumber('A2', 1)]);
    expect((await list({ customerId: a.north })).items.every((q) => q.customerCode === 'NORTH')).toBe(true);
    expect((await list({ status: ['cancelled'] })).items).toHaveLength(1);
    expect(
      (await list({ status: ['open', 'partially_shipped'] })).items.every((q) => q.status !== 'cancelled'),
    ).toBe(true);
    const promised = (await list({ dueFrom: inDays(9), dueTo: inDays(9) })).items;
    expect(promised.map((q) => q.latestPromisedDate)).toEqual([inDays(9)]);
    expect(numbers(await list({ text: 'PO-4711' }))).toEqual([drNumber('A1', 1)]);
    expect(numbers(await list({ text: `A1-${year}-00002` }))).toEqual([drNumber('A1', 2)]);
    expect((await list({ text: 'north' })).items.every((q) => q.customerCode === 'NORTH')).toBe(true);
    const pages: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await list({ limit: 2, ...(cursor === undefined ? {} : { cursor }) });
      pages.push(...numbers(page));
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    expect(pages).toEqual(all.map((q) => q.number));
    // The customer's page lists what is still to ship, of the plants in reach.
    const acme = await admin.trpc.logistics.customers.get.query({ id: a.acme });
    expect(acme.openRequests.length).toBeGreaterThan(0);
    expect(acme.openRequests.every((q) => q.status === 'open' || q.status === 'partially_shipped')).toBe(
      true,
    );
    const reader = await signIn(
      app.server.url,
      (await addUser(admin, { roleIds: [app.tenants.a.roleIds.shipper!], plantIds: [a.plant1] })).email,
    );
    const seen = (await reader.trpc.logistics.requests.list.query({ limit: 200 })).items;
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((q) => q.plantId === a.plant1)).toBe(true);
    const plant2 = all.find((q) => q.plantId === a.plant2)!;
    await expectApiError(reader.trpc.logistics.requests.get.query({ id: plant2.id }), 'NOT_FOUND');
    await expectApiError(
      reader.trpc.logistics.requests.promise.mutate({ requestId: plant2.id, promisedDate: inDays(3) }),
      'FORBIDDEN',
      'This needs the permission logistics.manage',
    );
    expect((await adminB.trpc.logistics.requests.list.query({})).items).toEqual([]);
  });

  it('is found by search by number and PO, only by who may see it', async () => {
    const found = await admin.trpc.search.query.query({ q: drNumber('A1', 1) });
    const requests = found.groups.find((g) => g.entityType === 'delivery_request')?.results ?? [];
    expect(requests[0]).toMatchObject({
      code: drNumber('A1', 1),
      link: expect.stringMatching(/^\/logistics\/requests\//),
    });
    const other = await adminB.trpc.search.query.query({ q: drNumber('A1', 1) });
    expect(other.groups.find((g) => g.entityType === 'delivery_request')).toBeUndefined();
  });
});

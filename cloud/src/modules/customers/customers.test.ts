import { beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, addUser, signIn } from '../../testing/api.js';
import { expectApiError } from '../../testing/api-assertions.js';
import { useTestApp } from '../../testing/app.js';
import { auditTrail, expectEntries } from '../../testing/audit-entries.js';
import { testEngines } from '../../testing/engines.js';

/*
 * Customers, ship-to addresses and carriers through the API (docs/logistics.md, "Customers and
 * delivery requests"): GLN check digits, OTD exceptions, edits against a stale version, one default
 * address per customer, tracking pages, the audit trail, tenant isolation, permissions and search.
 */

/** GLNs of the GS1 example company prefix 0952876, with their check digits. */
const GLN = { acme: '0952876000014', acmeDock: '0952876000021', north: '0952876000038' };

describe.each(testEngines)('customers, addresses and carriers ($name engine)', (engine) => {
  const app = useTestApp(engine);
  let admin: ApiClient;
  let adminB: ApiClient;

  beforeAll(() => {
    ({ admin, adminB } = app);
  });

  it('creates a customer with its GLN, OTD exceptions and custom values, and refuses a wrong check digit', async () => {
    await admin.trpc.config.fields.create.mutate({
      entityType: 'customer',
      key: 'account_manager',
      label: 'Account manager',
      type: 'text',
    });
    const acme = await admin.trpc.logistics.customers.create.mutate({
      code: 'ACME',
      name: ' Acme Brakes GmbH ',
      gln: '0952876 00001 4',
      email: 'orders@acme.example',
      otdPolicy: { lateDays: 2, reference: 'first_promised' },
      custom: { account_manager: 'Pat' },
    });
    expect(acme).toMatchObject({
      code: 'ACME',
      name: 'Acme Brakes GmbH',
      gln: GLN.acme,
      email: 'orders@acme.example',
      phone: '',
      // Only the parts that differ from the tenant's policy, in the policy's order.
      otdPolicy: { reference: 'first_promised', lateDays: 2 },
      isActive: true,
      version: 1,
      custom: { account_manager: 'Pat' },
    });
    const got = await admin.trpc.logistics.customers.get.query({ id: acme.id });
    expect(got).toMatchObject({ code: 'ACME', addresses: [], openRequests: [], moreOpenRequests: false });

    const wrongDigit = await expectApiError(
      admin.trpc.logistics.customers.create.mutate({ code: 'BAD', name: 'Bad', gln: '0952876000015' }),
      'BAD_REQUEST',
    );
    expect(wrongDigit.message).toContain('Wrong check digit: a GLN starting 095287600001 ends in 4');
    await expectApiError(
      admin.trpc.logistics.customers.create.mutate({ code: 'BAD', name: 'Bad', gln: '952876000014' }),
      'BAD_REQUEST',
      /A GLN has 13 digits/,
    );
    await expectApiError(
      admin.trpc.logistics.customers.create.mutate({
        code: 'BAD',
        name: 'Bad',
        otdPolicy: { lateDays: 45 },
      }),
      'BAD_REQUEST',
    );
    await expectApiError(
      admin.trpc.logistics.customers.create.mutate({
        code: 'BAD',
        name: 'Bad',
        otdPolicy: { window: 3 } as never,
      }),
      'BAD_REQUEST',
    );
    await expectApiError(
      admin.trpc.logistics.customers.create.mutate({ code: 'BAD', name: 'x'.repeat(121) }),
      'BAD_REQUEST',
    );
    const taken = await expectApiError(
      admin.trpc.logistics.customers.create.mutate({ code: 'ACME', name: 'Acme again' }),
      'CONFLICT',
    );
    expect(taken.data?.fieldErrors).toEqual({ code: 'Already in use' });
    // Another tenant has codes of its own.
    expect(
      (await adminB.trpc.logistics.customers.create.mutate({ code: 'ACME', name: 'B’s Acme' })).code,
    ).toBe('ACME');
  });

  it('edits a customer against the version its editor saw, naming who changed it since', async () => {
    const customer = await admin.trpc.logistics.customers.create.mutate({ code: 'VERS', name: 'Versioned' });
    const trail = auditTrail(app.database.db, app.tenants.a);
    const edited = await trail.during(() =>
      admin.trpc.logistics.customers.update.mutate({
        id: customer.id,
        expectedVersion: 1,
        patch: { name: 'Versioned Ltd', phone: '+49 30 1234', otdPolicy: { earlyIsLate: true } },
      }),
    );
    expectEntries(edited, [
      {
        action: 'customer.update',
        entityType: 'customer',
        entityId: customer.id,
        entityLabel: 'VERS',
        plantId: null,
        oldValues: { name: 'Versioned', phone: '', otdPolicy: null },
        newValues: { name: 'Versioned Ltd', phone: '+49 30 1234', otdPolicy: { earlyIsLate: true } },
      },
    ]);
    const stale = await expectApiError(
      admin.trpc.logistics.customers.update.mutate({
        id: customer.id,
        expectedVersion: 1,
        patch: { notes: 'x' },
      }),
      'CONFLICT',
      /^Customer VERS was changed since you opened it \(by Admin A at \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC\)/,
    );
    expect(stale.data?.fieldErrors).toEqual({ expectedVersion: 'Changed since you opened it' });
    // No exceptions at all is stored as none; saving what is there writes nothing.
    const cleared = await admin.trpc.logistics.customers.update.mutate({
      id: customer.id,
      expectedVersion: 2,
      patch: { otdPolicy: {} },
    });
    expect(cleared).toMatchObject({ otdPolicy: null, version: 3 });
    expect(
      await trail.during(() =>
        admin.trpc.logistics.customers.update.mutate({
          id: customer.id,
          expectedVersion: 3,
          patch: { name: 'Versioned Ltd' },
        }),
      ),
    ).toEqual([]);
    await expectApiError(
      admin.trpc.logistics.customers.update.mutate({
        id: customer.id,
        expectedVersion: 3,
        patch: { code: 'ACME' },
      }),
      'CONFLICT',
      'That code is already in use here',
    );
    await expectApiError(
      admin.trpc.logistics.customers.update.mutate({ id: customer.id, expectedVersion: 3, patch: {} }),
      'BAD_REQUEST',
    );
    const deactivated = await trail.during(() =>
      admin.trpc.logistics.customers.deactivate.mutate({ id: customer.id }),
    );
    expectEntries(deactivated, [{ action: 'customer.deactivate', newValues: { isActive: false } }]);
    expect((await admin.trpc.logistics.customers.get.query({ id: customer.id })).version).toBe(4);
    await admin.trpc.logistics.customers.reactivate.mutate({ id: customer.id });
  });

  it('keeps one default ship-to address per customer', async () => {
    const customer = await admin.trpc.logistics.customers.create.mutate({ code: 'ADDR', name: 'Addresses' });
    const add = (label: string, extra: { isDefault?: boolean; gln?: string } = {}) =>
      admin.trpc.logistics.customers.addresses.add.mutate({
        customerId: customer.id,
        label,
        name: `Addresses ${label}`,
        city: 'Bremen',
        country: 'de',
        ...extra,
      });
    const main = await add('Main', { gln: GLN.acmeDock });
    expect(main).toMatchObject({ country: 'DE', gln: GLN.acmeDock, isDefault: true, isActive: true });
    const dock = await add('Dock 4');
    expect(dock.isDefault).toBe(false);
    const east = await add('East', { isDefault: true });
    const defaults = async () =>
      (await admin.trpc.logistics.customers.get.query({ id: customer.id })).addresses
        .filter((a) => a.isDefault)
        .map((a) => a.label);
    expect(await defaults()).toEqual(['East']);
    const refused = await expectApiError(
      admin.trpc.logistics.customers.addresses.update.mutate({ id: east.id, patch: { isDefault: false } }),
      'BAD_REQUEST',
    );
    expect(refused.data?.fieldErrors).toEqual({ isDefault: 'Make another address the default instead' });
    await admin.trpc.logistics.customers.addresses.update.mutate({ id: dock.id, patch: { isDefault: true } });
    expect(await defaults()).toEqual(['Dock 4']);
    // The default deactivated: the oldest active address takes over.
    const trail = auditTrail(app.database.db, app.tenants.a);
    const entries = await trail.during(() =>
      admin.trpc.logistics.customers.addresses.deactivate.mutate({ id: dock.id }),
    );
    expectEntries(entries, [
      {
        action: 'customer_address.deactivate',
        entityLabel: 'ADDR · Dock 4',
        oldValues: { isActive: true, isDefault: true },
      },
      { action: 'customer_address.update', entityLabel: 'ADDR · Main', newValues: { isDefault: true } },
    ]);
    expect(await defaults()).toEqual(['Main']);
    await expectApiError(
      admin.trpc.logistics.customers.addresses.update.mutate({ id: dock.id, patch: { isDefault: true } }),
      'BAD_REQUEST',
      'A deactivated address cannot be the default; reactivate it first',
    );
    expect(
      (await admin.trpc.logistics.customers.addresses.reactivate.mutate({ id: dock.id })).isDefault,
    ).toBe(false);
    const renamed = await admin.trpc.logistics.customers.addresses.update.mutate({
      id: dock.id,
      patch: { label: 'Dock 5', postalCode: '28195' },
    });
    expect(renamed).toMatchObject({ label: 'Dock 5', postalCode: '28195', city: 'Bremen', isDefault: false });

    await expectApiError(
      add('Nowhere', { country: 'EU' } as never),
      'BAD_REQUEST',
      /ISO 3166-1 country code/,
    );
    const badGln = await expectApiError(add('Bad GLN', { gln: '0952876000022' }), 'BAD_REQUEST');
    expect(badGln.message).toContain('ends in 1');
    await expectApiError(
      adminB.trpc.logistics.customers.addresses.add.mutate({
        customerId: customer.id,
        label: 'Foreign',
        name: 'Foreign',
        country: 'DE',
      }),
      'NOT_FOUND',
      'Customer not found',
    );
    await expectApiError(
      adminB.trpc.logistics.customers.addresses.deactivate.mutate({ id: main.id }),
      'NOT_FOUND',
      'Address not found',
    );
  });

  it('lists customers by code with words, the active filter and pages', async () => {
    await admin.trpc.logistics.customers.create.mutate({
      code: 'NORTH',
      name: 'Northwind Parts',
      gln: GLN.north,
    });
    const old = await admin.trpc.logistics.customers.create.mutate({ code: 'OLD', name: 'Old Northern' });
    await admin.trpc.logistics.customers.deactivate.mutate({ id: old.id });
    const list = admin.trpc.logistics.customers.list.query;
    const codes = (page: { items: { code: string }[] }) => page.items.map((c) => c.code);
    expect(codes(await list({ text: 'north' }))).toEqual(['NORTH']);
    expect(codes(await list({ text: 'north', active: 'all' }))).toEqual(['NORTH', 'OLD']);
    expect(codes(await list({ text: 'north', active: 'inactive' }))).toEqual(['OLD']);
    expect(codes(await list({ text: '0952876000038' }))).toEqual(['NORTH']);
    expect(codes(await list({ text: 'acme example' }))).toEqual(['ACME']);
    expect(codes(await list({ text: '100%' }))).toEqual([]);
    const addr = (await list({ text: 'ADDR' })).items[0];
    expect(addr).toMatchObject({ defaultCity: 'Bremen', defaultCountry: 'DE', openRequests: 0 });
    const all = codes(await list({ active: 'all' }));
    expect(all).toEqual([...all].sort());
    const pages: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await list({ active: 'all', limit: 2, ...(cursor === undefined ? {} : { cursor }) });
      pages.push(...codes(page));
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    expect(pages).toEqual(all);
  });

  it('keeps carriers with tracking pages that take the tracking number', async () => {
    const carrier = await admin.trpc.logistics.carriers.create.mutate({
      code: 'DHL',
      name: 'DHL Freight',
      trackingUrl: 'https://track.example.com/?id={tracking}',
    });
    expect(carrier).toMatchObject({ code: 'DHL', isActive: true });
    await expectApiError(
      admin.trpc.logistics.carriers.create.mutate({
        code: 'UPS',
        name: 'UPS',
        trackingUrl: 'https://track.example.com/',
      }),
      'BAD_REQUEST',
      /Put \{tracking\} where the tracking number goes/,
    );
    await expectApiError(
      admin.trpc.logistics.carriers.update.mutate({
        id: carrier.id,
        patch: { trackingUrl: 'ftp://x/{tracking}' },
      }),
      'BAD_REQUEST',
    );
    const own = await admin.trpc.logistics.carriers.create.mutate({ code: 'OWN', name: 'Own trucks' });
    expect(own.trackingUrl).toBe('');
    await expectApiError(
      admin.trpc.logistics.carriers.create.mutate({ code: 'DHL', name: 'Again' }),
      'CONFLICT',
      'That code is already in use here',
    );
    const trail = auditTrail(app.database.db, app.tenants.a);
    expectEntries(await trail.during(() => admin.trpc.logistics.carriers.deactivate.mutate({ id: own.id })), [
      { action: 'carrier.deactivate', entityLabel: 'OWN' },
    ]);
    expect((await admin.trpc.logistics.carriers.list.query({})).map((c) => c.code)).toEqual(['DHL']);
    expect(
      (await admin.trpc.logistics.carriers.list.query({ includeInactive: true })).map((c) => c.code),
    ).toEqual(['DHL', 'OWN']);
    expect(await adminB.trpc.logistics.carriers.list.query({})).toEqual([]);
    await expectApiError(
      adminB.trpc.logistics.carriers.update.mutate({ id: carrier.id, patch: { name: 'Mine' } }),
      'NOT_FOUND',
    );
  });

  it('shows customers to logistics.read, lets only logistics.manage change them, and keeps tenants apart', async () => {
    const plantId = app.tenants.a.plantIds[0]!;
    const operator = await signIn(
      app.server.url,
      (await addUser(admin, { roleIds: [app.tenants.a.roleIds.operator!], plantIds: [plantId] })).email,
    );
    expect((await operator.trpc.logistics.customers.list.query({})).items.length).toBeGreaterThan(0);
    await expectApiError(
      operator.trpc.logistics.customers.create.mutate({ code: 'OPS', name: 'Ops' }),
      'FORBIDDEN',
      'This needs the permission logistics.manage',
    );
    const planner = await signIn(
      app.server.url,
      (await addUser(admin, { roleIds: [app.tenants.a.roleIds.planner!], plantIds: [plantId] })).email,
    );
    expect(
      (await planner.trpc.logistics.customers.create.mutate({ code: 'PLAN', name: 'Planned' })).code,
    ).toBe('PLAN');
    const acme = (await admin.trpc.logistics.customers.list.query({ text: 'ACME' })).items[0]!;
    expect((await adminB.trpc.logistics.customers.list.query({})).items.map((c) => c.name)).toEqual([
      'B’s Acme',
    ]);
    await expectApiError(
      adminB.trpc.logistics.customers.get.query({ id: acme.id }),
      'NOT_FOUND',
      'Customer not found',
    );
    await expectApiError(
      adminB.trpc.logistics.customers.update.mutate({
        id: acme.id,
        expectedVersion: 1,
        patch: { name: 'Taken over' },
      }),
      'NOT_FOUND',
    );
  });

  it('is found by search, by code and by name, only within its tenant', async () => {
    const found = await admin.trpc.search.query.query({ q: 'Northwind' });
    const customers = found.groups.find((g) => g.entityType === 'customer')?.results ?? [];
    expect(customers[0]).toMatchObject({
      code: 'NORTH',
      link: expect.stringMatching(/^\/logistics\/customers\//),
    });
    const carriers = (await admin.trpc.search.query.query({ q: 'DHL' })).groups.find(
      (g) => g.entityType === 'carrier',
    );
    expect(carriers?.results[0]).toMatchObject({ code: 'DHL', link: '/logistics/carriers' });
    const other = await adminB.trpc.search.query.query({ q: 'Northwind' });
    expect(other.groups.find((g) => g.entityType === 'customer')).toBeUndefined();
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from './testing/api.js';
import { expectApiError } from './testing/api-assertions.js';
import { useTestApp } from './testing/app.js';
import { testEngines } from './testing/engines.js';
import { TEST_PASSWORD } from './testing/tenants.js';

type Row = Record<string, unknown> & { id: string };

/**
 * One updater: a record made for the test, a patch of one of its fields, and how to read the record
 * back. Everything but the patched field must read the same after the update.
 */
interface Updater {
  name: string;
  create(): Promise<Row>;
  patch: Record<string, unknown>;
  update(id: string, patch: Record<string, unknown>): Promise<unknown>;
  read(id: string): Promise<Row>;
}

const byId = (list: Row[], id: string) => {
  const found = list.find((row) => row.id === id);
  if (found === undefined) throw new Error(`${id} is not in the list`);
  return found;
};

/** A record's fields that change with every write, whatever the patch. */
const BOOKKEEPING = ['version', 'updatedAt'];
const withoutBookkeeping = (row: Row) =>
  Object.fromEntries(Object.entries(row).filter(([key]) => !BOOKKEEPING.includes(key)));

/*
 * A patch changes the fields it names and no other (a create schema's defaults must not creep into
 * its patch: renaming a plant must keep its time zone). Empty patches, and patches of unknown keys
 * only, are refused with a reason instead of failing in the database.
 */
describe.each(testEngines)('every updater ($name engine)', (engine) => {
  const app = useTestApp(engine);
  let admin: ApiClient;
  let plantId: string;
  let lineId: string;
  let productId: string;
  let operationId: string;
  const updaters: Updater[] = [];
  /** The customer of each address the updaters made: its page lists the address. */
  const addressCustomers = new Map<string, string>();

  beforeAll(async () => {
    ({ admin } = app);
    const { tenants } = app;
    const t = admin.trpc;
    plantId = tenants.a.plantIds[0]!;
    const roleIds = tenants.a.roleIds;
    lineId = (await t.masterdata.lines.create.mutate({ plantId, code: 'L-BASE', name: 'Base line' })).id;
    productId = (await t.production.products.create.mutate({ code: 'P-BASE', name: 'Base product' })).id;
    const routing = await t.production.routings.create.mutate({
      productId,
      code: 'RT-BASE',
      name: 'Base routing',
      operations: [{ sequence: 10, code: 'OP10', name: 'Machining' }],
    });
    operationId = (await t.production.routings.list.query({ productId }))
      .find((r) => r.id === routing.id)!
      .operations.find((o) => o.code === 'OP10')!.id;

    let n = 0;
    const next = () => ++n;
    updaters.push(
      {
        name: 'tenancy.plants',
        create: () =>
          t.tenancy.plants.create.mutate({ code: `PL${next()}`, name: 'Plant', timezone: 'Europe/Berlin' }),
        patch: { name: 'Renamed plant' },
        update: (id, patch) => t.tenancy.plants.update.mutate({ id, patch }),
        read: async (id) => byId(await t.tenancy.plants.list.query(), id),
      },
      {
        name: 'masterdata.areas',
        create: () => t.masterdata.areas.create.mutate({ plantId, code: `A${next()}`, name: 'Area' }),
        patch: { name: 'Renamed area' },
        update: (id, patch) => t.masterdata.areas.update.mutate({ id, patch }),
        read: async (id) => byId(await t.masterdata.areas.list.query({ plantId }), id),
      },
      {
        name: 'masterdata.lines',
        create: async () => {
          const area = await t.masterdata.areas.create.mutate({ plantId, code: `LA${next()}`, name: 'Area' });
          return t.masterdata.lines.create.mutate({
            plantId,
            areaId: area.id,
            code: `L${next()}`,
            name: 'Line',
          });
        },
        patch: { name: 'Renamed line' },
        update: (id, patch) => t.masterdata.lines.update.mutate({ id, patch }),
        read: async (id) => byId(await t.masterdata.lines.list.query({ plantId }), id),
      },
      {
        name: 'masterdata.machines',
        create: () => t.masterdata.machines.create.mutate({ lineId, code: `M${next()}`, name: 'Machine' }),
        patch: { code: `M-RENAMED` },
        update: (id, patch) => t.masterdata.machines.update.mutate({ id, patch }),
        read: async (id) => byId(await t.masterdata.machines.list.query({ plantId }), id),
      },
      {
        name: 'masterdata.stations',
        create: () =>
          t.masterdata.stations.create.mutate({ plantId, lineId, code: `S${next()}`, name: 'Station' }),
        patch: { name: 'Renamed station' },
        update: (id, patch) => t.masterdata.stations.update.mutate({ id, patch }),
        read: async (id) => byId(await t.masterdata.stations.list.query({ plantId }), id),
      },
      {
        name: 'production.products',
        create: () =>
          t.production.products.create.mutate({ code: `PR${next()}`, name: 'Product', unit: 'kg' }),
        patch: { name: 'Renamed product' },
        update: (id, patch) => t.production.products.update.mutate({ id, patch }),
        read: async (id) => byId(await t.production.products.list.query({ includeInactive: true }), id),
      },
      {
        name: 'production.downtimeReasons',
        create: () =>
          t.production.downtimeReasons.create.mutate({
            code: `DR${next()}`,
            name: 'Reason',
            bucket: 'availability_loss',
            category: 'tooling',
          }),
        patch: { name: 'Renamed reason' },
        update: (id, patch) => t.production.downtimeReasons.update.mutate({ id, patch }),
        read: async (id) =>
          byId(await t.production.downtimeReasons.list.query({ includeInactive: true }), id),
      },
      {
        name: 'production.orders',
        create: () =>
          t.production.orders.create.mutate({ plantId, productId, lineId, quantity: 5, note: 'Keep me' }),
        patch: { quantity: 7 },
        update: (id, patch) => t.production.orders.update.mutate({ id, patch }),
        read: async (id) => (await t.production.orders.get.query({ id })) as Row,
      },
      {
        name: 'ncrs',
        create: () =>
          t.ncrs.create.mutate({
            plantId,
            lineId,
            productId,
            title: 'NCR',
            lot: 'LOT-1',
            quantityAffected: 2,
          }),
        patch: { rootCause: 'Worn tool' },
        update: (id, patch) => t.ncrs.update.mutate({ id, expectedVersion: 1, patch }),
        read: async (id) => (await t.ncrs.get.query({ id })) as Row,
      },
      {
        name: 'quality.defectCodes',
        create: () =>
          t.quality.defectCodes.create.mutate({
            code: `DC${next()}`,
            name: 'Defect',
            category: 'paint',
            severity: 'minor',
          }),
        patch: { name: 'Renamed defect' },
        update: (id, patch) => t.quality.defectCodes.update.mutate({ id, patch }),
        read: async (id) => byId(await t.quality.defectCodes.list.query({ includeInactive: true }), id),
      },
      {
        name: 'quality.inspectionPlans',
        create: () =>
          t.quality.inspectionPlans.create.mutate({
            code: `IP${next()}`,
            name: 'Plan',
            productId,
            operationId,
            characteristics: [{ code: 'DIA', name: 'Diameter', kind: 'variable', unit: 'mm', nominal: 10 }],
          }),
        patch: { name: 'Renamed plan' },
        update: (id, patch) => t.quality.inspectionPlans.update.mutate({ id, patch }),
        read: async (id) => byId(await t.quality.inspectionPlans.list.query({ includeInactive: true }), id),
      },
      {
        name: 'config.fields',
        create: () =>
          t.config.fields.create.mutate({
            entityType: 'product',
            key: `weight_${next()}`,
            label: 'Weight',
            type: 'decimal',
            required: true,
            defaultValue: 2.5,
            settings: { min: 0, unit: 'kg', decimals: 2 },
            helpText: 'Net weight',
            groupName: 'Physical',
          }),
        patch: { label: 'Net weight' },
        update: (id, patch) => t.config.fields.update.mutate({ id, patch }),
        read: async (id) =>
          byId(
            (await t.config.fields.list.query({ entityType: 'product', includeRetired: true })) as Row[],
            id,
          ),
      },
      {
        name: 'config.typeLists',
        create: () =>
          t.config.typeLists.create.mutate({
            code: `TL${next()}`,
            name: 'Colours',
            description: 'Paint colours',
          }),
        patch: { name: 'Paint colours' },
        update: (id, patch) => t.config.typeLists.update.mutate({ id, patch }),
        read: async (id) => {
          const { options: _, ...list } = await t.config.typeLists.get.query({ id });
          return list as Row;
        },
      },
      {
        name: 'rbac.roles',
        create: () =>
          t.rbac.roles.create.mutate({
            key: `role-${next()}`,
            name: 'Role',
            description: 'Reads KPIs',
            permissions: ['kpi.read', 'events.read'],
          }),
        patch: { name: 'Renamed role' },
        update: (id, patch) => t.rbac.roles.update.mutate({ id, ...patch }),
        read: async (id) => byId(await t.rbac.roles.list.query(), id),
      },
      {
        name: 'users',
        create: () =>
          t.users.create.mutate({
            email: `user-${next()}@test.plantline.local`,
            displayName: 'User',
            password: TEST_PASSWORD,
            roleIds: [roleIds.operator!],
            plantIds: [plantId],
          }),
        patch: { displayName: 'Renamed user' },
        update: (id, patch) => t.users.update.mutate({ id, ...patch }),
        read: async (id) => byId(await t.users.list.query(), id),
      },
      {
        name: 'config.numbering',
        create: () =>
          t.config.numbering.create.mutate({ code: `seq_${next()}`, name: 'Sequence', pattern: 'N-{seq:4}' }),
        patch: { name: 'Renamed sequence' },
        update: (id, patch) => t.config.numbering.update.mutate({ id, patch }),
        read: async (id) => byId(await t.config.numbering.list.query({ includeInactive: true }), id),
      },
      {
        name: 'changeOrders',
        create: () =>
          t.changeOrders.create.mutate({
            title: 'Change',
            reason: 'Keep me',
            urgency: 'high',
            effectivity: 'lot',
            effectiveLot: 'LOT-1',
            plantId,
            items: [{ productId, note: 'Keep me too' }],
          }),
        patch: { title: 'Renamed change' },
        // Edited against the version read just before, as the change order page does.
        update: async (id, patch) => {
          const { version } = await t.changeOrders.get.query({ id });
          return t.changeOrders.update.mutate({ id, expectedVersion: version, patch });
        },
        read: async (id) => (await t.changeOrders.get.query({ id })) as Row,
      },
      {
        name: 'logistics.customers',
        create: () =>
          t.logistics.customers.create.mutate({
            code: `CU${next()}`,
            name: 'Customer',
            gln: '0952876000014',
            email: 'keep@example.com',
            notes: 'Keep me',
            otdPolicy: { lateDays: 1 },
          }),
        patch: { name: 'Renamed customer' },
        update: (id, patch) => t.logistics.customers.update.mutate({ id, expectedVersion: 1, patch }),
        read: async (id) => (await t.logistics.customers.get.query({ id })) as Row,
      },
      {
        name: 'logistics.customers.addresses',
        create: async () => {
          const customer = await t.logistics.customers.create.mutate({
            code: `CA${next()}`,
            name: 'Customer',
          });
          const address = await t.logistics.customers.addresses.add.mutate({
            customerId: customer.id,
            label: 'Main',
            name: 'Receiving',
            street: 'Keep street 1',
            city: 'Bremen',
            country: 'DE',
            gln: '0952876000014',
          });
          addressCustomers.set(address.id, customer.id);
          return address;
        },
        patch: { label: 'Dock 2' },
        update: (id, patch) => t.logistics.customers.addresses.update.mutate({ id, patch }),
        read: async (id) =>
          byId((await t.logistics.customers.get.query({ id: addressCustomers.get(id)! })).addresses, id),
      },
      {
        name: 'logistics.carriers',
        create: () =>
          t.logistics.carriers.create.mutate({
            code: `CR${next()}`,
            name: 'Carrier',
            trackingUrl: 'https://track.example.com/?id={tracking}',
          }),
        patch: { name: 'Renamed carrier' },
        update: (id, patch) => t.logistics.carriers.update.mutate({ id, patch }),
        read: async (id) => byId(await t.logistics.carriers.list.query({ includeInactive: true }), id),
      },
      {
        name: 'logistics.requests',
        create: async () => {
          const customer = await t.logistics.customers.create.mutate({
            code: `CQ${next()}`,
            name: 'Customer',
          });
          await t.logistics.customers.addresses.add.mutate({
            customerId: customer.id,
            label: 'Main',
            name: 'Receiving',
            country: 'DE',
          });
          return t.logistics.requests.create.mutate({
            plantId,
            customerId: customer.id,
            productId,
            quantity: 5,
            requestedDate: '2026-03-02',
            customerPo: 'PO-1',
            note: 'Keep me',
          });
        },
        patch: { quantity: 7 },
        update: (id, patch) => t.logistics.requests.update.mutate({ id, expectedVersion: 1, patch }),
        read: async (id) => (await t.logistics.requests.get.query({ id })) as Row,
      },
    );
  }, 120_000);

  it('changes only the fields a patch names', async () => {
    const changedElsewhere: string[] = [];
    for (const updater of updaters) {
      const { id } = await updater.create();
      const before = await updater.read(id);
      await updater.update(id, updater.patch);
      const after = await updater.read(id);
      const expected = withoutBookkeeping({ ...before, ...updater.patch });
      try {
        expect(withoutBookkeeping(after)).toEqual(expected);
      } catch {
        changedElsewhere.push(`${updater.name}: ${JSON.stringify(after)} != ${JSON.stringify(expected)}`);
      }
    }
    expect(changedElsewhere).toEqual([]);
  });

  it('keeps a plant’s time zone when it is renamed', async () => {
    const plant = await admin.trpc.tenancy.plants.create.mutate({
      code: 'TZ1',
      name: 'Berlin',
      timezone: 'Europe/Berlin',
    });
    const renamed = await admin.trpc.tenancy.plants.update.mutate({
      id: plant.id,
      patch: { name: 'Berlin 2' },
    });
    expect(renamed).toMatchObject({ code: 'TZ1', name: 'Berlin 2', timezone: 'Europe/Berlin' });
  });

  it('refuses an empty patch, or one of unknown keys only, with a reason', async () => {
    const refusals: string[] = [];
    for (const updater of updaters) {
      const { id } = await updater.create();
      for (const patch of [{}, { nonsense: 'x' }]) {
        try {
          await expectApiError(updater.update(id, patch), 'BAD_REQUEST', /Nothing to change/);
        } catch (error) {
          refusals.push(
            `${updater.name} ${JSON.stringify(patch)}: ${(error as Error).message.split('\n')[0]}`,
          );
        }
      }
    }
    expect(refusals).toEqual([]);
  });

  it('names the code as the field at fault when a create or a rename takes a code in use', async () => {
    const t = admin.trpc;
    const taken = { code: 'Already in use' };
    const cases: [string, () => Promise<unknown>][] = [];
    const plants = [
      await t.tenancy.plants.create.mutate({ code: 'DUP-P1', name: 'One' }),
      await t.tenancy.plants.create.mutate({ code: 'DUP-P2', name: 'Two' }),
    ];
    cases.push([
      'tenancy.plants.create',
      () => t.tenancy.plants.create.mutate({ code: 'DUP-P1', name: 'Again' }),
    ]);
    cases.push([
      'tenancy.plants.update',
      () => t.tenancy.plants.update.mutate({ id: plants[1]!.id, patch: { code: 'DUP-P1' } }),
    ]);
    const area = () =>
      t.masterdata.areas.create.mutate({
        plantId,
        code: `DUP-A${Math.random().toString(36).slice(2, 8)}`,
        name: 'A',
      });
    const [a1, a2] = [await area(), await area()];
    cases.push([
      'masterdata.areas.create',
      () => t.masterdata.areas.create.mutate({ plantId, code: a1.code, name: 'Again' }),
    ]);
    cases.push([
      'masterdata.areas.update',
      () => t.masterdata.areas.update.mutate({ id: a2.id, patch: { code: a1.code } }),
    ]);
    const line = () =>
      t.masterdata.lines.create.mutate({
        plantId,
        code: `DUP-L${Math.random().toString(36).slice(2, 8)}`,
        name: 'L',
      });
    const [l1, l2] = [await line(), await line()];
    cases.push([
      'masterdata.lines.create',
      () => t.masterdata.lines.create.mutate({ plantId, code: l1.code, name: 'Again' }),
    ]);
    cases.push([
      'masterdata.lines.update',
      () => t.masterdata.lines.update.mutate({ id: l2.id, patch: { code: l1.code } }),
    ]);
    const machine = () =>
      t.masterdata.machines.create.mutate({
        lineId,
        code: `DUP-M${Math.random().toString(36).slice(2, 8)}`,
        name: 'M',
      });
    const [m1, m2] = [await machine(), await machine()];
    cases.push([
      'masterdata.machines.create',
      () => t.masterdata.machines.create.mutate({ lineId, code: m1.code, name: 'Again' }),
    ]);
    cases.push([
      'masterdata.machines.update',
      () => t.masterdata.machines.update.mutate({ id: m2.id, patch: { code: m1.code } }),
    ]);
    const station = () =>
      t.masterdata.stations.create.mutate({
        plantId,
        code: `DUP-S${Math.random().toString(36).slice(2, 8)}`,
        name: 'S',
      });
    const [s1, s2] = [await station(), await station()];
    cases.push([
      'masterdata.stations.create',
      () => t.masterdata.stations.create.mutate({ plantId, code: s1.code, name: 'Again' }),
    ]);
    cases.push([
      'masterdata.stations.update',
      () => t.masterdata.stations.update.mutate({ id: s2.id, patch: { code: s1.code } }),
    ]);

    const wrong: string[] = [];
    for (const [name, call] of cases) {
      try {
        const error = await expectApiError(call(), 'CONFLICT', 'That code is already in use here');
        expect(error.data?.fieldErrors).toEqual(taken);
      } catch (error) {
        wrong.push(`${name}: ${(error as Error).message.split('\n')[0]}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});

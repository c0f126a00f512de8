import { beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, addUser, signIn } from '../../testing/api.js';
import { expectApiError } from '../../testing/api-assertions.js';
import { type Tenants, type TestServer, useTestApp } from '../../testing/app.js';
import { testEngines } from '../../testing/engines.js';

/*
 * What the configuration engine refuses, on both engines: changes an engineer limited to some plants
 * cannot see through (stored values in other plants), values of closed orders, retargeted
 * references; and lists that page through every record exactly once whatever the sort.
 */
describe.each(testEngines)('configuration engine guards ($name engine)', (engine) => {
  const app = useTestApp(engine);
  let tenants: Tenants;
  let server: TestServer;
  let admin: ApiClient;
  let plantEngineer: ApiClient;
  let plant1: string;
  let plant2: string;
  const machines: Record<string, string> = {};

  beforeAll(async () => {
    ({ tenants, server, admin } = app);
    plant1 = tenants.a.plantIds[0]!;
    plant2 = tenants.a.plantIds[1]!;
    const engineerUser = await addUser(admin, { roleIds: [tenants.a.roleIds.engineer!], plantIds: [plant1] });
    plantEngineer = await signIn(server.url, engineerUser.email);
    for (const [plantId, code] of [
      [plant1, 'MA'],
      [plant2, 'MB'],
    ] as const) {
      const line = await admin.trpc.masterdata.lines.create.mutate({
        plantId,
        code: `L-${code}`,
        name: code,
      });
      machines[code] = (
        await admin.trpc.masterdata.machines.create.mutate({ lineId: line.id, code, name: code })
      ).id;
    }
  }, 120_000);

  it('lets only an engineer who sees every plant change how a plant record field’s values are checked', async () => {
    const serial = await admin.trpc.config.fields.create.mutate({
      entityType: 'machine',
      key: 'serial',
      label: 'Serial',
      type: 'text',
    });
    await admin.trpc.config.records.setValues.mutate({
      entityType: 'machine',
      entityId: machines.MA!,
      values: { serial: '12' },
    });
    await admin.trpc.config.records.setValues.mutate({
      entityType: 'machine',
      entityId: machines.MB!,
      values: { serial: 'not-a-number' },
    });
    // The plant 1 engineer would see one value that converts, and miss plant 2's that does not.
    const refused = await expectApiError(
      plantEngineer.trpc.config.fields.checkChange.query({ id: serial.id, patch: { type: 'integer' } }),
      'FORBIDDEN',
    );
    expect(refused.message).toContain('needs access to every plant');
    await expectApiError(
      plantEngineer.trpc.config.fields.update.mutate({ id: serial.id, patch: { type: 'integer' } }),
      'FORBIDDEN',
    );
    // What does not touch stored values stays theirs to change.
    const renamed = await plantEngineer.trpc.config.fields.update.mutate({
      id: serial.id,
      patch: { label: 'Serial number', helpText: 'From the type plate' },
    });
    expect(renamed.field.label).toBe('Serial number');
    // The administrator sees both plants: the conflict in plant 2 is reported and nothing changes.
    const plan = await admin.trpc.config.fields.checkChange.query({
      id: serial.id,
      patch: { type: 'integer' },
    });
    expect(plan).toMatchObject({ checked: 2, conflictCount: 1 });
    expect(plan.conflicts.map((c) => c.record)).toEqual(['MB']);
    await expectApiError(
      admin.trpc.config.fields.update.mutate({ id: serial.id, patch: { type: 'integer' } }),
      'CONFLICT',
    );
  });

  it('keeps fields of plants out of reach from a plant engineer', async () => {
    const scoped = await expectApiError(
      plantEngineer.trpc.config.fields.create.mutate({
        entityType: 'machine',
        key: 'p2_only',
        label: 'Plant 2 only',
        type: 'text',
        plantId: plant2,
      }),
      'NOT_FOUND',
    );
    expect(scoped.data?.fieldErrors).toEqual({ plantId: 'No such plant' });
    const own = await plantEngineer.trpc.config.fields.create.mutate({
      entityType: 'machine',
      key: 'p1_only',
      label: 'Plant 1 only',
      type: 'text',
      plantId: plant1,
    });
    expect(own.plantId).toBe(plant1);
    const theirs = await admin.trpc.config.fields.create.mutate({
      entityType: 'machine',
      key: 'p2_note',
      label: 'Plant 2 note',
      type: 'text',
      plantId: plant2,
    });
    await expectApiError(plantEngineer.trpc.config.fields.retire.mutate({ id: theirs.id }), 'NOT_FOUND');
    await expectApiError(
      plantEngineer.trpc.config.fields.update.mutate({ id: theirs.id, patch: { label: 'Mine' } }),
      'NOT_FOUND',
    );
    await expectApiError(
      plantEngineer.trpc.config.fields.update.mutate({ id: own.id, patch: { plantId: plant2 } }),
      'NOT_FOUND',
    );
  });

  it('closes a completed or cancelled order’s values, except in the call that closes it', async () => {
    await admin.trpc.config.fields.create.mutate({
      entityType: 'production_order',
      key: 'batch',
      label: 'Batch',
      type: 'text',
    });
    const product = await admin.trpc.production.products.create.mutate({ code: 'GRD-1', name: 'Guard' });
    const order = await admin.trpc.production.orders.create.mutate({
      plantId: plant1,
      productId: product.id,
      quantity: 10,
      custom: { batch: 'B-1' },
    });
    const cancelled = await admin.trpc.production.orders.update.mutate({
      id: order.id,
      patch: { status: 'cancelled' },
      custom: { batch: 'B-1 (scrapped)' },
    });
    expect(cancelled.custom).toEqual({ batch: 'B-1 (scrapped)' });
    const closed = await expectApiError(
      admin.trpc.config.records.setValues.mutate({
        entityType: 'production_order',
        entityId: order.id,
        values: { batch: 'B-2' },
      }),
      'CONFLICT',
    );
    expect(closed.message).toBe('The order is closed; its values no longer change');
    const form = await admin.trpc.config.records.get.query({
      entityType: 'production_order',
      entityId: order.id,
    });
    expect(form).toMatchObject({ closedReason: 'The order is closed; its values no longer change' });
    expect(form.values).toEqual({ batch: 'B-1 (scrapped)' });
  });

  it('refuses to point a reference field with values at another kind of record', async () => {
    const where = await admin.trpc.config.fields.create.mutate({
      entityType: 'machine',
      key: 'twin',
      label: 'Twin machine',
      type: 'entity_ref',
      settings: { refEntityType: 'machine' },
    });
    await admin.trpc.config.records.setValues.mutate({
      entityType: 'machine',
      entityId: machines.MA!,
      values: { twin: machines.MB },
    });
    const plan = await admin.trpc.config.fields.checkChange.query({
      id: where.id,
      patch: { settings: { refEntityType: 'product' } },
    });
    expect(plan).toMatchObject({ checked: 1, conflictCount: 1 });
    expect(plan.conflicts[0]).toMatchObject({ record: 'MA', problem: 'Refers to a machine' });
  });

  it('refuses an empty change of a type list or option with a clear message', async () => {
    const list = await admin.trpc.config.typeLists.create.mutate({
      code: 'sizes',
      name: 'Sizes',
      options: [{ code: 'S', label: 'Small' }],
    });
    await expectApiError(
      admin.trpc.config.typeLists.update.mutate({ id: list.id, patch: {} }),
      'BAD_REQUEST',
    );
    await expectApiError(
      admin.trpc.config.typeLists.updateOption.mutate({ id: list.options[0]!.id, patch: {} }),
      'BAD_REQUEST',
    );
  });

  it('exports a label that looks like a formula harmless, and imports it back as it was', async () => {
    const list = await admin.trpc.config.typeLists.create.mutate({
      code: 'tolerances',
      name: 'Tolerances',
      options: [
        { code: 'MINUS', label: '-0.1 mm' },
        { code: 'LINK', label: '=HYPERLINK("http://example.invalid")' },
      ],
    });
    const { csv } = await admin.trpc.config.typeLists.exportCsv.query({ id: list.id });
    expect(csv).toContain(`MINUS,"'-0.1 mm"`);
    expect(csv).not.toMatch(/,=HYPERLINK/);
    const report = await admin.trpc.config.typeLists.importCsv.mutate({ id: list.id, csv, dryRun: true });
    expect(report).toMatchObject({ added: [], updated: [], unchanged: 2, errors: [] });
  });

  it('pages through every record exactly once, sorted by a field some records lack or by a name some lack', async () => {
    await admin.trpc.config.fields.create.mutate({
      entityType: 'product',
      key: 'rank',
      label: 'Rank',
      type: 'integer',
    });
    // Ranks on RK-0, RK-3 and RK-6 only.
    for (let i = 0; i < 8; i++) {
      await admin.trpc.production.products.create.mutate({
        code: `RK-${i}`,
        name: `Ranked ${i}`,
        ...(i % 3 === 0 ? { custom: { rank: i } } : {}),
      });
    }
    const product = (await admin.trpc.production.products.list.query({})).find((p) => p.code === 'RK-0')!;
    for (let n = 0; n < 6; n++)
      await admin.trpc.production.orders.create.mutate({
        plantId: plant1,
        productId: product.id,
        quantity: 1,
        ...(n < 2 ? { note: `Note ${n}` } : {}),
      });

    async function all(
      input: { entityType: 'product' | 'production_order'; by: string; dir: 'asc' | 'desc' },
      limit: number,
    ) {
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await admin.trpc.config.records.list.query({
          entityType: input.entityType,
          ...(input.entityType === 'product' ? { search: 'RK-' } : {}),
          sort: { by: input.by, dir: input.dir },
          limit,
          ...(cursor === undefined ? {} : { cursor }),
        });
        seen.push(...page.rows.map((r) => r.id));
        cursor = page.nextCursor ?? undefined;
      } while (cursor !== undefined && seen.length < 100);
      return seen;
    }
    const everything = async (entityType: 'product' | 'production_order') =>
      (
        await admin.trpc.config.records.list.query({
          entityType,
          ...(entityType === 'product' ? { search: 'RK-' } : {}),
          limit: 200,
        })
      ).rows
        .map((r) => r.id)
        .sort();
    const products = await everything('product');
    const orders = await everything('production_order');
    expect(products).toHaveLength(8);
    // Limits that end a page exactly at the last ranked record, and inside either part.
    for (const dir of ['asc', 'desc'] as const)
      for (const limit of [1, 2, 3, 4, 5]) {
        const ranked = await all({ entityType: 'product', by: 'rank', dir }, limit);
        expect(ranked).toHaveLength(products.length);
        expect([...ranked].sort()).toEqual(products);
        const byName = await all({ entityType: 'production_order', by: 'name', dir }, limit);
        expect(byName).toHaveLength(orders.length);
        expect([...byName].sort()).toEqual(orders);
      }
  });
});

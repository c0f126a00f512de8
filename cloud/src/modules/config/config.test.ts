import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../db/index.js';
import { type ApiClient, addUser, signIn } from '../../testing/api.js';
import { expectApiError } from '../../testing/api-assertions.js';
import { type Tenants, type TestServer, useTestApp } from '../../testing/app.js';
import { type TestDatabase, testEngines } from '../../testing/engines.js';

/*
 * The configuration engine through the API on both engines (docs/configuration.md): an engineer
 * defines a select field with a new type list and a numeric field on products, an operator fills
 * them in with validation per field, a list filters and sorts by them; renames keep values, type
 * changes report conflicts instead of corrupting, every change is versioned; another tenant sees
 * none of it.
 */
describe.each(testEngines)('configuration engine ($name engine)', (engine) => {
  const app = useTestApp(engine);
  let database: TestDatabase;
  let tenants: Tenants;
  let server: TestServer;
  let engineer: ApiClient;
  let operator: ApiClient;
  let adminB: ApiClient;
  let colourList: { id: string; options: { id: string; code: string }[] };
  let colourField: { id: string };
  let weightField: { id: string };
  const products: Record<string, string> = {};

  beforeAll(async () => {
    ({ database, tenants, server, adminB } = app);
    const adminA = await signIn(server.url, tenants.a.adminEmail);
    const a = tenants.a;
    const engineerUser = await addUser(adminA, {
      roleIds: [a.roleIds.engineer!],
      plantIds: [a.plantIds[0]!],
    });
    const operatorUser = await addUser(adminA, {
      roleIds: [a.roleIds.operator!],
      plantIds: [a.plantIds[0]!],
    });
    engineer = await signIn(server.url, engineerUser.email);
    operator = await signIn(server.url, operatorUser.email);
    // P6 stays without custom values: it exists before any field does.
    for (const code of ['P1', 'P2', 'P3', 'P4', 'P5', 'P6'])
      products[code] = (
        await adminA.trpc.production.products.create.mutate({ code, name: `Product ${code}` })
      ).id;
  }, 120_000);

  it('lets an engineer define a type list and fields, and refuses an operator', async () => {
    colourList = await engineer.trpc.config.typeLists.create.mutate({
      code: 'colours',
      name: 'Colours',
      options: [
        { code: 'RED', label: 'Red', colour: '#ef4444' },
        { code: 'BLUE', label: 'Blue', colour: '#3b82f6' },
        { code: 'GREEN', label: 'Green' },
      ],
    });
    expect(colourList.options.map((o) => o.code)).toEqual(['RED', 'BLUE', 'GREEN']);
    colourField = await engineer.trpc.config.fields.create.mutate({
      entityType: 'product',
      key: 'colour',
      label: 'Colour',
      type: 'single_select',
      typeListId: colourList.id,
      required: true,
    });
    weightField = await engineer.trpc.config.fields.create.mutate({
      entityType: 'product',
      key: 'weight',
      label: 'Weight',
      type: 'decimal',
      settings: { min: 0, max: 1000, unit: 'kg', decimals: 2 },
    });
    await engineer.trpc.config.fields.create.mutate({
      entityType: 'product',
      key: 'drawing',
      label: 'Drawing number',
      type: 'text',
      settings: { pattern: 'DRW-\\d{4}' },
      helpText: 'DRW- and four digits',
    });
    await expectApiError(
      operator.trpc.config.fields.create.mutate({
        entityType: 'product',
        key: 'x',
        label: 'X',
        type: 'text',
      }),
      'FORBIDDEN',
    );
    const taken = await expectApiError(
      engineer.trpc.config.fields.create.mutate({
        entityType: 'product',
        key: 'weight',
        label: 'W',
        type: 'text',
      }),
      'CONFLICT',
    );
    expect(taken.data).toMatchObject({ fieldErrors: { key: 'Already in use' } });
    const noList = await expectApiError(
      engineer.trpc.config.fields.create.mutate({
        entityType: 'product',
        key: 'shape',
        label: 'S',
        type: 'multi_select',
      }),
      'BAD_REQUEST',
    );
    expect(noList.data).toMatchObject({ fieldErrors: { typeListId: 'Choose the type list to pick from' } });
    const lists = await operator.trpc.config.typeLists.list.query({});
    expect(lists.map((l) => [l.code, l.options, l.activeOptions, l.fields])).toEqual([['colours', 3, 3, 1]]);
    const fields = await operator.trpc.config.fields.list.query({ entityType: 'product' });
    expect(fields.map((f) => f.key)).toEqual(['colour', 'weight', 'drawing']);
    expect(fields[0]?.options?.map((o) => o.label)).toEqual(['Red', 'Blue', 'Green']);
  });

  it('validates an operator’s values per field and stores valid ones', async () => {
    const refused = await expectApiError(
      operator.trpc.config.records.setValues.mutate({
        entityType: 'product',
        entityId: products.P1!,
        values: { colour: 'PURPLE', weight: 2000, drawing: 'DRW-12', nope: 1 },
      }),
      'BAD_REQUEST',
      '4 values are not valid',
    );
    expect(refused.data?.fieldErrors).toEqual({
      colour: '"PURPLE" is not one of the choices',
      weight: 'At most 1000 kg',
      drawing: 'Does not match the expected format: DRW- and four digits',
      _: 'No such field: nope',
    });
    const set = await operator.trpc.config.records.setValues.mutate({
      entityType: 'product',
      entityId: products.P1!,
      values: { colour: 'RED', weight: 12.345, drawing: 'DRW-0001' },
    });
    expect(set.values).toEqual({ colour: colourList.options[0]!.id, weight: 12.35, drawing: 'DRW-0001' });
    const weights = [100, 250.5, 40, 999];
    const colours = ['BLUE', 'BLUE', 'RED', 'BLUE'];
    for (const [i, code] of ['P2', 'P3', 'P4', 'P5'].entries())
      await operator.trpc.config.records.setValues.mutate({
        entityType: 'product',
        entityId: products[code]!,
        values: { colour: colours[i], weight: weights[i] },
      });
    // Clearing an optional value deletes it; a required one cannot be cleared.
    await operator.trpc.config.records.setValues.mutate({
      entityType: 'product',
      entityId: products.P1!,
      values: { drawing: null },
    });
    const required = await expectApiError(
      operator.trpc.config.records.setValues.mutate({
        entityType: 'product',
        entityId: products.P1!,
        values: { colour: '' },
      }),
      'BAD_REQUEST',
    );
    expect(required.data?.fieldErrors).toEqual({ colour: 'Required' });
    const record = await operator.trpc.config.records.get.query({
      entityType: 'product',
      entityId: products.P1!,
    });
    expect(record).toMatchObject({ code: 'P1', name: 'Product P1', isActive: true, plantId: null });
    // A user reference offers the tenant's active users by name, to anyone who fills in forms.
    const people = await operator.trpc.config.userChoices.query();
    expect(people.map((p) => p.displayName)).toContain('Admin A');
    expect(Object.keys(people[0]!).sort()).toEqual(['displayName', 'id']);
    expect(record.values).toEqual({ colour: colourList.options[0]!.id, weight: 12.35 });
  });

  it('filters by a select field and a numeric range, sorted, paged by cursor', async () => {
    const blue = colourList.options.find((o) => o.code === 'BLUE')!.id;
    const page = await operator.trpc.config.records.list.query({
      entityType: 'product',
      filters: [
        { field: 'colour', op: 'in', values: [blue] },
        { field: 'weight', op: 'between', min: 50, max: 1000 },
      ],
      sort: { by: 'weight', dir: 'desc' },
      limit: 2,
      withTotal: true,
    });
    expect(page.rows.map((r) => r.code)).toEqual(['P5', 'P3']);
    expect(page.total).toBe(3);
    const next = await operator.trpc.config.records.list.query({
      entityType: 'product',
      filters: [
        { field: 'colour', op: 'in', values: ['BLUE'] },
        { field: 'weight', op: 'between', min: 50, max: 1000 },
      ],
      sort: { by: 'weight', dir: 'desc' },
      limit: 2,
      cursor: page.nextCursor!,
    });
    expect(next.rows.map((r) => [r.code, r.values.weight])).toEqual([['P2', 100]]);
    expect(next.nextCursor).toBeNull();
    // Sorting by a field puts records without a value last, across the page boundary.
    const ascending = [];
    let cursor: string | undefined;
    do {
      const chunk = await operator.trpc.config.records.list.query({
        entityType: 'product',
        sort: { by: 'weight', dir: 'asc' },
        limit: 4,
        ...(cursor === undefined ? {} : { cursor }),
      });
      ascending.push(...chunk.rows.map((r) => r.code));
      cursor = chunk.nextCursor ?? undefined;
    } while (cursor !== undefined);
    expect(ascending).toEqual(['P1', 'P4', 'P2', 'P3', 'P5', 'P6']);
    const empty = await operator.trpc.config.records.list.query({
      entityType: 'product',
      filters: [{ field: 'colour', op: 'empty' }],
      limit: 10,
    });
    expect(empty.rows.map((r) => r.code)).toEqual(['P6']);
    const bad = await expectApiError(
      operator.trpc.config.records.list.query({
        entityType: 'product',
        filters: [{ field: 'weight', op: 'between', min: 'heavy' }],
        limit: 10,
      }),
      'BAD_REQUEST',
    );
    expect(bad.data?.fieldErrors).toEqual({ 'filters.0': 'Weight: Enter a number' });
  });

  it('keeps values through a rename and reports conflicts before a type change', async () => {
    const renamed = await engineer.trpc.config.fields.update.mutate({
      id: weightField.id,
      patch: { label: 'Net weight', key: 'net_weight' },
    });
    expect(renamed.field.label).toBe('Net weight');
    const after = await operator.trpc.config.records.get.query({
      entityType: 'product',
      entityId: products.P3!,
    });
    expect(after.values.net_weight).toBe(250.5);
    // 250.5 is not a whole number: the change is refused and nothing is touched.
    const plan = await engineer.trpc.config.fields.checkChange.query({
      id: weightField.id,
      patch: { type: 'integer' },
    });
    expect(plan).toMatchObject({ checked: 5, conflictCount: 2 });
    expect(plan.conflicts.map((c) => c.record).sort()).toEqual(['P1', 'P3']);
    const refused = await expectApiError(
      engineer.trpc.config.fields.update.mutate({ id: weightField.id, patch: { type: 'integer' } }),
      'CONFLICT',
    );
    expect(refused.message).toMatch(/^2 stored values do not fit the new definition/);
    expect(
      (await operator.trpc.config.records.get.query({ entityType: 'product', entityId: products.P3! }))
        .values,
    ).toMatchObject({ net_weight: 250.5 });
    // To text every value carries over, and filters use the new column.
    const converted = await engineer.trpc.config.fields.update.mutate({
      id: weightField.id,
      patch: { type: 'text' },
    });
    expect(converted.converted).toBe(5);
    const asText = await operator.trpc.config.records.list.query({
      entityType: 'product',
      filters: [{ field: 'net_weight', op: 'eq', value: '250.5' }],
      limit: 10,
    });
    expect(asText.rows.map((r) => [r.code, r.values.net_weight])).toEqual([['P3', '250.5']]);
    const history = await operator.trpc.config.fields.history.query({ id: weightField.id });
    expect(history.map((h) => [h.version, h.action])).toEqual([
      [3, 'type changed'],
      [2, 'changed'],
      [1, 'created'],
    ]);
    expect(history[1]?.summary).toBe('renamed Weight → Net weight; key weight → net_weight');
    expect(history[0]?.changedBy).toMatch(/^User /);
  });

  it('retires a field keeping its values, and a deactivated option stays readable', async () => {
    const red = colourList.options.find((o) => o.code === 'RED')!;
    await engineer.trpc.config.typeLists.updateOption.mutate({ id: red.id, patch: { isActive: false } });
    const kept = await operator.trpc.config.records.get.query({
      entityType: 'product',
      entityId: products.P1!,
    });
    expect(kept.values.colour).toBe(red.id);
    // Keeping the retired choice is allowed; choosing it anew is not.
    await operator.trpc.config.records.setValues.mutate({
      entityType: 'product',
      entityId: products.P1!,
      values: { colour: red.id },
    });
    const refused = await expectApiError(
      operator.trpc.config.records.setValues.mutate({
        entityType: 'product',
        entityId: products.P2!,
        values: { colour: 'RED' },
      }),
      'BAD_REQUEST',
    );
    expect(refused.data?.fieldErrors).toEqual({ colour: 'Red is no longer available' });
    await engineer.trpc.config.fields.retire.mutate({ id: colourField.id });
    const retired = await operator.trpc.config.records.get.query({
      entityType: 'product',
      entityId: products.P2!,
    });
    expect(retired.fields.find((f) => f.key === 'colour')).toMatchObject({ readOnly: true });
    expect(retired.values.colour).toBeDefined();
    await engineer.trpc.config.fields.restore.mutate({ id: colourField.id });
  });

  it('exports and imports a type list as CSV, all or nothing', async () => {
    const exported = await operator.trpc.config.typeLists.exportCsv.query({ id: colourList.id });
    expect(exported.csv).toBe(
      'code,label,colour,active,order\r\nRED,Red,#ef4444,false,1\r\nBLUE,Blue,#3b82f6,true,2\r\nGREEN,Green,,true,3\n',
    );
    const bad = await engineer.trpc.config.typeLists.importCsv.mutate({
      id: colourList.id,
      csv: 'code,label,colour\nBLACK,Black,#000000\nbad code,X,\nWHITE,White,white\n',
      dryRun: false,
    });
    expect(bad).toMatchObject({ applied: false, added: ['BLACK'] });
    expect(bad.errors.map((e) => e.line)).toEqual([3, 4]);
    expect((await engineer.trpc.config.typeLists.get.query({ id: colourList.id })).options).toHaveLength(3);
    const dry = await engineer.trpc.config.typeLists.importCsv.mutate({
      id: colourList.id,
      csv: 'code,label,order\nBLACK,Black,1\nBLUE,Navy,2\n',
      dryRun: true,
    });
    expect(dry).toMatchObject({ applied: false, added: ['BLACK'], updated: ['BLUE'], unchanged: 0 });
    const applied = await engineer.trpc.config.typeLists.importCsv.mutate({
      id: colourList.id,
      csv: 'code,label,order\nBLACK,Black,1\nBLUE,Navy,2\n',
      dryRun: false,
    });
    expect(applied.applied).toBe(true);
    const list = await engineer.trpc.config.typeLists.get.query({ id: colourList.id });
    expect(list.options.map((o) => `${o.code}:${o.label}`)).toEqual([
      'BLACK:Black',
      'BLUE:Navy',
      'RED:Red',
      'GREEN:Green',
    ]);
    const history = await engineer.trpc.config.typeLists.history.query({ id: colourList.id });
    expect(history[0]).toMatchObject({
      action: 'imported',
      summary: 'Imported CSV: 1 added, 1 updated, 0 unchanged',
    });
  });

  it('takes custom values with a domain create in one transaction: defaults, required, errors by key', async () => {
    await engineer.trpc.config.fields.create.mutate({
      entityType: 'product',
      key: 'shelf_life',
      label: 'Shelf life',
      type: 'integer',
      defaultValue: 30,
      settings: { min: 1, unit: 'days' },
    });
    const refused = await expectApiError(
      engineer.trpc.production.products.create.mutate({
        code: 'P7',
        name: 'Seven',
        custom: { shelf_life: 0 },
      }),
      'BAD_REQUEST',
    );
    // colour is required (and not given): both named, and the product was not created either.
    expect(refused.data?.fieldErrors).toEqual({
      'custom.colour': 'Required',
      'custom.shelf_life': 'At least 1 days',
    });
    const listed = await engineer.trpc.production.products.list.query({});
    expect(listed.map((p) => p.code)).not.toContain('P7');
    const created = await engineer.trpc.production.products.create.mutate({
      code: 'P7',
      name: 'Seven',
      custom: { colour: 'GREEN' },
    });
    expect(created.custom).toEqual({
      colour: colourList.options.find((o) => o.code === 'GREEN')!.id,
      shelf_life: 30,
    });
    const updated = await engineer.trpc.production.products.update.mutate({
      id: created.id,
      patch: { name: 'Seven (new)' },
      custom: { shelf_life: 45 },
    });
    expect(updated).toMatchObject({ name: 'Seven (new)', custom: { shelf_life: 45 } });
  });

  it('keeps values of a plant-scoped record from users without access to the plant', async () => {
    const adminA = await signIn(server.url, tenants.a.adminEmail);
    await engineer.trpc.config.fields.create.mutate({
      entityType: 'machine',
      key: 'asset_tag',
      label: 'Asset tag',
      type: 'text',
    });
    const line = await adminA.trpc.masterdata.lines.create.mutate({
      plantId: tenants.a.plantIds[1]!,
      code: 'L9',
      name: 'L9',
    });
    const machine = await adminA.trpc.masterdata.machines.create.mutate({
      lineId: line.id,
      code: 'M9',
      name: 'M9',
      custom: { asset_tag: 'AT-2' },
    });
    expect(machine.custom).toEqual({ asset_tag: 'AT-2' });
    // A list names each machine's line and plant: codes repeat across lines.
    const types = await adminA.trpc.config.entityTypes.query();
    expect(types.find((t) => t.key === 'machine')?.contextLabel).toBe('Line');
    const inPlant2 = await adminA.trpc.config.records.list.query({
      entityType: 'machine',
      plantId: tenants.a.plantIds[1]!,
      search: 'M9',
      limit: 10,
    });
    expect(inPlant2.rows.map((r) => [r.code, r.context, r.plantId])).toEqual([
      ['M9', 'L9', tenants.a.plantIds[1]],
    ]);
    // The operator has access to plant 1 only: plant 2's machine and its values are out of reach.
    await expectApiError(
      operator.trpc.config.records.get.query({ entityType: 'machine', entityId: machine.id }),
      'NOT_FOUND',
    );
    await expectApiError(
      operator.trpc.config.records.setValues.mutate({
        entityType: 'machine',
        entityId: machine.id,
        values: { asset_tag: 'X' },
      }),
      'NOT_FOUND',
    );
    const listed = await operator.trpc.config.records.list.query({
      entityType: 'machine',
      filters: [{ field: 'asset_tag', op: 'notEmpty' }],
      limit: 10,
    });
    expect(listed.rows).toEqual([]);
    const scoped = { tenantId: tenants.a.tenantId, userId: null, plantIds: [tenants.a.plantIds[0]!] };
    const visible = await database.db.transact(scoped, (tx) =>
      rows<{ n: number }>(
        tx,
        sql`select count(*)::int as n from field_values where entity_id = ${machine.id}`,
      ),
    );
    expect(visible[0]?.n).toBe(0);
    const all = await database.db.transact({ ...scoped, plantIds: 'all' }, (tx) =>
      rows<{ n: number }>(
        tx,
        sql`select count(*)::int as n from field_values where entity_id = ${machine.id}`,
      ),
    );
    expect(all[0]?.n).toBe(1);
  });

  it('shows another tenant none of it', async () => {
    expect(await adminB.trpc.config.fields.list.query({ entityType: 'product' })).toEqual([]);
    expect(await adminB.trpc.config.typeLists.list.query({})).toEqual([]);
    await expectApiError(adminB.trpc.config.typeLists.get.query({ id: colourList.id }), 'NOT_FOUND');
    await expectApiError(
      adminB.trpc.config.records.setValues.mutate({
        entityType: 'product',
        entityId: products.P1!,
        values: {},
      }),
      'NOT_FOUND',
    );
    await expectApiError(
      adminB.trpc.config.fields.update.mutate({ id: colourField.id, patch: { label: 'Mine' } }),
      'NOT_FOUND',
    );
    const listed = await adminB.trpc.config.records.list.query({ entityType: 'product', limit: 50 });
    expect(listed.rows.map((r) => r.code)).not.toContain('P1');
  });
});

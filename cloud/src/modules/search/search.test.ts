import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../db/index.js';
import { type ApiClient, addUser, signIn } from '../../testing/api.js';
import { expectApiError } from '../../testing/api-assertions.js';
import { useTestApp } from '../../testing/app.js';
import { testEngines } from '../../testing/engines.js';
import { searchTypeKeys } from './registry.js';

/*
 * Search through the API (docs/search.md): what the registration triggers index, each matching
 * stage, and that a caller finds only what their tenant, plants and permissions let them see.
 */
describe.each(testEngines)('search ($name engine)', (engine) => {
  const app = useTestApp(engine);
  let admin: ApiClient;
  const year = 2026;
  const ids = {} as {
    product: string;
    otherProduct: string;
    orderA1: string;
    orderA2: string;
    orderB: string;
    defect: string;
  };

  type Answer = Awaited<ReturnType<ApiClient['trpc']['search']['query']['query']>>;
  const search = (client: ApiClient, q: string, extra: { limit?: number; types?: string[] } = {}) =>
    client.trpc.search.query.query({ q, ...extra } as { q: string });
  const flat = (answer: Answer) => answer.groups.flatMap((g) => g.results);
  const idsOf = (answer: Answer) => flat(answer).map((r) => r.entityId);

  beforeAll(async () => {
    admin = app.admin;
    const [plantA1, plantA2] = app.tenants.a.plantIds;
    await admin.trpc.config.fields.create.mutate({
      entityType: 'product',
      key: 'supplier',
      label: 'Supplier',
      type: 'text',
    });
    const product = await admin.trpc.production.products.create.mutate({
      code: 'BRK-100',
      name: 'Brake rotor ventilated',
      custom: { supplier: 'Quellwerk Foundry' },
    });
    const other = await admin.trpc.production.products.create.mutate({ code: 'GSK-7', name: 'Gasket' });
    const order = (plantId: string, number: string, productId = product.id, client = admin) =>
      client.trpc.production.orders.create.mutate({ plantId, number, productId, quantity: 10 });
    const a1 = await order(plantA1!, `PO-A1-${year}-00012`);
    const a2 = await order(plantA2!, `PO-A2-${year}-00077`, other.id);
    const productB = await app.adminB.trpc.production.products.create.mutate({
      code: 'BRK-100',
      name: 'Brake rotor of B',
    });
    const b = await order(app.tenants.b.plantIds[0]!, `PO-A1-${year}-00012`, productB.id, app.adminB);
    const defect = await admin.trpc.quality.defectCodes.create.mutate({ code: 'SCRATCH', name: 'Scratch' });
    Object.assign(ids, {
      product: product.id,
      otherProduct: other.id,
      orderA1: a1.id,
      orderA2: a2.id,
      orderB: b.id,
      defect: defect.id,
    });
  });

  it('finds a production order by its number, a fragment of it, and the fragment with punctuation', async () => {
    const exact = await search(admin, `po-a1-${year}-00012`);
    expect(flat(exact)[0]).toMatchObject({
      entityType: 'production_order',
      entityId: ids.orderA1,
      code: `PO-A1-${year}-00012`,
      plantCode: 'A1',
      context: 'BRK-100',
      matchedOn: 'code',
    });
    expect(exact.groups[0]?.label).toBe('Production orders');
    for (const fragment of ['00012', `${year}-00012`, `A1-${year}-000`]) {
      const answer = await search(admin, fragment);
      expect(idsOf(answer), fragment).toContain(ids.orderA1);
      expect(idsOf(answer), fragment).not.toContain(ids.orderB);
    }
    const prefix = await search(admin, 'PO-A');
    expect(flat(prefix).map((r) => [r.entityId, r.matchedOn])).toEqual(
      expect.arrayContaining([
        [ids.orderA1, 'prefix'],
        [ids.orderA2, 'prefix'],
      ]),
    );
  });

  it('finds products by a name prefix, by code, and by a custom text value with a snippet', async () => {
    const byName = await search(admin, 'brake ro');
    expect(flat(byName)[0]).toMatchObject({
      entityId: ids.product,
      matchedOn: 'text',
      title: 'Brake rotor ventilated',
    });
    const byCode = await search(admin, 'brk100');
    expect(flat(byCode)[0]).toMatchObject({ entityId: ids.product, matchedOn: 'code' });
    const byCustom = await search(admin, 'quellw');
    expect(flat(byCustom)[0]).toMatchObject({ entityId: ids.product, matchedOn: 'text' });
    expect(flat(byCustom)[0]?.snippet).toContain('Quellwerk Foundry');
    // A typo finds the name when nothing else does.
    const typo = await search(admin, 'ventilatd');
    expect(idsOf(typo)).toContain(ids.product);
  });

  it('keeps custom text, names and deletions in step with the records', async () => {
    await admin.trpc.production.products.update.mutate({
      id: ids.product,
      patch: { name: 'Brake disc slotted' },
      custom: { supplier: 'Ostara Castings' },
    });
    expect(idsOf(await search(admin, 'slotted'))).toEqual([ids.product]);
    expect(idsOf(await search(admin, 'ventilated'))).not.toContain(ids.product);
    expect(idsOf(await search(admin, 'ostara'))).toEqual([ids.product]);
    expect(idsOf(await search(admin, 'quellwerk'))).toEqual([]);
    await admin.trpc.production.products.update.mutate({
      id: ids.product,
      patch: { unit: 'pcs' },
      custom: { supplier: null },
    });
    expect(idsOf(await search(admin, 'ostara'))).toEqual([]);

    const role = await admin.trpc.rbac.roles.create.mutate({
      key: 'night-shift',
      name: 'Night shift lead',
      permissions: ['masterdata.read'],
    });
    expect(flat(await search(admin, 'night shift'))[0]).toMatchObject({
      entityId: role.id,
      link: '/admin/roles',
    });
    await admin.trpc.rbac.roles.delete.mutate({ id: role.id });
    expect(idsOf(await search(admin, 'night shift'))).toEqual([]);
  });

  it('shows a user only the plants they have', async () => {
    const onlyA1 = await addUser(admin, {
      roleIds: [app.tenants.a.roleIds.supervisor!],
      plantIds: [app.tenants.a.plantIds[0]!],
    });
    const user = await signIn(app.server.url, onlyA1.email);
    expect(idsOf(await search(user, '00012'))).toEqual([ids.orderA1]);
    expect(idsOf(await search(user, '00077'))).toEqual([]);
    expect(idsOf(await search(user, `PO-A2-${year}-00077`))).toEqual([]);
    // Tenant-wide records have no plant: the product of the hidden order is still found.
    expect(idsOf(await search(user, 'GSK-7'))).toEqual([ids.otherProduct]);
    // Its plants: A1, not A2.
    const plants = flat(await search(user, 'A', { types: ['plant'] }));
    expect(plants.map((p) => p.code)).toEqual(['A1']);
  });

  it('shows each type only to callers holding its permission', async () => {
    const role = await admin.trpc.rbac.roles.create.mutate({
      key: 'order-reader',
      name: 'Order reader',
      permissions: ['masterdata.read'],
    });
    const planner = await signIn(
      app.server.url,
      (await addUser(admin, { roleIds: [role.id], plantIds: app.tenants.a.plantIds })).email,
    );
    expect(idsOf(await search(admin, 'scratch'))).toEqual([ids.defect]);
    expect((await search(planner, 'scratch')).groups).toEqual([]);
    expect(idsOf(await search(planner, 'SCRATCH', { types: ['defect_code'] }))).toEqual([]);
    // Users need users.read: the planner does not find the administrator by name.
    expect(flat(await search(admin, 'Admin A', { types: ['user'] }))[0]?.entityType).toBe('user');
    expect((await search(planner, 'Admin A')).groups).toEqual([]);
    // Without config.read an order opens its plant's order list, not the custom-fields page.
    const order = flat(await search(planner, `PO-A1-${year}-00012`))[0];
    expect(order?.link).toBe(`/orders?plant=${app.tenants.a.plantIds[0]}`);
    const asAdmin = flat(await search(admin, `PO-A1-${year}-00012`))[0];
    expect(asAdmin?.link).toMatch(
      new RegExp(`^/config/records/production_order/${ids.orderA1}\\?code=PO-A1`),
    );
  });

  it('keeps tenants apart', async () => {
    const ofB = await search(app.adminB, `PO-A1-${year}-00012`);
    expect(idsOf(ofB)).toEqual([ids.orderB]);
    expect(idsOf(await search(app.adminB, '00077'))).toEqual([]);
    expect(idsOf(await search(app.adminB, 'slotted'))).toEqual([]);
    expect(flat(await search(app.adminB, 'BRK-100')).map((r) => r.title)).toEqual(['Brake rotor of B']);
  });

  it('narrows to the types asked for, and stops at the limit', async () => {
    const onlyProducts = await search(admin, 'BRK', { types: ['product'] });
    expect(onlyProducts.groups.map((g) => g.entityType)).toEqual(['product']);
    const one = await search(admin, 'PO-A', { limit: 1 });
    expect(flat(one)).toHaveLength(1);
    await expectApiError(search(admin, 'x', { types: ['nonsense'] }), 'BAD_REQUEST');
    await expectApiError(search(admin, 'x', { limit: 0 }), 'BAD_REQUEST');
  });

  it('answers hostile input with results or none, never a server error', async () => {
    const hostile = [
      "'",
      '"',
      '&|!():*\\',
      "':* & !'",
      'a:*',
      '<-> & | !',
      '%_%',
      '\\',
      '\u0000',
      'PO\u0000-A1',
      '-- ;; ..',
      '((((((((((',
      '\ud800',
      '🔧🔧🔧',
      'שלום עולם',
      'a'.repeat(100),
      `${'('.repeat(50)}${')'.repeat(50)}`,
      Array.from({ length: 20 }, (_, i) => `w${i}`).join(' '),
      '   ',
    ];
    for (const q of hostile) {
      const answer = await search(admin, q);
      expect(Array.isArray(answer.groups), JSON.stringify(q)).toBe(true);
    }
    expect(idsOf(await search(admin, 'PO\u0000-A1-2026-00012'))).toContain(ids.orderA1);
    expect((await search(admin, '-- ;; ..')).groups).toEqual([]);
    await expectApiError(search(admin, 'a'.repeat(101)), 'BAD_REQUEST', /100 characters/);
    await expectApiError(search(admin, ''), 'BAD_REQUEST');
    // The procedure still answers afterwards.
    expect(idsOf(await search(admin, 'gasket'))).toEqual([ids.otherProduct]);
  });

  it('registers in SQL exactly the types the cloud knows', async () => {
    const registered = await app.database.db.ownerTransact(null, (tx) =>
      rows<{ entity_type: string }>(
        tx,
        sql`select distinct substring(action_statement from 'search_index_sync\\(''([a-z_]+)''') as entity_type
              from information_schema.triggers where trigger_name like 'search_index_%'`,
      ),
    );
    expect(registered.map((r) => r.entity_type).sort()).toEqual([...searchTypeKeys].sort());
  });

  it('indexes the rows already there when a table is registered, custom text included', async () => {
    const scope = { tenantId: app.tenants.a.tenantId, plantIds: 'all' as const };
    const { db } = app.database;
    await admin.trpc.production.products.update.mutate({
      id: ids.otherProduct,
      patch: { unit: 'pcs' },
      custom: { supplier: 'Brightwater' },
    });
    await db.ownerTransact(scope, (tx) =>
      tx.execute(sql`delete from search_documents where entity_type = 'product'`),
    );
    expect(idsOf(await search(admin, 'gasket'))).toEqual([]);
    await db.ownerTransact(null, (tx) =>
      tx.execute(sql`select plantline.register_search('products', 'product', 'code', 'name', '{unit}')`),
    );
    expect(idsOf(await search(admin, 'gasket'))).toEqual([ids.otherProduct]);
    expect(idsOf(await search(admin, 'brightwater'))).toEqual([ids.otherProduct]);
    // The application role may not register tables, nor write another tenant's documents.
    await expect(
      db.transact(scope, (tx) =>
        tx.execute(sql`select plantline.register_search('products', 'product', 'code', 'name')`),
      ),
    ).rejects.toThrow();
    await expect(
      db.transact(scope, (tx) =>
        tx.execute(sql`insert into search_documents (tenant_id, entity_type, entity_id, code)
                       values (${app.tenants.b.tenantId}, 'product', 'x', 'INTRUDER')`),
      ),
    ).rejects.toThrow();
    await expect(
      db.ownerTransact(null, (tx) =>
        tx.execute(sql`select plantline.register_search('products', 'product', 'no_such_column', 'name')`),
      ),
    ).rejects.toMatchObject({ cause: { message: expect.stringMatching(/has no column no_such_column/) } });
  });
});

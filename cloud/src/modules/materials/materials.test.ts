import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { migrationsFolder } from '@plantline/schema/migrations';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../db/index.js';
import { signIn } from '../../testing/api.js';
import { expectApiError } from '../../testing/api-assertions.js';
import { useTestApp } from '../../testing/app.js';
import { auditTrail, expectEntries } from '../../testing/audit-entries.js';
import { testEngines } from '../../testing/engines.js';

/*
 * Materials, lots and locations through the API (docs/materials.md): every product is a finished
 * material — made with it, renamed with it, and given to existing products by the migration — units
 * convert to the base unit, lot status decides what the ledger allows, and bad input is refused with
 * a reason.
 */
const HOUR = 3_600_000;

describe.each(testEngines)('materials ($name engine)', (engine) => {
  const app = useTestApp(engine);
  const s = {} as { plant: string; otherPlant: string; resin: string; store: string; otherStore: string };
  const trpc = () => app.admin.trpc;

  beforeAll(async () => {
    const { materials } = trpc();
    [s.plant, s.otherPlant] = app.tenants.a.plantIds as [string, string];
    await materials.units.create.mutate({ code: 'kg', name: 'Kilogram', dimension: 'mass' });
    await materials.units.create.mutate({ code: 'g', name: 'Gram', dimension: 'mass' });
    await materials.units.create.mutate({ code: 'bag', name: 'Bag', dimension: 'count' });
    await materials.conversions.create.mutate({ fromUnit: 'g', toUnit: 'kg', factor: 0.001 });
    s.resin = (
      await materials.create.mutate({
        code: 'RES',
        name: 'Resin',
        kind: 'raw',
        baseUnit: 'kg',
        lotTracked: true,
      })
    ).id;
    await materials.conversions.create.mutate({
      fromUnit: 'bag',
      toUnit: 'kg',
      factor: 25,
      materialId: s.resin,
    });
    const store = (plantId: string) =>
      materials.locations.create.mutate({ plantId, code: 'STORE', name: 'Store', kind: 'warehouse' });
    s.store = (await store(s.plant)).id;
    s.otherStore = (await store(s.otherPlant)).id;
  });

  const lot = (lotCode: string, more = {}) =>
    trpc().materials.lots.create.mutate({ plantId: s.plant, materialId: s.resin, lotCode, ...more });

  it('makes a finished material with every product, audited, and keeps its name in step', async () => {
    const trail = auditTrail(app.database.db, app.tenants.a);
    let productId = '';
    const entries = await trail.during(async () => {
      productId = (
        await trpc().production.products.create.mutate({ code: 'GEAR', name: 'Gear', unit: 'pcs' })
      ).id;
    });
    const [material] = await trpc().materials.list.query({ kind: 'finished' });
    expect(material).toMatchObject({
      code: 'GEAR',
      name: 'Gear',
      kind: 'finished',
      baseUnit: 'pcs',
      productId,
    });
    expectEntries(entries, [
      { action: 'product.create', entityId: productId },
      { action: 'material.create', entityId: material!.id, entityLabel: 'GEAR' },
    ]);
    await trpc().production.products.update.mutate({ id: productId, patch: { name: 'Spur gear' } });
    expect(await trpc().materials.get.query({ id: material!.id })).toMatchObject({ name: 'Spur gear' });
    await expectApiError(
      trpc().materials.update.mutate({ id: material!.id, patch: { name: 'Other' } }),
      'BAD_REQUEST',
      'GEAR is a product’s material: change name on the product',
    );
    await expectApiError(
      trpc().production.products.create.mutate({ code: 'RES', name: 'Resin product' }),
      'CONFLICT',
      'Code RES is a material’s',
    );
  });

  it('gives products made before materials existed theirs through the migration', async () => {
    const { db } = app.database;
    const scope = { tenantId: app.tenants.a.tenantId, plantIds: 'all' as const };
    const migration = readFileSync(join(migrationsFolder, '0033_materials.sql'), 'utf8');
    const backfill = migration
      .split('--> statement-breakpoint')
      .find((chunk) => chunk.includes('FOR tenant IN'));
    expect(backfill).toBeDefined();
    await db.ownerTransact(scope, async (tx) => {
      await tx.execute(sql`alter table products disable trigger products_finished_material`);
      await tx.execute(
        sql`insert into products (tenant_id, code, name, unit) values (${scope.tenantId}, 'OLD', 'Old product', 'm')`,
      );
      await tx.execute(sql`alter table products enable trigger products_finished_material`);
    });
    await db.ownerTransact(null, (tx) => tx.execute(sql.raw(backfill!)));
    const [old] = await db.transact(scope, (tx) =>
      rows<{ kind: string; base_unit: string; dimension: string; linked: boolean }>(
        tx,
        sql`select m.kind, m.base_unit, u.dimension, m.product_id = p.id as linked
            from products p join materials m on m.product_id = p.id
            join units u on u.tenant_id = m.tenant_id and u.code = m.base_unit where p.code = 'OLD'`,
      ),
    );
    expect(old).toEqual({ kind: 'finished', base_unit: 'm', dimension: 'length', linked: true });
  });

  it('converts quantities to the base unit, the material’s own conversion first', async () => {
    const l = await lot('CONV');
    const stock = { materialId: s.resin, lotId: l.id, locationId: s.store };
    expect((await trpc().inventory.receive.mutate({ ...stock, quantity: 2, unit: 'bag' }))[0]?.quantity).toBe(
      '50',
    );
    expect((await trpc().inventory.receive.mutate({ ...stock, quantity: 500, unit: 'g' }))[0]?.quantity).toBe(
      '0.5',
    );
    const [balance] = await trpc().inventory.balances.query({ lotId: l.id });
    expect(balance).toMatchObject({ quantity: '50.5', baseUnit: 'kg', lotCode: 'CONV' });
    await expectApiError(
      trpc().inventory.receive.mutate({ ...stock, quantity: 1, unit: 'furlong' }),
      'BAD_REQUEST',
      'Unknown unit furlong',
    );
    await expectApiError(
      trpc().materials.conversions.create.mutate({ fromUnit: 'bag', toUnit: 'g', factor: 3 }),
      'BAD_REQUEST',
      'bag is a count and g a mass: name the material',
    );
  });

  it('lets a lot’s status decide what moves, and audits each change with its reason', async () => {
    const l = await lot('BLK');
    const stock = { materialId: s.resin, lotId: l.id, locationId: s.store };
    await trpc().inventory.receive.mutate({ ...stock, quantity: 10 });
    const trail = auditTrail(app.database.db, app.tenants.a);
    const entries = await trail.during(() =>
      trpc().materials.lots.setStatus.mutate({ id: l.id, status: 'blocked', reason: 'Supplier recall' }),
    );
    expectEntries(entries, [
      {
        action: 'material_lot.block',
        entityId: l.id,
        reason: 'Supplier recall',
        newValues: { status: 'blocked' },
      },
    ]);
    await expectApiError(
      trpc().inventory.issue.mutate({ ...stock, quantity: 1 }),
      'BAD_REQUEST',
      'Lot BLK is blocked',
    );
    await trpc().inventory.issue.mutate({ ...stock, quantity: 1, kind: 'scrap' });
    await trpc().materials.lots.setStatus.mutate({ id: l.id, status: 'quarantine', reason: 'Under test' });
    await expectApiError(
      trpc().inventory.issue.mutate({ ...stock, quantity: 1, kind: 'consumption' }),
      'BAD_REQUEST',
      'Lot BLK is in quarantine',
    );
    await expectApiError(
      trpc().materials.lots.setStatus.mutate({ id: l.id, status: 'quarantine', reason: 'Again' }),
      'CONFLICT',
      'Lot BLK is already quarantine',
    );
    await expectApiError(
      trpc().materials.lots.setStatus.mutate({ id: l.id, status: 'released', reason: '' }),
      'BAD_REQUEST',
    );
  });

  it('refuses bad input with a reason', async () => {
    const l = await lot('BAD');
    const stock = { materialId: s.resin, lotId: l.id, locationId: s.store };
    await expectApiError(
      trpc().materials.create.mutate({ code: 'X', name: 'X', kind: 'raw', baseUnit: 'furlong' }),
      'BAD_REQUEST',
      'Unknown unit furlong',
    );
    await expectApiError(
      trpc().inventory.receive.mutate({ ...stock, quantity: 0 }),
      'BAD_REQUEST',
      /above zero/,
    );
    await expectApiError(
      trpc().inventory.adjust.mutate({ ...stock, quantity: 0, note: 'Counted' }),
      'BAD_REQUEST',
      /Cannot be zero/,
    );
    await expectApiError(
      trpc().inventory.receive.mutate({ materialId: s.resin, locationId: s.store, quantity: 1 }),
      'BAD_REQUEST',
      'RES is lot-tracked: name the lot',
    );
    await expectApiError(
      trpc().inventory.receive.mutate({ ...stock, quantity: 1, time: new Date(Date.now() + 2 * HOUR) }),
      'BAD_REQUEST',
      'A movement cannot be dated in the future',
    );
    await expectApiError(
      trpc().inventory.transfer.mutate({ ...stock, toLocationId: s.otherStore, quantity: 1 }),
      'BAD_REQUEST',
      /stays within one plant/,
    );
    await expectApiError(lot('BAD'), 'CONFLICT', 'RES already has lot BAD');
    await expectApiError(
      trpc().materials.locations.create.mutate({
        plantId: s.otherPlant,
        parentId: s.store,
        code: 'BIN',
        name: 'Bin',
        kind: 'bin',
      }),
      'BAD_REQUEST',
      'The parent is not a location of this plant',
    );
    await expectApiError(
      trpc().materials.locations.update.mutate({ id: s.store, patch: { parentId: s.store } }),
      'BAD_REQUEST',
      'A location cannot be inside itself',
    );
  });

  it('refuses a caller whose session has expired', async () => {
    const client = await signIn(app.server.url, app.tenants.a.adminEmail);
    const tokenHash = createHash('sha256').update(client.token).digest('hex');
    await app.database.db.ownerTransact({ tenantId: app.tenants.a.tenantId, plantIds: 'all' }, (tx) =>
      tx.execute(
        sql`update sessions set idle_expires_at = now() - interval '1 minute' where token_hash = ${tokenHash}`,
      ),
    );
    await expectApiError(
      client.trpc.inventory.receive.mutate({ materialId: s.resin, locationId: s.store, quantity: 1 }),
      'UNAUTHORIZED',
    );
  });

  it('finds materials and lots by search and keeps their custom fields', async () => {
    await trpc().config.fields.create.mutate({
      entityType: 'material_lot',
      key: 'moisture',
      label: 'Moisture',
      type: 'decimal',
    });
    const l = await lot('SRCH-77', { supplierLot: 'SUP-4711', custom: { moisture: 0.4 } });
    expect(l.custom).toEqual({ moisture: 0.4 });
    const found = JSON.stringify(await trpc().search.query.query({ q: 'SUP-4711' }));
    expect(found).toContain('SRCH-77');
    // A lot found opens its page, a material its page (docs/materials.md, "A lot's page").
    expect(found).toContain(`"link":"/materials/lots/${l.id}"`);
    const resin = JSON.stringify(await trpc().search.query.query({ q: 'RES' }));
    expect(resin).toContain('Resin');
    expect(resin).toContain(`"link":"/materials/${l.materialId}"`);
    // A product's finished material is found as the product, not a second time.
    await trpc().production.products.create.mutate({ code: 'WHEEL', name: 'Wheel' });
    const wheel = JSON.stringify(await trpc().search.query.query({ q: 'WHEEL' }));
    expect(wheel).toContain('"entityType":"product"');
    expect(wheel).not.toContain('"entityType":"material"');
    expect(JSON.stringify(await app.adminB.trpc.search.query.query({ q: 'SUP-4711' }))).not.toContain(
      'SRCH-77',
    );
  });
});

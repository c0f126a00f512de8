import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { rows, type Sql } from '../../db/index.js';
import { DomainError, type Scope } from '../../platform/index.js';
import { useTestApp } from '../../testing/app.js';
import { testEngines } from '../../testing/engines.js';
import { withConfigEntities } from './config-entities.js';
import type { WorkflowEntity } from './entities.js';
import { fieldCatalogue, loadRecord, signedContent, writeField } from './record-fields.js';

/*
 * Records as the workflow engine reads and writes them (docs/workflows.md, "Fields"), over production
 * orders as config-entities.ts describes them: built-in and custom fields under one name space,
 * select values as option codes, writes through the owning domain's rules, row-level security, and
 * the content a signature binds.
 */
describe.each(testEngines)('record fields ($name engine)', (engine) => {
  const app = useTestApp(engine);
  const orders = withConfigEntities([]).find((e) => e.key === 'production_order') as WorkflowEntity;
  const scopeA = (plantIds: Scope['plantIds'] = 'all'): Scope => ({
    tenantId: app.tenants.a.tenantId,
    userId: app.tenants.a.adminUserId,
    plantIds,
  });
  const asA = <T>(work: (tx: Sql) => Promise<T>, plantIds: Scope['plantIds'] = 'all') =>
    app.database.db.transact(scopeA(plantIds), work);

  let order: { id: string; number: string };
  let otherPlantOrder: { id: string };

  beforeAll(async () => {
    const t = app.admin.trpc;
    const colours = await t.config.typeLists.create.mutate({
      code: 'FINISH',
      name: 'Finish',
      options: [
        { code: 'MATT', label: 'Matt' },
        { code: 'GLOSS', label: 'Gloss' },
      ],
    });
    await t.config.fields.create.mutate({
      entityType: 'production_order',
      key: 'finish',
      label: 'Finish',
      type: 'single_select',
      typeListId: colours.id,
    });
    await t.config.fields.create.mutate({
      entityType: 'production_order',
      key: 'batch',
      label: 'Batch',
      type: 'text',
    });
    const retired = await t.config.fields.create.mutate({
      entityType: 'production_order',
      key: 'old_code',
      label: 'Old code',
      type: 'text',
    });
    await t.config.fields.retire.mutate({ id: retired.id });
    const product = await t.production.products.create.mutate({ code: 'BRK-1', name: 'Bracket' });
    order = await t.production.orders.create.mutate({
      plantId: app.tenants.a.plantIds[0]!,
      productId: product.id,
      quantity: 12.5,
      dueAt: new Date('2026-05-04T10:00:00Z'),
      note: 'Rush',
      custom: { finish: 'GLOSS', batch: 'B-7' },
    });
    otherPlantOrder = await t.production.orders.create.mutate({
      plantId: app.tenants.a.plantIds[1]!,
      productId: product.id,
      quantity: 1,
    });
  });

  it('lists built-in fields, then active custom fields with their option codes', async () => {
    const catalogue = await asA((tx) => fieldCatalogue(tx, orders));
    expect([...catalogue.keys()]).toEqual([
      'number',
      'note',
      'quantity',
      'due_at',
      'status',
      'custom.finish',
      'custom.batch',
    ]);
    expect(catalogue.get('status')).toMatchObject({ kind: 'choice', settable: false });
    expect(catalogue.get('status')!.choices).toContain('completed');
    expect(catalogue.get('note')).toMatchObject({ kind: 'text', settable: true });
    expect(catalogue.get('custom.finish')).toMatchObject({
      kind: 'choice',
      choices: ['MATT', 'GLOSS'],
      choiceLabels: { MATT: 'Matt', GLOSS: 'Gloss' },
      settable: true,
    });
  });

  it('loads a record with every field in the engine’s form', async () => {
    const record = await asA((tx) => loadRecord(tx, orders, order.id));
    expect(record).toEqual({
      entityType: 'production_order',
      id: order.id,
      plantId: app.tenants.a.plantIds[0],
      code: order.number,
      title: 'Rush',
      createdBy: null,
      fields: {
        number: order.number,
        note: 'Rush',
        quantity: 12.5,
        due_at: '2026-05-04T10:00:00.000Z',
        status: 'planned',
        'custom.finish': 'GLOSS',
        'custom.batch': 'B-7',
      },
    });
  });

  it('does not find a record of a plant outside the caller’s reach', async () => {
    await expect(
      asA((tx) => loadRecord(tx, orders, otherPlantOrder.id), [app.tenants.a.plantIds[0]!]),
    ).rejects.toThrow(DomainError);
    await expect(
      app.database.db.transact({ tenantId: app.tenants.b.tenantId, plantIds: 'all' }, (tx) =>
        loadRecord(tx, orders, order.id),
      ),
    ).rejects.toThrow(/No production order/);
  });

  it('writes settable fields through the domain’s rules and refuses the others', async () => {
    await asA(async (tx) => {
      await writeField(tx, scopeA(), orders, order.id, 'note', 'Rush, checked');
      await writeField(tx, scopeA(), orders, order.id, 'custom.batch', 'B-8');
    });
    const record = await asA((tx) => loadRecord(tx, orders, order.id));
    expect(record.fields).toMatchObject({ note: 'Rush, checked', 'custom.batch': 'B-8' });
    await expect(asA((tx) => writeField(tx, scopeA(), orders, order.id, 'quantity', 3))).rejects.toThrow(
      /cannot be set by a workflow/,
    );
    await expect(
      asA((tx) => writeField(tx, scopeA(), orders, order.id, 'custom.finish', 'CHROME')),
    ).rejects.toThrow(DomainError);

    // A closed order refuses every change (production-orders.ts), its note from a workflow too.
    await app.admin.trpc.production.orders.update.mutate({
      id: otherPlantOrder.id,
      patch: { status: 'cancelled' },
    });
    await expect(
      asA((tx) => writeField(tx, scopeA(), orders, otherPlantOrder.id, 'note', 'Late')),
    ).rejects.toThrow(/closed/);
    const [note] = await asA((tx) =>
      rows<{ note: string | null }>(
        tx,
        sql`select note from production_orders where id = ${otherPlantOrder.id}`,
      ),
    );
    expect(note?.note).toBeNull();
  });

  it('binds a signature to the record’s content: the same content, the same hash', async () => {
    const before = await asA((tx) => loadRecord(tx, orders, order.id));
    const signed = signedContent(before);
    expect(signed.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(signedContent(await asA((tx) => loadRecord(tx, orders, order.id))).sha256).toBe(signed.sha256);
    expect(signed.content).toMatchObject({
      entityType: 'production_order',
      id: order.id,
      code: order.number,
    });
    await asA((tx) => writeField(tx, scopeA(), orders, order.id, 'custom.batch', 'B-9'));
    const after = signedContent(await asA((tx) => loadRecord(tx, orders, order.id)));
    expect(after.sha256).not.toBe(signed.sha256);
    // Empty fields are left out, so a field added later without a value leaves old hashes valid.
    const empty = await asA((tx) => loadRecord(tx, orders, otherPlantOrder.id));
    expect(Object.keys(signedContent(empty).content.fields as object)).not.toContain('due_at');
    expect(signedContent({ ...empty, fields: { ...empty.fields, 'custom.new': undefined } }).sha256).toBe(
      signedContent(empty).sha256,
    );
  });
});

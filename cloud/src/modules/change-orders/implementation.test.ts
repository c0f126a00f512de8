import { beforeAll, describe, expect, it } from 'vitest';
import type { Scope } from '../../platform/index.js';
import type { ApiClient } from '../../testing/api.js';
import { expectApiError } from '../../testing/api-assertions.js';
import { useTestApp } from '../../testing/app.js';
import { auditTrail, expectEntries } from '../../testing/audit-entries.js';
import { testEngines } from '../../testing/engines.js';
import { implementChangeOrder } from './implementation.js';
import { changeOrderWorkflowEntity } from './workflow-entity.js';

/*
 * Implementing a change order (docs/change-orders.md, "Implementation"): what the approving workflow
 * transition does through the `implemented_at` field. Called here in a transaction of its own, as
 * the administrator, the way the workflow engine calls it in the transition's.
 */
describe.each(testEngines)('implementing change orders ($name engine)', (engine) => {
  const app = useTestApp(engine);
  let admin: ApiClient;
  let actor: Scope;
  const ids = {} as { brake: string; disc: string; plant2: string };

  const implement = (changeOrderId: string, at: Date) =>
    app.database.db.transact(actor, (tx) => implementChangeOrder(tx, actor, changeOrderId, at));
  const product = (id: string) => admin.trpc.production.products.get.query({ id });
  const history = (productId: string) => admin.trpc.production.products.revisions.query({ productId });

  beforeAll(async () => {
    admin = app.admin;
    actor = { tenantId: app.tenants.a.tenantId, userId: app.tenants.a.adminUserId, plantIds: 'all' };
    ids.brake = (await admin.trpc.production.products.create.mutate({ code: 'BRK-100', name: 'Brake' })).id;
    ids.disc = (await admin.trpc.production.products.create.mutate({ code: 'DSC-200', name: 'Disc' })).id;
    const plant2 = await admin.trpc.tenancy.plants.update.mutate({
      id: app.tenants.a.plantIds[1]!,
      patch: { timezone: 'America/Chicago' },
    });
    ids.plant2 = plant2.id;
  });

  it('bumps every product’s revision once, writes its history and keeps the revisions on the items', async () => {
    const order = await admin.trpc.changeOrders.create.mutate({
      title: 'New bolt pattern',
      items: [{ productId: ids.brake }, { productId: ids.disc, note: 'Disc bore 60 → 62' }],
    });
    const at = new Date('2026-05-04T10:00:00Z');
    const trail = auditTrail(app.database.db, app.tenants.a);
    const entries = await trail.during(async () => {
      const result = await implement(order.id, at);
      expect(result.revisions.map((r) => [r.productCode, r.fromRevision, r.toRevision])).toEqual([
        ['BRK-100', 'A', 'B'],
        ['DSC-200', 'A', 'B'],
      ]);
    });
    expectEntries(entries, [
      {
        action: 'product.revise',
        entityType: 'product',
        entityId: ids.brake,
        entityLabel: 'BRK-100',
        oldValues: { revision: 'A' },
        newValues: { revision: 'B', changeOrder: order.number },
      },
      {
        action: 'product.revise',
        entityId: ids.disc,
        newValues: { revision: 'B', changeOrder: order.number },
      },
      {
        action: 'change_order.implement',
        entityType: 'change_order',
        entityId: order.id,
        entityLabel: order.number,
        oldValues: { implementedAt: null },
        newValues: { implementedAt: at.toISOString(), revisions: ['BRK-100 A → B', 'DSC-200 A → B'] },
      },
    ]);
    expect((await product(ids.brake)).revision).toBe('B');
    const implemented = await admin.trpc.changeOrders.get.query({ id: order.id });
    expect(implemented).toMatchObject({ implementedAt: at.toISOString(), version: 2 });
    expect(implemented.items.map((i) => [i.fromRevision, i.toRevision, i.currentRevision])).toEqual([
      ['A', 'B', 'B'],
      ['A', 'B', 'B'],
    ]);
    expect(await history(ids.disc)).toMatchObject([
      {
        revision: 'B',
        changeOrderId: order.id,
        changeOrderNumber: order.number,
        effectiveFrom: at.toISOString(),
        effectiveLot: null,
        note: 'Disc bore 60 → 62',
      },
      { revision: 'A', changeOrderId: null, changeOrderNumber: null, note: 'Initial revision' },
    ]);
    expect((await history(ids.brake))[0]?.note).toBe('New bolt pattern');

    // Exactly once: a second implementation is refused and changes nothing.
    await expect(implement(order.id, new Date())).rejects.toMatchObject({
      code: 'conflict',
      message: `${order.number} is already implemented; its revisions were applied once`,
    });
    expect((await product(ids.brake)).revision).toBe('B');
    expect(await history(ids.brake)).toHaveLength(2);
    // An implemented change order no longer changes, custom values included.
    await expectApiError(
      admin.trpc.changeOrders.update.mutate({ id: order.id, expectedVersion: 2, patch: { title: 'Later' } }),
      'CONFLICT',
      `${order.number} is implemented; it no longer changes`,
    );
  });

  it('dates the revision from the effective date in the plant’s zone, or records the lot', async () => {
    const dated = await admin.trpc.changeOrders.create.mutate({
      title: 'From July',
      plantId: ids.plant2,
      effectivity: 'date',
      effectiveDate: '2026-07-01',
      items: [{ productId: ids.brake }],
    });
    await implement(dated.id, new Date('2026-06-10T08:00:00Z'));
    // Midnight in Chicago (UTC−5 in summer).
    expect((await history(ids.brake))[0]).toMatchObject({
      revision: 'C',
      effectiveFrom: '2026-07-01T05:00:00.000Z',
      effectiveLot: null,
    });

    const byLot = await admin.trpc.changeOrders.create.mutate({
      title: 'From lot 77',
      effectivity: 'lot',
      effectiveLot: 'LOT-77',
      items: [{ productId: ids.brake }],
    });
    expect(byLot.items[0]?.fromRevision).toBe('C');
    const at = new Date('2026-06-11T09:30:00Z');
    await implement(byLot.id, at);
    expect((await history(ids.brake))[0]).toMatchObject({
      revision: 'D',
      effectiveFrom: at.toISOString(),
      effectiveLot: 'LOT-77',
      changeOrderNumber: byLot.number,
    });
  });

  it('records the revision actually replaced when another change order came first', async () => {
    const first = await admin.trpc.changeOrders.create.mutate({
      title: 'First',
      items: [{ productId: ids.disc }],
    });
    const second = await admin.trpc.changeOrders.create.mutate({
      title: 'Second',
      items: [{ productId: ids.disc }],
    });
    await implement(first.id, new Date());
    await implement(second.id, new Date());
    const items = (await admin.trpc.changeOrders.get.query({ id: second.id })).items;
    expect(items.map((i) => [i.fromRevision, i.toRevision])).toEqual([['C', 'D']]);
  });

  it('is the apply of the workflow field implemented_at, which takes an instant and refuses anything else', async () => {
    const field = changeOrderWorkflowEntity.fields.find((f) => f.key === 'implemented_at');
    expect(field).toMatchObject({ kind: 'datetime', column: 'implemented_at', settable: true });
    const order = await admin.trpc.changeOrders.create.mutate({
      title: 'Via workflow',
      items: [{ productId: ids.disc }],
    });
    await expect(
      app.database.db.transact(actor, (tx) => field!.apply!(tx, actor, order.id, 'not a time')),
    ).rejects.toMatchObject({ code: 'invalid', fieldErrors: { implemented_at: 'Not a date and time' } });
    await app.database.db.transact(actor, (tx) => field!.apply!(tx, actor, order.id, '2026-06-12T07:00:00Z'));
    expect((await admin.trpc.changeOrders.get.query({ id: order.id })).implementedAt).toBe(
      '2026-06-12T07:00:00.000Z',
    );
    expect((await product(ids.disc)).revision).toBe('E');
  });

  it('implements only a change order the actor can see', async () => {
    const order = await admin.trpc.changeOrders.create.mutate({
      title: 'Plant 2',
      plantId: ids.plant2,
      items: [{ productId: ids.disc }],
    });
    const plant1Only: Scope = { ...actor, plantIds: [app.tenants.a.plantIds[0]!] };
    await expect(
      app.database.db.transact(plant1Only, (tx) =>
        implementChangeOrder(tx, plant1Only, order.id, new Date()),
      ),
    ).rejects.toMatchObject({ code: 'not_found', message: 'Change order not found' });
    const tenantB: Scope = {
      tenantId: app.tenants.b.tenantId,
      userId: app.tenants.b.adminUserId,
      plantIds: 'all',
    };
    await expect(
      app.database.db.transact(tenantB, (tx) => implementChangeOrder(tx, tenantB, order.id, new Date())),
    ).rejects.toMatchObject({ code: 'not_found' });
    expect((await product(ids.disc)).revision).toBe('E');
  });
});

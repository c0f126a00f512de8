import { beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, addUser, signIn } from '../../testing/api.js';
import { expectApiError } from '../../testing/api-assertions.js';
import { useTestApp } from '../../testing/app.js';
import { auditTrail } from '../../testing/audit-entries.js';
import { testEngines } from '../../testing/engines.js';
import { TEST_PASSWORD } from '../../testing/tenants.js';
import { installDefaultWorkflows } from '../workflow/index.js';

/*
 * A change order under the default change order workflow (docs/change-orders.md, "Implementation"):
 * raising one starts it, the change board's approval implements it, and a locked state refuses edits.
 */
describe.each(testEngines)('change orders under their workflow ($name engine)', (engine) => {
  const app = useTestApp(engine);
  let admin: ApiClient;
  let productId: string;
  const board = [] as { email: string; client: ApiClient }[];

  beforeAll(async () => {
    admin = app.admin;
    const scope = { tenantId: app.tenants.a.tenantId, plantIds: 'all' as const };
    await app.database.db.transact(scope, (tx) =>
      installDefaultWorkflows(tx, scope, app.server.deps.workflowEntities),
    );
    productId = (await admin.trpc.production.products.create.mutate({ code: 'BRK-100', name: 'Brake' })).id;
    const { roleIds, plantIds } = app.tenants.a;
    for (const role of ['engineer', 'engineer', 'quality']) {
      const { email } = await addUser(admin, { roleIds: [roleIds[role]!], plantIds: [plantIds[0]!] });
      board.push({ email, client: await signIn(app.server.url, email) });
    }
  });

  const workflowOf = (id: string) =>
    admin.trpc.workflow.instances.get.query({ entityType: 'change_order', entityId: id });
  let keys = 0;
  async function act(
    client: ApiClient,
    changeOrderId: string,
    transitionKey: string,
    extra: { decision?: 'approve'; comment?: string; email?: string } = {},
  ) {
    const { instance } = await workflowOf(changeOrderId);
    return client.trpc.workflow.instances.act.mutate({
      instanceId: instance!.id,
      transitionKey,
      expectedVersion: instance!.version,
      idempotencyKey: `change-order-test-${++keys}`,
      ...(extra.decision === undefined ? {} : { decision: extra.decision }),
      ...(extra.comment === undefined ? {} : { comment: extra.comment }),
      ...(extra.email === undefined ? {} : { signature: { email: extra.email, password: TEST_PASSWORD } }),
    });
  }

  it('starts in draft, and the change board’s signed approval gives the product its next revision', async () => {
    const order = await admin.trpc.changeOrders.create.mutate({
      title: 'Thicker wall',
      items: [{ productId }],
    });
    expect(order.status).toBe('draft');
    expect((await workflowOf(order.id)).instance?.state.key).toBe('draft');
    await act(admin, order.id, 'submit');
    await act(admin, order.id, 'send_to_board');
    expect((await admin.trpc.changeOrders.get.query({ id: order.id })).status).toBe('change_board');

    const trail = auditTrail(app.database.db, app.tenants.a);
    const entries = await trail.during(async () => {
      for (const member of board)
        await act(member.client, order.id, 'approve', { decision: 'approve', email: member.email });
    });
    const approved = await admin.trpc.changeOrders.get.query({ id: order.id });
    expect(approved).toMatchObject({ status: 'approved' });
    expect(approved.implementedAt).not.toBeNull();
    expect(approved.items.map((i) => [i.fromRevision, i.toRevision, i.currentRevision])).toEqual([
      ['A', 'B', 'B'],
    ]);
    expect((await admin.trpc.production.products.revisions.query({ productId }))[0]).toMatchObject({
      revision: 'B',
      changeOrderNumber: order.number,
    });
    expect(entries.map((e) => e.action)).toEqual(
      expect.arrayContaining(['product.revise', 'change_order.implement']),
    );
    // Approved is a locked state, and an implemented change order no longer changes anyway.
    await expectApiError(
      admin.trpc.changeOrders.update.mutate({
        id: order.id,
        expectedVersion: approved.version,
        patch: { title: 'x' },
      }),
      'CONFLICT',
    );
  });

  it('refuses edits in a locked state with the state’s reason', async () => {
    const order = await admin.trpc.changeOrders.create.mutate({
      title: 'Not needed',
      items: [{ productId }],
    });
    await act(admin, order.id, 'submit');
    await act(admin, order.id, 'reject', { comment: 'Covered by the previous change' });
    const rejected = await admin.trpc.changeOrders.get.query({ id: order.id });
    expect(rejected.status).toBe('rejected');
    await expectApiError(
      admin.trpc.changeOrders.update.mutate({
        id: order.id,
        expectedVersion: rejected.version,
        patch: { title: 'x' },
      }),
      'CONFLICT',
      'The record is Rejected: it is read-only',
    );
    await expectApiError(
      admin.trpc.changeOrders.update.mutate({
        id: order.id,
        expectedVersion: rejected.version,
        removeItemIds: [rejected.items[0]!.id],
      }),
      'CONFLICT',
      'The record is Rejected: it is read-only',
    );
    expect((await admin.trpc.changeOrders.get.query({ id: order.id })).items).toHaveLength(1);
  });
});

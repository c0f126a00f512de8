import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, signIn, wsClient } from '../../testing/api.js';
import { useTestApp } from '../../testing/app.js';
import { testEngines } from '../../testing/engines.js';
import { until } from '../../testing/until.js';
import { workflowEntityMap } from './entities.js';
import type { TaskCounts } from './inbox.js';
import { ordersEntity, seedInstance, seedTask, seedWorkflow } from './task-fixtures.js';

/*
 * The live task counts follow delegations (docs/workflows.md, "My tasks"): the delegate's counts
 * change when a delegation is given or revoked, and when a planned one starts or ends with nobody
 * doing anything — the sidebar's badge and the home page's card are fed by this stream.
 */
describe.each(testEngines)('live task counts and delegations ($name engine)', (engine) => {
  const app = useTestApp(engine);
  let ann: { id: string; client: Awaited<ReturnType<typeof signIn>> };
  let carl: { id: string; token: string };
  const open: (() => void)[] = [];

  async function person() {
    const role = await app.admin.trpc.rbac.roles.create.mutate({
      key: `live-deleg-${randomUUID().slice(0, 8)}`,
      name: `Live delegation ${randomUUID().slice(0, 8)}`,
      permissions: ['kpi.read'],
    });
    const { id, email } = await addUser(app.admin, {
      roleIds: [role.id],
      plantIds: [app.tenants.a.plantIds[0]!],
    });
    return { id, client: await signIn(app.server.url, email) };
  }

  /** Carl's counts as his open inbox receives them. */
  async function carlsCounts(): Promise<TaskCounts[]> {
    const client = wsClient(app.server.url, { token: carl.token });
    const messages: TaskCounts[] = [];
    const subscription = client.trpc.workflow.tasks.live.subscribe(undefined, {
      onData: (counts) => messages.push(counts),
    });
    open.push(() => {
      subscription.unsubscribe();
      client.close();
    });
    await until(() => messages.length > 0, 'the first counts');
    return messages;
  }

  beforeAll(async () => {
    app.server.deps.workflowEntities = workflowEntityMap([ordersEntity]);
    const workflow = await seedWorkflow(app.database.db, app.tenants.a.tenantId, 'production_order', [
      { key: 'draft', label: 'Draft', kind: 'initial' },
      { key: 'closed', label: 'Closed', kind: 'final' },
    ]);
    ann = await person();
    const signedIn = await person();
    carl = { id: signedIn.id, token: signedIn.client.token };
    const instance = await seedInstance(app.database.db, workflow, {
      entityId: randomUUID(),
      plantId: app.tenants.a.plantIds[0]!,
      stateKey: 'draft',
    });
    await seedTask(app.database.db, app.tenants.a.tenantId, instance, {
      assignee: { userId: ann.id },
      title: 'Ann’s review',
    });
  }, 60_000);

  afterAll(() => {
    for (const close of open) close();
  });

  it('changes the delegate’s counts when a delegation is given and when it is revoked', async () => {
    const messages = await carlsCounts();
    expect(messages.at(-1)).toEqual({ open: 0, overdue: 0 });
    const given = await ann.client.trpc.workflow.delegations.create.mutate({
      delegateId: carl.id,
      startsAt: new Date(Date.now() - 60_000),
      endsAt: new Date(Date.now() + 3_600_000),
      reason: 'Away',
    });
    await until(() => messages.at(-1)?.open === 1, 'Ann’s task in Carl’s count');
    await ann.client.trpc.workflow.delegations.revoke.mutate({ id: given.id });
    await until(() => messages.at(-1)?.open === 0, 'Carl’s count without Ann’s task');
  });

  it('changes them when a planned delegation starts and again when it ends, with nobody acting', async () => {
    const startsAt = new Date(Date.now() + 1_500);
    await ann.client.trpc.workflow.delegations.create.mutate({
      delegateId: carl.id,
      startsAt,
      endsAt: new Date(startsAt.getTime() + 1_500),
      reason: 'A short absence',
    });
    // Opened once the delegation is stored: only its start and end can change the count from here.
    const messages = await carlsCounts();
    expect(messages).toEqual([{ open: 0, overdue: 0 }]);
    await until(() => messages.some((m) => m.open === 1), 'the start of the delegation');
    expect(Date.now()).toBeGreaterThanOrEqual(startsAt.getTime());
    const started = messages.findIndex((m) => m.open === 1);
    await until(() => messages.slice(started).some((m) => m.open === 0), 'the end of the delegation');
  });
});

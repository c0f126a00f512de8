import { randomUUID } from 'node:crypto';
import type { Permission } from '@plantline/schema';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, addUser, apiClient, signIn, wsClient } from '../../testing/api.js';
import { expectApiError } from '../../testing/api-assertions.js';
import { useTestApp } from '../../testing/app.js';
import { testEngines } from '../../testing/engines.js';
import { until } from '../../testing/until.js';
import { workflowEntityMap } from './entities.js';
import type { TaskCounts } from './inbox.js';
import {
  ordersEntity,
  type SeededInstance,
  type SeededWorkflow,
  seedInstance,
  seedTask,
  seedWorkflow,
} from './task-fixtures.js';

/*
 * "My tasks" (docs/workflows.md, "My tasks") through the real API: tasks by name, role and permission,
 * newest first a page at a time, within the caller's plants and tenant, approvals the caller may no
 * longer vote on left out, a delegator's tasks "on behalf of" them, and the live counts.
 */
describe.each(testEngines)('my tasks ($name engine)', (engine) => {
  const app = useTestApp(engine);
  const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);
  let workflow: SeededWorkflow;
  let qualityRoleId: string;
  let ann: { id: string; client: ApiClient; token: string };
  let bob: { id: string; client: ApiClient };
  let carl: { id: string; client: ApiClient };
  const task: Record<string, string> = {};
  const instances: SeededInstance[] = [];
  let rolesMade = 0;

  async function person(permissions: Permission[], plantIds: string[], roleIds: string[] = []) {
    const role = await app.admin.trpc.rbac.roles.create.mutate({
      key: `inbox-${++rolesMade}`,
      name: `Inbox ${rolesMade}`,
      permissions,
    });
    const { id, email } = await addUser(app.admin, { roleIds: [role.id, ...roleIds], plantIds });
    const session = await signIn(app.server.url, email);
    return { id, client: session, token: session.token };
  }

  async function instance(plantId: string | null, startedBy: string | null = null) {
    const made = await seedInstance(app.database.db, workflow, {
      entityId: randomUUID(),
      plantId,
      stateKey: 'review',
      startedBy,
    });
    instances.push(made);
    return made;
  }

  const titles = async (client: ApiClient) =>
    (await client.trpc.workflow.tasks.mine.query({})).items.map((t) => t.title);

  beforeAll(async () => {
    const { tenants } = app;
    const [a1, a2] = tenants.a.plantIds as [string, string];
    app.server.deps.workflowEntities = workflowEntityMap([ordersEntity]);
    workflow = await seedWorkflow(app.database.db, tenants.a.tenantId, 'production_order', [
      { key: 'draft', label: 'Draft', kind: 'initial' },
      { key: 'review', label: 'Under review', kind: 'normal' },
      { key: 'closed', label: 'Closed', kind: 'final' },
    ]);
    const quality = await app.admin.trpc.rbac.roles.create.mutate({
      key: 'qa-reviewers',
      name: 'QA reviewers',
      permissions: ['approvals.decide'],
    });
    qualityRoleId = quality.id;
    ann = await person(['quality.read'], [a1], [qualityRoleId]);
    bob = await person(['kpi.read'], [a2], [qualityRoleId]);
    carl = await person(['kpi.read'], [a1]);
    const db = app.database.db;
    const tenantId = tenants.a.tenantId;
    const i1 = await instance(a1);
    const i2 = await instance(a1);
    const i3 = await instance(a1);
    const i4 = await instance(a2);
    const i5 = await instance(null);
    const i6 = await instance(a1, ann.id);
    const i7 = await instance(a1);
    task.byName = await seedTask(db, tenantId, i1, {
      assignee: { userId: ann.id },
      title: 'Fill in order 1',
      createdAt: minutesAgo(50),
    });
    task.byRole = await seedTask(db, tenantId, i2, {
      assignee: { roleId: qualityRoleId },
      title: 'Review order 2',
      dueAt: minutesAgo(1),
      createdAt: minutesAgo(40),
    });
    task.byPermission = await seedTask(db, tenantId, i3, {
      assignee: { permission: 'quality.read' },
      title: 'Look at order 3',
      dueAt: new Date(Date.now() + 3_600_000),
      createdAt: minutesAgo(30),
    });
    task.otherPlant = await seedTask(db, tenantId, i4, {
      assignee: { roleId: qualityRoleId },
      title: 'Review order 4 in plant 2',
      createdAt: minutesAgo(20),
    });
    task.closed = await seedTask(db, tenantId, i1, {
      assignee: { userId: ann.id },
      title: 'Done long ago',
      createdAt: minutesAgo(60),
      closed: true,
    });
    task.carls = await seedTask(db, tenantId, i5, {
      assignee: { userId: carl.id },
      title: 'Tenant-wide task of Carl',
      createdAt: minutesAgo(10),
    });
    task.annStarted = await seedTask(db, tenantId, i6, {
      assignee: { roleId: qualityRoleId },
      kind: 'approval',
      transitionKey: 'approve',
      title: 'Approve order 6, started by Ann',
      createdAt: minutesAgo(5),
    });
    task.annVoted = await seedTask(db, tenantId, i7, {
      assignee: { roleId: qualityRoleId },
      kind: 'approval',
      transitionKey: 'approve',
      title: 'Approve order 7, Ann has voted',
      createdAt: minutesAgo(4),
    });
    await db.ownerTransact({ tenantId, plantIds: 'all' }, (tx) =>
      tx.execute(sql`insert into approvals (tenant_id, plant_id, instance_id, round, transition_key, voter_id,
                                            counts_for_id, decision)
                     values (${tenantId}::uuid, ${a1}::uuid, ${i7.id}::uuid, 1, 'approve', ${ann.id}::uuid,
                             ${ann.id}::uuid, 'approve')`),
    );
    // Tenant B's quality role has a task too, which nobody of tenant A may see.
    const workflowB = await seedWorkflow(db, tenants.b.tenantId, 'production_order', [
      { key: 'review', label: 'Review', kind: 'initial' },
    ]);
    const instanceB = await seedInstance(db, workflowB, {
      entityId: randomUUID(),
      plantId: tenants.b.plantIds[0]!,
      stateKey: 'review',
    });
    await seedTask(db, tenants.b.tenantId, instanceB, {
      assignee: { permission: 'quality.read' },
      title: 'Tenant B task',
    });
  }, 120_000);

  it('lists tasks by name, role and permission, newest first, with link, state and counts', async () => {
    const mine = await ann.client.trpc.workflow.tasks.mine.query({});
    expect(mine.items.map((t) => t.title)).toEqual(['Look at order 3', 'Review order 2', 'Fill in order 1']);
    expect(mine.counts).toEqual({ open: 3, overdue: 1 });
    expect(mine.nextCursor).toBeNull();
    const [third, second, first] = mine.items;
    expect(second).toMatchObject({
      taskId: task.byRole,
      kind: 'action',
      entityType: 'production_order',
      entityId: instances[1]!.entityId,
      link: `/orders/${instances[1]!.entityId}`,
      stateLabel: 'Under review',
      overdue: true,
      onBehalfOf: null,
    });
    expect(third).toMatchObject({ overdue: false, dueAt: expect.stringMatching(/Z$/) });
    expect(first).toMatchObject({ dueAt: null, overdue: false });
  });

  it('lists a record’s action once however many ways it reaches the caller', async () => {
    // Order 3's "go" reaches Ann through quality.read already; by name too, it is still one task.
    const twice = await seedTask(app.database.db, app.tenants.a.tenantId, instances[2]!, {
      assignee: { userId: ann.id },
      title: 'Look at order 3, named',
      createdAt: minutesAgo(30),
    });
    try {
      const mine = await ann.client.trpc.workflow.tasks.mine.query({});
      expect(mine.items).toHaveLength(3);
      expect(mine.counts.open).toBe(3);
      expect(mine.items.filter((t) => t.entityId === instances[2]!.entityId)).toHaveLength(1);
    } finally {
      await app.database.db.ownerTransact({ tenantId: app.tenants.a.tenantId, plantIds: 'all' }, (tx) =>
        tx.execute(sql`update workflow_tasks set closed_at = now() where id = ${twice}::uuid`),
      );
    }
  });

  it('keeps each caller to their plants and tenant', async () => {
    expect(await titles(bob.client)).toEqual(['Review order 4 in plant 2']);
    expect(await titles(carl.client)).toEqual(['Tenant-wide task of Carl']);
    const everything = await titles(app.admin);
    expect(everything).toContain('Look at order 3');
    expect(everything).not.toContain('Tenant B task');
    expect(await titles(app.adminB)).toEqual(['Tenant B task']);
  });

  it('leaves out approvals the caller started or has voted on', async () => {
    const other = await person(['kpi.read'], [app.tenants.a.plantIds[0]!], [qualityRoleId]);
    expect(await titles(other.client)).toEqual([
      'Approve order 7, Ann has voted',
      'Approve order 6, started by Ann',
      'Review order 2',
    ]);
    expect(await titles(ann.client)).not.toContain('Approve order 6, started by Ann');
    expect(await titles(ann.client)).not.toContain('Approve order 7, Ann has voted');
  });

  it('pages by (created_at, id) and refuses a cursor of no task', async () => {
    const first = await ann.client.trpc.workflow.tasks.mine.query({ limit: 2 });
    expect(first.items.map((t) => t.title)).toEqual(['Look at order 3', 'Review order 2']);
    expect(first.nextCursor).toBe(task.byRole);
    const second = await ann.client.trpc.workflow.tasks.mine.query({ limit: 2, cursor: first.nextCursor! });
    expect(second.items.map((t) => t.title)).toEqual(['Fill in order 1']);
    expect(second.nextCursor).toBeNull();
    expect(second.counts).toEqual({ open: 3, overdue: 1 });
    await expectApiError(ann.client.trpc.workflow.tasks.mine.query({ cursor: randomUUID() }), 'BAD_REQUEST');
  });

  it('adds a delegator’s tasks on behalf of them while the delegation runs', async () => {
    const delegation = await ann.client.trpc.workflow.delegations.create.mutate({
      delegateId: carl.id,
      startsAt: minutesAgo(1),
      endsAt: new Date(Date.now() + 3_600_000),
      reason: 'Holiday',
    });
    const mine = await carl.client.trpc.workflow.tasks.mine.query({});
    expect(mine.items.map((t) => [t.title, t.onBehalfOf])).toEqual([
      ['Tenant-wide task of Carl', null],
      ['Look at order 3', expect.stringMatching(/^User /)],
      ['Review order 2', expect.stringMatching(/^User /)],
      ['Fill in order 1', expect.stringMatching(/^User /)],
    ]);
    expect(mine.counts).toEqual({ open: 4, overdue: 1 });
    // A task Carl would see himself is his own, not Ann's.
    const lead = await person(['kpi.read'], [app.tenants.a.plantIds[0]!], [qualityRoleId]);
    await ann.client.trpc.workflow.delegations.create.mutate({
      delegateId: lead.id,
      startsAt: minutesAgo(1),
      endsAt: new Date(Date.now() + 3_600_000),
      reason: '',
    });
    const leads = await lead.client.trpc.workflow.tasks.mine.query({});
    expect(leads.items.find((t) => t.title === 'Review order 2')?.onBehalfOf).toBeNull();
    expect(leads.items.find((t) => t.title === 'Fill in order 1')?.onBehalfOf).not.toBeNull();

    await ann.client.trpc.workflow.delegations.revoke.mutate({ id: delegation.id });
    expect(await titles(carl.client)).toEqual(['Tenant-wide task of Carl']);
  });

  it('refuses API keys: tasks are a person’s', async () => {
    const { key } = await app.admin.trpc.apiKeys.create.mutate({
      name: 'inbox',
      scopes: ['quality.read'],
      plantIds: [app.tenants.a.plantIds[0]!],
    });
    await expectApiError(
      apiClient(app.server.url, { apiKey: key }).trpc.workflow.tasks.mine.query({}),
      'FORBIDDEN',
    );
  });

  describe('live counts', () => {
    const open: (() => void)[] = [];
    afterAll(() => {
      for (const close of open) close();
    });

    it('sends the counts at once, then again after a workflow of the tenant changes', async () => {
      const client = wsClient(app.server.url, { token: ann.token });
      const messages: TaskCounts[] = [];
      const errors: unknown[] = [];
      const subscription = client.trpc.workflow.tasks.live.subscribe(undefined, {
        onData: (counts) => messages.push(counts),
        onError: (error) => errors.push(error),
      });
      open.push(() => {
        subscription.unsubscribe();
        client.close();
      });
      await until(() => messages.length > 0, 'the first counts');
      expect(messages[0]).toEqual({ open: 3, overdue: 1 });

      const fresh = await instance(app.tenants.a.plantIds[0]!);
      await seedTask(app.database.db, app.tenants.a.tenantId, fresh, {
        assignee: { userId: ann.id },
        title: 'Arrived live',
        dueAt: minutesAgo(1),
      });
      const changed = {
        instanceId: fresh.id,
        entityType: 'production_order',
        entityId: fresh.entityId,
      };
      // Several changes at once are one look.
      for (let i = 0; i < 5; i++) {
        app.server.deps.bus.emit('workflow.changed', { tenantId: app.tenants.a.tenantId, ...changed });
      }
      await until(() => messages.length > 1, 'the new counts');
      expect(messages[1]).toEqual({ open: 4, overdue: 2 });
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(messages).toHaveLength(2);

      // Another tenant's change is not a reason to look.
      app.server.deps.bus.emit('workflow.changed', { tenantId: app.tenants.b.tenantId, ...changed });
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(messages).toHaveLength(2);
      expect(errors).toEqual([]);
    });
  });
});

import { randomUUID } from 'node:crypto';
import type { Permission } from '@plantline/schema';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../db/index.js';
import { type ApiClient, addUser, signIn } from '../../testing/api.js';
import { useTestApp } from '../../testing/app.js';
import { auditTrail } from '../../testing/audit-entries.js';
import { testEngines } from '../../testing/engines.js';
import { workflowEntityMap } from './entities.js';
import { registerSlaJob, runSlaPass, type SlaDeps } from './sla-job.js';
import {
  ordersEntity,
  type SeededInstance,
  type SeededWorkflow,
  seedInstance,
  seedTask,
  seedWorkflow,
} from './task-fixtures.js';
import { SLA_OVERDUE_KIND, SLA_REMINDER_KIND } from './workflow-notify.js';

/*
 * SLA reminders and escalation (docs/workflows.md, "SLA and escalation") with explicit `now` values:
 * a reminder to the people who can act, then the escalation role of the record's plant told and given
 * an overdue task — each once, however many passes run, one after the other (a restart) or at once.
 */
describe.each(testEngines)('the SLA job ($name engine)', (engine) => {
  const app = useTestApp(engine);
  const T0 = new Date('2030-03-01T00:00:00Z');
  const at = (hours: number) => new Date(T0.getTime() + hours * 3_600_000);
  let deps: SlaDeps;
  let workflow: SeededWorkflow;
  let qaRoleId: string;
  let made = 0;
  let ann: { id: string; client: ApiClient };
  let qa: { id: string; client: ApiClient };
  let supervisorHere: { id: string; client: ApiClient };
  let supervisorElsewhere: { id: string; client: ApiClient };
  let orderId: string;

  async function person(permissions: Permission[], plantId: string, roleIds: string[] = []) {
    const role = await app.admin.trpc.rbac.roles.create.mutate({
      key: `sla-${++made}`,
      name: `SLA ${made}`,
      permissions,
    });
    const { id, email } = await addUser(app.admin, { roleIds: [role.id, ...roleIds], plantIds: [plantId] });
    return { id, client: (await signIn(app.server.url, email)) as ApiClient };
  }

  const tenantTx = <T>(work: Parameters<typeof app.database.db.transact<T>>[1]) =>
    app.database.db.transact({ tenantId: app.tenants.a.tenantId, plantIds: 'all' }, work);

  const notified = (kind: string, entityId: string) =>
    tenantTx((tx) =>
      rows<{ user_id: string; title: string; link: string | null }>(
        tx,
        sql`select user_id::text as user_id, title, link from notifications
             where kind = ${kind} and entity_id = ${entityId} order by user_id`,
      ),
    );

  const timeline = (instanceId: string) =>
    tenantTx((tx) =>
      rows<{ kind: string; actor_id: string | null; detail: Record<string, unknown> }>(
        tx,
        sql`select kind, actor_id::text as actor_id, detail from workflow_events
             where instance_id = ${instanceId}::uuid order by at, id`,
      ),
    );

  /** An instance in review with an SLA of 48 h, a reminder 8 h before, escalating to the supervisors. */
  async function withSla(entityId: string, escalateRole: string | null = 'supervisor') {
    const instance = await seedInstance(app.database.db, workflow, {
      entityId,
      plantId: app.tenants.a.plantIds[0]!,
      stateKey: 'review',
      sla: { dueAt: at(48), remindAt: at(40), escalateRole },
    });
    await seedTask(app.database.db, app.tenants.a.tenantId, instance, {
      assignee: { userId: ann.id },
      title: 'Review it',
      dueAt: at(48),
    });
    await seedTask(app.database.db, app.tenants.a.tenantId, instance, {
      assignee: { roleId: qaRoleId },
      kind: 'approval',
      transitionKey: 'approve',
      title: 'Approve it',
      dueAt: at(48),
    });
    return instance;
  }

  beforeAll(async () => {
    const [a1, a2] = app.tenants.a.plantIds as [string, string];
    deps = {
      db: app.database.db,
      bus: app.server.deps.bus,
      email: null,
      workflowEntities: workflowEntityMap([ordersEntity]),
    };
    workflow = await seedWorkflow(app.database.db, app.tenants.a.tenantId, 'production_order', [
      { key: 'review', label: 'Under review', kind: 'initial' },
      { key: 'done', label: 'Done', kind: 'final' },
    ]);
    // The built-in role every tenant starts with.
    const supervisor = (await app.admin.trpc.rbac.roles.list.query()).find((r) => r.key === 'supervisor')!;
    const qaRole = await app.admin.trpc.rbac.roles.create.mutate({
      key: 'qa',
      name: 'QA',
      permissions: ['approvals.decide'],
    });
    qaRoleId = qaRole.id;
    ann = await person(['kpi.read'], a1);
    qa = await person(['kpi.read'], a1, [qaRoleId]);
    supervisorHere = await person(['kpi.read'], a1, [supervisor.id]);
    supervisorElsewhere = await person(['kpi.read'], a2, [supervisor.id]);
    const product = await app.admin.trpc.production.products.create.mutate({
      code: 'SLA-P',
      name: 'Bracket',
    });
    const order = await app.admin.trpc.production.orders.create.mutate({
      plantId: a1,
      productId: product.id,
      quantity: 5,
      number: 'PO-SLA-1',
      note: 'Rush job',
    });
    orderId = order.id;
  }, 120_000);

  let first: SeededInstance;

  it('does nothing before the reminder is due', async () => {
    first = await withSla(orderId);
    expect(await runSlaPass(deps, at(39))).toEqual({ reminded: 0, escalated: 0 });
  });

  it('reminds the people who can act once, as the system, and never again', async () => {
    const trail = auditTrail(app.database.db, app.tenants.a);
    const mark = await trail.lastSeq();
    const changed: string[] = [];
    const stop = deps.bus.on('workflow.changed', (event) => changed.push(event.instanceId));
    expect(await runSlaPass(deps, at(41))).toEqual({ reminded: 1, escalated: 0 });
    stop();
    expect(changed).toEqual([first.id]);
    const reminders = await notified(SLA_REMINDER_KIND, orderId);
    expect(reminders.map((n) => n.user_id)).toEqual([ann.id, qa.id].sort());
    expect(reminders[0]).toMatchObject({
      title: 'Due 2030-03-03 00:00 UTC: PO-SLA-1 Rush job (Under review)',
      link: `/orders/${orderId}`,
    });
    expect(await timeline(first.id)).toEqual([
      {
        kind: 'reminder',
        actor_id: null,
        detail: expect.objectContaining({ recipients: expect.any(Array) }),
      },
    ]);
    expect(await trail.since(mark)).toEqual([
      expect.objectContaining({
        action: 'workflow.sla-reminder',
        actorKind: 'system',
        entityId: first.id,
        entityLabel: 'PO-SLA-1 Rush job',
      }),
    ]);
    // A restarted job passes again: nothing is sent twice.
    expect(await runSlaPass(deps, at(41))).toEqual({ reminded: 0, escalated: 0 });
    expect(await runSlaPass(deps, at(47))).toEqual({ reminded: 0, escalated: 0 });
    expect(await notified(SLA_REMINDER_KIND, orderId)).toHaveLength(2);
  });

  it('escalates once due: the plant’s escalation role is told and given an overdue task', async () => {
    expect(await runSlaPass(deps, at(48))).toEqual({ reminded: 0, escalated: 1 });
    expect((await notified(SLA_OVERDUE_KIND, orderId)).map((n) => [n.user_id, n.title])).toEqual([
      [supervisorHere.id, 'Overdue: PO-SLA-1 Rush job (Under review)'],
    ]);
    expect((await timeline(first.id)).map((e) => e.kind)).toEqual(['reminder', 'escalation']);
    const inbox = await supervisorHere.client.trpc.workflow.tasks.mine.query({});
    expect(inbox.items).toEqual([
      expect.objectContaining({
        kind: 'overdue',
        title: 'Overdue: Under review — PO-SLA-1 Rush job',
        entityId: orderId,
        dueAt: at(48).toISOString(),
      }),
    ]);
    expect((await supervisorElsewhere.client.trpc.workflow.tasks.mine.query({})).items).toEqual([]);
    expect(await runSlaPass(deps, at(100))).toEqual({ reminded: 0, escalated: 0 });
    expect(await notified(SLA_OVERDUE_KIND, orderId)).toHaveLength(1);
  });

  it('escalates without a late reminder when the pass comes after the due time', async () => {
    const late = await withSla(randomUUID());
    expect(await runSlaPass(deps, at(60))).toEqual({ reminded: 0, escalated: 1 });
    expect((await timeline(late.id)).map((e) => e.kind)).toEqual(['escalation']);
  });

  it('tells the people who can act when there is no escalation role, and names an unknown record plainly', async () => {
    const entityId = randomUUID();
    const lone = await withSla(entityId, null);
    expect(await runSlaPass(deps, at(60))).toEqual({ reminded: 0, escalated: 1 });
    const told = await notified(SLA_OVERDUE_KIND, entityId);
    expect(told.map((n) => n.user_id)).toEqual([ann.id, qa.id].sort());
    expect(told[0]?.title).toBe(`Overdue: Production order ${entityId} (Under review)`);
    const overdueTasks = await tenantTx((tx) =>
      rows(tx, sql`select 1 from workflow_tasks where instance_id = ${lone.id}::uuid and kind = 'overdue'`),
    );
    expect(overdueTasks).toEqual([]);
  });

  it('leaves closed instances alone', async () => {
    const closed = await withSla(randomUUID());
    await tenantTx((tx) =>
      tx.execute(sql`update workflow_instances set closed_at = now() where id = ${closed.id}::uuid`),
    );
    expect(await runSlaPass(deps, at(60))).toEqual({ reminded: 0, escalated: 0 });
  });

  it('sends each escalation once when two passes run at the same moment', async () => {
    const entityIds = Array.from({ length: 5 }, () => randomUUID());
    for (const entityId of entityIds) await withSla(entityId);
    const passes = await Promise.all([runSlaPass(deps, at(50)), runSlaPass(deps, at(50))]);
    expect(passes[0]!.escalated + passes[1]!.escalated).toBe(5);
    for (const entityId of entityIds) {
      expect(await notified(SLA_OVERDUE_KIND, entityId)).toHaveLength(1);
    }
  });

  it('is registered to run every minute', async () => {
    const jobs: { name: string; intervalMs: number; task: () => Promise<void> }[] = [];
    registerSlaJob(
      { every: (name, intervalMs, task) => jobs.push({ name, intervalMs, task }) },
      { ...deps, log: app.server.deps.log },
    );
    expect(jobs.map(({ name, intervalMs }) => ({ name, intervalMs }))).toEqual([
      { name: 'workflow-sla', intervalMs: 60_000 },
    ]);
    // The timers here lie in 2030: a run at the real time finds nothing due.
    await jobs[0]!.task();
  });
});

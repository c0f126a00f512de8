import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { apiClient } from '../../testing/api.js';
import { expectApiError } from '../../testing/api-assertions.js';
import { auditTrail } from '../../testing/audit-entries.js';
import { testEngines } from '../../testing/engines.js';
import { startWorkflow } from './instances.js';
import { newKey } from './runtime-fixtures.js';
import { useSignedFlow } from './signed-flow-fixtures.js';

/*
 * Starting instances and entering states (docs/workflows.md, "Running a workflow"): the on-enter
 * actions, the tasks each state writes, and who may act at all. Signed votes are in
 * instances-signing.test.ts, the record's workflow as its page reads it in instances-view.test.ts.
 */

describe.each(testEngines)('workflow instances ($name engine)', (engine) => {
  const flow = useSignedFlow(engine);
  const { rt, act, tasks, instance } = flow;

  it('starts nothing while the tenant has published no workflow for the record type', async () => {
    const orderId = await rt.order();
    expect(
      await rt.asUser(flow.people.starter.id, (ctx) =>
        startWorkflow(ctx, { entityType: 'production_order', entityId: orderId }),
      ),
    ).toBeNull();
    await flow.publish();
  });

  it('starts in the initial state, numbered on entry, with a task for each kind of actor', async () => {
    const { starter, owner } = flow.people;
    const orderId = await rt.order();
    await rt.app.admin.trpc.config.records.setValues.mutate({
      entityType: 'production_order',
      entityId: orderId,
      values: { owner: owner.id },
    });
    const trail = auditTrail(rt.app.database.db, rt.app.tenants.a);
    let instanceId = '';
    const entries = await trail.during(async () => {
      instanceId = await rt.start(orderId, starter);
    });
    expect(entries.map((e) => e.action)).toContain('workflow.start');
    const [row] = await rt.query<{
      state_key: string;
      round: number;
      version: number;
      started_by: string;
      plant_id: string;
    }>(
      sql`select state_key, round, version, started_by::text, plant_id::text from workflow_instances where id = ${instanceId}::uuid`,
    );
    expect(row).toEqual({
      state_key: 'open',
      round: 1,
      version: 1,
      started_by: starter.id,
      plant_id: rt.app.tenants.a.plantIds[0],
    });
    const values = await rt.app.admin.trpc.config.records.get.query({
      entityType: 'production_order',
      entityId: orderId,
    });
    expect(values.values.ref).toMatch(/^PO-A1-\d{4}-\d{5}$/);
    expect((await rt.events(instanceId)).map((e) => e.kind)).toEqual(['started']);
    const open = await tasks(instanceId);
    expect(open.map((t) => [t.kind, t.role ?? t.permission ?? t.user_id])).toEqual([
      ['action', 'engineer'],
      ['action', 'production.operate'],
      ...[owner.id, starter.id].sort().map((id) => ['action', id]),
    ]);
    expect(open[0]?.title).toMatch(/^Send — PO-A1-/);
    // A record has one instance.
    await expect(rt.start(orderId, starter)).rejects.toThrow(/already runs its workflow/);
  });

  it('runs the on-enter actions in order and writes the next state’s tasks', async () => {
    const { owner, reviewer, farReviewer } = flow.people;
    const { orderId, instanceId } = await instance();
    const before = Date.now();
    await act(owner, instanceId, 'send');
    const values = await rt.app.admin.trpc.config.records.get.query({
      entityType: 'production_order',
      entityId: orderId,
    });
    expect(values.values.decided_by).toBe(owner.id);
    expect(new Date(String(values.values.decided_at)).getTime()).toBeGreaterThanOrEqual(before - 1000);
    const [order] = await rt.query<{ note: string }>(
      sql`select note from production_orders where id = ${orderId}::uuid`,
    );
    expect(order?.note).toBe('Under review');
    const notified = await rt.query<{ user_id: string }>(
      sql`select user_id::text from notifications where entity_id = ${orderId} and kind = 'workflow.state-entered'`,
    );
    expect(notified.map((n) => n.user_id)).toContain(reviewer.id);
    expect(notified.map((n) => n.user_id)).not.toContain(farReviewer.id);
    const [sla] = await rt.query<{ hours: number; remind: number; role: string }>(
      sql`select extract(epoch from sla_due_at - state_entered_at) / 3600 as hours,
                 extract(epoch from sla_due_at - sla_remind_at) / 3600 as remind, sla_escalate_role as role
            from workflow_instances where id = ${instanceId}::uuid`,
    );
    expect({ ...sla, hours: Number(sla?.hours), remind: Number(sla?.remind) }).toEqual({
      hours: 48,
      remind: 8,
      role: 'supervisor',
    });
    const review = await tasks(instanceId);
    expect(review.map((t) => [t.kind, t.transition_key, t.role ?? t.user_id])).toEqual([
      ['approval', 'sign_off', 'quality'],
      ['approval', 'sign_off', owner.id],
    ]);
    expect(review[0]?.due_at).not.toBeNull();
    expect(review[0]?.title).toMatch(/^Sign off — PO-A1-\d{4}-\d{5} Under review$/);
  });

  it('lets only people act, never an API key', async () => {
    const { instanceId } = await instance();
    const { key } = await rt.app.admin.trpc.apiKeys.create.mutate({
      name: 'robot',
      scopes: ['masterdata.read'],
      plantIds: [...rt.app.tenants.a.plantIds],
    });
    const robot = apiClient(rt.app.server.url, { apiKey: key });
    await expectApiError(
      robot.trpc.workflow.instances.act.mutate({
        instanceId,
        transitionKey: 'send',
        expectedVersion: 1,
        idempotencyKey: newKey(),
      }),
      'FORBIDDEN',
      /signed-in user/,
    );
  });
});

import type { WorkflowDefinitionInput } from '@plantline/schema/workflow';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../../testing/api.js';
import { expectApiError } from '../../testing/api-assertions.js';
import { auditTrail } from '../../testing/audit-entries.js';
import { testEngines } from '../../testing/engines.js';
import { TEST_PASSWORD } from '../../testing/tenants.js';
import { startWorkflow } from './instances.js';
import { newKey, type Person, useWorkflowRuntime } from './runtime-fixtures.js';

/*
 * Starting instances and entering states (docs/workflows.md, "Running a workflow", "Field locks and
 * signatures"): the on-enter actions, the tasks each state writes, signed votes and their voiding
 * by a later edit, and the record's workflow as its page reads it.
 */

/** Open → Review (on entry: stamps, a notification, an SLA) → Signed off by Quality and the owner. */
function signedFlow(ownerId: string): WorkflowDefinitionInput {
  return {
    states: [
      {
        key: 'open',
        label: 'Open',
        kind: 'initial',
        onEnter: [{ type: 'take_number', field: 'custom.ref', sequence: 'production_order' }],
      },
      {
        key: 'review',
        label: 'Review',
        kind: 'normal',
        onEnter: [
          { type: 'set_field', field: 'custom.decided_at', from: 'now' },
          { type: 'set_field', field: 'custom.decided_by', from: 'actor' },
          { type: 'set_field', field: 'note', value: 'Under review' },
          { type: 'notify', to: { role: 'quality' }, title: 'An order waits for review' },
          { type: 'start_sla', hours: 48, remindBeforeHours: 8, escalateToRole: 'supervisor' },
        ],
      },
      { key: 'signed', label: 'Signed off', kind: 'final', locked: true },
      { key: 'back', label: 'Sent back', kind: 'normal' },
    ],
    transitions: [
      {
        key: 'send',
        label: 'Send',
        from: 'open',
        to: 'review',
        actors: {
          initiator: true,
          roles: ['engineer'],
          permissions: ['production.operate'],
          userFields: ['custom.owner'],
        },
      },
      {
        key: 'sign_off',
        label: 'Sign off',
        from: 'review',
        to: 'signed',
        signature: { meaning: 'approval' },
        approval: {
          groups: [
            { label: 'Quality', role: 'quality', minimum: 1 },
            { label: 'Owner', users: [ownerId] },
          ],
          rejectTo: 'back',
        },
      },
      { key: 'reopen', label: 'Reopen', from: 'back', to: 'review', actors: { initiator: true } },
    ],
  };
}

describe.each(testEngines)('workflow instances ($name engine)', (engine) => {
  const rt = useWorkflowRuntime(engine);
  let starter: Person;
  let owner: Person;
  let reviewer: Person;
  let farReviewer: Person;

  beforeAll(async () => {
    starter = await rt.person(['supervisor']);
    owner = await rt.person(['engineer']);
    reviewer = await rt.person(['quality']);
    // A Quality member of the other plant only: not told about, nor voting on, plant 1's orders.
    farReviewer = await rt.person(['quality'], [rt.app.tenants.a.plantIds[1]!]);
  }, 120_000);

  async function instance() {
    const orderId = await rt.order();
    await rt.app.admin.trpc.config.records.setValues.mutate({
      entityType: 'production_order',
      entityId: orderId,
      values: { owner: owner.id },
    });
    return { orderId, instanceId: await rt.start(orderId, starter) };
  }

  const act = (
    who: Person,
    instanceId: string,
    transitionKey: string,
    extra: {
      decision?: 'approve' | 'reject';
      comment?: string;
      signature?: { email?: string; password: string };
    } = {},
  ) =>
    rt.versionOf(instanceId).then((expectedVersion) =>
      who.client.trpc.workflow.instances.act.mutate({
        instanceId,
        transitionKey,
        expectedVersion,
        idempotencyKey: newKey(),
        ...extra,
      }),
    );

  const tasks = (instanceId: string) =>
    rt.query<{
      kind: string;
      transition_key: string;
      user_id: string | null;
      role: string | null;
      permission: string | null;
      title: string;
      due_at: Date | null;
    }>(
      sql`select t.kind, t.transition_key, t.assignee_user_id::text as user_id, r.key as role,
                 t.assignee_permission as permission, t.title, t.due_at
            from workflow_tasks t left join roles r on r.id = t.assignee_role_id
           where t.instance_id = ${instanceId}::uuid and t.closed_at is null
           order by t.transition_key, r.key nulls last, t.assignee_permission nulls last, t.assignee_user_id`,
    );

  it('starts nothing while the tenant has published no workflow for the record type', async () => {
    const orderId = await rt.order();
    expect(
      await rt.asUser(starter.id, (ctx) =>
        startWorkflow(ctx, { entityType: 'production_order', entityId: orderId }),
      ),
    ).toBeNull();
    await rt.publish(signedFlow(owner.id));
  });

  it('starts in the initial state, numbered on entry, with a task for each kind of actor', async () => {
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

  it('signs a vote, voids it when the record changes, and signs off once both groups approve', async () => {
    const { orderId, instanceId } = await instance();
    await act(owner, instanceId, 'send');
    await expectApiError(
      act(reviewer, instanceId, 'sign_off', { decision: 'approve' }),
      'BAD_REQUEST',
      /needs your electronic signature/,
    );
    await expectApiError(
      act(reviewer, instanceId, 'sign_off', { decision: 'approve', signature: { password: TEST_PASSWORD } }),
      'BAD_REQUEST',
      /email too/,
    );
    await expectApiError(
      act(reviewer, instanceId, 'sign_off', {
        decision: 'approve',
        signature: { email: reviewer.email, password: 'not the password' },
      }),
      'BAD_REQUEST',
      /password is not correct/,
    );
    const signature = { email: reviewer.email, password: TEST_PASSWORD };
    expect((await act(reviewer, instanceId, 'sign_off', { decision: 'approve', signature })).outcome).toBe(
      'voted',
    );
    const [signed] = await rt.query<{ meaning: string; signer_id: string; approval: boolean }>(
      sql`select s.meaning, s.signer_id::text,
                 exists (select 1 from approvals a where a.signature_id = s.id and a.voided_at is null) as approval
            from electronic_signatures s where s.instance_id = ${instanceId}::uuid`,
    );
    expect(signed).toEqual({ meaning: 'approval', signer_id: reviewer.id, approval: true });
    expect((await tasks(instanceId)).map((t) => t.role ?? t.user_id)).toEqual([owner.id]);

    await rt.app.admin.trpc.config.records.setValues.mutate({
      entityType: 'production_order',
      entityId: orderId,
      values: { score: 3 },
    });
    const [voided] = await rt.query<{ reason: string; votes: number }>(
      sql`select s.void_reason as reason,
                 (select count(*)::int from approvals a where a.instance_id = s.instance_id and a.voided_at is null) as votes
            from electronic_signatures s where s.instance_id = ${instanceId}::uuid`,
    );
    expect(voided).toEqual({ reason: 'Changed after signing: Score', votes: 0 });
    expect((await tasks(instanceId)).map((t) => t.role ?? t.user_id)).toEqual(['quality', owner.id]);

    // The same session signs again with the password only (21 CFR 11.200(a)(1)).
    const again = { password: TEST_PASSWORD };
    expect(
      (await act(reviewer, instanceId, 'sign_off', { decision: 'approve', signature: again })).outcome,
    ).toBe('voted');
    const ownerSignature = { email: owner.email, password: TEST_PASSWORD };
    expect(
      await act(owner, instanceId, 'sign_off', { decision: 'approve', signature: ownerSignature }),
    ).toMatchObject({
      stateKey: 'signed',
      outcome: 'moved',
    });
    expect(await tasks(instanceId)).toEqual([]);
    const [closed] = await rt.query<{ closed: boolean; sla: boolean }>(
      sql`select closed_at is not null as closed, sla_due_at is not null as sla from workflow_instances where id = ${instanceId}::uuid`,
    );
    expect(closed).toEqual({ closed: true, sla: false });
  });

  it('signs a rejection as a review and sends the record back', async () => {
    const { instanceId } = await instance();
    await act(owner, instanceId, 'send');
    const outcome = await act(reviewer, instanceId, 'sign_off', {
      decision: 'reject',
      comment: 'Wrong batch',
      signature: { password: TEST_PASSWORD },
    });
    expect(outcome).toMatchObject({ stateKey: 'back', outcome: 'rejected' });
    const [signed] = await rt.query<{ meaning: string }>(
      sql`select meaning from electronic_signatures where instance_id = ${instanceId}::uuid`,
    );
    expect(signed?.meaning).toBe('review');
  });

  it('shows the record’s workflow: state, what the caller may do now and why not, votes, timeline', async () => {
    const { orderId, instanceId } = await instance();
    const get = (who: Person) =>
      who.client.trpc.workflow.instances.get.query({ entityType: 'production_order', entityId: orderId });
    const atStart = await get(starter);
    expect(atStart.instance).toMatchObject({
      id: instanceId,
      state: { key: 'open', label: 'Open', kind: 'initial', locked: false },
      workflowName: 'Order review',
      round: 1,
      version: 1,
      startedBy: starter.name,
    });
    expect(atStart.actions).toEqual([
      expect.objectContaining({
        transitionKey: 'send',
        toLabel: 'Review',
        allowed: true,
        reason: null,
        approval: false,
      }),
    ]);
    const farAway = await get(reviewer);
    expect(farAway.actions[0]).toMatchObject({ allowed: false, reason: 'You may not send this record' });

    await act(owner, instanceId, 'send');
    await act(reviewer, instanceId, 'sign_off', {
      decision: 'approve',
      signature: { password: TEST_PASSWORD },
    });
    const reviewing = await get(owner);
    const signOff = reviewing.actions[0]!;
    expect(signOff).toMatchObject({
      transitionKey: 'sign_off',
      approval: true,
      signature: { meaning: 'approval' },
      allowed: true,
      votes: [{ voter: reviewer.name, countsFor: reviewer.name, decision: 'approve', signed: true }],
    });
    expect(signOff.tally?.groups.map((g) => [g.label, g.counted.length, g.needed, g.satisfied])).toEqual([
      ['Quality', 1, 1, true],
      ['Owner', 0, 1, false],
    ]);
    expect((await get(reviewer)).actions[0]).toMatchObject({
      allowed: false,
      reason: 'Signers must be distinct',
    });
    expect((await get(starter)).actions[0]).toMatchObject({
      allowed: false,
      reason: 'The initiator cannot approve',
    });
    expect(reviewing.timeline.map((e) => [e.kind, e.toLabel])).toEqual([
      ['started', 'Open'],
      ['transition', 'Review'],
      ['signature', null],
      ['vote', null],
    ]);
    expect(reviewing.timeline[1]).toMatchObject({
      actor: owner.name,
      fromLabel: 'Open',
      transitionLabel: 'Send',
    });
    expect(reviewing.signatures).toEqual([
      expect.objectContaining({ signerName: reviewer.name, meaning: 'approval' }),
    ]);
  });

  it('shows a record’s workflow only to who may read the record', async () => {
    const { orderId } = await instance();
    // A user without roles holds no permission, masterdata.read (production orders') included.
    const outsider = await rt.person([]);
    await expectApiError(
      outsider.client.trpc.workflow.instances.get.query({
        entityType: 'production_order',
        entityId: orderId,
      }),
      'FORBIDDEN',
      /masterdata\.read/,
    );
    await expectApiError(
      rt.app.adminB.trpc.workflow.instances.get.query({ entityType: 'production_order', entityId: orderId }),
      'NOT_FOUND',
    );
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

import type { WorkflowDefinitionInput } from '@plantline/schema/workflow';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../testing/api.js';
import { expectApiError } from '../../testing/api-assertions.js';
import { auditTrail, expectEntries } from '../../testing/audit-entries.js';
import { testEngines } from '../../testing/engines.js';
import { newKey, type Person, useWorkflowRuntime } from './runtime-fixtures.js';

/*
 * Acting on instances through the API (docs/workflows.md, "Running a workflow", "Concurrency"):
 * transitions and their checks, votes and the quorum, separation of duties, rejection, idempotent
 * retries and stale versions, and approvers voting at the same instant.
 */

/** Draft → Review → (2 of Quality) → Approved, with rework after a rejection. */
const REVIEW_FLOW: WorkflowDefinitionInput = {
  states: [
    { key: 'draft', label: 'Draft', kind: 'initial' },
    { key: 'review', label: 'Review', kind: 'normal', required: ['custom.ref'], readOnly: ['custom.ref'] },
    { key: 'approved', label: 'Approved', kind: 'final', locked: true },
    { key: 'rework', label: 'Rework', kind: 'normal' },
    { key: 'cancelled', label: 'Cancelled', kind: 'final' },
  ],
  transitions: [
    {
      key: 'submit',
      label: 'Submit',
      from: 'draft',
      to: 'review',
      actors: { initiator: true, roles: ['supervisor'] },
      guard: { field: 'custom.score', op: 'gte', value: 5 },
    },
    {
      key: 'approve',
      label: 'Approve',
      from: 'review',
      to: 'approved',
      approval: {
        groups: [{ label: 'Quality', role: 'quality', minimum: 2 }],
        rejectTo: 'rework',
        excludeEditors: true,
      },
    },
    {
      key: 'resubmit',
      label: 'Resubmit',
      from: 'rework',
      to: 'review',
      actors: { initiator: true },
      comment: 'required',
    },
    {
      key: 'cancel',
      label: 'Cancel',
      from: 'draft',
      to: 'cancelled',
      actors: { roles: ['engineer'] },
      comment: 'none',
    },
  ],
};

describe.each(testEngines)('acting on workflow instances ($name engine)', (engine) => {
  const rt = useWorkflowRuntime(engine);
  let starter: Person;
  let quality: Person[];
  let operator: Person;

  beforeAll(async () => {
    await rt.publish(REVIEW_FLOW);
    starter = await rt.person(['supervisor']);
    quality = [await rt.person(['quality']), await rt.person(['quality']), await rt.person(['quality'])];
    operator = await rt.person(['operator']);
  }, 120_000);

  /** An order with the values Review needs, its workflow started by `by` (the supervisor by default). */
  async function instance(by: Person = starter, values: Record<string, unknown> = { score: 7, ref: 'R-1' }) {
    const orderId = await rt.order();
    await rt.app.admin.trpc.config.records.setValues.mutate({
      entityType: 'production_order',
      entityId: orderId,
      values,
    });
    return { orderId, instanceId: await rt.start(orderId, by) };
  }

  function act(
    who: { client: ApiClient },
    instanceId: string,
    transitionKey: string,
    extra: {
      expectedVersion?: number;
      decision?: 'approve' | 'reject';
      comment?: string;
      idempotencyKey?: string;
    } = {},
  ) {
    return (async () =>
      who.client.trpc.workflow.instances.act.mutate({
        instanceId,
        transitionKey,
        expectedVersion: extra.expectedVersion ?? (await rt.versionOf(instanceId)),
        idempotencyKey: extra.idempotencyKey ?? newKey(),
        ...(extra.decision === undefined ? {} : { decision: extra.decision }),
        ...(extra.comment === undefined ? {} : { comment: extra.comment }),
      }))();
  }

  async function submitted(by: Person = starter) {
    const made = await instance(by);
    await act(by, made.instanceId, 'submit');
    return made;
  }

  it('moves an instance, recording the transition on the timeline and in the audit trail', async () => {
    const { orderId, instanceId } = await instance();
    const trail = auditTrail(rt.app.database.db, rt.app.tenants.a);
    const entries = await trail.during(async () => {
      expect(await act(starter, instanceId, 'submit', { comment: 'Ready' })).toEqual({
        instanceVersion: 2,
        stateKey: 'review',
        outcome: 'moved',
        replayed: false,
      });
    });
    expectEntries(entries, [
      {
        action: 'workflow.transition',
        entityType: 'production_order',
        entityId: orderId,
        oldValues: { state: 'draft' },
        newValues: { state: 'review', transition: 'submit' },
        reason: 'Ready',
        actorUserId: starter.id,
      },
    ]);
    expect(await rt.events(instanceId)).toEqual([
      { kind: 'started', from_state: null, to_state: 'draft', comment: null },
      { kind: 'transition', from_state: 'draft', to_state: 'review', comment: 'Ready' },
    ]);
  });

  it('gives tasks for the work that moves the record along, not for a way out such as Cancel', async () => {
    const { instanceId } = await instance();
    const open = await rt.query<{ transition_key: string }>(
      sql`select distinct transition_key from workflow_tasks
           where instance_id = ${instanceId}::uuid and closed_at is null`,
    );
    // Draft leads on to Review (submit) or out to Cancelled (cancel): only submit is a task.
    expect(open.map((t) => t.transition_key)).toEqual(['submit']);
  });

  it('never loses a vote nor fires twice when three approvers of a 2-of-3 quorum vote at once', async () => {
    const { instanceId } = await submitted();
    const seen = await rt.versionOf(instanceId);
    const settled = await Promise.allSettled(
      quality.map((q) => act(q, instanceId, 'approve', { expectedVersion: seen, decision: 'approve' })),
    );
    const answers = settled.map((s) => (s.status === 'fulfilled' ? s.value.outcome : 'refused'));
    expect(answers.filter((a) => a === 'voted')).toHaveLength(1);
    expect(answers.filter((a) => a === 'moved')).toHaveLength(1);
    expect(answers.filter((a) => a === 'refused')).toHaveLength(1);
    const refused = settled.find((s) => s.status === 'rejected');
    expect(refused?.status === 'rejected' && (refused.reason as Error).message).toMatch(
      /moved to Approved by/,
    );
    const events = await rt.events(instanceId);
    expect(events.filter((e) => e.kind === 'transition' && e.to_state === 'approved')).toHaveLength(1);
    expect(events.filter((e) => e.kind === 'vote')).toHaveLength(2);
    const [votes] = await rt.query<{ n: number }>(
      sql`select count(*)::int as n from approvals where instance_id = ${instanceId}::uuid`,
    );
    // Every vote sent was either stored or refused with the reason that the state had moved.
    expect(votes?.n).toBe(2);
  });

  it('answers a retry with the same key from the first action, writing nothing', async () => {
    const { instanceId } = await instance();
    const key = newKey();
    const first = await act(starter, instanceId, 'submit', { expectedVersion: 1, idempotencyKey: key });
    const again = await act(starter, instanceId, 'submit', { expectedVersion: 1, idempotencyKey: key });
    expect(again).toEqual({ ...first, replayed: true });
    expect((await rt.events(instanceId)).filter((e) => e.kind === 'transition')).toHaveLength(1);
    // The key is the action's: another transition with it is refused, not answered.
    await expectApiError(
      act(starter, instanceId, 'cancel', { idempotencyKey: key }),
      'CONFLICT',
      /already used for another action/,
    );
  });

  it('answers two requests with the same key at once with one action', async () => {
    const { instanceId } = await instance();
    const key = newKey();
    const both = await Promise.all([
      act(starter, instanceId, 'submit', { expectedVersion: 1, idempotencyKey: key }),
      act(starter, instanceId, 'submit', { expectedVersion: 1, idempotencyKey: key }),
    ]);
    expect(both.map((r) => r.replayed).sort()).toEqual([false, true]);
    expect((await rt.events(instanceId)).filter((e) => e.kind === 'transition')).toHaveLength(1);
  });

  it('refuses a stale version, saying what happened since', async () => {
    const { instanceId } = await instance();
    await act(starter, instanceId, 'submit', { expectedVersion: 1 });
    await expectApiError(
      act(quality[0]!, instanceId, 'approve', { expectedVersion: 1, decision: 'approve' }),
      'CONFLICT',
      new RegExp(`moved to Review by ${starter.name} at`),
    );
  });

  it('refuses a transition that does not leave the current state', async () => {
    const { instanceId } = await instance();
    await expectApiError(act(starter, instanceId, 'resubmit', { comment: 'x' }), 'BAD_REQUEST', /from Draft/);
  });

  it('refuses someone the transition does not name, and a guard that does not hold', async () => {
    const { instanceId, orderId } = await instance(starter, { score: 3, ref: 'R-2' });
    await expectApiError(act(operator, instanceId, 'submit'), 'FORBIDDEN', /may not submit/);
    await expectApiError(act(starter, instanceId, 'submit'), 'BAD_REQUEST', /conditions of Submit/);
    await rt.app.admin.trpc.config.records.setValues.mutate({
      entityType: 'production_order',
      entityId: orderId,
      values: { score: 5 },
    });
    expect((await act(starter, instanceId, 'submit')).stateKey).toBe('review');
  });

  it('refuses entering a state whose required fields are empty, naming them', async () => {
    const { instanceId } = await instance(starter, { score: 9 });
    const refused = await expectApiError(
      act(starter, instanceId, 'submit'),
      'BAD_REQUEST',
      /Review needs Reference/,
    );
    expect((refused.data as { fieldErrors: Record<string, string> }).fieldErrors).toEqual({
      'custom.ref': 'Required in Review',
    });
  });

  it('keeps the comment rules: required, and none where the transition takes none', async () => {
    const engineer = await rt.person(['engineer']);
    const { instanceId } = await instance();
    await expectApiError(
      act(engineer, instanceId, 'cancel', { comment: 'No' }),
      'BAD_REQUEST',
      /takes no comment/,
    );
    expect((await act(engineer, instanceId, 'cancel')).stateKey).toBe('cancelled');
    // A closed instance offers nothing more.
    await expectApiError(act(starter, instanceId, 'submit'), 'BAD_REQUEST', /from Cancelled/);
  });

  it('sends a rejection to rework with its comment, where resubmitting needs a comment', async () => {
    const { instanceId } = await submitted();
    await expectApiError(
      act(quality[0]!, instanceId, 'approve', { decision: 'reject' }),
      'BAD_REQUEST',
      /needs a comment/,
    );
    await act(quality[1]!, instanceId, 'approve', { decision: 'approve' });
    expect(
      await act(quality[0]!, instanceId, 'approve', { decision: 'reject', comment: 'Wrong drawing' }),
    ).toMatchObject({
      stateKey: 'rework',
      outcome: 'rejected',
    });
    const events = await rt.events(instanceId);
    expect(events.at(-1)).toEqual({
      kind: 'transition',
      from_state: 'review',
      to_state: 'rework',
      comment: 'Wrong drawing',
    });
    await expectApiError(act(starter, instanceId, 'resubmit'), 'BAD_REQUEST', /needs a comment/);
    expect((await act(starter, instanceId, 'resubmit', { comment: 'Drawing fixed' })).stateKey).toBe(
      'review',
    );
    // A new round: the votes of the first one no longer count, and the same people vote again.
    expect((await act(quality[1]!, instanceId, 'approve', { decision: 'approve' })).outcome).toBe('voted');
  });

  it('keeps duties separate: not the initiator, not twice, not an editor, only with approvals.decide', async () => {
    const initiator = quality[2]!;
    const { instanceId, orderId } = await instance(initiator);
    await act(starter, instanceId, 'submit');
    await expectApiError(
      act(initiator, instanceId, 'approve', { decision: 'approve' }),
      'FORBIDDEN',
      /initiator cannot approve/,
    );
    await act(quality[0]!, instanceId, 'approve', { decision: 'approve' });
    await expectApiError(
      act(quality[0]!, instanceId, 'approve', { decision: 'approve' }),
      'FORBIDDEN',
      /Signers must be distinct/,
    );
    await quality[1]!.client.trpc.config.records.setValues.mutate({
      entityType: 'production_order',
      entityId: orderId,
      values: { score: 8 },
    });
    await expectApiError(
      act(quality[1]!, instanceId, 'approve', { decision: 'approve' }),
      'FORBIDDEN',
      /edited the record/,
    );
    await expectApiError(
      act(operator, instanceId, 'approve', { decision: 'approve' }),
      'FORBIDDEN',
      /approvals\.decide/,
    );
    expect((await rt.events(instanceId)).at(-1)?.kind).toBe('vote');
  });

  it('counts a delegate’s vote for the delegator, recorded as acting for them', async () => {
    const delegator = quality[0]!;
    const delegate = await rt.person(['supervisor']);
    await rt.query(
      sql`insert into workflow_delegations (tenant_id, delegator_id, delegate_id, starts_at, ends_at, reason)
          values (${rt.app.tenants.a.tenantId}::uuid, ${delegator.id}::uuid, ${delegate.id}::uuid,
                  now() - interval '1 day', now() + interval '1 day', 'Holiday') returning id`,
    );
    const { instanceId } = await submitted();
    expect((await act(delegate, instanceId, 'approve', { decision: 'approve' })).outcome).toBe('voted');
    const [vote] = await rt.query<{ voter_id: string; counts_for_id: string }>(
      sql`select voter_id::text, counts_for_id::text from approvals where instance_id = ${instanceId}::uuid`,
    );
    expect(vote).toEqual({ voter_id: delegate.id, counts_for_id: delegator.id });
    const [event] = await rt.query<{ actor_id: string; on_behalf_of_id: string }>(
      sql`select actor_id::text, on_behalf_of_id::text from workflow_events
           where instance_id = ${instanceId}::uuid and kind = 'vote'`,
    );
    expect(event).toEqual({ actor_id: delegate.id, on_behalf_of_id: delegator.id });
    // The delegator's vote is cast: they cannot vote again themselves.
    await expectApiError(
      act(delegator, instanceId, 'approve', { decision: 'approve' }),
      'FORBIDDEN',
      /Signers must be distinct/,
    );
  });

  it('refuses a locked state’s edits and a read-only field, naming them', async () => {
    const { orderId, instanceId } = await submitted();
    const set = (values: Record<string, unknown>) =>
      rt.app.admin.trpc.config.records.setValues.mutate({
        entityType: 'production_order',
        entityId: orderId,
        values,
      });
    await expectApiError(set({ ref: 'R-9' }), 'CONFLICT', /In Review this field cannot change: Reference/);
    await set({ score: 6 });
    await act(quality[0]!, instanceId, 'approve', { decision: 'approve' });
    await act(quality[1]!, instanceId, 'approve', { decision: 'approve' });
    await expectApiError(set({ score: 1 }), 'CONFLICT', /Approved: it is read-only/);
  });
});

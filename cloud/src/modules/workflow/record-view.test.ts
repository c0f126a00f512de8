import type { WorkflowDefinitionInput } from '@plantline/schema/workflow';
import { beforeAll, describe, expect, it } from 'vitest';
import { testEngines } from '../../testing/engines.js';
import { newKey, type Person, useWorkflowRuntime } from './runtime-fixtures.js';

/*
 * A record's workflow as its page reads it (docs/workflows.md, "Running a workflow"): the plant whose
 * zone its times are shown in, and an approval's progress by name — who voted, when, for whom under a
 * delegation, in which group, and which named approvers are still awaited.
 */

/** Open → Review → Approved by two of Quality and both named owners; a rejection goes back to Open. */
function boardFlow(owners: readonly string[]): WorkflowDefinitionInput {
  return {
    states: [
      { key: 'open', label: 'Open', kind: 'initial' },
      { key: 'review', label: 'Review', kind: 'normal' },
      { key: 'approved', label: 'Approved', kind: 'final' },
    ],
    transitions: [
      { key: 'send', label: 'Send', from: 'open', to: 'review', actors: { initiator: true } },
      {
        key: 'approve',
        label: 'Approve',
        from: 'review',
        to: 'approved',
        approval: {
          groups: [
            { label: 'Quality', role: 'quality', minimum: 2 },
            { label: 'Owners', users: [...owners] },
          ],
          rejectTo: 'open',
        },
      },
    ],
  };
}

describe.each(testEngines)('a record’s workflow view ($name engine)', (engine) => {
  const rt = useWorkflowRuntime(engine);
  let starter: Person;
  let quality: Person;
  let deputy: Person;
  let ownerA: Person;
  let ownerB: Person;

  beforeAll(async () => {
    starter = await rt.person(['supervisor']);
    quality = await rt.person(['quality']);
    deputy = await rt.person(['engineer']);
    ownerA = await rt.person(['engineer']);
    ownerB = await rt.person(['engineer']);
    await rt.publish(boardFlow([ownerA.id, ownerB.id]));
    await rt.app.admin.trpc.tenancy.plants.update.mutate({
      id: rt.app.tenants.a.plantIds[0]!,
      patch: { timezone: 'Europe/Berlin' },
    });
  }, 120_000);

  const act = (who: Person, instanceId: string, transitionKey: string, decision?: 'approve' | 'reject') =>
    rt.versionOf(instanceId).then((expectedVersion) =>
      who.client.trpc.workflow.instances.act.mutate({
        instanceId,
        transitionKey,
        expectedVersion,
        idempotencyKey: newKey(),
        ...(decision === undefined ? {} : { decision }),
      }),
    );

  it('names the record’s plant and its zone, in which the page shows its times', async () => {
    const orderId = await rt.order();
    await rt.start(orderId, starter);
    const view = await quality.client.trpc.workflow.instances.get.query({
      entityType: 'production_order',
      entityId: orderId,
    });
    expect(view.instance?.plant).toEqual({ name: 'A plant 1', timeZone: 'Europe/Berlin' });
  });

  it('shows who voted in which group, for whom, and which named approvers are awaited', async () => {
    const orderId = await rt.order();
    const instanceId = await rt.start(orderId, starter);
    await act(starter, instanceId, 'send');
    // The deputy acts for owner A while A is away.
    await ownerA.client.trpc.workflow.delegations.create.mutate({
      delegateId: deputy.id,
      startsAt: new Date(Date.now() - 60_000),
      endsAt: new Date(Date.now() + 3_600_000),
      reason: 'Away',
    });
    await act(quality, instanceId, 'approve', 'approve');
    // No group needs the deputy in their own name: the vote is taken for A.
    await act(deputy, instanceId, 'approve', 'approve');

    const view = await starter.client.trpc.workflow.instances.get.query({
      entityType: 'production_order',
      entityId: orderId,
    });
    const approve = view.actions.find((a) => a.transitionKey === 'approve')!;
    expect(approve.votes).toEqual([
      expect.objectContaining({
        voter: quality.name,
        countsFor: quality.name,
        decision: 'approve',
        group: 0,
      }),
      expect.objectContaining({ voter: deputy.name, countsFor: ownerA.name, decision: 'approve', group: 1 }),
    ]);
    expect(approve.votes.every((v) => new Date(v.at).getTime() > 0)).toBe(true);
    const [qualityGroup, owners] = approve.tally!.groups;
    expect(qualityGroup).toMatchObject({ counted: [quality.id], needed: 2, missingRequired: [] });
    expect(owners).toMatchObject({ counted: [ownerA.id], missingRequired: [ownerB.id] });
    expect(approve.people).toEqual({
      [quality.id]: quality.name,
      [ownerA.id]: ownerA.name,
      [ownerB.id]: ownerB.name,
    });
  });

  it('counts a named approver in their group; a rejection sends the record back, on the timeline', async () => {
    const orderId = await rt.order();
    const instanceId = await rt.start(orderId, starter);
    await act(starter, instanceId, 'send');
    await act(ownerB, instanceId, 'approve', 'approve');
    const before = await starter.client.trpc.workflow.instances.get.query({
      entityType: 'production_order',
      entityId: orderId,
    });
    expect(before.actions[0]!.votes).toEqual([
      expect.objectContaining({ voter: ownerB.name, decision: 'approve', group: 1 }),
    ]);
    await rt.versionOf(instanceId).then((expectedVersion) =>
      quality.client.trpc.workflow.instances.act.mutate({
        instanceId,
        transitionKey: 'approve',
        expectedVersion,
        idempotencyKey: newKey(),
        decision: 'reject',
        comment: 'Wrong batch',
      }),
    );
    const after = await starter.client.trpc.workflow.instances.get.query({
      entityType: 'production_order',
      entityId: orderId,
    });
    // Sent back to Open: the rejection is on the timeline, with who and why.
    expect(after.instance?.state.key).toBe('open');
    expect(after.timeline.find((e) => e.kind === 'vote' && e.comment === 'Wrong batch')).toMatchObject({
      actor: quality.name,
      detail: expect.objectContaining({ decision: 'reject' }),
    });
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { expectApiError } from '../../testing/api-assertions.js';
import { testEngines } from '../../testing/engines.js';
import { TEST_PASSWORD } from '../../testing/tenants.js';
import type { Person } from './runtime-fixtures.js';
import { useSignedFlow } from './signed-flow-fixtures.js';

/*
 * A record's workflow as its page reads it (docs/workflows.md, "Running a workflow"): the state, what
 * the caller may do now and why not, the votes and tally, the timeline and signatures, and who may
 * read it at all.
 */

describe.each(testEngines)('a record’s workflow view ($name engine)', (engine) => {
  const flow = useSignedFlow(engine);
  const { rt, act, instance } = flow;

  beforeAll(() => flow.publish(), 120_000);

  it('shows the record’s workflow: state, what the caller may do now and why not, votes, timeline', async () => {
    const { starter, owner, reviewer } = flow.people;
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
      // The session's first signature: both components (21 CFR 11.200(a)(1)).
      signature: { email: reviewer.email, password: TEST_PASSWORD },
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
});

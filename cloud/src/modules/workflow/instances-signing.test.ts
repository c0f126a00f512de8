import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectApiError } from '../../testing/api-assertions.js';
import { testEngines } from '../../testing/engines.js';
import { TEST_PASSWORD } from '../../testing/tenants.js';
import { useSignedFlow } from './signed-flow-fixtures.js';

/*
 * Signed votes on an instance (docs/workflows.md, "Field locks and signatures", "Electronic
 * signatures"): the password (and email) a vote is signed with, its voiding by a later edit, the
 * quorum of two groups, and a rejection signed as a review.
 */

describe.each(testEngines)('signed votes on workflow instances ($name engine)', (engine) => {
  const flow = useSignedFlow(engine);
  const { rt, act, tasks, instance } = flow;

  beforeAll(() => flow.publish(), 120_000);

  it('signs a vote, voids it when the record changes, and signs off once both groups approve', async () => {
    const { owner, reviewer } = flow.people;
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
    const { owner, reviewer } = flow.people;
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
});

import type { WorkflowDefinitionInput } from '@plantline/schema/workflow';
import { sql } from 'drizzle-orm';
import { beforeAll } from 'vitest';
import type { TestEngine } from '../../testing/engines.js';
import { newKey, type Person, useWorkflowRuntime } from './runtime-fixtures.js';

/*
 * What the instance tests share (instances.test.ts, instances-signing.test.ts, instances-view.test.ts):
 * a workflow on production orders whose states act on entry and whose sign-off needs two groups'
 * signatures, the people who start, own and review the orders, and calls that act as them through the
 * API (docs/workflows.md, "Running a workflow").
 */

/** Open → Review (on entry: stamps, a notification, an SLA) → Signed off by Quality and the owner. */
export function signedFlow(ownerId: string): WorkflowDefinitionInput {
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

export interface SignedFlowPeople {
  starter: Person;
  owner: Person;
  reviewer: Person;
  farReviewer: Person;
}

/**
 * The runtime with the people of the signed flow. The flow is published by `publish`, so a file can
 * first look at a tenant without it.
 */
export function useSignedFlow(engine: TestEngine) {
  const rt = useWorkflowRuntime(engine);
  let people: SignedFlowPeople | undefined;
  const met = (): SignedFlowPeople => {
    if (people === undefined) throw new Error('The people are signed in before the tests');
    return people;
  };

  beforeAll(async () => {
    people = {
      starter: await rt.person(['supervisor']),
      owner: await rt.person(['engineer']),
      reviewer: await rt.person(['quality']),
      // A Quality member of the other plant only: not told about, nor voting on, plant 1's orders.
      farReviewer: await rt.person(['quality'], [rt.app.tenants.a.plantIds[1]!]),
    };
  }, 120_000);

  return {
    rt,
    get people() {
      return met();
    },

    publish: () => rt.publish(signedFlow(met().owner.id)),

    /** An order of plant 1 owned by the owner, its workflow started by the starter. */
    async instance() {
      const orderId = await rt.order();
      await rt.app.admin.trpc.config.records.setValues.mutate({
        entityType: 'production_order',
        entityId: orderId,
        values: { owner: met().owner.id },
      });
      return { orderId, instanceId: await rt.start(orderId, met().starter) };
    },

    /** `who` takes the transition through the API, against the instance's version now. */
    act(
      who: Person,
      instanceId: string,
      transitionKey: string,
      extra: {
        decision?: 'approve' | 'reject';
        comment?: string;
        signature?: { email?: string; password: string };
      } = {},
    ) {
      return rt.versionOf(instanceId).then((expectedVersion) =>
        who.client.trpc.workflow.instances.act.mutate({
          instanceId,
          transitionKey,
          expectedVersion,
          idempotencyKey: newKey(),
          ...extra,
        }),
      );
    },

    /** The instance's open tasks, in a stable order. */
    tasks(instanceId: string) {
      return rt.query<{
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
    },
  };
}

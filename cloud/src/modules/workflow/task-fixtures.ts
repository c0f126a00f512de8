import { sql } from 'drizzle-orm';
import type { Database } from '../../db/index.js';
import { rows } from '../../db/index.js';
import type { WorkflowEntity } from './entities.js';

/*
 * Workflow rows for the inbox, delegation and SLA tests, written as the owner within the tenant's scope
 * (row-level security binds the owner too): a published version with its states, instances in a
 * state, and the tasks that wait on them — what publishing and entering a state leave behind
 * (docs/workflows.md), without the definition's rules, which these tests do not exercise.
 */

export interface SeededWorkflow {
  tenantId: string;
  workflowId: string;
  versionId: string;
  entityType: string;
}

export async function seedWorkflow(
  db: Database,
  tenantId: string,
  entityType: string,
  states: readonly { key: string; label: string; kind: 'initial' | 'normal' | 'final' }[],
): Promise<SeededWorkflow> {
  return db.ownerTransact({ tenantId, plantIds: 'all' }, async (tx) => {
    const [workflow] = await rows<{ id: string }>(
      tx,
      sql`insert into workflows (tenant_id, key, name, entity_type)
          values (${tenantId}::uuid, ${entityType}, ${`Workflow of ${entityType}`}, ${entityType})
          returning id::text as id`,
    );
    const definition = {
      states: states.map((s) => ({ ...s, locked: false, readOnly: [], required: [], onEnter: [] })),
      transitions: [],
    };
    const [version] = await rows<{ id: string }>(
      tx,
      sql`insert into workflow_versions
            (tenant_id, workflow_id, number, status, definition, definition_sha256, published_at)
          values (${tenantId}::uuid, ${workflow!.id}::uuid, 1, 'published', ${JSON.stringify(definition)}::jsonb,
                  ${'0'.repeat(64)}, now())
          returning id::text as id`,
    );
    for (const [position, state] of states.entries()) {
      await tx.execute(
        sql`insert into workflow_states (tenant_id, version_id, key, label, kind, position)
            values (${tenantId}::uuid, ${version!.id}::uuid, ${state.key}, ${state.label}, ${state.kind}, ${position})`,
      );
    }
    return { tenantId, workflowId: workflow!.id, versionId: version!.id, entityType };
  });
}

export interface SeededInstance {
  id: string;
  entityId: string;
  plantId: string | null;
}

export async function seedInstance(
  db: Database,
  workflow: SeededWorkflow,
  options: {
    entityId: string;
    plantId: string | null;
    stateKey: string;
    startedBy?: string | null;
    round?: number;
    sla?: { dueAt: Date; remindAt: Date | null; escalateRole: string | null };
  },
): Promise<SeededInstance> {
  const { tenantId } = workflow;
  const sla = options.sla;
  return db.ownerTransact({ tenantId, plantIds: 'all' }, async (tx) => {
    const [instance] = await rows<{ id: string }>(
      tx,
      sql`insert into workflow_instances
            (tenant_id, plant_id, workflow_id, version_id, entity_type, entity_id, state_key, round, started_by,
             sla_due_at, sla_remind_at, sla_escalate_role)
          values (${tenantId}::uuid, ${options.plantId}::uuid, ${workflow.workflowId}::uuid,
                  ${workflow.versionId}::uuid, ${workflow.entityType}, ${options.entityId}::uuid, ${options.stateKey},
                  ${options.round ?? 1}, ${options.startedBy ?? null}::uuid,
                  ${sla?.dueAt.toISOString() ?? null}::timestamptz, ${sla?.remindAt?.toISOString() ?? null}::timestamptz,
                  ${sla?.escalateRole ?? null})
          returning id::text as id`,
    );
    return { id: instance!.id, entityId: options.entityId, plantId: options.plantId };
  });
}

export type Assignee = { userId: string } | { roleId: string } | { permission: string };

export async function seedTask(
  db: Database,
  tenantId: string,
  instance: SeededInstance,
  task: {
    assignee: Assignee;
    title: string;
    kind?: 'approval' | 'action' | 'overdue';
    transitionKey?: string;
    round?: number;
    dueAt?: Date | null;
    createdAt?: Date;
    closed?: boolean;
  },
): Promise<string> {
  const { assignee } = task;
  const userId = 'userId' in assignee ? assignee.userId : null;
  const roleId = 'roleId' in assignee ? assignee.roleId : null;
  const permission = 'permission' in assignee ? assignee.permission : null;
  return db.ownerTransact({ tenantId, plantIds: 'all' }, async (tx) => {
    const [created] = await rows<{ id: string }>(
      tx,
      sql`insert into workflow_tasks
            (tenant_id, plant_id, instance_id, round, kind, transition_key, assignee_user_id, assignee_role_id,
             assignee_permission, title, due_at, created_at, closed_at)
          values (${tenantId}::uuid, ${instance.plantId}::uuid, ${instance.id}::uuid, ${task.round ?? 1},
                  ${task.kind ?? 'action'}, ${task.transitionKey ?? 'go'}, ${userId}::uuid, ${roleId}::uuid,
                  ${permission}, ${task.title}, ${task.dueAt?.toISOString() ?? null}::timestamptz,
                  ${(task.createdAt ?? new Date()).toISOString()}::timestamptz,
                  ${task.closed === true ? new Date().toISOString() : null}::timestamptz)
          returning id::text as id`,
    );
    return created!.id;
  });
}

/** Production orders as a record type, so tasks have a page to link to. */
export const ordersEntity: WorkflowEntity = {
  key: 'production_order',
  label: 'Production order',
  table: 'production_orders',
  codeColumn: 'number',
  titleColumn: 'note',
  plantColumn: 'plant_id',
  statusColumn: null,
  createdByColumn: null,
  readPermission: 'masterdata.read',
  fields: [],
  link: (id) => `/orders/${id}`,
};

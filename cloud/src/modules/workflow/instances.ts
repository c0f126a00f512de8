import { tables } from '@plantline/schema';
import { audit, DomainError } from '../../platform/index.js';
import { announceChange, entityOf, instanceFor, type WorkflowContext } from './context.js';
import { enterState, mirrorStatus } from './enter-state.js';
import { loadRecord } from './record-fields.js';
import { rebuildTasks } from './task-writer.js';
import { publishedVersionFor } from './versions.js';

/*
 * Starting instances (docs/workflows.md, "Running a workflow"): one per record, on the version that
 * was published when it started, in one state of that version at a time.
 */

const wi = tables.workflowInstances;

/**
 * Starts the record's workflow in the initial state of the latest published version: the state's
 * on-enter actions run and its tasks are written. Null when the tenant has published no workflow for
 * the record type (the record then simply has none). Domains call it right after creating a record.
 */
export async function startWorkflow(
  ctx: WorkflowContext,
  input: { entityType: string; entityId: string },
): Promise<{ instanceId: string; stateKey: string } | null> {
  const { tx } = ctx;
  const entity = entityOf(ctx, input.entityType);
  const published = await publishedVersionFor(tx, entity.key);
  if (published === null) return null;
  if ((await instanceFor(tx, entity.key, input.entityId)) !== null)
    throw new DomainError('conflict', `This ${entity.label.toLowerCase()} already runs its workflow`);
  const record = await loadRecord(tx, entity, input.entityId);
  const initial = published.definition.states.find((s) => s.kind === 'initial');
  if (initial === undefined) throw new Error('A published workflow has an initial state');
  const startedBy = ctx.principal.userId ?? record.createdBy;
  const [instance] = await tx
    .insert(wi)
    .values({
      tenantId: ctx.principal.tenantId,
      plantId: record.plantId,
      workflowId: published.workflowId,
      versionId: published.versionId,
      entityType: entity.key,
      entityId: record.id,
      stateKey: initial.key,
      startedBy,
    })
    .returning();
  if (instance === undefined) throw new Error('The instance was not stored');
  await mirrorStatus(tx, entity, record.id, initial.key);
  await tx.insert(tables.workflowEvents).values({
    tenantId: instance.tenantId,
    plantId: instance.plantId,
    instanceId: instance.id,
    at: instance.startedAt,
    kind: 'started',
    round: instance.round,
    toState: initial.key,
    actorId: ctx.principal.userId,
    detail: { version: published.number },
  });
  audit(tx, {
    action: 'workflow.start',
    entityType: entity.key,
    entityId: record.id,
    entityLabel: record.code,
    plantId: record.plantId,
    before: null,
    after: { workflowVersion: published.number, state: initial.key, instanceId: instance.id },
  });
  await enterState(ctx, { entity, instance, state: initial, at: instance.startedAt });
  await rebuildTasks(ctx, instance.id);
  announceChange(ctx, instance);
  return { instanceId: instance.id, stateKey: initial.key };
}

import { tables } from '@plantline/schema';
import { and, eq, isNull, ne, sql } from 'drizzle-orm';
import { rows, type Sql } from '../../db/index.js';
import { audit, DomainError } from '../../platform/index.js';
import { announceChange, type WorkflowContext } from './context.js';
import { checkMapping, proposeMapping } from './engine/index.js';
import { mirrorStatus } from './enter-state.js';
import type { WorkflowEntities, WorkflowEntity } from './entities.js';
import { rebuildTasks } from './task-writer.js';
import { versionDefinition } from './versions.js';

/*
 * Moving running instances to another published version (docs/workflows.md, "Moving running
 * instances"). Instances stay on the version they started on until someone moves them with a
 * mapping for every state in use; the move is shown first (migrationPreview) and made in one
 * transaction with the instances locked, so a state entered between the preview and the move is
 * caught by the mapping check rather than left unmapped.
 *
 * Moving is not entering: the mapped state's on-enter actions do not run (no number is taken twice,
 * nobody is notified of a state the record has been in all along, an SLA keeps its clock). What
 * does change is who can act: the instance's tasks are rebuilt from the new version, and its round
 * goes up, since votes cast under the old version's quorum do not count under the new one's.
 *
 * Instances follow their record's plant (row-level security), so a caller moves the running
 * instances of the plants they reach; others stay on their version, which is always allowed.
 */

const i = tables.workflowInstances;
const v = tables.workflowVersions;

async function targetVersion(tx: Sql, workflowId: string, number: number) {
  const [workflow] = await tx
    .select({ id: tables.workflows.id, entityType: tables.workflows.entityType })
    .from(tables.workflows)
    .where(eq(tables.workflows.id, workflowId));
  if (workflow === undefined) throw new DomainError('not_found', 'No such workflow');
  const [target] = await tx
    .select({ id: v.id, number: v.number, status: v.status })
    .from(v)
    .where(and(eq(v.workflowId, workflowId), eq(v.number, number)));
  if (target === undefined)
    throw new DomainError('not_found', `The workflow has no version ${number}`, {
      toVersion: 'No such version',
    });
  if (target.status !== 'published')
    throw new DomainError(
      'invalid',
      `Version ${number} is a draft: publish it before moving instances to it`,
      {
        toVersion: 'Not published',
      },
    );
  return { workflow, target, definition: await versionDefinition(tx, target.id) };
}

interface Running {
  id: string;
  plantId: string | null;
  entityId: string;
  versionId: string;
  stateKey: string;
  version: number;
  round: number;
}

/** Running instances of the workflow on other versions than `targetId`, locked when moving. */
function runningElsewhere(tx: Sql, workflowId: string, targetId: string, lock: boolean) {
  const query = tx
    .select({
      id: i.id,
      plantId: i.plantId,
      entityId: i.entityId,
      versionId: i.versionId,
      stateKey: i.stateKey,
      version: i.version,
      round: i.round,
    })
    .from(i)
    .where(and(eq(i.workflowId, workflowId), ne(i.versionId, targetId), isNull(i.closedAt)))
    .orderBy(i.startedAt, i.id);
  return lock ? query.for('update') : query;
}

async function versionNumbers(tx: Sql, workflowId: string): Promise<Map<string, number>> {
  const found = await tx.select({ id: v.id, number: v.number }).from(v).where(eq(v.workflowId, workflowId));
  return new Map(found.map((x) => [x.id, x.number]));
}

const ident = (name: string) => {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`Unexpected identifier ${name}`);
  return `"${name}"`;
};

/** The records' numbers and titles, in one query over the entity's table (names from its description). */
async function recordLabels(tx: Sql, entity: WorkflowEntity | undefined, ids: readonly string[]) {
  const labels = new Map<string, { code: string; title: string | null }>();
  if (entity === undefined || ids.length === 0) return labels;
  const title = entity.titleColumn === null ? 'null' : `e.${ident(entity.titleColumn)}::text`;
  const found = await rows<{ id: string; code: string; title: string | null }>(
    tx,
    sql`select e.id, e.${sql.raw(ident(entity.codeColumn))}::text as code, ${sql.raw(title)} as title
          from ${sql.raw(ident(entity.table))} e where e.id = any(${sql.param([...ids])}::uuid[])`,
  );
  for (const row of found) labels.set(row.id, { code: row.code, title: row.title });
  return labels;
}

const statesInUseOf = (running: readonly Running[]) => [...new Set(running.map((r) => r.stateKey))].sort();

/** What moving to `toVersion` would do: the instances, the states they are in and a proposed mapping. */
export async function migrationPreview(
  tx: Sql,
  entities: WorkflowEntities,
  input: { workflowId: string; toVersion: number },
) {
  const { workflow, target, definition } = await targetVersion(tx, input.workflowId, input.toVersion);
  const running = await runningElsewhere(tx, workflow.id, target.id, false);
  const numbers = await versionNumbers(tx, workflow.id);
  const labels = await recordLabels(
    tx,
    entities.get(workflow.entityType),
    running.map((r) => r.entityId),
  );
  const statesInUse = statesInUseOf(running);
  return {
    instances: running.map((r) => ({
      id: r.id,
      entityId: r.entityId,
      code: labels.get(r.entityId)?.code ?? r.entityId,
      title: labels.get(r.entityId)?.title ?? null,
      fromVersion: numbers.get(r.versionId) ?? 0,
      stateKey: r.stateKey,
    })),
    statesInUse,
    proposed: proposeMapping(statesInUse, definition),
    targetStates: definition.states.map((s) => ({ key: s.key, label: s.label })),
  };
}

export interface MigrateInput {
  workflowId: string;
  toVersion: number;
  /** Old state key → state key of the target version, for every state an instance is in. */
  mapping: Readonly<Record<string, string>>;
  reason: string;
}

/** Moves every running instance the caller reaches to `toVersion`; refuses an incomplete mapping. */
export async function migrateInstances(
  ctx: WorkflowContext,
  input: MigrateInput,
): Promise<{ moved: number }> {
  const { tx } = ctx;
  const { workflow, target, definition } = await targetVersion(tx, input.workflowId, input.toVersion);
  const running = await runningElsewhere(tx, workflow.id, target.id, true);
  if (running.length === 0) return { moved: 0 };
  const problems = checkMapping(statesInUseOf(running), input.mapping, definition);
  if (problems.length > 0)
    throw new DomainError('invalid', problems.join('; '), { mapping: problems.join('; ') });

  const entity = ctx.deps.workflowEntities.get(workflow.entityType);
  const numbers = await versionNumbers(tx, workflow.id);
  const labels = await recordLabels(
    tx,
    entity,
    running.map((r) => r.entityId),
  );
  const kinds = new Map(definition.states.map((s) => [s.key, s.kind]));
  for (const instance of running) {
    const toState = input.mapping[instance.stateKey]!;
    const final = kinds.get(toState) === 'final';
    const round = instance.round + 1;
    await tx
      .update(i)
      .set({
        versionId: target.id,
        stateKey: toState,
        version: instance.version + 1,
        round,
        updatedAt: sql`now()`,
        // A final state closes the instance however it got there; nothing runs out of it.
        ...(final
          ? {
              closedAt: sql`now()`,
              slaDueAt: null,
              slaRemindAt: null,
              slaRemindedAt: null,
              slaEscalateRole: null,
              slaEscalatedAt: null,
            }
          : {}),
      })
      .where(eq(i.id, instance.id));
    if (entity !== undefined) await mirrorStatus(tx, entity, instance.entityId, toState);
    const fromVersion = numbers.get(instance.versionId) ?? 0;
    await tx.insert(tables.workflowEvents).values({
      tenantId: ctx.principal.tenantId,
      plantId: instance.plantId,
      instanceId: instance.id,
      kind: 'migrated',
      round,
      fromState: instance.stateKey,
      toState,
      actorId: ctx.principal.userId,
      comment: input.reason,
      detail: { fromVersion, toVersion: target.number },
    });
    audit(tx, {
      action: 'workflow.migrate',
      entityType: workflow.entityType,
      entityId: instance.entityId,
      entityLabel: labels.get(instance.entityId)?.code ?? null,
      plantId: instance.plantId,
      before: { workflowVersion: fromVersion, state: instance.stateKey },
      after: { workflowVersion: target.number, state: toState },
      reason: input.reason,
    });
    await rebuildTasks(ctx, instance.id);
    announceChange(ctx, { id: instance.id, entityType: workflow.entityType, entityId: instance.entityId });
  }
  return { moved: running.length };
}

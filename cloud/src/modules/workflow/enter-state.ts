import { tables } from '@plantline/schema';
import type {
  Audience,
  EnterAction,
  Scalar,
  WorkflowState,
  WorkflowTransition,
} from '@plantline/schema/workflow';
import { eq, sql } from 'drizzle-orm';
import type { Sql } from '../../db/index.js';
import { audit } from '../../platform/index.js';
import { takeNumber } from '../config/index.js';
import type { Recipients } from '../notifications/index.js';
import type { InstanceRow, WorkflowContext } from './context.js';
import { slaTimes } from './engine/index.js';
import type { WorkflowEntity } from './entities.js';
import { type LoadedRecord, loadRecord, writeField } from './record-fields.js';
import { rebuildTasks } from './task-writer.js';
import { STATE_ENTERED_KIND, workflowNotify } from './workflow-notify.js';

/*
 * What happens when an instance enters a state (docs/workflows.md, "Running a workflow"): the state's
 * on-enter actions from the fixed catalogue, in the order the definition lists them, in the acting
 * transaction. An action that fails (a field the configuration engine refuses, a retired numbering
 * sequence) fails the whole transition: a state is never entered half-way.
 */

/**
 * Moves the locked instance along a transition into `to` (the transition's target, or an approval's
 * rejectTo): the state, a new round (votes of the old one stay with it), a new row version, the SLA of
 * the old state cleared, closed when final; then the new state's on-enter actions and tasks.
 */
export async function fireTransition(
  ctx: WorkflowContext,
  input: {
    entity: WorkflowEntity;
    record: LoadedRecord;
    instance: InstanceRow;
    transition: WorkflowTransition;
    from: WorkflowState;
    to: WorkflowState;
    comment: string | null;
    onBehalfOf: string | null;
    detail: Record<string, unknown>;
  },
): Promise<InstanceRow> {
  const { tx } = ctx;
  const { entity, record, instance, transition, from, to } = input;
  const at = new Date();
  const wi = tables.workflowInstances;
  const [moved] = await tx
    .update(wi)
    .set({
      stateKey: to.key,
      round: sql`${wi.round} + 1`,
      version: sql`${wi.version} + 1`,
      stateEnteredAt: at,
      slaDueAt: null,
      slaRemindAt: null,
      slaRemindedAt: null,
      slaEscalateRole: null,
      slaEscalatedAt: null,
      closedAt: to.kind === 'final' ? at : null,
      updatedAt: at,
    })
    .where(eq(wi.id, instance.id))
    .returning();
  if (moved === undefined) throw new Error('The locked instance was not found again');
  await mirrorStatus(tx, entity, record.id, to.key);
  await tx.insert(tables.workflowEvents).values({
    tenantId: moved.tenantId,
    plantId: moved.plantId,
    instanceId: moved.id,
    at,
    kind: 'transition',
    round: moved.round,
    transitionKey: transition.key,
    fromState: from.key,
    toState: to.key,
    actorId: ctx.principal.userId,
    onBehalfOfId: input.onBehalfOf,
    comment: input.comment,
    detail: input.detail,
  });
  audit(tx, {
    action: 'workflow.transition',
    entityType: entity.key,
    entityId: record.id,
    entityLabel: record.code,
    plantId: record.plantId,
    before: { state: from.key },
    after: {
      state: to.key,
      transition: transition.key,
      ...(input.onBehalfOf ? { onBehalfOf: input.onBehalfOf } : {}),
    },
    reason: input.comment,
  });
  await enterState(ctx, { entity, instance: moved, state: to, at });
  await rebuildTasks(ctx, moved.id);
  return moved;
}

/** The instance as state entry needs it. */
export interface EnteringInstance {
  id: string;
  tenantId: string;
  plantId: string | null;
  entityId: string;
  startedBy: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Runs the state's on-enter actions; `at` is the moment of entering (the `now` of set_field, the SLA's start). */
export async function enterState(
  ctx: WorkflowContext,
  input: { entity: WorkflowEntity; instance: EnteringInstance; state: WorkflowState; at: Date },
): Promise<void> {
  const { entity, instance, state, at } = input;
  // Loaded once and again only after an action wrote to it, for the actions that read it.
  let record: LoadedRecord | null = null;
  const current = async () => {
    record ??= await loadRecord(ctx.tx, entity, instance.entityId);
    return record;
  };
  for (const action of state.onEnter) {
    switch (action.type) {
      case 'set_field': {
        const value = setValue(action, entity, at, ctx.principal.userId);
        await writeAudited(ctx, entity, await current(), action.field, value, state);
        record = null;
        break;
      }
      case 'take_number': {
        const loaded = await current();
        const number = await takeNumber(ctx.tx, {
          tenantId: instance.tenantId,
          code: action.sequence,
          plantId: loaded.plantId,
          at,
        });
        await writeAudited(ctx, entity, loaded, action.field, number, state);
        record = null;
        break;
      }
      case 'notify': {
        const loaded = await current();
        const to = recipientsOf(action.to, loaded, instance);
        if (to === null) break;
        await workflowNotify(ctx, {
          to,
          kind: STATE_ENTERED_KIND,
          title: action.title,
          body:
            action.body ?? `${loaded.code}${loaded.title ? ` ${loaded.title}` : ''} is now ${state.label}`,
          link: entity.link(instance.entityId),
          plantId: loaded.plantId,
          entity: { type: entity.key, id: instance.entityId },
        });
        break;
      }
      case 'start_sla': {
        const { dueAt, remindAt } = slaTimes(action, at);
        await ctx.tx
          .update(tables.workflowInstances)
          .set({
            slaDueAt: dueAt,
            slaRemindAt: remindAt,
            slaRemindedAt: null,
            slaEscalateRole: action.escalateToRole ?? null,
            slaEscalatedAt: null,
          })
          .where(eq(tables.workflowInstances.id, instance.id));
        break;
      }
    }
  }
}

/** The value a set_field action writes: a constant, the moment of entering, or the acting user. */
function setValue(
  action: Extract<EnterAction, { type: 'set_field' }>,
  entity: WorkflowEntity,
  at: Date,
  userId: string | null,
): Scalar {
  if (action.from === 'actor') return userId;
  if (action.from === 'now') {
    const kind = entity.fields.find((f) => f.key === action.field)?.kind;
    // A built-in date column takes the day; custom date fields are written the same way.
    return kind === 'date' ? at.toISOString().slice(0, 10) : at.toISOString();
  }
  return action.value ?? null;
}

/**
 * Writes one field on entering a state. The configuration engine records custom values in the audit
 * trail itself; a built-in field is recorded here, also when the domain's own `apply` writes it (what
 * else `apply` changes, such as a product's revision, is that domain's to record).
 */
async function writeAudited(
  ctx: WorkflowContext,
  entity: WorkflowEntity,
  record: LoadedRecord,
  ref: string,
  value: Scalar,
  state: WorkflowState,
): Promise<void> {
  await writeField(ctx.tx, ctx.principal, entity, record.id, ref, value);
  const builtin = entity.fields.find((f) => f.key === ref);
  if (builtin === undefined) return;
  audit(ctx.tx, {
    action: `${entity.key}.update`,
    entityType: entity.key,
    entityId: record.id,
    entityLabel: record.code,
    plantId: record.plantId,
    before: { [ref]: record.fields[ref] ?? null },
    after: { [ref]: value },
    reason: `Workflow entered ${state.label}`,
  });
}

/**
 * Who a notify action reaches. Roles and permissions are narrowed to the record's plant (and notify
 * itself keeps to recipients who reach it); a user field that is empty names nobody.
 */
function recipientsOf(
  audience: Audience,
  record: LoadedRecord,
  instance: EnteringInstance,
): Recipients | null {
  if ('role' in audience) return { role: audience.role, plantId: record.plantId };
  if ('permission' in audience) return { permission: audience.permission, plantId: record.plantId };
  if ('userField' in audience) {
    const value = record.fields[audience.userField];
    const ids = (Array.isArray(value) ? value : [value]).filter(
      (v): v is string => typeof v === 'string' && UUID.test(v),
    );
    return ids.length === 0 ? null : { userIds: ids };
  }
  return instance.startedBy === null ? null : { userIds: [instance.startedBy] };
}

/** Identifiers from WorkflowEntity descriptions: constants, quoted all the same. */
function quoteIdent(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`Unexpected identifier ${name}`);
  return `"${name}"`;
}

/** Mirrors the state key into the record's status column, so lists filter without a join. */
export async function mirrorStatus(
  tx: Sql,
  entity: WorkflowEntity,
  entityId: string,
  stateKey: string,
): Promise<void> {
  if (entity.statusColumn === null) return;
  await tx.execute(
    sql`update ${sql.raw(quoteIdent(entity.table))} set ${sql.raw(quoteIdent(entity.statusColumn))} = ${stateKey}
         where id = ${entityId}::uuid`,
  );
}

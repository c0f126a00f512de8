import { tables } from '@plantline/schema';
import type { WorkflowDefinition, WorkflowState, WorkflowTransition } from '@plantline/schema/workflow';
import { and, eq } from 'drizzle-orm';
import type { Database, Sql } from '../../db/index.js';
import { type AfterCommit, DomainError, type EventBus, type Principal } from '../../platform/index.js';
import type { LoginLimiter, PasswordConfirmations } from '../identity/index.js';
import type { WorkflowEntities, WorkflowEntity } from './entities.js';

/*
 * What the workflow's database code needs of its caller (docs/workflows.md, "Running a workflow"):
 * the transaction, who is calling, what runs once the transaction commits, and the app's parts it
 * uses. A tRPC procedure's context satisfies it, so a domain passes its own `ctx` through. Below it,
 * the instance and definition lookups every part of the runtime shares.
 */
export interface WorkflowContext {
  tx: Sql;
  principal: Principal;
  afterCommit: AfterCommit;
  deps: {
    db: Database;
    bus: EventBus;
    email: { readonly enabled: boolean } | null;
    workflowEntities: WorkflowEntities;
    loginLimiter: LoginLimiter;
    /** Passwords sessions proved while signing; without it every signing pays Argon2id. */
    passwordConfirmations?: PasswordConfirmations;
  };
}

/** The description of a record type; an unknown type is the caller's mistake, named as such. */
export function entityOf(ctx: Pick<WorkflowContext, 'deps'>, entityType: string): WorkflowEntity {
  const entity = ctx.deps.workflowEntities.get(entityType);
  if (entity === undefined) throw new DomainError('invalid', `Workflows do not run on ${entityType} records`);
  return entity;
}

/** The signed-in user acting; votes, signatures and tasks name people, never API keys. */
export function actingUser(ctx: Pick<WorkflowContext, 'principal'>): string {
  const { userId } = ctx.principal;
  if (ctx.principal.kind !== 'user' || userId === null)
    throw new DomainError('forbidden', 'Only a signed-in user can act on a workflow');
  return userId;
}

/** Refuses a caller without the record type's read permission (its workflow shows what the record holds). */
export function requireRead(ctx: Pick<WorkflowContext, 'principal'>, entity: WorkflowEntity): void {
  if (!ctx.principal.permissions.has(entity.readPermission))
    throw new DomainError('forbidden', `This needs the permission ${entity.readPermission}`);
}

/** Record pages and inboxes look again once the change has committed. */
export function announceChange(
  ctx: Pick<WorkflowContext, 'afterCommit' | 'deps' | 'principal'>,
  instance: { id: string; entityType: string; entityId: string },
): void {
  const payload = {
    tenantId: ctx.principal.tenantId,
    instanceId: instance.id,
    entityType: instance.entityType,
    entityId: instance.entityId,
  };
  ctx.afterCommit(() => ctx.deps.bus.emit('workflow.changed', payload));
}

export type InstanceRow = typeof tables.workflowInstances.$inferSelect;

const wi = tables.workflowInstances;

/** The record's instance, if its workflow started; null otherwise. */
export async function instanceFor(
  tx: Sql,
  entityType: string,
  entityId: string,
): Promise<InstanceRow | null> {
  const [found] = await tx
    .select()
    .from(wi)
    .where(and(eq(wi.entityType, entityType), eq(wi.entityId, entityId)));
  return found ?? null;
}

/**
 * The instance, optionally locked until the transaction ends: every action takes this lock first,
 * so two people acting at the same instant are served one after the other (docs/workflows.md,
 * "Concurrency").
 */
export async function loadInstance(
  tx: Sql,
  instanceId: string,
  options: { lock: boolean } = { lock: false },
): Promise<InstanceRow> {
  const query = tx.select().from(wi).where(eq(wi.id, instanceId));
  // No key update: it serialises actions on the instance as `for update` would, yet lets another
  // transaction insert rows that reference it (a failed signing attempt recorded on its own while
  // the action waits to fail), whose foreign key check takes a key-share lock.
  const [found] = options.lock ? await query.for('no key update') : await query;
  if (found === undefined) throw new DomainError('not_found', 'No such workflow instance');
  return found;
}

export function stateOf(definition: WorkflowDefinition, key: string): WorkflowState {
  const state = definition.states.find((s) => s.key === key);
  // Instances name their state through a foreign key into the version's states.
  if (state === undefined) throw new Error(`State ${key} is not in the instance's version`);
  return state;
}

export function transitionOf(definition: WorkflowDefinition, key: string): WorkflowTransition | undefined {
  return definition.transitions.find((t) => t.key === key);
}

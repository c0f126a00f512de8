import type { WorkflowDefinition, WorkflowState, WorkflowTransition } from '@plantline/schema/workflow';
import { DomainError } from '../../platform/index.js';
import { actingAuthority } from './acting-authority.js';
import type { InstanceRow, WorkflowContext } from './context.js';
import type { Person } from './delegations.js';
import { type Actor, evaluateCondition, missingRequired } from './engine/index.js';
import type { WorkflowEntity } from './entities.js';
import { fieldCatalogue, type LoadedRecord } from './record-fields.js';
import { recordSignature } from './signatures.js';
import { verifySigner } from './signing-auth.js';

/*
 * What an action on an instance works on, and the checks a plain move and a vote share
 * (docs/workflows.md, "Running a workflow"): whose authority, the guard, the comment rule, the target
 * state's required fields and the electronic signature.
 */

export interface ActInput {
  instanceId: string;
  transitionKey: string;
  /** The instance's row version the caller saw. */
  expectedVersion: number;
  /** Chosen by the client once per attempt and sent again on a retry. */
  idempotencyKey: string;
  /** On an approval transition: the vote. */
  decision?: 'approve' | 'reject' | undefined;
  comment?: string | undefined;
  /** The password (and email, when both components are needed) when the transition is signed. */
  signature?: { email?: string | undefined; password: string } | undefined;
}

export interface ActResult {
  instanceVersion: number;
  stateKey: string;
  /** 'moved': the transition fired; 'voted': the vote is stored and the quorum not reached; 'rejected': sent to rejectTo. */
  outcome: 'moved' | 'voted' | 'rejected';
  /** True when this is the stored answer to an earlier request with the same key. */
  replayed: boolean;
}

export type Outcome = Omit<ActResult, 'replayed'>;

/** What one action works on, loaded once under the instance's lock. */
export interface Acting {
  ctx: WorkflowContext;
  userId: string;
  entity: WorkflowEntity;
  record: LoadedRecord;
  instance: InstanceRow;
  definition: WorkflowDefinition;
  from: WorkflowState;
  transition: WorkflowTransition;
  comment: string | null;
  at: Date;
}

/** The caller's authority at the record's plant, or of whom they act for (acting-authority.ts). */
export function authority(a: Acting, allowed: (actor: Actor) => boolean) {
  return actingAuthority(a.ctx.tx, { userId: a.userId, plantId: a.record.plantId, at: a.at }, allowed);
}

/**
 * The caller's electronic signature when the action asks for one (docs/workflows.md, "Electronic
 * signatures"): the password (and email) checked, then the signature recorded on the record as it is
 * now, under a delegation as the caller for the delegator. Null when none is asked.
 */
export async function signIfAsked(
  a: Acting,
  input: ActInput,
  onBehalfOf: Person | null,
  meaning: string | null,
): Promise<string | null> {
  if (meaning === null) return null;
  if (input.signature === undefined)
    throw new DomainError('invalid', `${a.transition.label} needs your electronic signature`, {
      password: 'Required to sign',
    });
  const { components } = await verifySigner(a.ctx, {
    email: input.signature.email,
    password: input.signature.password,
    entityType: a.entity.key,
    entityId: a.record.id,
  });
  const signed = await recordSignature(a.ctx, {
    entity: a.entity,
    record: a.record,
    instanceId: a.instance.id,
    round: a.instance.round,
    transitionKey: a.transition.key,
    meaning,
    onBehalfOf,
    components,
  });
  return signed.id;
}

export function checkComment(a: Acting, rule: WorkflowTransition['comment']): void {
  if (rule === 'required' && a.comment === null)
    throw new DomainError('invalid', `${a.transition.label} needs a comment`, { comment: 'Required' });
  if (rule === 'none' && a.comment !== null)
    throw new DomainError('invalid', `${a.transition.label} takes no comment`, { comment: 'Not taken here' });
}

/** Refuses entering `to` while its required fields are empty, naming them. */
export async function checkRequired(a: Acting, to: WorkflowState): Promise<void> {
  const missing = missingRequired(to, a.record.fields);
  if (missing.length === 0) return;
  const catalogue = await fieldCatalogue(a.ctx.tx, a.entity);
  const labels = missing.map((ref) => catalogue.get(ref)?.label ?? ref);
  throw new DomainError(
    'invalid',
    `${to.label} needs ${labels.join(', ')}`,
    Object.fromEntries(missing.map((ref) => [ref, `Required in ${to.label}`])),
  );
}

export function checkGuard(a: Acting): void {
  if (a.transition.guard !== null && !evaluateCondition(a.transition.guard, a.record.fields))
    throw new DomainError('invalid', `The record does not meet the conditions of ${a.transition.label}`);
}

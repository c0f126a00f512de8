import { tables } from '@plantline/schema';
import type { WorkflowDefinition, WorkflowTransition } from '@plantline/schema/workflow';
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Sql } from '../../db/index.js';
import { actingAuthority, voteAuthority } from './acting-authority.js';
import {
  entityOf,
  type InstanceRow,
  instanceFor,
  requireRead,
  stateOf,
  type WorkflowContext,
} from './context.js';
import {
  type ApprovalTally,
  type CastVote,
  evaluateCondition,
  groupOfVote,
  mayAct,
  missingRequired,
  tallyApproval,
  transitionsFrom,
} from './engine/index.js';
import { fieldCatalogue, type LoadedRecord, loadRecord } from './record-fields.js';
import { listSignatures } from './signatures.js';
import { approvalContext, roundVotes } from './task-writer.js';
import { versionDefinition } from './versions.js';

/*
 * A record's workflow as its page shows it (docs/workflows.md, "Running a workflow"): the current
 * state, the actions out of it with whether the caller may take each now and, when not, why (the
 * button is shown disabled with that reason), each approval's progress and votes, and the timeline.
 */

export interface WorkflowAction {
  transitionKey: string;
  label: string;
  to: string;
  toLabel: string;
  approval: boolean;
  comment: 'none' | 'optional' | 'required';
  signature: { meaning: string } | null;
  allowed: boolean;
  reason: string | null;
  /** Labels of the target state's required fields that are empty. */
  missingRequired: string[];
  tally: ApprovalTally | null;
  /** The round's votes, each under the group of the tally it counts in (null: counted nowhere). */
  votes: {
    voter: string;
    countsFor: string;
    decision: 'approve' | 'reject';
    comment: string | null;
    at: Date;
    signed: boolean;
    group: number | null;
  }[];
  /** Names of the people the tally names by id (counted, named approvers still awaited). */
  people: Record<string, string>;
}

export interface TimelineEntry {
  at: Date;
  kind: string;
  actor: string | null;
  onBehalfOf: string | null;
  fromLabel: string | null;
  toLabel: string | null;
  transitionLabel: string | null;
  comment: string | null;
  detail: unknown;
}

export async function recordWorkflow(ctx: WorkflowContext, input: { entityType: string; entityId: string }) {
  const { tx } = ctx;
  const entity = entityOf(ctx, input.entityType);
  requireRead(ctx, entity);
  const record = await loadRecord(tx, entity, input.entityId);
  const instance = await instanceFor(tx, entity.key, record.id);
  const signatures = await listSignatures(tx, { entityType: entity.key, entityId: record.id });
  if (instance === null)
    return { instance: null, actions: [] as WorkflowAction[], timeline: [] as TimelineEntry[], signatures };
  const definition = await versionDefinition(tx, instance.versionId);
  const state = stateOf(definition, instance.stateKey);
  const [about] = await tx
    .select({ name: tables.workflows.name, number: tables.workflowVersions.number })
    .from(tables.workflowVersions)
    .innerJoin(tables.workflows, eq(tables.workflows.id, tables.workflowVersions.workflowId))
    .where(eq(tables.workflowVersions.id, instance.versionId));
  const names = await peopleNames(tx, [instance.startedBy]);
  const plant = await plantOf(tx, instance.plantId);
  const labels = await fieldLabels(ctx, entity.key);
  const actions: WorkflowAction[] = [];
  if (instance.closedAt === null) {
    for (const transition of transitionsFrom(definition, state.key))
      actions.push(await actionView(ctx, { instance, record, definition, transition, labels }));
  }
  return {
    instance: {
      id: instance.id,
      state: {
        key: state.key,
        label: state.label,
        kind: state.kind,
        locked: state.locked,
        readOnly: state.readOnly,
        required: state.required,
      },
      workflowName: about?.name ?? '',
      versionNumber: about?.number ?? 0,
      round: instance.round,
      version: instance.version,
      startedBy: instance.startedBy === null ? null : (names.get(instance.startedBy) ?? null),
      /** The record's plant, whose zone its times are shown in; null for a record of no plant. */
      plant,
      startedAt: instance.startedAt,
      stateEnteredAt: instance.stateEnteredAt,
      slaDueAt: instance.slaDueAt,
      closedAt: instance.closedAt,
    },
    actions,
    timeline: await timelineOf(tx, instance, definition),
    signatures,
  };
}

async function actionView(
  ctx: WorkflowContext,
  input: {
    instance: InstanceRow;
    record: LoadedRecord;
    definition: WorkflowDefinition;
    transition: WorkflowTransition;
    labels: ReadonlyMap<string, string>;
  },
): Promise<WorkflowAction> {
  const { instance, record, definition, transition, labels } = input;
  const { tx } = ctx;
  const to = stateOf(definition, transition.to);
  const missing = missingRequired(to, record.fields).map((ref) => labels.get(ref) ?? ref);
  const userId = ctx.principal.kind === 'user' ? ctx.principal.userId : null;
  const user = userId === null ? null : { userId, plantId: record.plantId, at: new Date() };
  const guardHolds = transition.guard === null || evaluateCondition(transition.guard, record.fields);
  let reason: string | null = null;
  let tally: ApprovalTally | null = null;
  let votes: WorkflowAction['votes'] = [];
  let people: Record<string, string> = {};
  if (transition.approval !== null) {
    const { approval } = transition;
    const cast = await roundVotes(tx, instance, transition.key);
    const approvalCtx = await approvalContext(tx, instance, transition, record);
    const counted = tallyApproval(approval, cast, approvalCtx);
    tally = counted;
    votes = await votesOf(tx, instance, transition.key, (vote) =>
      groupOfVote(approval, counted, approvalCtx, vote),
    );
    const named = await peopleNames(
      tx,
      counted.groups.flatMap((g) => [...g.counted, ...g.missingRequired]),
    );
    people = Object.fromEntries(named);
    if (user === null || !ctx.principal.permissions.has('approvals.decide'))
      reason = 'Voting needs the permission approvals.decide';
    else {
      const who = await voteAuthority(tx, user, transition.approval, cast, approvalCtx);
      if ('refusal' in who) reason = who.refusal;
    }
  } else if (user === null) reason = 'Only a signed-in user can act on a workflow';
  else {
    const who = await actingAuthority(tx, user, (actor) =>
      mayAct(transition, actor, record.fields, instance.startedBy),
    );
    if (who === null) reason = `You may not ${transition.label.toLowerCase()} this record`;
  }
  reason ??= !guardHolds
    ? `The record does not meet the conditions of ${transition.label}`
    : missing.length > 0
      ? `${to.label} needs ${missing.join(', ')}`
      : null;
  return {
    transitionKey: transition.key,
    label: transition.label,
    to: to.key,
    toLabel: to.label,
    approval: transition.approval !== null,
    comment: transition.comment,
    signature: transition.signature,
    allowed: reason === null,
    reason,
    missingRequired: missing,
    tally,
    votes,
    people,
  };
}

/** The round's votes with the names of who voted and whose vote it is, and the group each counts in. */
async function votesOf(
  tx: Sql,
  instance: InstanceRow,
  transitionKey: string,
  groupOf: (vote: CastVote) => number | null,
): Promise<WorkflowAction['votes']> {
  const a = tables.approvals;
  const found = await tx
    .select()
    .from(a)
    .where(
      and(eq(a.instanceId, instance.id), eq(a.round, instance.round), eq(a.transitionKey, transitionKey)),
    )
    .orderBy(asc(a.createdAt), asc(a.id));
  const live = found.filter((v) => v.voidedAt === null);
  const names = await peopleNames(
    tx,
    live.flatMap((v) => [v.voterId, v.countsForId]),
  );
  return live.map((v) => ({
    voter: names.get(v.voterId) ?? '',
    countsFor: names.get(v.countsForId) ?? '',
    decision: v.decision,
    comment: v.comment,
    at: v.createdAt,
    signed: v.signatureId !== null,
    group: groupOf({
      voterId: v.voterId,
      countsForId: v.countsForId,
      decision: v.decision,
      comment: v.comment,
      at: v.createdAt,
    }),
  }));
}

/** Every event of the instance, oldest first, with people's names and the states' labels. */
async function timelineOf(
  tx: Sql,
  instance: InstanceRow,
  definition: WorkflowDefinition,
): Promise<TimelineEntry[]> {
  const e = tables.workflowEvents;
  const events = await tx.select().from(e).where(eq(e.instanceId, instance.id)).orderBy(asc(e.at), asc(e.id));
  const names = await peopleNames(
    tx,
    events.flatMap((event) => [event.actorId, event.onBehalfOfId]),
  );
  // States and transitions of earlier versions (before a move) are read by key from their version's rows.
  const stateLabels = await stateLabelsOf(tx, instance, definition);
  const transitionLabels = new Map(definition.transitions.map((t) => [t.key, t.label]));
  const labelOf = (key: string | null) => (key === null ? null : (stateLabels.get(key) ?? key));
  return events.map((event) => ({
    at: event.at,
    kind: event.kind,
    actor: event.actorId === null ? null : (names.get(event.actorId) ?? null),
    onBehalfOf: event.onBehalfOfId === null ? null : (names.get(event.onBehalfOfId) ?? null),
    fromLabel: labelOf(event.fromState),
    toLabel: labelOf(event.toState),
    transitionLabel:
      event.transitionKey === null
        ? null
        : (transitionLabels.get(event.transitionKey) ?? event.transitionKey),
    comment: event.comment,
    detail: event.detail,
  }));
}

async function stateLabelsOf(tx: Sql, instance: InstanceRow, definition: WorkflowDefinition) {
  const s = tables.workflowStates;
  const v = tables.workflowVersions;
  const older = await tx
    .select({ key: s.key, label: s.label })
    .from(s)
    .innerJoin(v, eq(v.id, s.versionId))
    .where(eq(v.workflowId, instance.workflowId))
    .orderBy(asc(v.number));
  const labels = new Map(older.map((state) => [state.key, state.label]));
  for (const state of definition.states) labels.set(state.key, state.label);
  return labels;
}

async function plantOf(tx: Sql, plantId: string | null) {
  if (plantId === null) return null;
  const p = tables.plants;
  const [found] = await tx.select({ name: p.name, timeZone: p.timezone }).from(p).where(eq(p.id, plantId));
  return found ?? null;
}

/** Display names by user id. */
async function peopleNames(tx: Sql, ids: readonly (string | null)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
  if (wanted.length === 0) return new Map();
  const u = tables.users;
  const found = await tx.select({ id: u.id, name: u.displayName }).from(u).where(inArray(u.id, wanted));
  return new Map(found.map((user) => [user.id, user.name]));
}

async function fieldLabels(ctx: WorkflowContext, entityType: string): Promise<Map<string, string>> {
  const catalogue = await fieldCatalogue(ctx.tx, entityOf(ctx, entityType));
  return new Map([...catalogue.values()].map((field) => [field.ref, field.label]));
}

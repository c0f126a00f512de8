import { formatPlantTime } from '$lib/plant-time';
import type { GroupProgressView, RecordWorkflow, VoteView, WorkflowActionView } from './api-types';
import { actorOf, newEntries, timelineLine } from './timeline';

/*
 * The record workflow panel's pure half (WorkflowPanel.svelte): approval progress in words, what an
 * action asks of the user before it is sent, the idempotency key of an attempt, and what changed when
 * the cloud refused an action for a stale view. No I/O.
 */

export type Decision = 'approve' | 'reject';

/**
 * "Quality 1 of 2", and who still has to approve among the group's named approvers: by name where
 * `names` knows them (user id → name), else how many.
 */
export function groupProgressText(group: GroupProgressView, names: ReadonlyMap<string, string>): string {
  if (!group.applies) return `${group.label}: not needed for this record`;
  const base = `${group.label} ${group.counted.length} of ${group.needed}`;
  const waiting = group.missingRequired;
  if (waiting.length === 0) return base;
  const known = waiting.flatMap((id) => names.get(id) ?? []);
  if (known.length === waiting.length) return `${base} — waiting for ${known.join(', ')}`;
  return `${base} — waiting for ${waiting.length} named approver${waiting.length === 1 ? '' : 's'}`;
}

/** One vote in words: "Ann Lee for Bo Park approved · 1 Mar 2026, 10:42 · signed". */
export function voteText(vote: VoteView, timeZone: string): string {
  const who = actorOf({
    actor: vote.voter,
    onBehalfOf: vote.voter === vote.countsFor ? null : vote.countsFor,
  });
  const what = vote.decision === 'approve' ? 'approved' : 'rejected';
  return `${who} ${what} · ${formatPlantTime(vote.at, timeZone)}${vote.signed ? ' · signed' : ''}`;
}

export interface GroupLine {
  index: number;
  /** "Quality 1 of 2", "Owners 1 of 2 — waiting for Eve Ng". */
  text: string;
  satisfied: boolean;
  votes: VoteView[];
}

/**
 * An approval's progress as the panel lists it: per group its count, the named approvers still
 * awaited and the votes that count in it; then the votes that count in no group (cast by someone the
 * rules no longer accept, such as a voter who edited the record since).
 */
export function approvalProgress(action: WorkflowActionView): { groups: GroupLine[]; uncounted: VoteView[] } {
  if (action.tally === null) return { groups: [], uncounted: [] };
  const names = new Map(Object.entries(action.people));
  const groups = action.tally.groups.map((group) => ({
    index: group.index,
    text: groupProgressText(group, names),
    satisfied: group.satisfied,
    votes: action.votes.filter((v) => v.group === group.index),
  }));
  return { groups, uncounted: action.votes.filter((v) => v.group === null) };
}

/** What the user gives before an action is sent: a decision, a comment, a signature. */
export interface ActionNeeds {
  decision: boolean;
  comment: 'none' | 'optional' | 'required';
  signature: { meaning: string } | null;
}

export function actionNeeds(action: WorkflowActionView): ActionNeeds {
  return { decision: action.approval, comment: action.comment, signature: action.signature };
}

/** Whether the first dialog (decision and comment) is needed, or the action goes straight to signing or sending. */
export function needsDecisionDialog(needs: ActionNeeds): boolean {
  return needs.decision || needs.comment !== 'none';
}

/** The comment's problem: required by the transition, or for a rejection (it goes with the record). */
export function commentProblem(needs: ActionNeeds, decision: Decision, comment: string): string | null {
  if (comment.trim() !== '') return comment.length > 2000 ? 'At most 2000 characters' : null;
  if (needs.comment === 'required') return 'A comment is required for this action';
  if (needs.decision && decision === 'reject') return 'Say why you reject: the comment goes with the record';
  return null;
}

/**
 * One attempt at an action: its idempotency key is made once and sent again with every retry of the
 * same attempt, so a retried request after a lost answer is answered from the first instead of acting
 * twice. A different action, decision or instance version is a new attempt.
 */
export interface Attempt {
  transitionKey: string;
  decision: Decision | null;
  version: number;
  key: string;
}

export function attemptFor(
  previous: Attempt | null,
  next: Omit<Attempt, 'key'>,
  newKey: () => string,
): Attempt {
  if (
    previous !== null &&
    previous.transitionKey === next.transitionKey &&
    previous.decision === next.decision &&
    previous.version === next.version
  )
    return previous;
  return { ...next, key: newKey() };
}

/**
 * What to tell the user after the cloud refused an action because the record moved on: the cloud's own
 * sentence and what the reloaded timeline shows happened since.
 */
export function conflictNotice(
  message: string,
  before: RecordWorkflow | null,
  after: RecordWorkflow,
): string {
  // Titles name no time, so the zone they would be read in does not matter here.
  const happened = newEntries(before?.timeline ?? [], after.timeline).map(
    (e) => timelineLine(e, 'UTC').title,
  );
  if (happened.length === 0) return `${message} The view is up to date now; check it and try again.`;
  return `${message} Since you opened it: ${happened.join('; ')}. Check the record and try again if still needed.`;
}

/** Whether an SLA due time has passed. */
export function overdue(slaDueAt: string | null, now: Date): boolean {
  return slaDueAt !== null && new Date(slaDueAt).getTime() <= now.getTime();
}

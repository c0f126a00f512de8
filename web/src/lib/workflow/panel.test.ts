import { describe, expect, it } from 'vitest';
import type { GroupProgressView, RecordWorkflow, VoteView, WorkflowActionView } from './api-types';
import {
  actionNeeds,
  approvalProgress,
  attemptFor,
  commentProblem,
  conflictNotice,
  groupProgressText,
  needsDecisionDialog,
  overdue,
  voteText,
} from './panel';

const group = (over: Partial<GroupProgressView>): GroupProgressView => ({
  index: 0,
  label: 'Quality',
  applies: true,
  needed: 2,
  counted: ['u1'],
  missingRequired: [],
  satisfied: false,
  open: true,
  ...over,
});

const action = (over: Partial<WorkflowActionView>): WorkflowActionView => ({
  transitionKey: 'approve',
  label: 'Approve disposition',
  to: 'rework',
  toLabel: 'Rework / verify',
  approval: true,
  comment: 'optional',
  signature: { meaning: 'approval' },
  allowed: true,
  reason: null,
  missingRequired: [],
  tally: null,
  votes: [],
  people: {},
  ...over,
});

const vote = (over: Partial<VoteView>): VoteView => ({
  voter: 'Ann Lee',
  countsFor: 'Ann Lee',
  decision: 'approve',
  comment: null,
  at: '2026-03-01T09:42:00.000Z',
  signed: false,
  group: 0,
  ...over,
});

describe('approval progress', () => {
  it('reads as counted of needed, with the named approvers still to vote', () => {
    expect(groupProgressText(group({}), new Map())).toBe('Quality 1 of 2');
    expect(groupProgressText(group({ missingRequired: ['u7'] }), new Map([['u7', 'Eve Ng']]))).toBe(
      'Quality 1 of 2 — waiting for Eve Ng',
    );
    expect(groupProgressText(group({ missingRequired: ['u7', 'u8'] }), new Map())).toBe(
      'Quality 1 of 2 — waiting for 2 named approvers',
    );
    expect(groupProgressText(group({ label: 'Engineering', applies: false }), new Map())).toBe(
      'Engineering: not needed for this record',
    );
  });
});

describe('votes by name', () => {
  it('says who voted how and when in the record’s zone, for whom under a delegation, and if signed', () => {
    expect(voteText(vote({ signed: true }), 'Europe/Berlin')).toBe(
      'Ann Lee approved · 1 Mar 2026, 10:42 · signed',
    );
    expect(voteText(vote({ countsFor: 'Bo Park', decision: 'reject' }), 'America/Chicago')).toBe(
      'Ann Lee for Bo Park rejected · 1 Mar 2026, 03:42',
    );
  });

  it('lists each group with its votes and the named approvers it still waits for', () => {
    const progress = approvalProgress(
      action({
        tally: {
          outcome: 'pending',
          rejection: null,
          groups: [
            group({ counted: ['u1'] }),
            group({ index: 1, label: 'Owners', needed: 2, counted: ['u2'], missingRequired: ['u3'] }),
          ],
        },
        votes: [
          vote({}),
          vote({ voter: 'Cy Diaz', countsFor: 'Bo Park', group: 1 }),
          vote({ voter: 'Dee Fox', group: null }),
        ],
        people: { u1: 'Ann Lee', u2: 'Bo Park', u3: 'Eve Ng' },
      }),
    );
    expect(progress.groups.map((g) => [g.text, g.votes.map((v) => v.voter)])).toEqual([
      ['Quality 1 of 2', ['Ann Lee']],
      ['Owners 1 of 2 — waiting for Eve Ng', ['Cy Diaz']],
    ]);
    expect(progress.uncounted.map((v) => v.voter)).toEqual(['Dee Fox']);
    expect(approvalProgress(action({ approval: false }))).toEqual({ groups: [], uncounted: [] });
  });
});

describe('what an action asks for', () => {
  it('opens the decision dialog for approvals and comments, not for a bare signed action', () => {
    expect(needsDecisionDialog(actionNeeds(action({})))).toBe(true);
    expect(needsDecisionDialog(actionNeeds(action({ approval: false, comment: 'required' })))).toBe(true);
    expect(needsDecisionDialog(actionNeeds(action({ approval: false, comment: 'none' })))).toBe(false);
  });

  it('requires a comment where the transition says so, and for a rejection', () => {
    const approval = actionNeeds(action({}));
    expect(commentProblem(approval, 'approve', '')).toBeNull();
    expect(commentProblem(approval, 'reject', '  ')).toMatch(/Say why you reject/);
    expect(commentProblem(approval, 'reject', 'Crack on the rim')).toBeNull();
    const required = actionNeeds(action({ approval: false, comment: 'required' }));
    expect(commentProblem(required, 'approve', '')).toBe('A comment is required for this action');
    expect(commentProblem(required, 'approve', 'x'.repeat(2001))).toBe('At most 2000 characters');
  });
});

describe('an attempt’s idempotency key', () => {
  let n = 0;
  const key = () => `key-${++n}`;

  it('is made once per attempt and reused when the same attempt is sent again', () => {
    const first = attemptFor(null, { transitionKey: 'approve', decision: 'approve', version: 3 }, key);
    expect(first.key).toBe('key-1');
    expect(attemptFor(first, { transitionKey: 'approve', decision: 'approve', version: 3 }, key)).toBe(first);
    expect(attemptFor(first, { transitionKey: 'approve', decision: 'reject', version: 3 }, key).key).toBe(
      'key-2',
    );
    expect(attemptFor(first, { transitionKey: 'approve', decision: 'approve', version: 4 }, key).key).toBe(
      'key-3',
    );
  });
});

describe('a refusal for a stale view', () => {
  const view = (timeline: RecordWorkflow['timeline']): RecordWorkflow => ({
    instance: null,
    actions: [],
    timeline,
    signatures: [],
  });
  const started = {
    at: '2026-03-04T05:00:00.000Z',
    kind: 'started',
    actor: 'Ann Lee',
    onBehalfOf: null,
    fromLabel: null,
    toLabel: 'Draft',
    transitionLabel: null,
    comment: null,
    detail: {},
  };
  const moved = {
    ...started,
    at: '2026-03-04T06:00:00.000Z',
    kind: 'transition',
    actor: 'Bo Park',
    fromLabel: 'Draft',
    toLabel: 'Submitted',
    transitionLabel: 'Submit',
  };

  it('says what happened since the user looked', () => {
    expect(
      conflictNotice(
        'This record changed since you loaded it; it is now Submitted.',
        view([started]),
        view([started, moved]),
      ),
    ).toBe(
      'This record changed since you loaded it; it is now Submitted. Since you opened it: Bo Park: Submit — Draft → Submitted. Check the record and try again if still needed.',
    );
    expect(conflictNotice('Changed.', view([started]), view([started]))).toBe(
      'Changed. The view is up to date now; check it and try again.',
    );
  });
});

describe('the SLA', () => {
  it('is overdue once its due time has passed', () => {
    const now = new Date('2026-03-04T06:00:00Z');
    expect(overdue('2026-03-04T05:59:59Z', now)).toBe(true);
    expect(overdue('2026-03-04T06:00:01Z', now)).toBe(false);
    expect(overdue(null, now)).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import type { TimelineItem } from './api-types';
import { actorOf, newEntries, timelineLine } from './timeline';

const entry = (over: Partial<TimelineItem>): TimelineItem => ({
  at: '2026-03-04T05:06:07.000Z',
  kind: 'transition',
  actor: 'Ann Lee',
  onBehalfOf: null,
  fromLabel: 'Under review',
  toLabel: 'Disposition',
  transitionLabel: 'Send to MRB',
  comment: null,
  detail: {},
  ...over,
});

describe('a timeline entry in words', () => {
  it('names the actor, the delegation and the system', () => {
    expect(actorOf({ actor: 'Ann Lee', onBehalfOf: null })).toBe('Ann Lee');
    expect(actorOf({ actor: 'Ann Lee', onBehalfOf: 'Bo Park' })).toBe('Ann Lee for Bo Park');
    expect(actorOf({ actor: null, onBehalfOf: null })).toBe('Plantline');
  });

  it('reads transitions, votes and signatures', () => {
    expect(timelineLine(entry({ comment: 'Looks fine' }), 'UTC')).toEqual({
      title: 'Ann Lee: Send to MRB — Under review → Disposition',
      detail: 'Looks fine',
      tone: 'good',
    });
    expect(
      timelineLine(entry({ kind: 'vote', detail: { decision: 'reject' }, comment: 'Crack' }), 'UTC'),
    ).toEqual({
      title: 'Ann Lee rejected (Send to MRB)',
      detail: 'Crack',
      tone: 'danger',
    });
    expect(timelineLine(entry({ kind: 'vote', detail: { decision: 'approve' } }), 'UTC').title).toBe(
      'Ann Lee approved (Send to MRB)',
    );
    expect(
      timelineLine(
        entry({
          kind: 'signature',
          onBehalfOf: 'Bo Park',
          detail: { meaning: 'approval', recordSha256: 'ab'.repeat(32) },
        }),
        'UTC',
      ),
    ).toEqual({
      title: 'Ann Lee for Bo Park signed: Approval (Send to MRB)',
      detail: 'Record SHA-256 abababababab…',
      tone: 'good',
    });
  });

  it('reads refusals, voids, reminders, escalations and moves', () => {
    expect(timelineLine(entry({ kind: 'signature_failed' }), 'UTC').title).toBe(
      'A signing by Ann Lee was refused',
    );
    expect(
      timelineLine(
        entry({
          kind: 'voided',
          actor: 'Cy Diaz',
          detail: { signerName: 'Ann Lee' },
          comment: 'Note changed',
        }),
        'UTC',
      ),
    ).toEqual({
      title: "Signature of Ann Lee voided by Cy Diaz's edit",
      detail: 'Note changed',
      tone: 'warning',
    });
    expect(
      timelineLine(
        entry({ kind: 'reminder', actor: null, detail: { dueAt: '2026-03-05T08:00:00Z' } }),
        'Europe/Berlin',
      ),
    ).toEqual({
      // In the record's plant time, which the timeline's heading names.
      title: 'Reminder sent: the step is due soon',
      detail: 'Due 5 Mar 2026, 09:00',
      tone: 'normal',
    });
    expect(
      timelineLine(entry({ kind: 'escalation', actor: null, detail: { role: 'quality' } }), 'UTC').title,
    ).toBe('Overdue: escalated to quality');
    expect(
      timelineLine(entry({ kind: 'migrated', detail: { fromVersion: 1, toVersion: 2 } }), 'UTC').title,
    ).toBe('Ann Lee moved the record to version 2 of the workflow (Under review → Disposition)');
    expect(timelineLine(entry({ kind: 'started', fromLabel: null, toLabel: 'Draft' }), 'UTC').title).toBe(
      'Ann Lee started the workflow in Draft',
    );
  });

  it('finds what happened since an earlier look', () => {
    const first = entry({ kind: 'started' });
    const vote = entry({ kind: 'vote', at: '2026-03-04T06:00:00.000Z', detail: { decision: 'approve' } });
    expect(newEntries([first], [first, vote])).toEqual([vote]);
    expect(newEntries([first, vote], [first, vote])).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import {
  countsText,
  type Delegation,
  dueText,
  fromLocalInput,
  localInputValue,
  mayRevoke,
  TASKS_PAGE,
  taskHref,
  tasksBadge,
  validateDelegation,
} from './tasks';

const now = new Date('2026-03-02T12:00:00Z');

describe('a task in the list', () => {
  it('leads to its record, or the task list for anything that is not a path of this app', () => {
    expect(taskHref({ link: '/quality/ncrs/42' })).toBe('/quality/ncrs/42');
    expect(taskHref({ link: null })).toBe(TASKS_PAGE);
    expect(taskHref({ link: '//evil.example/x' })).toBe(TASKS_PAGE);
    expect(taskHref({ link: 'https://evil.example/' })).toBe(TASKS_PAGE);
  });

  it('says how long until it is due, or how long it is overdue', () => {
    expect(dueText(null, now)).toBe('No due date');
    expect(dueText('2026-03-02T12:30:00Z', now)).toBe('Due in 30 min');
    expect(dueText('2026-03-02T15:00:00Z', now)).toBe('Due in 3 h');
    expect(dueText('2026-03-04T12:00:00Z', now)).toBe('Due in 2 days');
    expect(dueText('2026-03-02T12:00:00Z', now)).toBe('Overdue by 1 min');
    expect(dueText('2026-03-01T12:00:00Z', now)).toBe('Overdue by 1 day');
  });
});

describe('the counts', () => {
  it('read as a sentence', () => {
    expect(countsText({ open: 0, overdue: 0 })).toBe('No open tasks');
    expect(countsText({ open: 1, overdue: 0 })).toBe('1 open task');
    expect(countsText({ open: 4, overdue: 1 })).toBe('4 open tasks, 1 overdue');
  });

  it('show on the navigation badge up to 99, and not at all for none', () => {
    expect(tasksBadge(0)).toBeNull();
    expect(tasksBadge(7)).toBe('7');
    expect(tasksBadge(120)).toBe('99+');
  });
});

describe('the delegation form', () => {
  const valid = {
    delegatorId: 'ann',
    delegateId: 'bob',
    startsAt: '2026-03-03T08:00',
    endsAt: '2026-03-10T18:00',
    reason: 'Holiday',
  };

  it('accepts a period in the future for someone else', () => {
    expect(validateDelegation(valid, now)).toEqual({});
  });

  it('names each field at fault', () => {
    expect(validateDelegation({ ...valid, delegateId: '' }, now)).toEqual({
      delegateId: 'Choose who acts for you',
    });
    expect(validateDelegation({ ...valid, delegateId: 'ann' }, now)).toEqual({
      delegateId: 'Choose someone else',
    });
    expect(validateDelegation({ ...valid, endsAt: '2026-03-03T07:00' }, now)).toEqual({
      endsAt: 'After the start',
    });
    expect(
      validateDelegation({ ...valid, startsAt: '2026-02-01T08:00', endsAt: '2026-02-02T08:00' }, now),
    ).toEqual({
      endsAt: 'In the future',
    });
    expect(validateDelegation({ ...valid, startsAt: '', endsAt: 'soon' }, now)).toEqual({
      startsAt: 'Enter a date and time',
      endsAt: 'Enter a date and time',
    });
    expect(validateDelegation({ ...valid, reason: 'x'.repeat(501) }, now)).toEqual({
      reason: 'Use at most 500 characters',
    });
  });

  it('turns an instant into the input’s local value and back', () => {
    const at = new Date(2026, 2, 3, 8, 5);
    expect(localInputValue(at)).toBe('2026-03-03T08:05');
    expect(fromLocalInput('2026-03-03T08:05')?.getTime()).toBe(at.getTime());
    expect(fromLocalInput('')).toBeNull();
  });
});

describe('revoking', () => {
  const delegation = (status: Delegation['status']) =>
    ({
      id: 'd',
      delegator: { id: 'ann', name: 'Ann' },
      delegate: { id: 'bob', name: 'Bob' },
      startsAt: '',
      endsAt: '',
      reason: '',
      createdBy: null,
      createdAt: '',
      revokedAt: null,
      status,
    }) satisfies Delegation;

  it('is offered to its two people and to user managers, while it has not ended', () => {
    expect(mayRevoke(delegation('active'), 'ann', false)).toBe(true);
    expect(mayRevoke(delegation('scheduled'), 'bob', false)).toBe(true);
    expect(mayRevoke(delegation('active'), 'cleo', false)).toBe(false);
    expect(mayRevoke(delegation('active'), 'cleo', true)).toBe(true);
    expect(mayRevoke(delegation('ended'), 'ann', true)).toBe(false);
    expect(mayRevoke(delegation('revoked'), 'ann', true)).toBe(false);
  });
});

import { approvalSchema } from '@plantline/schema/workflow';
import { describe, expect, it } from 'vitest';
import { blankApproval, describeApproval, describeGroup, groupProblem, type Names } from './approval';

const names: Names = {
  roles: new Map([
    ['quality', 'Quality'],
    ['engineering', 'Engineering'],
  ]),
  users: new Map([
    ['u1', 'Ada Lovelace'],
    ['u2', 'Grace Hopper'],
  ]),
};

describe('describeGroup', () => {
  it('says k of a role', () => {
    expect(describeGroup({ label: 'MRB', role: 'quality', users: [], minimum: 2 }, names)).toBe(
      '2 of Quality',
    );
    expect(describeGroup({ label: 'MRB', role: 'quality', users: [] }, names)).toBe('1 of Quality');
  });

  it('says a percentage of a role', () => {
    expect(describeGroup({ label: 'Board', role: 'engineering', users: [], percent: 50 }, names)).toBe(
      '50% of Engineering',
    );
  });

  it('names required approvers and how many more the minimum needs', () => {
    expect(describeGroup({ label: 'G', role: 'quality', users: ['u1'], minimum: 3 }, names)).toBe(
      'Ada Lovelace and 2 more of Quality',
    );
    expect(describeGroup({ label: 'G', users: ['u1', 'u2'] }, names)).toBe('Ada Lovelace and Grace Hopper');
    expect(describeGroup({ label: 'G', users: ['gone'], minimum: 1 }, names)).toBe('an unknown user');
  });

  it('falls back to an unknown role’s key', () => {
    expect(describeGroup({ label: 'G', role: 'mrb', users: [], minimum: 2 }, names)).toBe('2 of mrb');
  });
});

describe('describeApproval', () => {
  it('joins groups by and, or then in sequence, marking conditional ones', () => {
    const approval = {
      ...blankApproval('draft'),
      groups: [
        { label: 'Quality', role: 'quality', users: [], minimum: 2 },
        {
          label: 'Engineering',
          role: 'engineering',
          users: [],
          minimum: 1,
          when: { field: 'disposition', op: 'eq' as const, value: 'use_as_is' },
        },
      ],
    };
    expect(describeApproval(approval, names)).toBe('2 of Quality and 1 of Engineering (when it applies)');
    expect(describeApproval({ ...approval, order: 'sequence' }, names)).toBe(
      '2 of Quality, then 1 of Engineering (when it applies)',
    );
  });
});

describe('groupProblem', () => {
  it('asks for voters and a reachable minimum', () => {
    expect(groupProblem({ label: 'G', users: [] })).toBe('Name a role or the users who vote.');
    expect(groupProblem({ label: 'G', users: ['u1'], percent: 50 })).toMatch(/percentage/);
    expect(groupProblem({ label: 'G', users: ['u1'], minimum: 2 })).toMatch(/never reached/);
    expect(groupProblem({ label: 'G', role: 'quality', users: [], minimum: 2 })).toBeNull();
  });

  it('starts from an approval the schema accepts once voters are named', () => {
    const approval = blankApproval('draft');
    expect(approvalSchema.safeParse(approval).success).toBe(true);
    expect(groupProblem(approval.groups[0] as (typeof approval.groups)[number])).not.toBeNull();
  });
});

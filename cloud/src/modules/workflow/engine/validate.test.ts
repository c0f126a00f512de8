import type { WorkflowDefinitionInput } from '@plantline/schema/workflow';
import { describe, expect, it } from 'vitest';
import { catalogue, define, known, ncrDefinition, ncrInput, USERS } from './fixtures.js';
import type { ValidationIssue } from './types.js';
import { validateDefinition } from './validate.js';

type StateInput = WorkflowDefinitionInput['states'][number];
type TransitionInput = WorkflowDefinitionInput['transitions'][number];

const issues = (input: WorkflowDefinitionInput) => validateDefinition(define(input), catalogue, known);

/** The NCR process with one state or transition replaced (matched by key) or added. */
function ncrWith(change: {
  states?: StateInput[];
  transitions?: TransitionInput[];
}): WorkflowDefinitionInput {
  const merge = <T extends { key: string }>(base: readonly T[], more: readonly T[] = []) => [
    ...base.map((item) => more.find((m) => m.key === item.key) ?? item),
    ...more.filter((m) => !base.some((item) => item.key === m.key)),
  ];
  return {
    states: merge(ncrInput.states, change.states),
    transitions: merge(ncrInput.transitions, change.transitions),
  };
}

const state = (key: string, more: Partial<StateInput> = {}): StateInput => {
  const base = ncrInput.states.find((s) => s.key === key);
  return { key, label: key, kind: 'normal', ...base, ...more };
};
const transition = (key: string, more: Partial<TransitionInput>): TransitionInput => {
  const base = ncrInput.transitions.find((t) => t.key === key);
  return {
    key,
    label: key,
    from: 'draft',
    to: 'submitted',
    actors: { roles: ['quality'] },
    ...base,
    ...more,
  };
};

const at = (issue: ValidationIssue) =>
  `${issue.at.kind === 'definition' ? 'definition' : `${issue.at.kind} ${issue.at.key}`}${issue.path ? ` ${issue.path}` : ''}`;
const located = (input: WorkflowDefinitionInput) => issues(input).map((i) => `${at(i)}: ${i.message}`);

describe('validateDefinition', () => {
  it('accepts the default NCR process', () => {
    expect(validateDefinition(ncrDefinition, catalogue, known)).toEqual([]);
  });

  it('wants exactly one initial state and at least one final', () => {
    const none = { states: [{ key: 'a', label: 'A', kind: 'normal' as const }], transitions: [] };
    expect(located(none)).toEqual([
      'definition states: Mark one state as the initial state',
      'definition states: Mark at least one state as final',
    ]);
    expect(located(ncrWith({ states: [state('submitted', { kind: 'initial' })] }))).toContain(
      'state submitted kind: Only one state can be initial, and Draft already is',
    );
  });

  it('wants unique keys', () => {
    const input = ncrWith({});
    input.states.push({ key: 'rework', label: 'Again', kind: 'normal' });
    input.transitions.push(transition('submit', { label: 'Again' }));
    expect(located(input)).toEqual([
      'state rework key: Another state is also called rework',
      'transition submit key: Another transition is also called submit',
    ]);
  });

  it('wants transitions between existing states, none leaving a final state', () => {
    const input = ncrWith({
      transitions: [
        transition('ghost', { from: 'nowhere', to: 'limbo' }),
        transition('reopen', { from: 'closed', to: 'rework' }),
      ],
    });
    expect(located(input)).toEqual([
      'transition ghost from: There is no state nowhere to start from',
      'transition ghost to: There is no state limbo to go to',
      'transition reopen from: Nothing may leave the final state Closed',
    ]);
  });

  it('finds states nobody reaches and states that never lead to an end', () => {
    const input = ncrWith({
      states: [state('orphan', { label: 'Orphan' }), state('trap', { label: 'Trap' })],
      transitions: [
        transition('to_trap', { from: 'rework', to: 'trap' }),
        transition('orphan_out', { from: 'orphan', to: 'closed' }),
      ],
    });
    expect(located(input)).toEqual([
      'state orphan: Orphan cannot be reached from Draft',
      'state trap: No path leads from Trap to a final state',
    ]);
  });

  it('counts a rejection as a way into its target state', () => {
    const input = ncrWith({
      states: [state('returned', { label: 'Returned' })],
      transitions: [
        transition('approve', {
          approval: { rejectTo: 'returned', groups: [{ label: 'Quality', role: 'quality', minimum: 2 }] },
        }),
        transition('resubmit', { from: 'returned', to: 'disposition' }),
      ],
    });
    expect(located(input)).toEqual([]);
  });

  it('wants someone who may take a transition that has no approval', () => {
    const input = ncrWith({ transitions: [transition('submit', { actors: {} })] });
    expect(located(input)).toEqual([
      'transition submit actors: Say who may take it: a permission, a role, a user field or the initiator',
    ]);
  });

  it('checks roles, user fields and guards of transitions', () => {
    const input = ncrWith({
      transitions: [
        transition('submit', {
          actors: { roles: ['ghosts'], userFields: ['owner_id', 'title', 'nope'] },
          guard: { all: [{ field: 'quantity', op: 'gt', value: 'many' }] },
        }),
      ],
    });
    expect(located(input)).toEqual([
      'transition submit actors.roles.0: There is no role ghosts',
      'transition submit actors.userFields.1: title does not name a user',
      'transition submit actors.userFields.2: There is no field nope',
      'transition submit guard.all.0.value: quantity takes a number',
    ]);
  });

  it('checks the fields a state makes read-only or required', () => {
    const input = ncrWith({
      states: [state('submitted', { readOnly: ['colour'], required: ['title', 'title'] })],
    });
    expect(located(input)).toEqual([
      'state submitted readOnly.0: There is no field colour',
      'state submitted required.1: title is listed twice',
    ]);
  });

  describe('actions on entering', () => {
    const onEnter = (...actions: NonNullable<StateInput['onEnter']>) =>
      located(ncrWith({ states: [state('rework', { onEnter: actions })] }));

    it('sets only settable, existing fields with values of their kind', () => {
      expect(
        onEnter(
          { type: 'set_field', field: 'colour', value: 'red' },
          { type: 'set_field', field: 'detected_at', from: 'now' },
          { type: 'set_field', field: 'quantity', value: 'ten' },
          { type: 'set_field', field: 'disposition', value: 'burn' },
          { type: 'set_field', field: 'owner_id', value: '00000000-0000-4000-8000-000000000999' },
          { type: 'set_field', field: 'custom.tags', value: 'paint' },
          { type: 'set_field', field: 'critical' },
          { type: 'set_field', field: 'custom.batch', value: 'B1', from: 'actor' },
        ),
      ).toEqual([
        'state rework onEnter.0.field: There is no field colour',
        'state rework onEnter.1.field: detected at cannot be set by a workflow',
        'state rework onEnter.2.value: quantity takes a number',
        'state rework onEnter.3.value: burn is not a choice of disposition (use_as_is, rework, scrap, return_to_supplier, false_nc)',
        'state rework onEnter.4.value: There is no user 00000000-0000-4000-8000-000000000999',
        'state rework onEnter.5.value: tags holds several values; a workflow can only clear it',
        'state rework onEnter.6.value: Give the value to set, or set it to now or the acting user',
        'state rework onEnter.7: Give either a value or now/actor, not both',
      ]);
    });

    it('accepts good values, clearing, now on dates and the actor on users', () => {
      expect(
        onEnter(
          { type: 'set_field', field: 'disposition', value: 'scrap' },
          { type: 'set_field', field: 'owner_id', value: USERS.bob },
          { type: 'set_field', field: 'custom.tags', value: null },
          { type: 'set_field', field: 'due_on', from: 'now' },
          { type: 'set_field', field: 'reviewer_id', from: 'actor' },
          { type: 'set_field', field: 'critical', value: false },
        ),
      ).toEqual([]);
    });

    it('puts now only into dates and the actor only into user fields', () => {
      expect(
        onEnter(
          { type: 'set_field', field: 'title', from: 'now' },
          { type: 'set_field', field: 'due_on', from: 'actor' },
        ),
      ).toEqual([
        'state rework onEnter.0.from: title does not hold a date',
        'state rework onEnter.1.from: due on does not name a user',
      ]);
    });

    it('takes numbers from existing sequences into settable text fields, one write per field', () => {
      expect(
        onEnter(
          { type: 'take_number', field: 'quantity', sequence: 'ncr' },
          { type: 'take_number', field: 'custom.batch', sequence: 'lots' },
          { type: 'set_field', field: 'custom.batch', value: 'B1' },
        ),
      ).toEqual([
        'state rework onEnter.0.field: A number can only go into a text field, not quantity',
        'state rework onEnter.1.sequence: There is no numbering scheme lots',
        'state rework onEnter.2.field: custom.batch is already set on entering',
      ]);
    });

    it('notifies existing roles and user fields', () => {
      expect(
        onEnter(
          { type: 'notify', to: { role: 'nobody' }, title: 'Hi' },
          { type: 'notify', to: { userField: 'title' }, title: 'Hi' },
          { type: 'notify', to: { userField: 'owner_id' }, title: 'Hi' },
          { type: 'notify', to: { permission: 'quality.manage' }, title: 'Hi' },
          { type: 'notify', to: { initiator: true }, title: 'Hi' },
        ),
      ).toEqual([
        'state rework onEnter.0.to.role: There is no role nobody',
        'state rework onEnter.1.to.userField: title does not name a user',
      ]);
    });

    it('allows one SLA, reminding before it is due, escalating to an existing role', () => {
      expect(
        onEnter(
          { type: 'start_sla', hours: 8, remindBeforeHours: 8, escalateToRole: 'bosses' },
          { type: 'start_sla', hours: 8 },
        ),
      ).toEqual([
        'state rework onEnter.0.remindBeforeHours: Remind less time before the due time than the SLA allows',
        'state rework onEnter.0.escalateToRole: There is no role bosses',
        'state rework onEnter.1: A state has one SLA timer; remove the second',
      ]);
      expect(
        located(ncrWith({ states: [state('cancelled', { onEnter: [{ type: 'start_sla', hours: 1 }] })] })),
      ).toEqual(['state cancelled onEnter.0: An SLA in a final state would never end']);
    });

    it('refuses a required field the state’s own actions set', () => {
      const input = ncrWith({
        states: [
          state('rework', {
            required: ['owner_id'],
            onEnter: [{ type: 'set_field', field: 'owner_id', from: 'actor' }],
          }),
        ],
      });
      expect(located(input)).toEqual([
        'state rework required.0: owner_id is required to enter, but entering sets it (onEnter 1); keep one',
      ]);
    });
  });

  describe('approvals', () => {
    const approve = (approval: NonNullable<TransitionInput['approval']>) =>
      located(ncrWith({ transitions: [transition('approve', { approval })] }));

    it('sends a rejection to an existing state other than the target', () => {
      const groups = [{ label: 'Quality', role: 'quality' }];
      expect(approve({ rejectTo: 'limbo', groups })).toEqual([
        'transition approve approval.rejectTo: There is no state limbo to send a rejection to',
      ]);
      expect(approve({ rejectTo: 'rework', groups })).toEqual([
        'transition approve approval.rejectTo: A rejection must lead somewhere other than an approval',
      ]);
    });

    it('wants a role or users in each group, existing and named once', () => {
      expect(
        approve({
          rejectTo: 'under_review',
          groups: [
            { label: 'Empty' },
            { label: 'Ghosts', role: 'ghosts' },
            { label: 'Named', users: [USERS.alice, USERS.alice, '00000000-0000-4000-8000-000000000999'] },
            { label: 'Again', users: [USERS.alice] },
            { label: 'Named', role: 'quality' },
          ],
        }),
      ).toEqual([
        'transition approve approval.groups.0: Empty: name a role or the users who approve',
        'transition approve approval.groups.1.role: There is no role ghosts',
        'transition approve approval.groups.2.users.1: Named names this user twice',
        'transition approve approval.groups.2.users.2: There is no user 00000000-0000-4000-8000-000000000999',
        'transition approve approval.groups.3.users.0: This user is already named in Named; one vote counts once',
        'transition approve approval.groups.4.label: Another group is also called Named',
      ]);
    });

    it('wants a minimum the named users can meet when there is no role', () => {
      expect(
        approve({
          rejectTo: 'under_review',
          groups: [
            { label: 'Pair', users: [USERS.alice], minimum: 2 },
            { label: 'Role and one', role: 'quality', users: [USERS.bob], minimum: 3 },
            { label: 'All three', users: [USERS.carol, USERS.dave, USERS.erin], minimum: 3 },
          ],
        }),
      ).toEqual([
        'transition approve approval.groups.0.minimum: Pair needs 2 approvals but names only 1 person',
      ]);
    });

    it('wants a role for a percentage, and not a minimum beside it', () => {
      expect(
        approve({
          rejectTo: 'under_review',
          groups: [
            { label: 'Share', users: [USERS.alice], percent: 50 },
            { label: 'Both', role: 'quality', percent: 50, minimum: 2 },
          ],
        }),
      ).toEqual([
        'transition approve approval.groups.0.percent: Share: a percentage needs a role',
        'transition approve approval.groups.1.minimum: Both: give a minimum or a percentage, not both',
      ]);
    });

    it('checks group conditions and wants one group that always applies', () => {
      expect(
        approve({
          rejectTo: 'under_review',
          groups: [
            {
              label: 'Engineering',
              role: 'engineering',
              when: { field: 'disposition', op: 'eq', value: 'burn' },
            },
          ],
        }),
      ).toEqual([
        'transition approve approval.groups: At least one group must always apply (have no condition)',
        'transition approve approval.groups.0.when.value: burn is not a choice of disposition (use_as_is, rework, scrap, return_to_supplier, false_nc)',
      ]);
    });
  });
});

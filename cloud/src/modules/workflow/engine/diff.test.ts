import type { WorkflowDefinitionInput } from '@plantline/schema/workflow';
import { describe, expect, it } from 'vitest';
import { diffDefinitions } from './diff.js';
import { define, ncrDefinition, ncrInput, USERS } from './fixtures.js';

/** The NCR process after an edit of its input. */
const edited = (edit: (input: WorkflowDefinitionInput) => void) => {
  const input = structuredClone(ncrInput);
  edit(input);
  return define(input);
};
const state = (input: WorkflowDefinitionInput, key: string) => {
  const found = input.states.find((s) => s.key === key);
  if (!found) throw new Error(`No state ${key}`);
  return found;
};
const transition = (input: WorkflowDefinitionInput, key: string) => {
  const found = input.transitions.find((t) => t.key === key);
  if (!found) throw new Error(`No transition ${key}`);
  return found;
};

describe('diffDefinitions', () => {
  it('finds nothing between equal definitions, nor when only positions moved', () => {
    expect(diffDefinitions(ncrDefinition, ncrDefinition)).toEqual([]);
    const moved = edited((d) => {
      for (const s of d.states) s.position = { x: 300, y: 120 };
    });
    expect(diffDefinitions(ncrDefinition, moved)).toEqual([]);
  });

  it('lists added and removed states and transitions', () => {
    const after = edited((d) => {
      d.states.push({ key: 'on_hold', label: 'On hold', kind: 'normal' });
      d.transitions = d.transitions.filter((t) => t.key !== 'cancel');
      d.states = d.states.filter((s) => s.key !== 'cancelled');
    });
    expect(diffDefinitions(ncrDefinition, after)).toEqual([
      { change: 'added', part: 'state', key: 'on_hold', label: 'On hold', details: [] },
      { change: 'removed', part: 'state', key: 'cancelled', label: 'Cancelled', details: [] },
      { change: 'removed', part: 'transition', key: 'cancel', label: 'Cancel', details: [] },
    ]);
  });

  it('describes a state’s changes in plain words', () => {
    const after = edited((d) => {
      const s = state(d, 'disposition');
      s.label = 'MRB disposition';
      s.locked = true;
      s.required = ['title'];
      s.readOnly = ['quantity'];
      s.onEnter = [{ type: 'notify', to: { role: 'quality' }, title: 'MRB needed' }];
    });
    expect(diffDefinitions(ncrDefinition, after)).toEqual([
      {
        change: 'changed',
        part: 'state',
        key: 'disposition',
        label: 'MRB disposition',
        details: [
          'Label: MRB disposition (was Disposition)',
          'Locked: yes (was no)',
          'Read-only fields: added quantity',
          'Required fields: added title; removed disposition',
          'On entering: added notify role quality: MRB needed',
        ],
      },
    ]);
  });

  it('describes a transition’s actors, guard, comment and signature', () => {
    const after = edited((d) => {
      const t = transition(d, 'close');
      t.to = 'cancelled';
      t.actors = {
        permissions: ['quality.manage'],
        roles: ['supervisor'],
        userFields: ['owner_id'],
        initiator: true,
      };
      t.guard = { field: 'disposition', op: 'in', value: ['scrap'] };
      t.comment = 'optional';
      t.signature = null;
      const submit = transition(d, 'submit');
      submit.signature = { meaning: 'authorship' };
      submit.guard = { field: 'title', op: 'is_set' };
      transition(d, 'review').actors = { roles: ['quality'], permissions: [] };
    });
    const changes = diffDefinitions(ncrDefinition, after);
    expect(changes.map((c) => [c.key, c.details])).toEqual([
      ['submit', ['Guard added', 'Signature: authorship (was none)']],
      [
        'close',
        [
          'To: cancelled (was closed)',
          'Roles: added supervisor',
          'User fields: added owner_id',
          'Initiator may act: yes (was no)',
          'Guard changed',
          'Comment: optional (was required)',
          'Signature: none (was responsibility)',
        ],
      ],
    ]);
  });

  it('describes approval changes group by group', () => {
    const after = edited((d) => {
      const approval = transition(d, 'approve').approval;
      if (!approval) throw new Error('fixture');
      approval.order = 'sequence';
      approval.excludeEditors = true;
      approval.groups = [
        { label: 'Quality', role: 'quality', minimum: 3, users: [USERS.alice] },
        { label: 'Board', role: 'supervisor', percent: 50 },
      ];
    });
    expect(diffDefinitions(ncrDefinition, after)[0]?.details).toEqual([
      'Approval order: sequence (was parallel)',
      'Editors excluded: yes (was no)',
      `Approval group Quality: needs 3 (was 2)`,
      `Approval group Quality: users: added ${USERS.alice}`,
      'Approval group Board added: needs 50%',
      'Approval group Engineering removed',
    ]);
    const without = edited((d) => {
      transition(d, 'approve').approval = null;
    });
    expect(diffDefinitions(ncrDefinition, without)[0]?.details).toEqual(['Approval removed']);
    expect(diffDefinitions(without, ncrDefinition)[0]?.details).toEqual(['Approval added']);
  });

  it('notices a changed group condition but not a reordering of keys', () => {
    const reordered = edited((d) => {
      const group = transition(d, 'approve').approval?.groups[1];
      if (!group) throw new Error('fixture');
      group.when = { value: 'use_as_is', op: 'eq', field: 'disposition' };
    });
    expect(diffDefinitions(ncrDefinition, reordered)).toEqual([]);
    const changed = edited((d) => {
      const group = transition(d, 'approve').approval?.groups[1];
      if (!group) throw new Error('fixture');
      group.when = { field: 'disposition', op: 'in', value: ['use_as_is', 'return_to_supplier'] };
    });
    expect(diffDefinitions(ncrDefinition, changed)[0]?.details).toEqual([
      'Approval group Engineering: condition changed',
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { mayAct, transitionsFrom } from './actors.js';
import { define, ncrDefinition, USERS } from './fixtures.js';

const { alice, bob, carol } = USERS;

const transition = define({
  states: [
    { key: 'a', label: 'A', kind: 'initial' },
    { key: 'b', label: 'B', kind: 'final' },
  ],
  transitions: [
    {
      key: 'go',
      label: 'Go',
      from: 'a',
      to: 'b',
      actors: {
        permissions: ['quality.manage'],
        roles: ['engineering'],
        userFields: ['owner_id', 'custom.team'],
        initiator: true,
      },
    },
  ],
}).transitions[0];
if (!transition) throw new Error('fixture');

const actor = (userId: string, permissions: string[] = [], roles: string[] = []) => ({
  userId,
  permissions: new Set(permissions),
  roleKeys: new Set(roles),
});

describe('mayAct', () => {
  it('lets anyone with the permission or the role act', () => {
    expect(mayAct(transition, actor(alice, ['quality.manage']), {}, null)).toBe(true);
    expect(mayAct(transition, actor(alice, [], ['engineering']), {}, null)).toBe(true);
    expect(mayAct(transition, actor(alice, ['quality.read'], ['quality']), {}, null)).toBe(false);
  });

  it('lets the user a field names act, also from a list of users', () => {
    expect(mayAct(transition, actor(bob), { owner_id: bob }, null)).toBe(true);
    expect(mayAct(transition, actor(bob), { owner_id: alice }, null)).toBe(false);
    expect(mayAct(transition, actor(bob), { 'custom.team': [alice, bob] }, null)).toBe(true);
  });

  it('lets the initiator act only when the transition says so', () => {
    expect(mayAct(transition, actor(carol), {}, carol)).toBe(true);
    expect(mayAct(transition, actor(carol), {}, null)).toBe(false);
    const noInitiator = { ...transition, actors: { ...transition.actors, initiator: false } };
    expect(mayAct(noInitiator, actor(carol), {}, carol)).toBe(false);
  });

  it('lets nobody take a transition without actors', () => {
    const none = { ...transition, actors: { permissions: [], roles: [], userFields: [], initiator: false } };
    expect(mayAct(none, actor(alice, ['quality.manage'], ['engineering']), { owner_id: alice }, alice)).toBe(
      false,
    );
  });
});

describe('transitionsFrom', () => {
  it('lists the transitions leaving a state in the definition’s order', () => {
    expect(transitionsFrom(ncrDefinition, 'draft').map((t) => t.key)).toEqual(['submit', 'cancel']);
    expect(transitionsFrom(ncrDefinition, 'closed')).toEqual([]);
  });
});

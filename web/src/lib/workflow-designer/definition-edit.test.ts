import { definitionSchema } from '@plantline/schema/workflow';
import { describe, expect, it } from 'vitest';
import {
  addState,
  addTransition,
  moveStates,
  nextStatePosition,
  normaliseDefinition,
  removeStates,
  removeTransitions,
  renameState,
  renameTransition,
  setStateKind,
} from './definition-edit';
import { sampleDefinition } from './testing';

describe('normaliseDefinition', () => {
  it('fills in the defaults of a stored definition', () => {
    const stored = {
      states: [{ key: 'open', label: 'Open', kind: 'initial' }],
      transitions: [{ key: 'close', label: 'Close', from: 'open', to: 'open' }],
    };
    const definition = normaliseDefinition(stored);
    expect(definition.states[0]?.readOnly).toEqual([]);
    expect(definition.states[0]?.position).toEqual({ x: 0, y: 0 });
    expect(definition.transitions[0]?.actors.roles).toEqual([]);
    expect(definition.transitions[0]?.comment).toBe('optional');
  });

  it('keeps a document the schema refuses as it is', () => {
    const stored = { states: [{ key: 'Bad Key', label: 'x', kind: 'initial' }], transitions: [] };
    expect(normaliseDefinition(stored)).toBe(stored);
  });
});

describe('adding', () => {
  it('adds a state below the others with a key from its label', () => {
    const { definition, key } = addState(sampleDefinition(), { label: 'Closed' });
    expect(key).toBe('closed_2');
    expect(definition.states.at(-1)).toMatchObject({ key, kind: 'normal', position: { x: 0, y: 420 } });
    expect(definitionSchema.safeParse(definition).success).toBe(true);
  });

  it('places the first state at the origin', () => {
    expect(nextStatePosition({ states: [], transitions: [] })).toEqual({ x: 0, y: 0 });
  });

  it('makes a new initial state the only one', () => {
    const { definition } = addState(sampleDefinition(), { label: 'Intake', kind: 'initial' });
    expect(definition.states.filter((s) => s.kind === 'initial').map((s) => s.key)).toEqual(['intake']);
  });

  it('adds a transition labelled after its target', () => {
    const { definition, key } = addTransition(sampleDefinition(), { from: 'draft', to: 'closed' });
    expect(key).toBe('to_closed');
    expect(definition.transitions.at(-1)).toMatchObject({ label: 'To Closed', from: 'draft', to: 'closed' });
    expect(definitionSchema.safeParse(definition).success).toBe(true);
  });

  it('leaves the original definition unchanged', () => {
    const original = sampleDefinition();
    addTransition(original, { from: 'draft', to: 'closed', label: 'Cancel' });
    expect(original.transitions).toHaveLength(3);
  });
});

describe('removing', () => {
  it('removes a state with the transitions into and out of it', () => {
    const definition = removeStates(sampleDefinition(), ['review']);
    expect(definition.states.map((s) => s.key)).toEqual(['draft', 'closed']);
    expect(definition.transitions).toEqual([]);
  });

  it('removes transitions by key', () => {
    const definition = removeTransitions(sampleDefinition(), ['submit', 'send_back']);
    expect(definition.transitions.map((t) => t.key)).toEqual(['approve']);
  });
});

describe('renaming', () => {
  it('renames a state in transitions and in the reject-to state', () => {
    const definition = renameState(sampleDefinition(), 'draft', 'new');
    expect(definition.states[0]?.key).toBe('new');
    expect(definition.transitions.find((t) => t.key === 'submit')?.from).toBe('new');
    expect(definition.transitions.find((t) => t.key === 'send_back')?.to).toBe('new');
    expect(definition.transitions.find((t) => t.key === 'approve')?.approval?.rejectTo).toBe('new');
  });

  it('renames a transition', () => {
    const definition = renameTransition(sampleDefinition(), 'submit', 'send');
    expect(definition.transitions.map((t) => t.key)).toEqual(['send', 'approve', 'send_back']);
  });
});

describe('kinds and places', () => {
  it('keeps one initial state', () => {
    const definition = setStateKind(sampleDefinition(), 'review', 'initial');
    expect(definition.states.map((s) => s.kind)).toEqual(['normal', 'initial', 'final']);
  });

  it('moves states to whole-pixel places', () => {
    const definition = moveStates(sampleDefinition(), new Map([['review', { x: 10.4, y: 99.6 }]]));
    expect(definition.states[1]?.position).toEqual({ x: 10, y: 100 });
    expect(definition.states[0]?.position).toEqual({ x: 0, y: 0 });
  });
});

import { WORKFLOW_KEY_PATTERN } from '@plantline/schema/workflow';
import { describe, expect, it } from 'vitest';
import { keyFromLabel, keyProblem, newStateKey, newTransitionKey, uniqueKey } from './keys';

describe('keyFromLabel', () => {
  it('turns a label into a lower-case key with underscores', () => {
    expect(keyFromLabel('Under review')).toBe('under_review');
    expect(keyFromLabel('  Rework / verify  ')).toBe('rework_verify');
    expect(keyFromLabel('Réception contrôlée')).toBe('reception_controlee');
  });

  it('starts with a letter and keeps within 40 characters', () => {
    expect(keyFromLabel('2nd review')).toBe('s_2nd_review');
    const long = keyFromLabel('a very long label that goes on and on beyond any reasonable length');
    expect(long.length).toBeLessThanOrEqual(40);
    expect(long).toMatch(WORKFLOW_KEY_PATTERN);
    expect(long.endsWith('_')).toBe(false);
  });

  it('gives nothing for a label without letters or digits', () => {
    expect(keyFromLabel('—')).toBe('');
  });
});

describe('uniqueKey', () => {
  it('adds the first free number', () => {
    expect(uniqueKey('draft', [])).toBe('draft');
    expect(uniqueKey('draft', ['draft', 'draft_2'])).toBe('draft_3');
  });

  it('shortens the base so the numbered key still fits', () => {
    const base = 'x'.repeat(40);
    const key = uniqueKey(base, [base]);
    expect(key).toBe(`${'x'.repeat(38)}_2`);
    expect(key).toMatch(WORKFLOW_KEY_PATTERN);
  });
});

describe('keyProblem', () => {
  it('checks the pattern and uniqueness', () => {
    expect(keyProblem('', [], 'state')).toBe('Enter a key.');
    expect(keyProblem('Draft', [], 'state')).toMatch(/lower-case/);
    expect(keyProblem('draft', ['draft'], 'state')).toBe('Another state already has the key draft.');
    expect(keyProblem('submit', ['close'], 'transition')).toBeNull();
  });
});

describe('new keys', () => {
  it('names a state after its label, unique among the states', () => {
    expect(newStateKey('Closed', [{ key: 'closed' }])).toBe('closed_2');
    expect(newStateKey('', [])).toBe('state');
  });

  it('names a transition after its label or its ends', () => {
    expect(newTransitionKey('Submit', 'draft', 'submitted', [])).toBe('submit');
    expect(newTransitionKey('', 'draft', 'submitted', [{ key: 'draft_to_submitted' }])).toBe(
      'draft_to_submitted_2',
    );
  });
});

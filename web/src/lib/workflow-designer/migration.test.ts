import { describe, expect, it } from 'vitest';
import { initialMapping, instancesPerState, migrationProblem, unmappedStates } from './migration';

describe('the state mapping', () => {
  it('starts from the proposal, leaving states without a target empty', () => {
    const mapping = initialMapping(
      ['draft', 'review', 'gone'],
      { draft: 'draft', review: null, gone: 'missing' },
      ['draft', 'closed'],
    );
    expect(mapping).toEqual({ draft: 'draft', review: '', gone: '' });
    expect(unmappedStates(['draft', 'review', 'gone'], mapping)).toEqual(['review', 'gone']);
  });

  it('counts instances per state', () => {
    const counts = instancesPerState([{ stateKey: 'draft' }, { stateKey: 'review' }, { stateKey: 'draft' }]);
    expect([...counts]).toEqual([
      ['draft', 2],
      ['review', 1],
    ]);
  });

  it('needs every state mapped and a reason before confirming', () => {
    expect(migrationProblem(['draft', 'review'], { draft: 'draft', review: '' }, 'x')).toBe(
      'Choose a target state for the state review.',
    );
    expect(migrationProblem(['a', 'b'], {}, 'x')).toBe('Choose a target state for each of the states a, b.');
    expect(migrationProblem(['draft'], { draft: 'draft' }, '  ')).toMatch(/Say why/);
    expect(migrationProblem(['draft'], { draft: 'draft' }, 'New approval rule')).toBeNull();
    expect(migrationProblem([], {}, 'Nothing to map')).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { stateWords } from './states';

describe('a workflow state in words', () => {
  it('turns any key into words, and keeps what has none', () => {
    expect(stateWords('under_review')).toBe('Under review');
    expect(stateWords('change__board_')).toBe('Change board');
    expect(stateWords('draft')).toBe('Draft');
    expect(stateWords('__')).toBe('__');
  });
});

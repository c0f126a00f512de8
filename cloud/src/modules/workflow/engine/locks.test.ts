import { describe, expect, it } from 'vitest';
import { ncrDefinition } from './fixtures.js';
import { missingRequired, refusedEdits } from './locks.js';

const state = (key: string) => {
  const found = ncrDefinition.states.find((s) => s.key === key);
  if (!found) throw new Error(`No state ${key} in the NCR fixture`);
  return found;
};

describe('refusedEdits', () => {
  it('refuses every field in a locked state, each once', () => {
    expect(refusedEdits(state('closed'), ['title', 'quantity', 'title'])).toEqual(['title', 'quantity']);
  });

  it('refuses only the read-only fields otherwise', () => {
    expect(refusedEdits(state('under_review'), ['title', 'quantity'])).toEqual(['quantity']);
    expect(refusedEdits(state('draft'), ['title', 'quantity'])).toEqual([]);
  });
});

describe('missingRequired', () => {
  it('lists required fields that are empty in any of the empty forms', () => {
    expect(missingRequired(state('submitted'), {})).toEqual(['title', 'quantity']);
    expect(missingRequired(state('submitted'), { title: '', quantity: null })).toEqual(['title', 'quantity']);
    expect(missingRequired(state('submitted'), { title: 'Blister', quantity: 0 })).toEqual([]);
    expect(missingRequired(state('disposition'), { disposition: 'scrap' })).toEqual([]);
  });
});

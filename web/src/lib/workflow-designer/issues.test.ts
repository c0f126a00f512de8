import { describe, expect, it } from 'vitest';
import type { ValidationIssue } from './api-types';
import { combinedIssues, indexIssues, issuePlace, issueSelection, schemaIssues } from './issues';
import { sampleDefinition } from './testing';

const issues: ValidationIssue[] = [
  { at: { kind: 'definition' }, path: '', message: 'No final state' },
  { at: { kind: 'state', key: 'review' }, path: 'required.0', message: 'Unknown field' },
  { at: { kind: 'state', key: 'review' }, path: 'label', message: 'Too long' },
  { at: { kind: 'transition', key: 'submit' }, path: 'actors', message: 'Nobody may take it' },
];

describe('indexIssues', () => {
  it('groups issues by the part they are on', () => {
    const index = indexIssues(issues);
    expect(index.definition.map((i) => i.message)).toEqual(['No final state']);
    expect(index.states.get('review')?.map((i) => i.message)).toEqual(['Unknown field', 'Too long']);
    expect(index.transitions.get('submit')).toHaveLength(1);
    expect(index.states.get('draft')).toBeUndefined();
  });
});

describe('placing an issue', () => {
  it('selects the part an issue is on', () => {
    expect(issueSelection(issues[1] as ValidationIssue)).toEqual({ kind: 'state', key: 'review' });
    expect(issueSelection(issues[0] as ValidationIssue)).toBeNull();
  });

  it('names the part by its label, or its key when it is gone', () => {
    const definition = sampleDefinition();
    expect(issues.map((i) => issuePlace(i, definition))).toEqual([
      'Workflow',
      'State Under review',
      'State Under review',
      'Transition Submit',
    ]);
    expect(issuePlace({ at: { kind: 'state', key: 'gone' }, path: '', message: '' }, definition)).toBe(
      'State gone',
    );
  });
});

describe('schemaIssues', () => {
  it('finds nothing wrong with a valid definition', () => {
    expect(schemaIssues(sampleDefinition())).toEqual([]);
  });

  it('places the schema’s objections on the states and transitions they concern', () => {
    const definition = sampleDefinition();
    const review = definition.states[1];
    const submit = definition.transitions[0];
    if (review === undefined || submit === undefined) throw new Error('sample changed');
    review.label = '';
    submit.actors.userFields = ['Not A Field'];
    const found = schemaIssues(definition);
    expect(found).toEqual([
      { at: { kind: 'state', key: 'review' }, path: 'label', message: expect.any(String) },
      { at: { kind: 'transition', key: 'submit' }, path: 'actors.userFields.0', message: expect.any(String) },
    ]);
  });

  it('puts an objection to the whole document on the workflow', () => {
    const found = schemaIssues({ states: [], transitions: [] });
    expect(found).toEqual([{ at: { kind: 'definition' }, path: 'states', message: expect.any(String) }]);
  });

  it('lists the schema’s objections before the cloud’s', () => {
    const definition = { states: [], transitions: [] };
    const server = issues.slice(0, 1);
    expect(combinedIssues(definition, server).map((i) => i.path)).toEqual(['states', '']);
  });
});

import { describe, expect, it } from 'vitest';
import { blankNewWorkflow, validateNaming, validateNewWorkflow } from './new-workflow';

describe('validateNewWorkflow', () => {
  it('asks for a name, a key and a record type', () => {
    expect(validateNewWorkflow(blankNewWorkflow(), [])).toEqual({
      name: 'Enter a name',
      key: 'Enter a key.',
      entityType: 'Choose the record type it runs on',
    });
  });

  it('checks the key’s pattern and refuses a record type that has a workflow', () => {
    const values = { name: 'NCR process', key: 'NCR', entityType: 'ncr', description: '' };
    const errors = validateNewWorkflow(values, ['ncr']);
    expect(errors.key).toMatch(/lower-case/);
    expect(errors.entityType).toBe('This record type already has a workflow');
    expect(validateNewWorkflow({ ...values, key: 'ncr_process' }, ['product'])).toEqual({});
  });
});

describe('validateNaming', () => {
  it('asks for a name and keeps the description within 2000 characters', () => {
    expect(validateNaming({ name: '', description: '' })).toEqual({ name: 'Enter a name' });
    expect(validateNaming({ name: 'NCR process', description: 'x'.repeat(2001) })).toEqual({
      description: 'Use at most 2000 characters',
    });
    expect(validateNaming({ name: 'NCR process', description: '' })).toEqual({});
  });
});

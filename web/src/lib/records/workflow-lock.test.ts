import { describe, expect, it } from 'vitest';
import { formFieldNames, mayChange, readOnlyFields, UNLOCKED, workflowLock } from './workflow-lock';

const view = (state: { label: string; locked: boolean; readOnly: string[] }) => ({ instance: { state } });

describe('what a record’s workflow state lets its page edit', () => {
  it('locks nothing without a workflow, or while its view loads', () => {
    expect(workflowLock({ instance: null }, 'The NCR')).toEqual(UNLOCKED);
    expect(workflowLock(undefined, 'The NCR')).toEqual(UNLOCKED);
    expect(mayChange(UNLOCKED, 'disposition')).toBe(true);
  });

  it('locks the whole record in a locked state, saying why with the state’s name', () => {
    const lock = workflowLock(view({ label: 'Closed', locked: true, readOnly: [] }), 'The NCR');
    expect(lock).toMatchObject({ locked: true, reason: 'The NCR is Closed: it is read-only' });
    expect(mayChange(lock, 'title')).toBe(false);
    expect(mayChange(lock, 'inspections')).toBe(false);
  });

  it('makes only the read-only fields of an open state read-only, named as the form names them', () => {
    const lock = workflowLock(
      view({ label: 'Disposition', locked: false, readOnly: ['disposition', 'root_cause'] }),
      'The NCR',
    );
    expect(lock.reason).toBeNull();
    expect([mayChange(lock, 'disposition'), mayChange(lock, 'title')]).toEqual([false, true]);
    const formFieldOf = formFieldNames({ root_cause: 'rootCause' });
    expect(Object.fromEntries(readOnlyFields(lock, formFieldOf))).toEqual({
      disposition: 'Read-only in Disposition',
      rootCause: 'Read-only in Disposition',
    });
  });

  it('finds the form’s field of a server error, in an update’s patch or by the workflow’s name', () => {
    const formFieldOf = formFieldNames({ effective_date: 'effectiveDate' });
    expect(formFieldOf('patch.effectiveDate')).toBe('effectiveDate');
    expect(formFieldOf('effective_date')).toBe('effectiveDate');
    expect(formFieldOf('title')).toBe('title');
  });
});

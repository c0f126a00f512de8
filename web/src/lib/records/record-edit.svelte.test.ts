import { TRPCClientError } from '@trpc/client';
import { describe, expect, it } from 'vitest';
import type { FieldErrors } from '$lib/validation';
import { isStaleEdit, RecordEdit, savedNotice } from './record-edit.svelte';

interface Thing {
  id: string;
  number: string;
  version: number;
  title: string;
}

function refusal(message: string, fieldErrors: Record<string, string> | null) {
  return TRPCClientError.from({
    error: {
      code: -32600,
      message,
      data: { code: 'CONFLICT', httpStatus: 409, path: 'x.update', fieldErrors },
    },
  });
}

/** An edit of a record kept here, whose saves the test can refuse. */
function editOf(initial: Thing) {
  const stored = { current: initial, saves: [] as { expectedVersion: number; patch: { title: string } }[] };
  const record = {
    data: undefined as Thing | undefined,
    load: async () => {
      record.data = stored.current;
    },
  };
  let refuse: unknown = null;
  const edit = new RecordEdit<Thing, { title: string }, { title: string }>({
    empty: { title: '' },
    validate: (values): FieldErrors => (values.title.trim() === '' ? { title: 'Enter a title' } : {}),
    serverField: (path) => path.replace(/^patch\./, ''),
    valuesOf: (thing) => ({ title: thing.title }),
    changes: (values, thing) => (values.title === thing.title ? null : { title: values.title }),
    update: async ({ expectedVersion, patch }) => {
      if (refuse !== null) throw refuse;
      stored.saves.push({ expectedVersion, patch });
      stored.current = { ...stored.current, ...patch, version: stored.current.version + 1 };
    },
    record,
  });
  return { edit, stored, refuseWith: (err: unknown) => (refuse = err) };
}

const thing: Thing = { id: 't1', number: 'T-1', version: 3, title: 'Bent bracket' };

describe('editing a record against its version', () => {
  it('starts from the record as shown, and saves only a change, against the version loaded', async () => {
    const { edit, stored } = editOf(thing);
    edit.notice = 'The record was created.';
    edit.start(thing);
    expect([edit.editing, edit.notice, edit.form.values.title]).toEqual([true, '', 'Bent bracket']);
    await edit.save(null, thing);
    expect([edit.editing, edit.notice, stored.saves]).toEqual([false, 'Nothing changed.', []]);

    edit.start(thing);
    edit.form.values.title = 'Bent bracket, 40 pieces';
    await edit.save(null, thing);
    expect(stored.saves).toEqual([{ expectedVersion: 3, patch: { title: 'Bent bracket, 40 pieces' } }]);
    expect([edit.editing, edit.notice]).toEqual([false, 'T-1 was saved.']);
  });

  it('keeps the form open with the problems when the values do not pass or the cloud refuses', async () => {
    const { edit, stored, refuseWith } = editOf(thing);
    edit.start(thing);
    edit.form.values.title = ' ';
    await edit.save(null, thing);
    expect([edit.editing, edit.form.error('title'), stored.saves.length]).toEqual([true, 'Enter a title', 0]);

    refuseWith(refusal('In Closed this field cannot change: Title', { title: 'Read-only in Closed' }));
    edit.form.values.title = 'Other';
    await edit.save(null, thing);
    expect([edit.editing, edit.stale, edit.form.error('title')]).toEqual([
      true,
      false,
      'Read-only in Closed',
    ]);
  });

  it('offers to start again from the latest after a stale save', async () => {
    const { edit, stored, refuseWith } = editOf(thing);
    edit.start(thing);
    stored.current = { ...thing, version: 4, title: 'Bracket, bent at the flange' };
    refuseWith(
      refusal('T-1 was changed since you opened it', { expectedVersion: 'Changed since you opened it' }),
    );
    edit.form.values.title = 'Mine';
    await edit.save(null, thing);
    expect([edit.editing, edit.stale]).toEqual([true, true]);
    await edit.startAgain();
    expect([edit.stale, edit.form.values.title]).toEqual([false, 'Bracket, bent at the flange']);
  });

  it('tells a stale save from other refusals, and says what a save did', () => {
    expect(isStaleEdit(refusal('changed', { expectedVersion: 'Changed since you opened it' }))).toBe(true);
    expect(isStaleEdit(refusal('locked', { title: 'Read-only in Closed' }))).toBe(false);
    expect(isStaleEdit(new Error('offline'))).toBe(false);
    expect([savedNotice('NCR-1', true), savedNotice('NCR-1', false)]).toEqual([
      'NCR-1 was saved.',
      'Nothing changed.',
    ]);
  });
});

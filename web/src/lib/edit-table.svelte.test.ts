import { TRPCClientError } from '@trpc/client';
import { describe, expect, it } from 'vitest';
import { EditTable, NEW_ROW } from './edit-table.svelte';
import { FormState } from './form.svelte';
import { validateCodeName } from './validation';

function refusal(code: string, message: string, fieldErrors: Record<string, string> | null) {
  return TRPCClientError.from({
    error: {
      code: -32600,
      message,
      data: { code, httpStatus: 409, path: 'production.products.update', fieldErrors },
    },
  });
}

/** A re-read of the table that the test finishes when it wants to. */
function deferredReload() {
  const pending: (() => void)[] = [];
  const reload = () => new Promise<void>((resolve) => pending.push(resolve));
  return { pending, reload };
}

const settle = async () => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};

const blank = () => ({ code: '', name: '' });

describe('EditTable', () => {
  it('opens one form at a time, and clears what the last action said', async () => {
    const table = new EditTable(async () => {});
    table.notice = 'Product A was added.';
    table.failure = 'Product B could not be changed.';
    await table.open(null);
    expect(table.editing).toBe(NEW_ROW);
    expect(table.adding).toBe(true);
    expect(table.notice).toBe('');
    expect(table.failure).toBe('');
    await table.open('row-1');
    expect(table.editing).toBe('row-1');
    expect(table.adding).toBe(false);
    table.close();
    expect(table.editing).toBeNull();
  });

  it('says a row was saved only once the table has been re-read', async () => {
    const { pending, reload } = deferredReload();
    const table = new EditTable(reload);
    const form = new FormState(blank(), validateCodeName);
    const sent: unknown[] = [];
    await table.edit(form, { code: 'BRK-100', name: 'Bracket' }, 'row-1');
    const saving = table.save(form, async (values, id) => {
      sent.push({ id, ...values });
      return `Product ${values.code} was saved.`;
    });
    await settle();
    expect(sent).toEqual([{ id: 'row-1', code: 'BRK-100', name: 'Bracket' }]);
    expect(table.editing).toBeNull();
    expect(pending).toHaveLength(1);
    expect(table.notice).toBe('');
    pending[0]!();
    expect(await saving).toBe(true);
    expect(table.notice).toBe('Product BRK-100 was saved.');
  });

  it('gives a new row no id', async () => {
    const table = new EditTable(async () => {});
    const form = new FormState({ code: 'NEW', name: 'New one' }, validateCodeName);
    await table.open(null);
    let given: string | null | undefined;
    await table.save(form, async (_, id) => {
      given = id;
      return 'added';
    });
    expect(given).toBeNull();
  });

  it('keeps the form open with the server’s field errors at the fields, and re-reads nothing', async () => {
    let reloads = 0;
    const table = new EditTable(async () => void reloads++);
    const form = new FormState(blank(), validateCodeName, (path) => path.replace(/^patch\./, ''));
    await table.edit(form, { code: 'BRK-100', name: 'Bracket' }, 'row-1');
    const ok = await table.save(form, async () => {
      throw refusal('CONFLICT', 'A product with this code exists', { 'patch.code': 'Already in use' });
    });
    expect(ok).toBe(false);
    expect(table.editing).toBe('row-1');
    expect(form.error('code')).toBe('Already in use');
    expect(form.message).toBe('A product with this code exists');
    expect(table.notice).toBe('');
    expect(reloads).toBe(0);
  });

  it('sends nothing while the form fails its own checks', async () => {
    const table = new EditTable(async () => {});
    const form = new FormState(blank(), validateCodeName);
    await table.open(null);
    let called = false;
    expect(
      await table.save(form, async () => {
        called = true;
        return '';
      }),
    ).toBe(false);
    expect(called).toBe(false);
    expect(form.error('code')).toBeDefined();
    expect(table.adding).toBe(true);
  });

  it('confirms a row action once the table has been re-read; a refusal says why instead', async () => {
    const { pending, reload } = deferredReload();
    const table = new EditTable(reload);
    const acting = table.act(async () => 'The planned downtime was deleted.');
    await settle();
    expect(table.notice).toBe('');
    pending[0]!();
    await acting;
    expect(table.notice).toBe('The planned downtime was deleted.');

    await table.act(
      async () => {
        throw refusal('NOT_FOUND', 'Planned downtime not found', null);
      },
      () => 'The planned downtime could not be deleted. Try again.',
    );
    expect(table.notice).toBe('');
    expect(table.failure).toBe('The planned downtime could not be deleted. Try again.');
    expect(pending).toHaveLength(1);

    await table.act(async () => {
      throw refusal('FORBIDDEN', 'You may not do this', null);
    });
    expect(table.failure).toBe('You may not do this');
  });

  it('lets a form of its own report success the same way', async () => {
    const { pending, reload } = deferredReload();
    const table = new EditTable(reload);
    await table.open(null);
    const done = table.done('Ana was created.');
    expect(table.editing).toBeNull();
    expect(table.notice).toBe('');
    pending[0]!();
    await done;
    expect(table.notice).toBe('Ana was created.');
  });
});

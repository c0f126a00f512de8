import { tick } from 'svelte';
import type { FormState } from './form.svelte';
import { errorMessage } from './trpc-error';

/** `EditTable.editing` while a new row is being added. */
export const NEW_ROW = 'new';

/**
 * The edits of a master data table: which form is open (one at a time: a new row, or one row),
 * saving it with the server's field errors shown at the fields, row actions without a form
 * (deactivate, delete, clear: confirmed by `ConfirmButton` before they run), and the notice of
 * success. The notice appears only once the table has been re-read, so it never stands beside the
 * old row; the production and administration browser tests wait for it, then read the row.
 */
export class EditTable {
  /** null: no form open; `NEW_ROW`; else the id of the row being edited. */
  editing = $state<string | null>(null);
  notice = $state('');
  failure = $state('');
  /** The open form's element, where focus goes to the first field at fault. */
  element = $state<HTMLFormElement | undefined>(undefined);

  /** `reload` re-reads what the table shows (and tells whoever depends on it). */
  constructor(private readonly reload: () => Promise<unknown>) {}

  get adding(): boolean {
    return this.editing === NEW_ROW;
  }

  /**
   * Opens `form`, starting from `values`, for a new row (`id` null) or for a row. Focus moves to the
   * element with id `focus` once it is shown.
   */
  edit<V extends object>(form: FormState<V>, values: V, id: string | null, focus?: string): Promise<void> {
    form.reset(values);
    return this.open(id, focus);
  }

  /** Opens a form of its own (a component with its own FormState), as `edit` does. */
  async open(id: string | null, focus?: string): Promise<void> {
    this.editing = id ?? NEW_ROW;
    this.notice = '';
    this.failure = '';
    if (focus === undefined) return;
    await tick();
    document.getElementById(focus)?.focus();
  }

  close(): void {
    this.editing = null;
  }

  /**
   * Submits the open form: `action` gets the values and the row's id (null for a new row) and
   * returns the notice. A refusal stays in the form, at its fields. Returns whether it was saved.
   */
  async save<V extends object>(
    form: FormState<V>,
    action: (values: V, id: string | null) => Promise<string>,
  ): Promise<boolean> {
    const id = this.editing === NEW_ROW ? null : this.editing;
    let said = '';
    this.notice = '';
    this.failure = '';
    const ok = await form.submit(this.element ?? null, async (values) => {
      said = await action(values, id);
    });
    if (ok) await this.done(said);
    return ok;
  }

  /** A form of its own saved a row: closes it, re-reads the table, then says so. */
  async done(notice: string): Promise<void> {
    this.editing = null;
    await this.reload();
    this.notice = notice;
  }

  /**
   * A row action without a form. `action` returns the notice; a refusal becomes the failure,
   * worded by `failure` (the server's message by default).
   */
  async act(action: () => Promise<string>, failure: (err: unknown) => string = errorMessage): Promise<void> {
    this.notice = '';
    this.failure = '';
    let said: string;
    try {
      said = await action();
    } catch (err) {
      this.failure = failure(err);
      return;
    }
    await this.reload();
    this.notice = said;
  }
}

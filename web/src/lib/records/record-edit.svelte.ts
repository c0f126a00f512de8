import { FormState } from '$lib/form.svelte';
import { errorCode, fieldErrors } from '$lib/trpc-error';
import type { FieldErrors } from '$lib/validation';

/*
 * Editing a record in place against the version its page loaded (docs/ncrs.md, docs/change-orders.md):
 * the form starts from the record as shown, a save sends only what changed with that version, and a
 * save the cloud refuses because someone changed the record meanwhile offers to start again from theirs.
 */

/** A record edited against a version: the number it is known by, and its row version. */
export interface Versioned {
  id: string;
  number: string;
  version: number;
}

export interface RecordEditOptions<R extends Versioned, V extends object, P> {
  /** The form's values, empty, before any record is edited. */
  empty: V;
  validate: (values: V) => FieldErrors;
  /** The form's field of a field path the cloud names in an error (see workflow-lock.ts formFieldNames). */
  serverField?: (path: string) => string;
  /** The form's values of a record. */
  valuesOf: (record: R) => V;
  /** What the values change of the record as loaded, as the update's patch; null when nothing. */
  changes: (values: V, record: R) => P | null;
  /** The record's update call: the patch, against the version loaded. */
  update: (input: { id: string; expectedVersion: number; patch: P }) => Promise<unknown>;
  /** The record as the page loads it ($lib/resource.svelte.ts), read again after a save. */
  record: { load(): Promise<void>; readonly data: R | undefined };
}

/** What a page says once an edit is saved. */
export function savedNotice(number: string, changed: boolean): string {
  return changed ? `${number} was saved.` : 'Nothing changed.';
}

/** Whether the cloud refused a save because the record changed since it was loaded. */
export function isStaleEdit(err: unknown): boolean {
  return errorCode(err) === 'CONFLICT' && 'expectedVersion' in fieldErrors(err);
}

export class RecordEdit<R extends Versioned, V extends object, P> {
  editing = $state(false);
  /** The last save was refused as stale: the form offers to start again from the latest. */
  stale = $state(false);
  /** What the page says about the record: created, saved, changed. */
  notice = $state('');
  readonly form: FormState<V>;

  constructor(private readonly options: RecordEditOptions<R, V, P>) {
    this.form = new FormState<V>(options.empty, options.validate, options.serverField);
  }

  start(record: R): void {
    this.form.reset(this.options.valuesOf(record));
    this.stale = false;
    this.editing = true;
    this.notice = '';
  }

  cancel(): void {
    this.editing = false;
  }

  /** Saves the form's changes to `record` (as loaded); on success the edit ends and the page says so. */
  async save(element: HTMLFormElement | null, record: R): Promise<void> {
    let changed = false;
    this.stale = false;
    const ok = await this.form.submit(element, async (values) => {
      const patch = this.options.changes(values, record);
      if (patch === null) return;
      try {
        await this.options.update({ id: record.id, expectedVersion: record.version, patch });
      } catch (err) {
        this.stale = isStaleEdit(err);
        throw err;
      }
      changed = true;
    });
    if (!ok) return;
    this.editing = false;
    this.notice = savedNotice(record.number, changed);
    if (changed) await this.options.record.load();
  }

  /** After a stale save: the form starts again from the record as it is now. */
  async startAgain(): Promise<void> {
    await this.options.record.load();
    const latest = this.options.record.data;
    if (latest !== undefined) this.form.reset(this.options.valuesOf(latest));
    this.stale = false;
  }
}

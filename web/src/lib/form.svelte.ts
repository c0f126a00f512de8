import { errorMessage, fieldErrors } from './trpc-error';
import { type FieldErrors, hasErrors } from './validation';

/**
 * The state of one form: its values, the client-side checks (shown for a field once the user has typed
 * in it, and for all fields once they try to submit), the server's field errors (shown until the field
 * changes) and a message for the whole form.
 */
export class FormState<T extends object> {
  values: T;
  touched = $state<Record<string, boolean>>({});
  attempted = $state(false);
  serverErrors = $state<FieldErrors>({});
  message = $state('');
  busy = $state(false);
  readonly clientErrors: FieldErrors;

  /**
   * `serverField` maps the server's field paths to this form's fields, e.g. "patch.code" → "code" for
   * update calls whose input nests the changes under `patch`.
   */
  constructor(
    initial: T,
    private readonly validate: (values: T) => FieldErrors,
    private readonly serverField: (path: string) => string = (path) => path,
  ) {
    this.values = $state(initial);
    this.clientErrors = $derived(this.validate(this.values));
  }

  /** The message to show next to a field, if any. */
  error(field: string): string | undefined {
    const server = this.serverErrors[field];
    if (server !== undefined) return server;
    return this.touched[field] || this.attempted ? this.clientErrors[field] : undefined;
  }

  /** The user changed a field: check it from now on, and forget what the server said about it. */
  touch(field: string): void {
    this.touched[field] = true;
    if (field in this.serverErrors) {
      const { [field]: _, ...rest } = this.serverErrors;
      this.serverErrors = rest;
    }
  }

  reset(values: T): void {
    this.values = values;
    this.touched = {};
    this.attempted = false;
    this.serverErrors = {};
    this.message = '';
  }

  /**
   * Runs `action` when the client-side checks pass; a refusal from the server becomes field errors and a
   * message. Returns whether the action succeeded. Focus moves to the first field at fault.
   */
  async submit(form: HTMLFormElement | null, action: (values: T) => Promise<void>): Promise<boolean> {
    if (this.busy) return false;
    this.attempted = true;
    this.message = '';
    if (hasErrors(this.clientErrors)) {
      focusFirstInvalid(form);
      return false;
    }
    this.busy = true;
    try {
      await action(this.values);
      return true;
    } catch (err) {
      this.serverErrors = Object.fromEntries(
        Object.entries(fieldErrors(err)).map(([path, problem]) => [this.serverField(path), problem]),
      );
      this.message = errorMessage(err);
      focusFirstInvalid(form);
      return false;
    } finally {
      this.busy = false;
    }
  }
}

function focusFirstInvalid(form: HTMLFormElement | null) {
  // After Svelte has rendered the messages (aria-invalid is set from them).
  queueMicrotask(() =>
    form?.querySelector<HTMLElement>('[aria-invalid="true"], [data-invalid="true"] input')?.focus(),
  );
}

/*
 * What a record's workflow state lets its page edit (docs/workflows.md, "Field locks and signatures"):
 * a locked state none of the record, otherwise all but its read-only fields. The cloud refuses such
 * edits anyway; the page says so first, with the state's name, instead of offering what will fail.
 */

/** The part of a record's workflow view (workflow.instances.get) that speaks of locks. */
export interface LockingView {
  instance: { state: { label: string; locked: boolean; readOnly: readonly string[] } } | null;
}

export interface WorkflowLock {
  /** The state's label; '' for a record without a workflow. */
  state: string;
  /** The whole record is read-only. */
  locked: boolean;
  /** Why the record cannot be edited at all: "The NCR is Closed: it is read-only"; null when it can. */
  reason: string | null;
  /** The fields the state makes read-only, as the workflow names them (`root_cause`, `custom.grade`). */
  readOnly: ReadonlySet<string>;
}

export const UNLOCKED: WorkflowLock = { state: '', locked: false, reason: null, readOnly: new Set() };

/** The lock of a record's workflow view (none while it loads); `noun` names the record: "The NCR". */
export function workflowLock(view: LockingView | null | undefined, noun: string): WorkflowLock {
  const state = view?.instance?.state;
  if (state === undefined) return UNLOCKED;
  return {
    state: state.label,
    locked: state.locked,
    reason: state.locked ? `${noun} is ${state.label}: it is read-only` : null,
    readOnly: new Set(state.readOnly),
  };
}

/** Whether the state lets a field (named as the workflow names it) change. */
export function mayChange(lock: WorkflowLock, field: string): boolean {
  return !lock.locked && !lock.readOnly.has(field);
}

/**
 * The form's fields the state makes read-only, each with the hint to show beside it; `formFieldOf`
 * turns the workflow's names of the fields into the form's.
 */
export function readOnlyFields(
  lock: WorkflowLock,
  formFieldOf: (workflowField: string) => string,
): ReadonlyMap<string, string> {
  return new Map([...lock.readOnly].map((field) => [formFieldOf(field), `Read-only in ${lock.state}`]));
}

/**
 * Turns the field paths the cloud names in errors into a form's fields: an update's `patch.rootCause`,
 * or a workflow lock's `root_cause` through `names` (the workflow's name → the form's). A name
 * without an entry is the form's already.
 */
export function formFieldNames(names: Readonly<Record<string, string>>): (path: string) => string {
  return (path) => {
    const field = path.replace(/^patch\./, '');
    return names[field] ?? field;
  };
}

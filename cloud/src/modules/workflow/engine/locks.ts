import type { WorkflowState } from '@plantline/schema/workflow';
import { isEmptyValue } from './conditions.js';
import type { RecordFields } from './types.js';

/*
 * What a state allows of a record's edits (docs/workflows.md, "Definitions"): a locked state refuses
 * every field, otherwise its read-only list does; a state's required fields must hold a value before
 * an instance enters it.
 */

/** The fields of an edit the state refuses, in the order given, each once. */
export function refusedEdits(state: WorkflowState, fields: readonly string[]): string[] {
  const unique = [...new Set(fields)];
  if (state.locked) return unique;
  const readOnly = new Set(state.readOnly);
  return unique.filter((f) => readOnly.has(f));
}

/** The state's required fields that are empty on the record (undefined, null, '' or []). */
export function missingRequired(state: WorkflowState, record: RecordFields): string[] {
  return [...new Set(state.required)].filter((f) =>
    isEmptyValue(Object.hasOwn(record, f) ? record[f] : undefined),
  );
}

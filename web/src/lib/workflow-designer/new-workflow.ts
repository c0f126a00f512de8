import { nameProblem } from '$lib/validation';
import { keyProblem } from './keys';

/*
 * The "New workflow" form, checked as the user types with the rules of workflow.definitions.create:
 * a name, a key in the pattern of state keys, and a record type that has no workflow yet (a tenant
 * runs one workflow per record type). Renaming checks the name and description the same way
 * (workflow.definitions.update).
 */

export interface NewWorkflowValues {
  name: string;
  key: string;
  entityType: string;
  description: string;
}

export function blankNewWorkflow(): NewWorkflowValues {
  return { name: '', key: '', entityType: '', description: '' };
}

/** What a rename changes: the name people read and the description beside it. */
export interface WorkflowNaming {
  name: string;
  description: string;
}

export function validateNaming(values: WorkflowNaming): Record<string, string> {
  const errors: Record<string, string> = {};
  const name = nameProblem(values.name);
  if (name !== null) errors.name = name;
  if (values.description.length > 2000) errors.description = 'Use at most 2000 characters';
  return errors;
}

export function validateNewWorkflow(
  values: NewWorkflowValues,
  taken: readonly string[],
): Record<string, string> {
  const errors = validateNaming(values);
  // A taken key is the cloud's to report (uniqueKey on `key`): the list here may not hold every workflow.
  const key = keyProblem(values.key.trim(), [], 'state');
  if (key !== null) errors.key = key;
  if (values.entityType === '') errors.entityType = 'Choose the record type it runs on';
  else if (taken.includes(values.entityType)) errors.entityType = 'This record type already has a workflow';
  return errors;
}

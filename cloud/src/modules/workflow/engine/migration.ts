import type { WorkflowDefinition } from './types.js';

/*
 * Moving running instances to another version (docs/workflows.md): every state in use needs a state of
 * the target version. The proposal keeps keys the target still has and leaves the rest for a person.
 */

/** Each state in use mapped to the same key in the target, or null where the target lacks it. */
export function proposeMapping(
  inUse: readonly string[],
  target: WorkflowDefinition,
): Record<string, string | null> {
  const keys = new Set(target.states.map((s) => s.key));
  const mapping: Record<string, string | null> = {};
  for (const key of inUse) mapping[key] = keys.has(key) ? key : null;
  return mapping;
}

/** Why a mapping cannot be applied: a state in use left unmapped, or mapped to a missing state. */
export function checkMapping(
  inUse: readonly string[],
  mapping: Readonly<Record<string, string>>,
  target: WorkflowDefinition,
): string[] {
  const keys = new Set(target.states.map((s) => s.key));
  const errors: string[] = [];
  for (const key of new Set(inUse)) {
    const to = Object.hasOwn(mapping, key) ? mapping[key] : undefined;
    if (to === undefined || to === null || to === '') {
      errors.push(`Choose a state of the new version for instances in ${key}`);
    } else if (!keys.has(to)) {
      errors.push(`Instances in ${key} are mapped to ${to}, which the new version does not have`);
    }
  }
  return errors;
}

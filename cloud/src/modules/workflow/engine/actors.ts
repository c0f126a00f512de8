import type { WorkflowTransition } from '@plantline/schema/workflow';
import type { RecordFields, WorkflowDefinition } from './types.js';

/*
 * Who may take a transition (docs/workflows.md, "Definitions"): anyone who matches one of its actor
 * kinds. Plant scope is not decided here: the caller passes the permissions and roles the user holds
 * at the record's plant, so a role granted at another plant never matches.
 */

export interface Actor {
  userId: string;
  permissions: ReadonlySet<string>;
  roleKeys: ReadonlySet<string>;
}

/** Whether the actor matches the transition's actors; the guard and approval are checked apart. */
export function mayAct(
  transition: WorkflowTransition,
  actor: Actor,
  record: RecordFields,
  initiatorId: string | null,
): boolean {
  const { actors } = transition;
  if (actors.permissions.some((p) => actor.permissions.has(p))) return true;
  if (actors.roles.some((r) => actor.roleKeys.has(r))) return true;
  if (actors.initiator && initiatorId !== null && initiatorId === actor.userId) return true;
  return actors.userFields.some((field) => {
    const value = Object.hasOwn(record, field) ? record[field] : undefined;
    return Array.isArray(value) ? value.includes(actor.userId) : value === actor.userId;
  });
}

/** The transitions leaving a state, in the definition's order (the order of the buttons). */
export function transitionsFrom(definition: WorkflowDefinition, stateKey: string): WorkflowTransition[] {
  return definition.transitions.filter((t) => t.from === stateKey);
}

import type { EnterAction, WorkflowState, WorkflowTransition } from '@plantline/schema/workflow';
import { checkCondition, scalarMismatch } from './conditions.js';
import type { CatalogueField, FieldCatalogue, ValidationIssue } from './types.js';

/*
 * The parts of publishing that look inside a state's actions and a transition's approval
 * (docs/workflows.md, "Definitions" and "Approvals and quorum"); validate.ts checks the graph.
 */

/** What exists in the tenant: role keys, user ids and numbering sequence codes. */
export interface Known {
  roleKeys: ReadonlySet<string>;
  userIds: ReadonlySet<string>;
  sequences: ReadonlySet<string>;
}

export type Report = (at: ValidationIssue['at'], path: string, message: string) => void;

export function checkOnEnter(
  state: WorkflowState,
  catalogue: FieldCatalogue,
  known: Known,
  report: Report,
): void {
  const at = { kind: 'state', key: state.key } as const;
  const written = new Map<string, number>();
  let slas = 0;
  state.onEnter.forEach((action, i) => {
    const path = `onEnter.${i}`;
    if (action.type === 'set_field' || action.type === 'take_number') {
      if (written.has(action.field))
        report(at, `${path}.field`, `${action.field} is already set on entering`);
      else written.set(action.field, i);
      const field = catalogue.get(action.field);
      if (!field) report(at, `${path}.field`, `There is no field ${action.field}`);
      else if (!field.settable) report(at, `${path}.field`, `${field.label} cannot be set by a workflow`);
      else if (action.type === 'set_field')
        checkSetField(action, field, known, (p, m) => report(at, `${path}${p}`, m));
      else if (field.kind !== 'text')
        report(at, `${path}.field`, `A number can only go into a text field, not ${field.label}`);
      if (action.type === 'take_number' && !known.sequences.has(action.sequence)) {
        report(at, `${path}.sequence`, `There is no numbering scheme ${action.sequence}`);
      }
    } else if (action.type === 'notify') {
      const to = action.to;
      if ('role' in to && !known.roleKeys.has(to.role))
        report(at, `${path}.to.role`, `There is no role ${to.role}`);
      if ('userField' in to)
        checkUserField(to.userField, catalogue, (m) => report(at, `${path}.to.userField`, m));
    } else {
      slas += 1;
      if (slas === 2) report(at, path, 'A state has one SLA timer; remove the second');
      if (state.kind === 'final') report(at, path, 'An SLA in a final state would never end');
      if (action.remindBeforeHours !== undefined && action.remindBeforeHours >= action.hours) {
        report(at, `${path}.remindBeforeHours`, 'Remind less time before the due time than the SLA allows');
      }
      if (action.escalateToRole !== undefined && !known.roleKeys.has(action.escalateToRole)) {
        report(at, `${path}.escalateToRole`, `There is no role ${action.escalateToRole}`);
      }
    }
  });
  // Required fields are checked before entering; a value the state's own actions write comes too late.
  state.required.forEach((ref, i) => {
    const by = written.get(ref);
    if (by !== undefined) {
      report(
        at,
        `required.${i}`,
        `${ref} is required to enter, but entering sets it (onEnter ${by + 1}); keep one`,
      );
    }
  });
}

function checkSetField(
  action: Extract<EnterAction, { type: 'set_field' }>,
  field: CatalogueField,
  known: Known,
  report: (path: string, message: string) => void,
): void {
  if (action.from !== undefined && action.value !== undefined) {
    report('', 'Give either a value or now/actor, not both');
    return;
  }
  if (action.from === 'now') {
    if (field.kind !== 'date' && field.kind !== 'datetime')
      report('.from', `${field.label} does not hold a date`);
    return;
  }
  if (action.from === 'actor') {
    if (field.kind !== 'user') report('.from', `${field.label} does not name a user`);
    return;
  }
  if (action.value === undefined) {
    report('.value', 'Give the value to set, or set it to now or the acting user');
    return;
  }
  // null clears the field, which suits every kind.
  if (action.value === null) return;
  if (field.kind === 'choices') {
    report('.value', `${field.label} holds several values; a workflow can only clear it`);
    return;
  }
  const mismatch = scalarMismatch(field, action.value);
  if (mismatch) report('.value', mismatch);
  else if (field.kind === 'user' && typeof action.value === 'string' && !known.userIds.has(action.value)) {
    report('.value', `There is no user ${action.value}`);
  }
}

function checkUserField(ref: string, catalogue: FieldCatalogue, report: (message: string) => void): void {
  const field = catalogue.get(ref);
  if (!field) report(`There is no field ${ref}`);
  else if (field.kind !== 'user') report(`${field.label} does not name a user`);
}

export function checkApproval(
  transition: WorkflowTransition,
  states: ReadonlyMap<string, WorkflowState>,
  catalogue: FieldCatalogue,
  known: Known,
  report: Report,
): void {
  const approval = transition.approval;
  if (!approval) return;
  const at = { kind: 'transition', key: transition.key } as const;
  if (!states.has(approval.rejectTo)) {
    report(at, 'approval.rejectTo', `There is no state ${approval.rejectTo} to send a rejection to`);
  } else if (approval.rejectTo === transition.to) {
    report(at, 'approval.rejectTo', 'A rejection must lead somewhere other than an approval');
  }
  if (approval.groups.every((g) => g.when !== undefined)) {
    report(at, 'approval.groups', 'At least one group must always apply (have no condition)');
  }
  const labels = new Set<string>();
  const namedBefore = new Map<string, string>();
  approval.groups.forEach((group, i) => {
    const path = `approval.groups.${i}`;
    if (labels.has(group.label)) report(at, `${path}.label`, `Another group is also called ${group.label}`);
    labels.add(group.label);
    if (group.role === undefined && group.users.length === 0) {
      report(at, path, `${group.label}: name a role or the users who approve`);
    }
    if (group.role !== undefined && !known.roleKeys.has(group.role)) {
      report(at, `${path}.role`, `There is no role ${group.role}`);
    }
    const inGroup = new Set<string>();
    group.users.forEach((user, j) => {
      if (!known.userIds.has(user)) report(at, `${path}.users.${j}`, `There is no user ${user}`);
      if (inGroup.has(user)) report(at, `${path}.users.${j}`, `${group.label} names this user twice`);
      inGroup.add(user);
      const earlier = namedBefore.get(user);
      if (earlier !== undefined && earlier !== group.label) {
        // One approval counts in one group only, so the later group could never be satisfied.
        report(at, `${path}.users.${j}`, `This user is already named in ${earlier}; one vote counts once`);
      } else namedBefore.set(user, group.label);
    });
    if (group.percent !== undefined) {
      if (group.role === undefined)
        report(at, `${path}.percent`, `${group.label}: a percentage needs a role`);
      if (group.minimum !== undefined) {
        report(at, `${path}.minimum`, `${group.label}: give a minimum or a percentage, not both`);
      }
    }
    if (group.role === undefined && group.minimum !== undefined && group.minimum > inGroup.size) {
      report(
        at,
        `${path}.minimum`,
        `${group.label} needs ${group.minimum} approvals but names only ${inGroup.size} ${inGroup.size === 1 ? 'person' : 'people'}`,
      );
    }
    if (group.when) {
      for (const p of checkCondition(group.when, catalogue, `${path}.when`)) report(at, p.path, p.message);
    }
  });
}

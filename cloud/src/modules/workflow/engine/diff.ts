import type {
  Approval,
  ApprovalGroup,
  EnterAction,
  WorkflowState,
  WorkflowTransition,
} from '@plantline/schema/workflow';
import type { WorkflowDefinition } from './types.js';

/*
 * A readable difference between two versions of a definition, for the version history
 * (docs/workflows.md, "Definitions"). States and transitions are matched by key; details are plain
 * sentences. Designer positions are layout, not process, and are ignored.
 */

export interface DefinitionChange {
  change: 'added' | 'removed' | 'changed';
  part: 'state' | 'transition';
  key: string;
  label: string;
  details: string[];
}

export function diffDefinitions(before: WorkflowDefinition, after: WorkflowDefinition): DefinitionChange[] {
  return [
    ...diffParts('state', before.states, after.states, stateDetails),
    ...diffParts('transition', before.transitions, after.transitions, transitionDetails),
  ];
}

function diffParts<T extends { key: string; label: string }>(
  part: DefinitionChange['part'],
  before: readonly T[],
  after: readonly T[],
  details: (a: T, b: T) => string[],
): DefinitionChange[] {
  const old = new Map(before.map((p) => [p.key, p]));
  const now = new Set(after.map((p) => p.key));
  const changes: DefinitionChange[] = [];
  for (const item of after) {
    const was = old.get(item.key);
    if (!was) {
      changes.push({ change: 'added', part, key: item.key, label: item.label, details: [] });
      continue;
    }
    const lines = details(was, item);
    if (lines.length > 0)
      changes.push({ change: 'changed', part, key: item.key, label: item.label, details: lines });
  }
  for (const item of before) {
    if (!now.has(item.key))
      changes.push({ change: 'removed', part, key: item.key, label: item.label, details: [] });
  }
  return changes;
}

/** JSON with sorted keys, so two equal values compare equal whatever order their keys were written in. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

const same = (a: unknown, b: unknown) => canonical(a) === canonical(b);

function listChange(name: string, before: readonly string[], after: readonly string[]): string[] {
  const added = after.filter((x) => !before.includes(x));
  const removed = before.filter((x) => !after.includes(x));
  const parts = [
    ...(added.length > 0 ? [`added ${added.join(', ')}`] : []),
    ...(removed.length > 0 ? [`removed ${removed.join(', ')}`] : []),
  ];
  return parts.length > 0 ? [`${name}: ${parts.join('; ')}`] : [];
}

function valueChange(name: string, before: string, after: string): string[] {
  return before === after ? [] : [`${name}: ${after} (was ${before})`];
}

const yesNo = (b: boolean) => (b ? 'yes' : 'no');

function describeAction(action: EnterAction): string {
  switch (action.type) {
    case 'set_field':
      return `set ${action.field} to ${action.from ?? JSON.stringify(action.value ?? null)}`;
    case 'take_number':
      return `number ${action.field} from ${action.sequence}`;
    case 'notify': {
      const to = action.to;
      const who =
        'role' in to
          ? `role ${to.role}`
          : 'userField' in to
            ? to.userField
            : 'permission' in to
              ? to.permission
              : 'the initiator';
      return `notify ${who}: ${action.title}`;
    }
    case 'start_sla':
      return `SLA ${action.hours} h${action.remindBeforeHours ? `, reminder ${action.remindBeforeHours} h before` : ''}${action.escalateToRole ? `, escalate to ${action.escalateToRole}` : ''}`;
  }
}

function stateDetails(a: WorkflowState, b: WorkflowState): string[] {
  return [
    ...valueChange('Label', a.label, b.label),
    ...valueChange('Kind', a.kind, b.kind),
    ...valueChange('Locked', yesNo(a.locked), yesNo(b.locked)),
    ...listChange('Read-only fields', a.readOnly, b.readOnly),
    ...listChange('Required fields', a.required, b.required),
    ...listChange('On entering', a.onEnter.map(describeAction), b.onEnter.map(describeAction)),
  ];
}

function transitionDetails(a: WorkflowTransition, b: WorkflowTransition): string[] {
  const details = [
    ...valueChange('Label', a.label, b.label),
    ...valueChange('From', a.from, b.from),
    ...valueChange('To', a.to, b.to),
    ...listChange('Permissions', a.actors.permissions, b.actors.permissions),
    ...listChange('Roles', a.actors.roles, b.actors.roles),
    ...listChange('User fields', a.actors.userFields, b.actors.userFields),
    ...valueChange('Initiator may act', yesNo(a.actors.initiator), yesNo(b.actors.initiator)),
  ];
  if (!same(a.guard, b.guard)) {
    details.push(a.guard === null ? 'Guard added' : b.guard === null ? 'Guard removed' : 'Guard changed');
  }
  details.push(...valueChange('Comment', a.comment, b.comment));
  details.push(...valueChange('Signature', a.signature?.meaning ?? 'none', b.signature?.meaning ?? 'none'));
  details.push(...approvalDetails(a.approval, b.approval));
  return details;
}

/** What a group needs, in words: "2", "60%". */
function needs(group: ApprovalGroup): string {
  if (group.percent !== undefined) return `${group.percent}%`;
  const named = group.users.length;
  return String(Math.max(group.minimum ?? (named > 0 ? named : 1), named));
}

function approvalDetails(a: Approval | null, b: Approval | null): string[] {
  if (a === null && b === null) return [];
  if (a === null) return ['Approval added'];
  if (b === null) return ['Approval removed'];
  const details = [
    ...valueChange('Approval order', a.order, b.order),
    ...valueChange('Editors excluded', yesNo(a.excludeEditors), yesNo(b.excludeEditors)),
    ...valueChange('Rejection goes to', a.rejectTo, b.rejectTo),
  ];
  const old = new Map(a.groups.map((g) => [g.label, g]));
  const labels = new Set(b.groups.map((g) => g.label));
  for (const group of b.groups) {
    const was = old.get(group.label);
    const name = `Approval group ${group.label}`;
    if (!was) {
      details.push(`${name} added: needs ${needs(group)}`);
      continue;
    }
    if (needs(was) !== needs(group)) details.push(`${name}: needs ${needs(group)} (was ${needs(was)})`);
    details.push(...valueChange(`${name}: role`, was.role ?? 'none', group.role ?? 'none'));
    details.push(...listChange(`${name}: users`, was.users, group.users));
    if (!same(was.when, group.when)) details.push(`${name}: condition changed`);
  }
  for (const group of a.groups) {
    if (!labels.has(group.label)) details.push(`Approval group ${group.label} removed`);
  }
  return details;
}

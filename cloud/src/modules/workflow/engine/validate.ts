import type { WorkflowState } from '@plantline/schema/workflow';
import { checkCondition } from './conditions.js';
import type { FieldCatalogue, ValidationIssue, WorkflowDefinition } from './types.js';
import { checkApproval, checkOnEnter, type Known, type Report } from './validate-parts.js';

/*
 * Publishing a definition (docs/workflows.md, "Definitions"): every problem is reported at once, each
 * located at the definition, a state or a transition so the designer can draw it on the graph. A
 * version that passes can run: it starts somewhere, every state can be reached and left towards an
 * end, and every field, role, user and sequence it names exists.
 */

export type { Known } from './validate-parts.js';

export function validateDefinition(
  definition: WorkflowDefinition,
  catalogue: FieldCatalogue,
  known: Known,
): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const report: Report = (at, path, message) => issues.push({ at, path, message });
  const states = uniqueStates(definition, report);
  checkKinds(definition, report);
  for (const state of definition.states) checkState(state, catalogue, known, report);
  checkTransitions(definition, states, catalogue, known, report);
  checkGraph(definition, states, report);
  return issues;
}

function uniqueStates(definition: WorkflowDefinition, report: Report): Map<string, WorkflowState> {
  const states = new Map<string, WorkflowState>();
  for (const state of definition.states) {
    if (states.has(state.key)) {
      report({ kind: 'state', key: state.key }, 'key', `Another state is also called ${state.key}`);
    } else states.set(state.key, state);
  }
  return states;
}

function checkKinds(definition: WorkflowDefinition, report: Report): void {
  const initial = definition.states.filter((s) => s.kind === 'initial');
  if (initial.length === 0) {
    report({ kind: 'definition' }, 'states', 'Mark one state as the initial state');
  }
  for (const extra of initial.slice(1)) {
    report(
      { kind: 'state', key: extra.key },
      'kind',
      `Only one state can be initial, and ${initial[0]?.label ?? ''} already is`,
    );
  }
  if (!definition.states.some((s) => s.kind === 'final')) {
    report({ kind: 'definition' }, 'states', 'Mark at least one state as final');
  }
}

function checkState(state: WorkflowState, catalogue: FieldCatalogue, known: Known, report: Report): void {
  const at = { kind: 'state', key: state.key } as const;
  for (const list of ['readOnly', 'required'] as const) {
    const seen = new Set<string>();
    state[list].forEach((ref, i) => {
      if (seen.has(ref)) report(at, `${list}.${i}`, `${ref} is listed twice`);
      seen.add(ref);
      if (!catalogue.has(ref)) report(at, `${list}.${i}`, `There is no field ${ref}`);
    });
  }
  checkOnEnter(state, catalogue, known, report);
}

function checkTransitions(
  definition: WorkflowDefinition,
  states: ReadonlyMap<string, WorkflowState>,
  catalogue: FieldCatalogue,
  known: Known,
  report: Report,
): void {
  const keys = new Set<string>();
  for (const transition of definition.transitions) {
    const at = { kind: 'transition', key: transition.key } as const;
    if (keys.has(transition.key)) report(at, 'key', `Another transition is also called ${transition.key}`);
    keys.add(transition.key);
    const from = states.get(transition.from);
    if (!from) report(at, 'from', `There is no state ${transition.from} to start from`);
    else if (from.kind === 'final') report(at, 'from', `Nothing may leave the final state ${from.label}`);
    if (!states.has(transition.to)) report(at, 'to', `There is no state ${transition.to} to go to`);

    const { actors } = transition;
    const anyActor =
      actors.permissions.length + actors.roles.length + actors.userFields.length > 0 || actors.initiator;
    if (!transition.approval && !anyActor) {
      report(at, 'actors', 'Say who may take it: a permission, a role, a user field or the initiator');
    }
    actors.roles.forEach((role, i) => {
      if (!known.roleKeys.has(role)) report(at, `actors.roles.${i}`, `There is no role ${role}`);
    });
    actors.userFields.forEach((ref, i) => {
      const field = catalogue.get(ref);
      if (!field) report(at, `actors.userFields.${i}`, `There is no field ${ref}`);
      else if (field.kind !== 'user')
        report(at, `actors.userFields.${i}`, `${field.label} does not name a user`);
    });
    if (transition.guard) {
      for (const p of checkCondition(transition.guard, catalogue, 'guard')) report(at, p.path, p.message);
    }
    if (transition.approval) checkApproval(transition, states, catalogue, known, report);
  }
}

/** Reachability both ways: a state nobody can enter, or one an instance could never leave towards an end. */
function checkGraph(
  definition: WorkflowDefinition,
  states: ReadonlyMap<string, WorkflowState>,
  report: Report,
): void {
  const initial = definition.states.find((s) => s.kind === 'initial');
  if (!initial) return;
  const forward = new Map<string, string[]>();
  const backward = new Map<string, string[]>();
  for (const t of definition.transitions) {
    if (!states.has(t.from) || !states.has(t.to)) continue;
    forward.set(t.from, [...(forward.get(t.from) ?? []), t.to]);
    backward.set(t.to, [...(backward.get(t.to) ?? []), t.from]);
    // A rejection also moves the instance: its target is reached from the transition's source.
    if (t.approval && states.has(t.approval.rejectTo)) {
      forward.set(t.from, [...(forward.get(t.from) ?? []), t.approval.rejectTo]);
      backward.set(t.approval.rejectTo, [...(backward.get(t.approval.rejectTo) ?? []), t.from]);
    }
  }
  const reached = walk([initial.key], forward);
  const finals = definition.states.filter((s) => s.kind === 'final').map((s) => s.key);
  const ending = walk(finals, backward);
  for (const state of states.values()) {
    const at = { kind: 'state', key: state.key } as const;
    if (!reached.has(state.key)) report(at, '', `${state.label} cannot be reached from ${initial.label}`);
    else if (state.kind !== 'final' && finals.length > 0 && !ending.has(state.key)) {
      report(at, '', `No path leads from ${state.label} to a final state`);
    }
  }
}

function walk(start: readonly string[], edges: ReadonlyMap<string, readonly string[]>): Set<string> {
  const seen = new Set(start);
  const queue = [...start];
  for (let key = queue.shift(); key !== undefined; key = queue.shift()) {
    for (const next of edges.get(key) ?? []) {
      if (!seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  return seen;
}

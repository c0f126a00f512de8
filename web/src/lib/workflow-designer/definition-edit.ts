import {
  definitionSchema,
  type StateKind,
  type WorkflowDefinition,
  type WorkflowState,
  type WorkflowTransition,
} from '@plantline/schema/workflow';
import { newStateKey, newTransitionKey } from './keys';

/*
 * The designer's edits that touch more than one part of a definition: adding and removing states and
 * transitions, renaming keys (which transitions and rejections refer to), the one initial state.
 * Each returns a new definition and leaves its argument alone; simple settings (a label, a checkbox)
 * are edited in place by the side panels.
 */

/**
 * A stored definition with its defaults filled in (every list present), as the panels expect. A
 * document the schema refuses is kept as it is: the issues list then says what is wrong with it.
 */
export function normaliseDefinition(raw: unknown): WorkflowDefinition {
  const parsed = definitionSchema.safeParse(raw);
  return parsed.success ? parsed.data : (raw as WorkflowDefinition);
}

/** A deep copy without Svelte's proxies, for saving or comparing. */
export function plainDefinition(definition: WorkflowDefinition): WorkflowDefinition {
  return JSON.parse(JSON.stringify(definition)) as WorkflowDefinition;
}

const STATE_GAP_Y = 140;

/** Where a new state goes: below the lowest one, at the left edge of the graph. */
export function nextStatePosition(definition: WorkflowDefinition): { x: number; y: number } {
  if (definition.states.length === 0) return { x: 0, y: 0 };
  const xs = definition.states.map((s) => s.position.x);
  const ys = definition.states.map((s) => s.position.y);
  return { x: Math.min(...xs), y: Math.max(...ys) + STATE_GAP_Y };
}

export function blankState(
  key: string,
  label: string,
  kind: StateKind,
  position = { x: 0, y: 0 },
): WorkflowState {
  return { key, label, kind, locked: false, readOnly: [], required: [], onEnter: [], position };
}

export function addState(
  definition: WorkflowDefinition,
  input: { label: string; key?: string; kind?: StateKind; position?: { x: number; y: number } },
): { definition: WorkflowDefinition; key: string } {
  const key = input.key ?? newStateKey(input.label, definition.states);
  const state = blankState(
    key,
    input.label,
    input.kind ?? 'normal',
    input.position ?? nextStatePosition(definition),
  );
  const states = state.kind === 'initial' ? demoteInitial(definition.states) : definition.states;
  return { definition: { ...definition, states: [...states, state] }, key };
}

export function blankTransition(key: string, label: string, from: string, to: string): WorkflowTransition {
  return {
    key,
    label,
    from,
    to,
    actors: { permissions: [], roles: [], userFields: [], initiator: false },
    guard: null,
    comment: 'optional',
    signature: null,
    approval: null,
  };
}

/** A transition between two states, labelled after its target unless a label is given. */
export function addTransition(
  definition: WorkflowDefinition,
  input: { from: string; to: string; label?: string; key?: string },
): { definition: WorkflowDefinition; key: string } {
  const target = definition.states.find((s) => s.key === input.to);
  const label = input.label?.trim() || `To ${target?.label ?? input.to}`.slice(0, 80);
  const key = input.key ?? newTransitionKey(label, input.from, input.to, definition.transitions);
  const transition = blankTransition(key, label, input.from, input.to);
  return { definition: { ...definition, transitions: [...definition.transitions, transition] }, key };
}

/** Removes states and every transition into or out of them. */
export function removeStates(definition: WorkflowDefinition, keys: readonly string[]): WorkflowDefinition {
  const gone = new Set(keys);
  return {
    states: definition.states.filter((s) => !gone.has(s.key)),
    transitions: definition.transitions.filter((t) => !gone.has(t.from) && !gone.has(t.to)),
  };
}

export function removeTransitions(
  definition: WorkflowDefinition,
  keys: readonly string[],
): WorkflowDefinition {
  const gone = new Set(keys);
  return { ...definition, transitions: definition.transitions.filter((t) => !gone.has(t.key)) };
}

/** Renames a state's key everywhere it is named: transitions' ends and approvals' reject-to state. */
export function renameState(definition: WorkflowDefinition, from: string, to: string): WorkflowDefinition {
  const rename = (key: string) => (key === from ? to : key);
  return {
    states: definition.states.map((s) => (s.key === from ? { ...s, key: to } : s)),
    transitions: definition.transitions.map((t) => ({
      ...t,
      from: rename(t.from),
      to: rename(t.to),
      approval: t.approval === null ? null : { ...t.approval, rejectTo: rename(t.approval.rejectTo) },
    })),
  };
}

export function renameTransition(
  definition: WorkflowDefinition,
  from: string,
  to: string,
): WorkflowDefinition {
  return {
    ...definition,
    transitions: definition.transitions.map((t) => (t.key === from ? { ...t, key: to } : t)),
  };
}

function demoteInitial(states: readonly WorkflowState[]): WorkflowState[] {
  return states.map((s) => (s.kind === 'initial' ? { ...s, kind: 'normal' } : s));
}

/** Sets a state's kind; a workflow starts in one state, so a new initial state demotes the old one. */
export function setStateKind(
  definition: WorkflowDefinition,
  key: string,
  kind: StateKind,
): WorkflowDefinition {
  const states = kind === 'initial' ? demoteInitial(definition.states) : definition.states;
  return { ...definition, states: states.map((s) => (s.key === key ? { ...s, kind } : s)) };
}

/** Moves states to new places (from the graph); unknown keys are ignored. */
export function moveStates(
  definition: WorkflowDefinition,
  positions: ReadonlyMap<string, { x: number; y: number }>,
): WorkflowDefinition {
  return {
    ...definition,
    states: definition.states.map((s) => {
      const at = positions.get(s.key);
      return at === undefined ? s : { ...s, position: { x: Math.round(at.x), y: Math.round(at.y) } };
    }),
  };
}

import type { SignatureMeaning, StateKind, WorkflowDefinition } from '@plantline/schema/workflow';
import type { Edge, Node } from '@xyflow/svelte';
import { describeApproval, type Names } from './approval';
import { bowOffsets } from './edge-geometry';
import type { IssueIndex, Selection } from './issues';

/*
 * The definition as Svelte Flow draws it: a node per state (its key is the node's id) and an edge per
 * transition (its key is the edge's id). The definition stays the one source of truth; the graph is
 * rebuilt from it after every edit, keeping what Svelte Flow measured so nodes do not flicker. Where
 * the user dragged a state is read back with `movedStates` and written into the definition, which
 * keeps positions (stateSchema.position).
 */

export interface StateNodeData extends Record<string, unknown> {
  label: string;
  stateKey: string;
  kind: StateKind;
  locked: boolean;
  /** How many actions run on entering. */
  actions: number;
  problems: string[];
}

export interface TransitionEdgeData extends Record<string, unknown> {
  label: string;
  /** Place among the transitions between the same two states (edge-geometry.ts, bowOffsets). */
  bow: number;
  /** The approval's summary, or null when the transition fires at once. */
  approval: string | null;
  signature: SignatureMeaning | null;
  guarded: boolean;
  problems: string[];
}

export type StateNode = Node<StateNodeData, 'state'>;
export type TransitionEdge = Edge<TransitionEdgeData, 'transition'>;

export interface GraphContext {
  issues: IssueIndex;
  selected: Selection;
  readOnly: boolean;
  names: Names;
}

const KIND_WORDS: Record<StateKind, string> = {
  initial: 'initial state',
  normal: 'state',
  final: 'final state',
};

function problemsNote(problems: readonly string[]): string {
  if (problems.length === 0) return '';
  return problems.length === 1 ? ', 1 problem' : `, ${problems.length} problems`;
}

export function stateNodes(definition: WorkflowDefinition, context: GraphContext): StateNode[] {
  return definition.states.map((state) => {
    const problems = (context.issues.states.get(state.key) ?? []).map((i) => i.message);
    const selected = context.selected?.kind === 'state' && context.selected.key === state.key;
    return {
      id: state.key,
      type: 'state',
      position: { ...state.position },
      data: {
        label: state.label,
        stateKey: state.key,
        kind: state.kind,
        locked: state.locked,
        actions: state.onEnter.length,
        problems,
      },
      selected,
      draggable: !context.readOnly,
      connectable: !context.readOnly,
      deletable: !context.readOnly,
      ariaLabel: `${state.label || state.key}, ${KIND_WORDS[state.kind]}${problemsNote(problems)}`,
      domAttributes: { 'data-state-key': state.key },
    };
  });
}

export function transitionEdges(definition: WorkflowDefinition, context: GraphContext): TransitionEdge[] {
  const bows = bowOffsets(definition.transitions);
  const labels = new Map(definition.states.map((s) => [s.key, s.label || s.key]));
  return definition.transitions.map((t) => {
    const problems = (context.issues.transitions.get(t.key) ?? []).map((i) => i.message);
    const approval = t.approval === null ? null : describeApproval(t.approval, context.names);
    const needs = [
      approval === null ? '' : `, needs approval by ${approval}`,
      t.signature === null ? '' : `, signed for ${t.signature.meaning}`,
      t.guard === null ? '' : ', guarded',
    ].join('');
    const route = `from ${labels.get(t.from) ?? t.from} to ${labels.get(t.to) ?? t.to}`;
    return {
      id: t.key,
      type: 'transition',
      source: t.from,
      target: t.to,
      data: {
        label: t.label,
        bow: bows.get(t.key) ?? 0,
        approval,
        signature: t.signature?.meaning ?? null,
        guarded: t.guard !== null,
        problems,
      },
      selected: context.selected?.kind === 'transition' && context.selected.key === t.key,
      deletable: !context.readOnly,
      markerEnd: {
        type: 'arrowclosed',
        width: 18,
        height: 18,
        color: problems.length > 0 ? '#b42318' : '#4f6072',
      },
      ariaLabel: `Transition ${t.label || t.key} ${route}${needs}${problemsNote(problems)}`,
      domAttributes: { 'data-transition-key': t.key },
    };
  });
}

function sameNode(a: StateNode, b: StateNode): boolean {
  return (
    a.position.x === b.position.x &&
    a.position.y === b.position.y &&
    a.selected === b.selected &&
    a.draggable === b.draggable &&
    a.ariaLabel === b.ariaLabel &&
    JSON.stringify(a.data) === JSON.stringify(b.data)
  );
}

/**
 * The rebuilt nodes, reusing the previous node object where nothing changed (Svelte Flow skips those)
 * and carrying over what Svelte Flow measured otherwise (without it a node is hidden until measured).
 */
export function mergeNodes(previous: readonly StateNode[], next: readonly StateNode[]): StateNode[] {
  const before = new Map(previous.map((n) => [n.id, n]));
  return next.map((node) => {
    const old = before.get(node.id);
    if (old === undefined) return node;
    if (sameNode(old, node)) return old;
    return old.measured === undefined ? node : { ...node, measured: old.measured };
  });
}

/** States whose node now stands elsewhere than the definition says, once no drag is under way. */
export function movedStates(
  definition: WorkflowDefinition,
  nodes: readonly StateNode[],
): Map<string, { x: number; y: number }> {
  const moved = new Map<string, { x: number; y: number }>();
  if (nodes.some((n) => n.dragging)) return moved;
  const positions = new Map(definition.states.map((s) => [s.key, s.position]));
  for (const node of nodes) {
    const at = positions.get(node.id);
    const x = Math.round(node.position.x);
    const y = Math.round(node.position.y);
    if (at !== undefined && (at.x !== x || at.y !== y)) moved.set(node.id, { x, y });
  }
  return moved;
}

/**
 * The state or transition an event happened on, from the `data-state-key` and `data-transition-key`
 * attributes the graph puts on nodes, edges and edge labels; undefined elsewhere (the pane, controls).
 */
export function partAt(target: EventTarget | null): Selection | undefined {
  if (typeof Element === 'undefined' || !(target instanceof Element)) return undefined;
  const part = target.closest<HTMLElement | SVGElement>('[data-state-key], [data-transition-key]');
  const state = part?.dataset.stateKey;
  if (state !== undefined) return { kind: 'state', key: state };
  const transition = part?.dataset.transitionKey;
  return transition === undefined ? undefined : { kind: 'transition', key: transition };
}

/**
 * Which states the graph has, in a form that changes only when one is added, removed or re-keyed: the
 * graph is fitted to its canvas again then (FitView.svelte), never when a state is merely dragged.
 */
export function graphShape(definition: WorkflowDefinition): string {
  return definition.states
    .map((s) => s.key)
    .sort()
    .join(' ');
}

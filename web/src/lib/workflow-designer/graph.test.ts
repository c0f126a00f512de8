import { describe, expect, it } from 'vitest';
import {
  type GraphContext,
  graphShape,
  mergeNodes,
  movedStates,
  partAt,
  stateNodes,
  transitionEdges,
} from './graph';
import { indexIssues, NO_ISSUES } from './issues';
import { sampleDefinition } from './testing';

const context: GraphContext = {
  issues: NO_ISSUES,
  selected: null,
  readOnly: false,
  names: { roles: new Map([['quality', 'Quality']]), users: new Map() },
};

describe('stateNodes', () => {
  it('draws a node per state at its place, labelled for screen readers', () => {
    const nodes = stateNodes(sampleDefinition(), context);
    expect(nodes.map((n) => n.id)).toEqual(['draft', 'review', 'closed']);
    expect(nodes[1]).toMatchObject({
      type: 'state',
      position: { x: 0, y: 140 },
      data: { label: 'Under review', kind: 'normal', problems: [] },
      draggable: true,
      ariaLabel: 'Under review, state',
    });
    expect(nodes[0]?.ariaLabel).toBe('Draft, initial state');
  });

  it('marks the selected state and the problems on a state', () => {
    const issues = indexIssues([
      { at: { kind: 'state', key: 'closed' }, path: '', message: 'Unreachable' },
      { at: { kind: 'state', key: 'closed' }, path: '', message: 'Locked without fields' },
    ]);
    const nodes = stateNodes(sampleDefinition(), {
      ...context,
      issues,
      selected: { kind: 'state', key: 'closed' },
    });
    expect(nodes[2]?.selected).toBe(true);
    expect(nodes[2]?.data.problems).toEqual(['Unreachable', 'Locked without fields']);
    expect(nodes[2]?.ariaLabel).toBe('Closed, final state, 2 problems');
    expect(nodes[0]?.selected).toBe(false);
  });

  it('locks the graph of a published version', () => {
    const [node] = stateNodes(sampleDefinition(), { ...context, readOnly: true });
    expect(node).toMatchObject({ draggable: false, connectable: false, deletable: false });
  });
});

describe('transitionEdges', () => {
  it('draws an edge per transition with its approval and signature', () => {
    const edges = transitionEdges(sampleDefinition(), context);
    expect(edges.map((e) => [e.id, e.source, e.target])).toEqual([
      ['submit', 'draft', 'review'],
      ['approve', 'review', 'closed'],
      ['send_back', 'review', 'draft'],
    ]);
    expect(edges[1]?.data).toMatchObject({ approval: '2 of Quality', signature: 'approval', guarded: false });
    expect(edges[1]?.ariaLabel).toBe(
      'Transition Approve from Under review to Closed, needs approval by 2 of Quality, signed for approval',
    );
    expect(edges[0]?.data?.approval).toBeNull();
  });

  it('bows a transition and its way back apart', () => {
    const edges = transitionEdges(sampleDefinition(), context);
    expect(edges.find((e) => e.id === 'submit')?.data?.bow).not.toBe(0);
    expect(edges.find((e) => e.id === 'approve')?.data?.bow).toBe(0);
  });

  it('colours the arrow of a transition with problems', () => {
    const issues = indexIssues([
      { at: { kind: 'transition', key: 'submit' }, path: 'actors', message: 'Nobody' },
    ]);
    const [edge] = transitionEdges(sampleDefinition(), { ...context, issues });
    expect(edge?.data?.problems).toEqual(['Nobody']);
    expect(edge?.markerEnd).toMatchObject({ color: '#b42318' });
    expect(edge?.ariaLabel?.endsWith(', 1 problem')).toBe(true);
  });
});

describe('mergeNodes', () => {
  it('reuses unchanged nodes and keeps what was measured of changed ones', () => {
    const before = stateNodes(sampleDefinition(), context).map((n) => ({
      ...n,
      measured: { width: 120, height: 48 },
    }));
    const definition = sampleDefinition();
    const review = definition.states[1];
    if (review === undefined) throw new Error('sample changed');
    review.label = 'In review';
    const merged = mergeNodes(before, stateNodes(definition, context));
    expect(merged[0]).toBe(before[0]);
    expect(merged[1]).not.toBe(before[1]);
    expect(merged[1]).toMatchObject({ data: { label: 'In review' }, measured: { width: 120, height: 48 } });
  });
});

describe('movedStates', () => {
  it('reads back where states were dragged, once the drag is over', () => {
    const nodes = stateNodes(sampleDefinition(), context);
    const dragged = nodes.map((n) => (n.id === 'review' ? { ...n, position: { x: 40.2, y: 150.7 } } : n));
    expect(movedStates(sampleDefinition(), dragged)).toEqual(new Map([['review', { x: 40, y: 151 }]]));
    const dragging = dragged.map((n) => (n.id === 'review' ? { ...n, dragging: true } : n));
    expect(movedStates(sampleDefinition(), dragging).size).toBe(0);
    expect(movedStates(sampleDefinition(), nodes).size).toBe(0);
  });
});

describe('graphShape', () => {
  it('changes when a state is added or removed, not when one moves or the order changes', () => {
    const definition = sampleDefinition();
    const shape = graphShape(definition);
    const moved = {
      ...definition,
      states: definition.states.map((s) => ({ ...s, position: { x: s.position.x + 40, y: 7 } })).reverse(),
    };
    expect(graphShape(moved)).toBe(shape);
    const fewer = { ...definition, states: definition.states.slice(1) };
    expect(graphShape(fewer)).not.toBe(shape);
  });
});

describe('partAt', () => {
  it('finds nothing outside a browser or off the graph’s parts', () => {
    expect(partAt(null)).toBeUndefined();
    expect(partAt({} as EventTarget)).toBeUndefined();
  });
});

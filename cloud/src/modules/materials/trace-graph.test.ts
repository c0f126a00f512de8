import { describe, expect, it } from 'vitest';
import { depths, holds } from './trace-graph.js';

/* Depth and block marks of a traced genealogy (trace-graph.ts), on a diamond with a cycle. */
const edge = (parentLotId: string, childLotId: string) => ({ parentLotId, childLotId });
// a → b → d, a → c → d (a diamond), d → e, e → a (a cycle back to the start).
const edges = [
  edge('a', 'b'),
  edge('a', 'c'),
  edge('b', 'd'),
  edge('c', 'd'),
  edge('d', 'e'),
  edge('e', 'a'),
];
const lot = (lotId: string, status = 'released') => ({ lotId, lotCode: lotId.toUpperCase(), status });

describe('depths', () => {
  it('gives each lot the fewest edges from a start, once, whatever the diamonds and cycles', () => {
    expect(Object.fromEntries(depths(['a'], edges, 'forward'))).toEqual({ a: 0, b: 1, c: 1, d: 2, e: 3 });
    expect(Object.fromEntries(depths(['d'], edges, 'backward'))).toEqual({ d: 0, b: 1, c: 1, a: 2, e: 3 });
  });

  it('starts from several lots at once and keeps a lone start', () => {
    expect(Object.fromEntries(depths(['b', 'c'], edges, 'forward'))).toEqual({
      b: 0,
      c: 0,
      d: 1,
      e: 2,
      a: 3,
    });
    expect(Object.fromEntries(depths(['z'], edges, 'forward'))).toEqual({ z: 0 });
  });
});

describe('holds', () => {
  it('marks every lot below a blocked one with the nearest blocked lot', () => {
    const lots = [lot('a'), lot('b'), lot('c', 'blocked'), lot('d'), lot('e')];
    const acyclic = edges.slice(0, 5);
    expect(Object.fromEntries(holds(lots, acyclic))).toEqual({ c: 'C', d: 'C', e: 'C' });
  });

  it('carries a block from above the graph down from the lots it holds', () => {
    const lots = ['a', 'b', 'c', 'd', 'e'].map((id) => lot(id));
    expect(Object.fromEntries(holds(lots, edges.slice(0, 5), new Map([['b', 'X']])))).toEqual({
      b: 'X',
      d: 'X',
      e: 'X',
    });
    expect(holds(lots, edges.slice(0, 5)).size).toBe(0);
  });
});

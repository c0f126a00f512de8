import { describe, expect, it } from 'vitest';
import { COLUMN_WIDTH, holdText, ROW_HEIGHT, type Trace, traceLayout } from './trace-layout';

const node = (lotId: string, depth: number, heldBy: string | null = null) => ({
  lotId,
  lotCode: lotId.toUpperCase(),
  materialId: 'm',
  materialCode: 'MIX',
  materialName: 'Mix',
  baseUnit: 'kg',
  status: 'released',
  plantId: 'p',
  depth,
  onHand: '5',
  heldBy,
});

const trace = (direction: 'forward' | 'backward'): Trace => ({
  direction,
  rootLotIds: ['a'],
  nodes: [node('a', 0), node('b', 1), node('c', 1), node('d', 2, 'B')],
  edges: [
    {
      parentLotId: 'a',
      childLotId: 'b',
      kind: 'production',
      quantity: '3',
      productionOrderId: 'o',
      plantId: 'p',
    },
    {
      parentLotId: 'a',
      childLotId: 'c',
      kind: 'split',
      quantity: '2',
      productionOrderId: null,
      plantId: 'p',
    },
    {
      parentLotId: 'b',
      childLotId: 'd',
      kind: 'merge',
      quantity: '3',
      productionOrderId: null,
      plantId: 'p',
    },
    {
      parentLotId: 'c',
      childLotId: 'd',
      kind: 'merge',
      quantity: '2',
      productionOrderId: null,
      plantId: 'p',
    },
  ],
  orders: [],
  shipments: [],
  transfers: [],
  plants: [],
});

describe('traceLayout', () => {
  it('puts each depth in a column and its lots one under the other, every edge drawn', () => {
    const { nodes, edges } = traceLayout(trace('forward'));
    expect(nodes.map((n) => [n.id, n.position.x, n.position.y])).toEqual([
      ['a', 0, 0],
      ['b', COLUMN_WIDTH, 0],
      ['c', COLUMN_WIDTH, ROW_HEIGHT],
      ['d', 2 * COLUMN_WIDTH, 0],
    ]);
    expect(nodes[0]?.data.start).toBe(true);
    expect(edges.map((e) => `${e.source}>${e.target} ${e.label}`)).toEqual([
      'a>b production 3',
      'a>c split 2',
      'b>d merge 3',
      'c>d merge 2',
    ]);
  });

  it('draws a backward trace leftwards, so parents stay on the left of their children', () => {
    const { nodes } = traceLayout(trace('backward'));
    expect(nodes.find((n) => n.id === 'd')?.position.x).toBe(-2 * COLUMN_WIDTH);
  });
});

describe('holdText', () => {
  it('says whether a lot is blocked itself or made from a blocked lot', () => {
    expect(holdText({ lotCode: 'B', heldBy: 'B' })).toBe('Blocked');
    expect(holdText({ lotCode: 'D', heldBy: 'B' })).toBe('Made from blocked lot B');
    expect(holdText({ lotCode: 'A', heldBy: null })).toBe('');
  });
});

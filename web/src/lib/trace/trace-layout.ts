import { formatQuantity } from '../stock';
import type { trpc } from '../trpc';

/*
 * Laying out a lot trace for the graph (docs/materials.md, "Trace"): one column per depth — the
 * starting lots at the left, then each step forward (or backward) — and the lots of a column one
 * under the other in the order the trace gives them. Every lot and edge is drawn at once (expand all,
 * not one level per click). Pure, so it is tested without a browser.
 */

export type Trace = Awaited<ReturnType<typeof trpc.materials.lots.trace.query>>;
export type TraceNode = Trace['nodes'][number];

export const COLUMN_WIDTH = 240;
export const ROW_HEIGHT = 84;

export interface LotNodeData extends Record<string, unknown> {
  lotCode: string;
  material: string;
  status: string;
  onHand: string;
  heldBy: string | null;
  start: boolean;
}

export interface LaidOutNode {
  id: string;
  type: 'lot';
  position: { x: number; y: number };
  data: LotNodeData;
}

export interface LaidOutEdge {
  id: string;
  source: string;
  target: string;
  label: string;
  animated: boolean;
}

/** Graph nodes and edges of `trace`; edges always point from the parent lot to the child lot. */
export function traceLayout(trace: Trace): { nodes: LaidOutNode[]; edges: LaidOutEdge[] } {
  const rows = new Map<number, number>();
  const starts = new Set(trace.rootLotIds);
  const direction = trace.direction === 'forward' ? 1 : -1;
  const nodes = trace.nodes.map((n): LaidOutNode => {
    const row = rows.get(n.depth) ?? 0;
    rows.set(n.depth, row + 1);
    return {
      id: n.lotId,
      type: 'lot',
      position: { x: direction * n.depth * COLUMN_WIDTH, y: row * ROW_HEIGHT },
      data: {
        lotCode: n.lotCode,
        material: n.materialCode,
        status: n.status,
        onHand: `${formatQuantity(n.onHand)} ${n.baseUnit}`,
        heldBy: n.heldBy,
        start: starts.has(n.lotId),
      },
    };
  });
  const edges = trace.edges.map((e, i) => ({
    id: `${e.parentLotId}>${e.childLotId}:${i}`,
    source: e.parentLotId,
    target: e.childLotId,
    label: `${e.kind} ${e.quantity}`,
    animated: e.kind !== 'production',
  }));
  return { nodes, edges };
}

/** "Held by A1" when a lot is blocked or made from a blocked lot; "" otherwise. */
export function holdText(node: Pick<TraceNode, 'lotCode' | 'heldBy'>): string {
  if (node.heldBy === null) return '';
  return node.heldBy === node.lotCode ? 'Blocked' : `Made from blocked lot ${node.heldBy}`;
}

/*
 * Shaping a traced genealogy (docs/materials.md, "Trace"): the database finds the lots and edges in
 * one statement that visits each lot once; these pure functions give each lot its depth — the fewest
 * edges from a starting lot, the column it is drawn in — and carry a block down the edges, so every
 * lot made from a blocked lot is marked. Both run in O(lots + edges).
 */

export type TraceDirection = 'forward' | 'backward';

export interface GraphEdge {
  parentLotId: string;
  childLotId: string;
}

/** Depth of every lot reachable from `roots` along `edges` in `direction`; roots are depth 0. */
export function depths(
  roots: readonly string[],
  edges: readonly GraphEdge[],
  direction: TraceDirection,
): Map<string, number> {
  const next = new Map<string, string[]>();
  for (const e of edges) {
    const [from, to] =
      direction === 'forward' ? [e.parentLotId, e.childLotId] : [e.childLotId, e.parentLotId];
    const list = next.get(from);
    if (list === undefined) next.set(from, [to]);
    else list.push(to);
  }
  const depth = new Map<string, number>();
  let frontier = [...new Set(roots)];
  for (const root of frontier) depth.set(root, 0);
  for (let level = 1; frontier.length > 0; level++) {
    const reached: string[] = [];
    for (const lot of frontier)
      for (const to of next.get(lot) ?? [])
        if (!depth.has(to)) {
          depth.set(to, level);
          reached.push(to);
        }
    frontier = reached;
  }
  return depth;
}

/**
 * For every lot of the graph, the blocked lot it is held by: itself when blocked, or the nearest
 * blocked lot upstream of it along the edges (parent → child, whatever the trace's direction).
 * `heldFromAbove` gives lots held by a block outside the graph (upstream of a forward trace's start).
 */
export function holds(
  lots: readonly { lotId: string; lotCode: string; status: string }[],
  edges: readonly GraphEdge[],
  heldFromAbove: ReadonlyMap<string, string> = new Map(),
): Map<string, string> {
  const children = new Map<string, string[]>();
  for (const e of edges) {
    const list = children.get(e.parentLotId);
    if (list === undefined) children.set(e.parentLotId, [e.childLotId]);
    else list.push(e.childLotId);
  }
  const held = new Map<string, string>();
  const queue: string[] = [];
  for (const lot of lots)
    if (lot.status === 'blocked') {
      held.set(lot.lotId, lot.lotCode);
      queue.push(lot.lotId);
    }
  for (const [lotId, by] of heldFromAbove)
    if (!held.has(lotId)) {
      held.set(lotId, by);
      queue.push(lotId);
    }
  for (let i = 0; i < queue.length; i++) {
    const lot = queue[i] as string;
    const by = held.get(lot) as string;
    for (const child of children.get(lot) ?? [])
      if (!held.has(child)) {
        held.set(child, by);
        queue.push(child);
      }
  }
  return held;
}

import { GridStack, type GridStackNode } from 'gridstack';
import 'gridstack/dist/gridstack.min.css';
import type { Action } from 'svelte/action';
import { GRID_COLUMNS, type GridPos, ROW_PX } from './model';

/*
 * gridstack as a Svelte action for the dashboard editor (docs/dashboards.md, "Editing"): the element's
 * children with the `grid-stack-item` class and `gs-*` attributes are the widgets, rendered by Svelte.
 * The action starts the grid on 24 columns, takes in children Svelte adds or removes, and reports every
 * move or resize with all places. Below a narrow width the grid shows one column; places are only
 * reported on 24 columns, so looking at a dashboard on a phone never rearranges it.
 */

export interface GridParams {
  /** The widget ids in the order rendered: a change makes the grid look for added and removed children. */
  ids: readonly string[];
  onLayout: (places: ({ id: string } & GridPos)[]) => void;
}

/** Narrower than this (in pixels of the grid), one column. */
export const ONE_COLUMN_BELOW_PX = 700;

function placesOf(grid: GridStack): ({ id: string } & GridPos)[] {
  return grid.engine.nodes
    .filter((n): n is GridStackNode & { id: string } => typeof n.id === 'string')
    .map((n) => ({ id: n.id, x: n.x ?? 0, y: n.y ?? 0, w: n.w ?? 1, h: n.h ?? 1 }));
}

export const dashboardGrid: Action<HTMLElement, GridParams> = (element, initial) => {
  let params = initial;
  const started = GridStack.init(
    {
      column: GRID_COLUMNS,
      cellHeight: ROW_PX,
      margin: 4,
      animate: false,
      columnOpts: { breakpoints: [{ w: ONE_COLUMN_BELOW_PX, c: 1 }], layout: 'list' },
      draggable: { handle: '.widget-handle' },
      resizable: { handles: 'e,se,s,w' },
    },
    element,
  );
  if (started === null) throw new Error('gridstack did not start on the dashboard grid');
  const grid = started;
  grid.on('change', () => {
    if (grid.getColumn() !== GRID_COLUMNS) return;
    params.onLayout(placesOf(grid));
  });

  function sync() {
    const managed = new Set(grid.getGridItems());
    for (const child of element.querySelectorAll<HTMLElement>(':scope > .grid-stack-item')) {
      if (!managed.has(child as never)) grid.makeWidget(child);
    }
    for (const item of managed) {
      if (!element.contains(item)) grid.removeWidget(item, false, false);
    }
  }

  return {
    update(next) {
      const changed = next.ids.join() !== params.ids.join();
      params = next;
      if (changed) sync();
    },
    destroy() {
      grid.offAll();
      grid.destroy(false);
    },
  };
};

import type { trpc } from '../trpc';

/*
 * The dashboard builder's data (docs/dashboards.md): the definition's types, inferred from the
 * cloud's router (cloud/src/modules/dashboards/definition.ts) so a change there is a type error here;
 * the widget catalogue with each type's starting size and options; and where a new widget goes.
 */
type Client = typeof trpc;
export type DashboardRecord = Awaited<ReturnType<Client['dashboards']['get']['query']>>;
export type DashboardSummary = Awaited<ReturnType<Client['dashboards']['list']['query']>>[number];
export type Definition = DashboardRecord['definition'];
export type Widget = Definition['widgets'][number];
export type WidgetType = Widget['type'];
export type GridPos = Widget['gridPos'];
export type VariableKind = Definition['variables'][number];
export type TimeRangePreset = Definition['timeRange'];
export type KpiMetric = Extract<Widget, { type: 'kpi' }>['options']['metric'];
export type VersionRow = Awaited<ReturnType<Client['dashboards']['versions']['query']>>[number];
export type VersionDiff = Awaited<ReturnType<Client['dashboards']['diff']['query']>>;

export const GRID_COLUMNS = 24;
/** Pixels per grid row; a widget's height is rows of this. */
export const ROW_PX = 40;
export const MIN_REFRESH_SECONDS = 5;

export const TIME_RANGE_LABELS: Record<TimeRangePreset, string> = {
  currentShift: 'Current shift',
  today: 'Today',
  yesterday: 'Yesterday',
  last24h: 'Last 24 hours',
  last7d: 'Last 7 days',
  last30d: 'Last 30 days',
};

export const VARIABLE_LABELS: Record<VariableKind, string> = {
  plant: 'Plant',
  line: 'Line',
  machine: 'Machine',
  timeRange: 'Time range',
  shift: 'Shift',
};

export const METRIC_LABELS: Record<KpiMetric, string> = {
  oee: 'OEE',
  availability: 'Availability',
  performance: 'Performance',
  quality: 'Quality',
  fpy: 'First pass yield',
  rty: 'Rolled throughput yield',
  otd: 'On-time delivery',
};

export const OEE_METRICS: readonly KpiMetric[] = ['oee', 'availability', 'performance', 'quality'];

interface CatalogueEntry<T extends WidgetType> {
  label: string;
  /** What the palette says about it. */
  hint: string;
  size: { w: number; h: number };
  title: string;
  options: Extract<Widget, { type: T }>['options'];
}

export const WIDGET_CATALOGUE: { [T in WidgetType]: CatalogueEntry<T> } = {
  kpi: {
    label: 'KPI tile',
    hint: 'OEE, A, P, Q live; FPY, RTY or OTD',
    size: { w: 6, h: 4 },
    title: 'OEE',
    options: { metric: 'oee', breakdown: 'total' },
  },
  trend: {
    label: 'Trend',
    hint: 'OEE per shift, day or week',
    size: { w: 12, h: 7 },
    title: 'OEE trend',
    options: { by: 'day', days: 14 },
  },
  pareto: {
    label: 'Pareto',
    hint: 'Downtime by reason or scrap by machine',
    size: { w: 12, h: 8 },
    title: 'Downtime Pareto',
    options: { source: 'downtime', top: 10 },
  },
  timeline: {
    label: 'State timeline',
    hint: 'The machine variable’s states',
    size: { w: 24, h: 3 },
    title: 'Machine states',
    options: {},
  },
  table: {
    label: 'Table',
    hint: 'Downtime by reason or open NCRs',
    size: { w: 12, h: 8 },
    title: 'Downtime by reason',
    options: { source: 'downtime', rows: 10 },
  },
  machines: {
    label: 'Machine tiles',
    hint: 'Each machine’s live state and OEE',
    size: { w: 24, h: 8 },
    title: 'Machines',
    options: { onlyDown: false },
  },
  text: {
    label: 'Text',
    hint: 'Notes, headings and lists',
    size: { w: 8, h: 3 },
    title: 'Notes',
    options: { text: '' },
  },
};

export const WIDGET_TYPES = Object.keys(WIDGET_CATALOGUE) as WidgetType[];

/** The first row below every widget. */
export function bottomRow(widgets: readonly Widget[]): number {
  return widgets.reduce((max, w) => Math.max(max, w.gridPos.y + w.gridPos.h), 0);
}

/** A new widget of a type, with an id no other widget has, at the left below the others. */
export function newWidget(type: WidgetType, widgets: readonly Widget[]): Widget {
  const entry = WIDGET_CATALOGUE[type];
  const ids = new Set(widgets.map((w) => w.id));
  let n = 1;
  while (ids.has(`${type}-${n}`)) n++;
  return {
    id: `${type}-${n}`,
    type,
    title: entry.title,
    gridPos: { x: 0, y: bottomRow(widgets), ...entry.size },
    options: structuredClone(entry.options),
  } as Widget;
}

/** The definition with the grid's places applied; widgets the grid does not name keep theirs. */
export function withLayout(
  definition: Definition,
  places: readonly ({ id: string } & GridPos)[],
): Definition {
  const byId = new Map(places.map((p) => [p.id, p]));
  return {
    ...definition,
    widgets: definition.widgets.map((w) => {
      const place = byId.get(w.id);
      if (place === undefined) return w;
      const gridPos = { x: place.x, y: place.y, w: place.w, h: place.h };
      const same =
        gridPos.x === w.gridPos.x &&
        gridPos.y === w.gridPos.y &&
        gridPos.w === w.gridPos.w &&
        gridPos.h === w.gridPos.h;
      return same ? w : { ...w, gridPos };
    }),
  };
}

/**
 * Variables in their chain: line needs plant, machine needs line, shift needs plant. Turning one
 * on turns on what it needs; turning one off turns off what needs it.
 */
export function toggleVariable(
  variables: readonly VariableKind[],
  kind: VariableKind,
  on: boolean,
): VariableKind[] {
  const needs: Partial<Record<VariableKind, VariableKind>> = {
    line: 'plant',
    machine: 'line',
    shift: 'plant',
  };
  const next = new Set(variables);
  if (on) {
    for (let k: VariableKind | undefined = kind; k !== undefined; k = needs[k]) next.add(k);
  } else {
    next.delete(kind);
    let changed = true;
    while (changed) {
      changed = false;
      for (const k of [...next]) {
        const need = needs[k];
        if (need !== undefined && !next.has(need)) {
          next.delete(k);
          changed = true;
        }
      }
    }
  }
  const order: VariableKind[] = ['plant', 'line', 'machine', 'timeRange', 'shift'];
  return order.filter((k) => next.has(k));
}

/** A dashboard file's text as the document `dashboards.import` takes, or why it is not one. */
export function parseImportFile(text: string): { document: unknown } | { error: string } {
  try {
    return { document: JSON.parse(text) };
  } catch {
    return { error: 'The file is not JSON: export a dashboard from Plantline and import that file' };
  }
}

import { z } from 'zod';

/*
 * What a dashboard is (docs/dashboards.md): widgets placed on a 24-column grid (gridPos {x, y, w, h},
 * the model Grafana uses), the variables its bar offers, the default time range and how often the
 * widgets that are not live read again. The same schema checks a save, an import and the shipped
 * dashboards, so a definition in the table is always one of these.
 */

export const GRID_COLUMNS = 24;
/** Rows of about 40 px: 40 rows is two screens, more than any sane widget needs. */
export const MAX_WIDGET_HEIGHT = 40;
export const MAX_GRID_ROWS = 400;
export const MAX_WIDGETS = 48;
/** Grafana's floor too: a shorter interval costs the database more than a wall display gains. */
export const MIN_REFRESH_SECONDS = 5;
export const MAX_REFRESH_SECONDS = 86_400;

export const timeRangePresets = [
  'currentShift',
  'today',
  'yesterday',
  'last24h',
  'last7d',
  'last30d',
] as const;
export type TimeRangePreset = (typeof timeRangePresets)[number];

/** Variables in the order the bar shows them; each of line and machine needs the one before it. */
export const variableKinds = ['plant', 'line', 'machine', 'timeRange', 'shift'] as const;
export type VariableKind = (typeof variableKinds)[number];

export const kpiMetrics = ['oee', 'availability', 'performance', 'quality', 'fpy', 'rty', 'otd'] as const;
/** The metrics of the OEE model, which the live stream carries per line too. */
export const oeeMetrics = ['oee', 'availability', 'performance', 'quality'] as const;
export const widgetTypes = ['kpi', 'trend', 'pareto', 'timeline', 'table', 'machines', 'text'] as const;
export type WidgetType = (typeof widgetTypes)[number];

const gridPos = z
  .object({
    x: z
      .number()
      .int()
      .min(0, 'x starts at 0')
      .max(GRID_COLUMNS - 1),
    y: z.number().int().min(0, 'y starts at 0').max(MAX_GRID_ROWS),
    w: z.number().int().min(1, 'A widget is at least 1 column wide').max(GRID_COLUMNS),
    h: z.number().int().min(1, 'A widget is at least 1 row high').max(MAX_WIDGET_HEIGHT),
  })
  .refine((p) => p.x + p.w <= GRID_COLUMNS, {
    message: `A widget ends within the ${GRID_COLUMNS} columns`,
    path: ['w'],
  });

const title = z.string().trim().max(120, 'At most 120 characters');

const common = {
  id: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'A widget id is 1–40 letters, digits, - and _'),
  title,
  gridPos,
};

export const widgetSchema = z.discriminatedUnion(
  'type',
  [
    z.object({
      ...common,
      type: z.literal('kpi'),
      // `lines`: one figure per line of the plant (or of the line variable's line) beside the total.
      options: z.object({ metric: z.enum(kpiMetrics), breakdown: z.enum(['total', 'lines']) }),
    }),
    z.object({
      ...common,
      type: z.literal('trend'),
      // The last `days` up to now, whatever the time range: a trend wants more than one shift.
      options: z.object({ by: z.enum(['shift', 'day', 'week']), days: z.number().int().min(1).max(92) }),
    }),
    z.object({
      ...common,
      type: z.literal('pareto'),
      options: z.object({ source: z.enum(['downtime', 'scrap']), top: z.number().int().min(3).max(30) }),
    }),
    z.object({
      ...common,
      type: z.literal('timeline'),
      // The machine is the dashboard's machine variable: a definition holds no ids of the tenant, so
      // it exports and imports as it is.
      options: z.object({}),
    }),
    z.object({
      ...common,
      type: z.literal('table'),
      options: z.object({
        source: z.enum(['downtime', 'openNcrs']),
        rows: z.number().int().min(1).max(100),
      }),
    }),
    z.object({
      ...common,
      type: z.literal('machines'),
      options: z.object({ onlyDown: z.boolean() }),
    }),
    z.object({
      ...common,
      type: z.literal('text'),
      options: z.object({ text: z.string().max(5_000, 'At most 5000 characters') }),
    }),
  ],
  { error: `A widget's type is one of ${widgetTypes.join(', ')}` },
);

export type Widget = z.infer<typeof widgetSchema>;

const oeeMetricSet = new Set<string>(oeeMetrics);
export const isOeeMetric = (metric: string) => oeeMetricSet.has(metric);

export const definitionSchema = z
  .object({
    widgets: z.array(widgetSchema).max(MAX_WIDGETS, `At most ${MAX_WIDGETS} widgets`),
    variables: z.array(z.enum(variableKinds)).max(variableKinds.length),
    timeRange: z.enum(timeRangePresets),
    refreshSeconds: z
      .number()
      .int()
      .min(MIN_REFRESH_SECONDS, `Refresh at most every ${MIN_REFRESH_SECONDS} s`)
      .max(MAX_REFRESH_SECONDS),
  })
  .superRefine((d, ctx) => {
    const ids = new Set<string>();
    d.widgets.forEach((w, i) => {
      if (ids.has(w.id))
        ctx.addIssue({ code: 'custom', message: 'Widget ids are unique', path: ['widgets', i, 'id'] });
      ids.add(w.id);
    });
    const variables = new Set(d.variables);
    if (variables.size !== d.variables.length)
      ctx.addIssue({ code: 'custom', message: 'A variable is listed once', path: ['variables'] });
    if (variables.has('line') && !variables.has('plant'))
      ctx.addIssue({
        code: 'custom',
        message: 'The line variable needs the plant variable',
        path: ['variables'],
      });
    if (variables.has('machine') && !variables.has('line'))
      ctx.addIssue({
        code: 'custom',
        message: 'The machine variable needs the line variable',
        path: ['variables'],
      });
    if (variables.has('shift') && !variables.has('plant'))
      ctx.addIssue({
        code: 'custom',
        message: 'The shift variable needs the plant variable',
        path: ['variables'],
      });
    d.widgets.forEach((w, i) => {
      if (w.type === 'kpi' && w.options.breakdown === 'lines' && !isOeeMetric(w.options.metric))
        ctx.addIssue({
          code: 'custom',
          message: 'Only OEE and its factors are broken down by line',
          path: ['widgets', i, 'options', 'breakdown'],
        });
      if (w.type === 'timeline' && !variables.has('machine'))
        ctx.addIssue({
          code: 'custom',
          message: 'A state timeline shows the machine variable’s machine: add that variable',
          path: ['widgets', i, 'type'],
        });
    });
  });

export type DashboardDefinition = z.infer<typeof definitionSchema>;

/** A new dashboard: nothing on it yet, a plant to choose, the current shift. */
export const emptyDefinition = (): DashboardDefinition => ({
  widgets: [],
  variables: ['plant', 'timeRange'],
  timeRange: 'currentShift',
  refreshSeconds: 60,
});

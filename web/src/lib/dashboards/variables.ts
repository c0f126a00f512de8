import { localDate } from '../machine-charts';
import type { Definition, TimeRangePreset, VariableKind } from './model';

/*
 * A dashboard's variables live in the URL query (docs/dashboards.md, "Variables"), so a link or a
 * kiosk rotation opens it as it was seen: ?plant=…&line=…&machine=…&range=today&shift=…. Values
 * the dashboard has no variable for are ignored; a chained value without the one before it too.
 */

export interface VariableValues {
  plantId: string | null;
  lineId: string | null;
  machineId: string | null;
  range: TimeRangePreset;
  shiftId: string | null;
}

const PRESETS: readonly TimeRangePreset[] = [
  'currentShift',
  'today',
  'yesterday',
  'last24h',
  'last7d',
  'last30d',
];
const QUERY_KEYS: Record<keyof VariableValues, string> = {
  plantId: 'plant',
  lineId: 'line',
  machineId: 'machine',
  range: 'range',
  shiftId: 'shift',
};

/**
 * The values in force: the URL's where the dashboard has the variable and the value is allowed (a plant
 * the user may see), else the first plant and the dashboard's own time range.
 */
export function readVariables(
  params: URLSearchParams,
  definition: Pick<Definition, 'variables' | 'timeRange'>,
  plants: readonly { id: string }[],
): VariableValues {
  const has = (kind: VariableKind) => definition.variables.includes(kind);
  const wanted = params.get('plant');
  const plantId = plants.find((p) => p.id === wanted)?.id ?? plants[0]?.id ?? null;
  const lineId = has('line') && plantId !== null ? params.get('line') || null : null;
  const machineId = has('machine') && lineId !== null ? params.get('machine') || null : null;
  const range = params.get('range');
  return {
    plantId,
    lineId,
    machineId,
    range:
      has('timeRange') && PRESETS.includes(range as TimeRangePreset)
        ? (range as TimeRangePreset)
        : definition.timeRange,
    shiftId: has('shift') && plantId !== null ? params.get('shift') || null : null,
  };
}

/**
 * The address with some values changed: a new plant clears line, machine and shift; a new line clears
 * the machine. Other parameters (edit, kiosk) are kept.
 */
export function variablesHref(
  pathname: string,
  params: URLSearchParams,
  change: Partial<VariableValues>,
): string {
  const next = new URLSearchParams(params);
  const cleared: (keyof VariableValues)[] = [];
  if ('plantId' in change) cleared.push('lineId', 'machineId', 'shiftId');
  if ('lineId' in change) cleared.push('machineId');
  for (const key of cleared) next.delete(QUERY_KEYS[key]);
  for (const [key, value] of Object.entries(change) as [keyof VariableValues, string | null][]) {
    if (value === null || value === '') next.delete(QUERY_KEYS[key]);
    else next.set(QUERY_KEYS[key], value);
  }
  const query = next.toString();
  return query === '' ? pathname : `${pathname}?${query}`;
}

export type KpiWindow = 'currentShift' | { day: string } | { from: string; to: string } | { shiftId: string };

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** The KPI procedures' window for the values: a chosen shift wins over the time range. */
export function kpiWindow(
  values: Pick<VariableValues, 'range' | 'shiftId'>,
  now: number,
  timeZone?: string,
): KpiWindow {
  if (values.shiftId !== null) return { shiftId: values.shiftId };
  switch (values.range) {
    case 'currentShift':
      return 'currentShift';
    case 'today':
      return { day: localDate(now, timeZone) };
    case 'yesterday':
      return { day: localDate(now - DAY_MS, timeZone) };
    case 'last24h':
      return { from: new Date(now - DAY_MS).toISOString(), to: new Date(now).toISOString() };
    case 'last7d':
      return { from: new Date(now - 7 * DAY_MS).toISOString(), to: new Date(now).toISOString() };
    case 'last30d':
      return { from: new Date(now - 30 * DAY_MS).toISOString(), to: new Date(now).toISOString() };
  }
}

/**
 * Instants for the procedures that take a period (FPY, RTY): the range's own, where a shift or the
 * current shift reads as the last 24 hours, which holds it.
 */
export function periodOf(range: TimeRangePreset, now: number): { from: string; to: string } {
  const days: Record<TimeRangePreset, number> = {
    currentShift: 1,
    today: 1,
    yesterday: 2,
    last24h: 1,
    last7d: 7,
    last30d: 30,
  };
  return { from: new Date(now - days[range] * DAY_MS).toISOString(), to: new Date(now).toISOString() };
}

/** Whether the widgets of OEE follow the live stream: only the current shift is live. */
export function isLive(values: Pick<VariableValues, 'range' | 'shiftId'>): boolean {
  return values.range === 'currentShift' && values.shiftId === null;
}

/** The KPI scope of the values: the machine, else the line, else the plant. */
export function kpiScope(
  values: Pick<VariableValues, 'plantId' | 'lineId' | 'machineId'>,
): { kind: 'machine' | 'line' | 'plant'; id: string } | null {
  if (values.machineId !== null) return { kind: 'machine', id: values.machineId };
  if (values.lineId !== null) return { kind: 'line', id: values.lineId };
  if (values.plantId !== null) return { kind: 'plant', id: values.plantId };
  return null;
}

/** The kiosk's rotation from its address: ?d=plant-manager,quality&every=60 (seconds, 10 to 3600). */
export function kioskPlan(params: URLSearchParams): { slugs: string[]; everySeconds: number } {
  const slugs = [
    ...new Set(
      (params.get('d') ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== ''),
    ),
  ];
  const every = Number(params.get('every'));
  const everySeconds =
    Number.isFinite(every) && every > 0 ? Math.min(3600, Math.max(10, Math.round(every))) : 60;
  return { slugs, everySeconds };
}

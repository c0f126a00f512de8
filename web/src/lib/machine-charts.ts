/*
 * Data shaping for the machine page: API results → what the charts draw. Pure, so the
 * charts only render and these are tested on their own.
 */

/** The windows the machine page offers. */
export type WindowChoice = 'shift' | 'today' | 'week';

export const WINDOW_LABELS: Record<WindowChoice, string> = {
  shift: 'Current shift',
  today: 'Today',
  week: 'Last 7 days',
};

export const WINDOW_CHOICES = ['shift', 'today', 'week'] as const satisfies readonly WindowChoice[];

export type KpiWindowInput = 'currentShift' | { day: string } | { from: string; to: string };

const DAY_MS = 86_400_000;

/** Reads the window from the page's query; anything else is the current shift (the default). */
export function parseWindowChoice(value: string | null): WindowChoice {
  return value === 'today' || value === 'week' ? value : 'shift';
}

/** The local date of an instant in a time zone, as YYYY-MM-DD. */
export function localDate(now: number, timeZone?: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, dateStyle: 'short' }).format(new Date(now));
}

/**
 * The cloud's KPI window for a choice (cloud kpi.router.ts): the plant's current shift, the local day
 * in the plant's time zone (known from an earlier answer, else the browser's), or the last 7 days.
 */
export function windowInput(choice: WindowChoice, now: number, timeZone?: string): KpiWindowInput {
  if (choice === 'shift') return 'currentShift';
  if (choice === 'today') return { day: localDate(now, timeZone) };
  return { from: new Date(now - 7 * DAY_MS).toISOString(), to: new Date(now).toISOString() };
}

export interface TimelineSegmentInput {
  kind: 'state' | 'gap';
  start: number;
  end: number;
  state: string | null;
  reason?: string | null;
  colour?: string | null;
  name?: string | null;
  cause?: string;
}

export interface TimelineBar {
  kind: 'state' | 'gap';
  /** Position and width in percent of the evaluated interval. */
  left: number;
  width: number;
  colour: string | null;
  label: string;
  start: number;
  end: number;
}

export interface LegendEntry {
  key: string;
  label: string;
  colour: string | null;
}

/** An unmapped state has no colour of its own; it is counted as availability loss (oee.ts). */
export const UNMAPPED_COLOUR = '#b0b8c1';

/** The timeline's segments as bars along the evaluated interval, and a legend of what they show. */
export function timelineBars(
  segments: readonly TimelineSegmentInput[],
  evaluated: { start: number; end: number },
): { bars: TimelineBar[]; legend: LegendEntry[] } {
  const span = evaluated.end - evaluated.start;
  if (!(span > 0)) return { bars: [], legend: [] };
  const legend = new Map<string, LegendEntry>();
  const bars: TimelineBar[] = [];
  for (const s of segments) {
    const start = Math.max(s.start, evaluated.start);
    const end = Math.min(s.end, evaluated.end);
    if (!(end > start)) continue;
    const left = ((start - evaluated.start) / span) * 100;
    const width = ((end - start) / span) * 100;
    if (s.kind === 'gap') {
      bars.push({
        kind: 'gap',
        left,
        width,
        colour: null,
        label: `No data (${s.cause ?? 'gap'})`,
        start,
        end,
      });
      legend.set('gap', { key: 'gap', label: 'No data', colour: null });
      continue;
    }
    const name = s.name ?? s.state ?? 'Unknown';
    const colour = s.colour ?? UNMAPPED_COLOUR;
    const label = s.reason ? `${name} · ${s.reason}` : name;
    bars.push({ kind: 'state', left, width, colour, label, start, end });
    const key = `state:${s.state}`;
    if (!legend.has(key)) legend.set(key, { key, label: name, colour });
  }
  // The gap entry last, after the states in the order they first appear.
  const entries = [...legend.values()];
  return {
    bars,
    legend: [...entries.filter((e) => e.key !== 'gap'), ...entries.filter((e) => e.key === 'gap')],
  };
}

export interface ParetoEntryInput {
  name: string;
  cause: string;
  durationMs: number;
  cumulativeShare: number;
}

/** uPlot aligned data for the Pareto: x = rank, bars = minutes, line = cumulative percent. */
export function paretoData(entries: readonly ParetoEntryInput[]): {
  data: [number[], number[], number[]];
  labels: string[];
} {
  return {
    data: [
      entries.map((_, k) => k),
      entries.map((e) => Math.round((e.durationMs / 60_000) * 10) / 10),
      entries.map((e) => Math.round(e.cumulativeShare * 1000) / 10),
    ],
    labels: entries.map((e) => e.name || e.cause),
  };
}

/** uPlot aligned data for counts per hour: x = hour start in seconds (uPlot's time unit), good, scrap. */
export function countsData(result: {
  hours: readonly number[];
  total: { good: readonly number[]; scrap: readonly number[] };
}): [number[], number[], number[]] {
  return [
    result.hours.map((h) => h / 1000),
    result.hours.map((_, k) => result.total.good[k] ?? 0),
    result.hours.map((_, k) => result.total.scrap[k] ?? 0),
  ];
}

/** Whether any hour counted something. */
export function hasCounts(data: readonly [number[], number[], number[]]): boolean {
  return data[1].some((v) => v > 0) || data[2].some((v) => v > 0);
}

/** "1 h 05 min", "12 min", "45 s" for durations in the header and tooltips. */
export function formatSpan(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min`;
  return `${Math.floor(min / 60)} h ${String(min % 60).padStart(2, '0')} min`;
}

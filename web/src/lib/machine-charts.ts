import { TZDate } from '@date-fns/tz';

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

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

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

/*
 * The timeline's axis. A window of a day or less reads as clock times; a longer one ("Last 7 days")
 * names the dates, in the plant's time zone, with a label at each local midnight that has room.
 * A local day is 25 h at most (the day a DST change gives an hour back), so "today" keeps clock times.
 */
const DATED_AFTER_MS = 25 * HOUR_MS;

/** Formats an instant of the timeline: "10:20", or "Fri 27 Nov, 10:20" when the window spans days. */
export function timelineClock(
  evaluated: { start: number; end: number },
  timeZone: string,
): (at: number) => string {
  const dated = evaluated.end - evaluated.start > DATED_AFTER_MS;
  const format = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    ...(dated ? { weekday: 'short', day: 'numeric', month: 'short' } : {}),
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  return (at) => format.format(at);
}

export interface TimelineTick {
  /** Position in percent of the evaluated interval. */
  left: number;
  label: string;
  /** Which edge of the label sits at `left`: the window's ends keep their labels inside the axis. */
  align: 'start' | 'middle' | 'end';
}

/** Rough width of a character of the axis labels (0.8rem), to keep labels from overlapping. */
const AXIS_CHAR_PX = 7;
const AXIS_GAP_PX = 12;

/**
 * The labels under the timeline for an axis `widthPx` wide: the window's start and end, and for a
 * window of several days its local midnights ("Sat 28 Nov") — each one only if it clears the labels
 * already placed, so a narrow axis shows fewer days. `midnights` are all of them, for day lines.
 */
export function timelineTicks(
  evaluated: { start: number; end: number },
  timeZone: string,
  widthPx: number,
): { ticks: TimelineTick[]; midnights: number[] } {
  const span = evaluated.end - evaluated.start;
  if (!(span > 0)) return { ticks: [], midnights: [] };
  const clock = timelineClock(evaluated, timeZone);
  const first: TimelineTick = { left: 0, label: clock(evaluated.start), align: 'start' };
  const last: TimelineTick = { left: 100, label: clock(evaluated.end), align: 'end' };
  if (span <= DATED_AFTER_MS) return { ticks: [first, last], midnights: [] };

  const dayLabel = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
  });
  const midnights: number[] = [];
  const days: TimelineTick[] = [];
  const from = new TZDate(evaluated.start, timeZone);
  for (let k = 1; ; k++) {
    const at = new TZDate(from.getFullYear(), from.getMonth(), from.getDate() + k, timeZone).getTime();
    if (at >= evaluated.end) break;
    const left = ((at - evaluated.start) / span) * 100;
    midnights.push(left);
    days.push({ left, label: dayLabel.format(at), align: 'middle' });
  }

  const width = (tick: TimelineTick) => tick.label.length * AXIS_CHAR_PX;
  let placedRight = width(first) + AXIS_GAP_PX;
  const endLeft = widthPx - width(last) - AXIS_GAP_PX;
  const kept: TimelineTick[] = [];
  for (const day of days) {
    const centre = (day.left / 100) * widthPx;
    const half = width(day) / 2;
    if (centre - half < placedRight || centre + half > endLeft) continue;
    kept.push(day);
    placedRight = centre + half + AXIS_GAP_PX;
  }
  return { ticks: [first, ...kept, last], midnights };
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

/**
 * A Pareto category label that fits its slot: words wrapped onto at most `maxLines` lines of
 * `maxChars`, the rest cut with "…". The full name stays in the chart's legend ("Cause").
 */
export function fitAxisLabel(label: string, maxChars: number, maxLines = 2): string {
  const room = Math.max(2, Math.floor(maxChars));
  const cut = (text: string) => (text.length <= room ? text : `${text.slice(0, room - 1).trimEnd()}…`);
  const lines: string[] = [];
  for (const word of label.trim().split(/\s+/)) {
    const last = lines[lines.length - 1];
    if (last !== undefined && `${last} ${word}`.length <= room) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(cut(word));
  }
  if (lines.length > maxLines)
    lines.splice(maxLines - 1, lines.length, cut(lines.slice(maxLines - 1).join(' ')));
  return lines.join('\n');
}

/** Rough width of a character of uPlot's axis font (12px), and the space kept between categories. */
const CHART_CHAR_PX = 6.5;
const CATEGORY_GAP_PX = 8;

/** The characters a Pareto label may use per line when `count` categories share `plotWidthPx`. */
export function categoryChars(plotWidthPx: number, count: number): number {
  if (count <= 0) return 0;
  return Math.floor((plotWidthPx / count - CATEGORY_GAP_PX) / CHART_CHAR_PX);
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

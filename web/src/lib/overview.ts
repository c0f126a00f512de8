import { TZDate } from '@date-fns/tz';
import type { LiveFigures, LiveLine, LiveMachine, LiveMachineState } from './live-board';
import type { trpc } from './trpc';

/*
 * Data shaping for the Overview (the home page): per plant, OEE today and its trend from
 * kpi.oeeSeries, and the machines that are down now from the kpi.live snapshot. Pure, so the page
 * only renders and these are tested on their own.
 */

type Series = Awaited<ReturnType<(typeof trpc)['kpi']['oeeSeries']['query']>>;
export type SeriesPoint = Series['points'][number];

/** Days in the Overview's trend, today included. */
export const TREND_DAYS = 7;

/**
 * The trend's range: from local midnight `days − 1` days before today, in the plant's zone (so each
 * bucket is a whole plant day, whatever the browser's zone), up to now.
 */
export function trendRange(now: number, timeZone: string, days = TREND_DAYS): { from: string; to: string } {
  const local = new TZDate(now, timeZone);
  const start = new TZDate(
    local.getFullYear(),
    local.getMonth(),
    local.getDate() - (days - 1),
    0,
    0,
    timeZone,
  );
  return { from: new Date(start.getTime()).toISOString(), to: new Date(now).toISOString() };
}

/**
 * A trend bar's label in the plant's zone, weekday over day of month ("Sat\n28"): two short lines
 * stay apart under seven bars even on a phone, where one line ("Sat 28") runs into its neighbours.
 */
export function dayTickLabel(epochMs: number, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'short',
    day: 'numeric',
  }).formatToParts(epochMs);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('weekday')}\n${part('day')}`;
}

/** The plant's local date, as the series labels its days (YYYY-MM-DD). */
export function plantDate(now: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, dateStyle: 'short' }).format(new Date(now));
}

type Figures = Pick<
  LiveFigures,
  'oee' | 'availability' | 'performance' | 'quality' | 'performanceAboveIdeal'
>;

/** Today's point of the series as the figures KpiFigures shows; null before the series has today. */
export function todayFigures(points: readonly SeriesPoint[], today: string): Figures | null {
  const point = points.find((p) => p.label === today);
  if (point === undefined) return null;
  const { oee, availability, performance, quality, flags } = point.total;
  return { oee, availability, performance, quality, performanceAboveIdeal: flags.performanceAboveIdeal };
}

/** uPlot aligned data: x = the day's start in seconds (uPlot's time unit), OEE in percent or a gap. */
export function trendData(points: readonly SeriesPoint[]): [number[], (number | null)[]] {
  return [
    points.map((p) => p.start / 1000),
    points.map((p) => (p.total.oee.value === null ? null : Math.round(p.total.oee.value * 1000) / 10)),
  ];
}

export interface DownMachine {
  readonly machineId: string;
  readonly code: string;
  readonly name: string;
  readonly lineCode: string | null;
  readonly state: LiveMachineState;
}

/**
 * The machines whose current state counts as unplanned down time: the availability-loss bucket of
 * the tenant's state mapping, where unmapped codes count too (cloud/src/modules/kpi/timeline.ts,
 * UNMAPPED_BUCKET). Longest down first.
 */
export function downMachines(machines: readonly LiveMachine[], lines: readonly LiveLine[]): DownMachine[] {
  const lineCodes = new Map(lines.map((l) => [l.lineId, l.code]));
  return machines
    .flatMap((m) =>
      m.state !== null && m.state.bucket === 'availability_loss'
        ? [
            {
              machineId: m.machineId,
              code: m.code,
              name: m.name,
              lineCode: lineCodes.get(m.lineId) ?? null,
              state: m.state,
            },
          ]
        : [],
    )
    .sort((a, b) => a.state.since - b.state.since || a.code.localeCompare(b.code));
}

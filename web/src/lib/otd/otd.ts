import type { trpc } from '../trpc';

/*
 * The on-time delivery page and tiles, their pure half (routes/(app)/logistics/otd, OtdTile.svelte):
 * the filter kept in the URL, the periods offered, the trend's data for uPlot and the words and numbers
 * shown. The rules behind the figures are the cloud's (docs/kpis.md, "OTD and OTIF").
 */

export type OtdAnswer = Awaited<ReturnType<(typeof trpc)['kpi']['otd']['query']>>;
export type OtdFigures = OtdAnswer['totals']['toRequest'];
export type OtdLateLine = OtdAnswer['lateLines']['toRequest'][number];
export type OtdBucket = OtdAnswer['bucket'];
export type OtdMeasure = 'toRequest' | 'toPromise';
export type OtdPolicy = OtdAnswer['policy'];

export const BUCKET_OPTIONS: readonly { value: OtdBucket; label: string }[] = [
  { value: 'day', label: 'Day' },
  { value: 'week', label: 'Week' },
  { value: 'month', label: 'Month' },
];

/** What the page shows, as kept in its URL. */
export interface OtdFilter {
  plantId: string | null;
  customerId: string | null;
  /** 'YYYY-MM-DD', both included. */
  from: string;
  to: string;
  bucket: OtdBucket;
}

const DAY_MS = 86_400_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A date `days` after `date` (calendar arithmetic, no zone). */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The date `today` in a zone ('YYYY-MM-DD'). */
export function localDate(now: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, dateStyle: 'short' }).format(new Date(now));
}

export interface OtdPreset {
  readonly key: string;
  readonly label: string;
  period(today: string): Pick<OtdFilter, 'from' | 'to' | 'bucket'>;
}

/** The periods offered with one click; the first is the page's default. */
export const OTD_PRESETS: readonly OtdPreset[] = [
  {
    key: '13w',
    label: 'Last 13 weeks',
    // From the Monday twelve weeks before this week's, so every bucket is a whole ISO week.
    period: (today) => ({ from: addDays(mondayOf(today), -12 * 7), to: today, bucket: 'week' }),
  },
  {
    key: '28d',
    label: 'Last 28 days',
    period: (today) => ({ from: addDays(today, -27), to: today, bucket: 'day' }),
  },
  {
    key: '12m',
    label: 'Last 12 months',
    period: (today) => ({ from: `${addMonths(today.slice(0, 7), -11)}-01`, to: today, bucket: 'month' }),
  },
];

function mondayOf(date: string): string {
  const weekday = (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7;
  return addDays(date, -weekday);
}

function addMonths(month: string, months: number): string {
  const [year = 1970, m = 1] = month.split('-').map(Number);
  const date = new Date(Date.UTC(year, m - 1 + months, 1));
  return date.toISOString().slice(0, 7);
}

/** Reads the filter from the page's query; what is missing or malformed falls back to the default period. */
export function parseOtdFilter(params: URLSearchParams, today: string): OtdFilter {
  const id = (name: string) => {
    const value = params.get(name);
    return value !== null && UUID.test(value) ? value.toLowerCase() : null;
  };
  const date = (name: string) => {
    const value = params.get(name);
    return value !== null && DATE.test(value) && !Number.isNaN(Date.parse(value)) ? value : null;
  };
  const fallback = OTD_PRESETS[0]!.period(today);
  const bucket = BUCKET_OPTIONS.find((b) => b.value === params.get('bucket'))?.value ?? fallback.bucket;
  const from = date('from');
  const to = date('to');
  const period = from !== null && to !== null && from <= to ? { from, to } : fallback;
  return { plantId: id('plant'), customerId: id('customer'), ...period, bucket };
}

/** The query string of a filter. */
export function otdSearch(filter: OtdFilter): string {
  const params = new URLSearchParams();
  if (filter.plantId) params.set('plant', filter.plantId);
  if (filter.customerId) params.set('customer', filter.customerId);
  params.set('from', filter.from);
  params.set('to', filter.to);
  params.set('bucket', filter.bucket);
  return `?${params.toString()}`;
}

/** The filter as `kpi.otd` takes it. */
export function otdInput(filter: OtdFilter, withCustomer = true) {
  return {
    ...(filter.plantId ? { plantId: filter.plantId } : {}),
    ...(withCustomer && filter.customerId ? { customerId: filter.customerId } : {}),
    from: filter.from,
    to: filter.to,
    bucket: filter.bucket,
  };
}

/** The figure the policy makes the headline: to request when it measures to the requested date. */
export function headline(policy: Pick<OtdPolicy, 'reference'>): OtdMeasure {
  return policy.reference === 'requested' ? 'toRequest' : 'toPromise';
}

/** "to the first promise", as the promise reference reads beside "to promise". */
export function promiseLabel(policy: Pick<OtdPolicy, 'reference'>): string {
  return policy.reference === 'latest_promised' ? 'to the latest promise' : 'to the first promise';
}

const UNIT_WORDS: Record<OtdAnswer['unit'], [string, string]> = {
  line: ['line', 'lines'],
  shipment: ['shipment', 'shipments'],
  quantity: ['piece', 'pieces'],
};

export const UNIT_LABELS: Record<OtdAnswer['unit'], string> = {
  line: 'Lines',
  shipment: 'Shipments',
  quantity: 'Quantity',
};

/** "12 lines", "1 shipment", "250.5 pieces". */
export function countLabel(count: number, unit: OtdAnswer['unit']): string {
  const [one, many] = UNIT_WORDS[unit];
  return `${formatNumber(count)} ${count === 1 ? one : many}`;
}

export function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Math.round(value * 1000) / 1000);
}

/** A share as the page shows it: "87.5 %", or "—" for no data (nothing was due). */
export function formatShare(value: number | null): string {
  return value === null ? '—' : `${(Math.round(value * 1000) / 10).toFixed(1)} %`;
}

export const STATUS_LABELS: Record<OtdLateLine['status'], string> = {
  late: 'Late',
  early: 'Early',
  not_shipped: 'Not shipped',
  short: 'Short',
};

/** "3 days late", "1 day early", "on the day". */
export function daysLateLabel(days: number): string {
  if (days === 0) return 'on the day';
  const n = Math.abs(days);
  return `${n} day${n === 1 ? '' : 's'} ${days > 0 ? 'late' : 'early'}`;
}

/**
 * The trend as uPlot takes it: x = the bucket's first day at 00:00 UTC in seconds (the dates are
 * calendar dates; the chart shows them in UTC so they read as themselves), then OTD and OTIF to request
 * and to promise in percent, null (a gap) where nothing was due.
 */
export function trendData(series: OtdAnswer['series']): [number[], ...(number | null)[][]] {
  const percent = (v: number | null) => (v === null ? null : Math.round(v * 1000) / 10);
  return [
    series.map((p) => Date.parse(`${p.start}T00:00:00Z`) / 1000),
    series.map((p) => percent(p.toRequest.otd)),
    series.map((p) => percent(p.toRequest.otif)),
    series.map((p) => percent(p.toPromise.otd)),
    series.map((p) => percent(p.toPromise.otif)),
  ];
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A bucket's label under the chart: "3 Mar", "W10" (ISO week), "Mar 2026". */
export function bucketLabel(startSeconds: number, bucket: OtdBucket): string {
  const date = new Date(startSeconds * 1000);
  const month = MONTHS[date.getUTCMonth()] ?? '';
  if (bucket === 'month') return `${month} ${date.getUTCFullYear()}`;
  if (bucket === 'day') return `${date.getUTCDate()} ${month}`;
  // The ISO week number: the week holding the Thursday of this Monday's week.
  const thursday = new Date(date.getTime() + 3 * DAY_MS);
  const jan1 = Date.UTC(thursday.getUTCFullYear(), 0, 1);
  return `W${Math.floor((thursday.getTime() - jan1) / DAY_MS / 7) + 1}`;
}

/** At most `max` evenly spaced ticks from the buckets' starts, the first always among them. */
export function tickSplits(xs: readonly number[], max: number): number[] {
  const step = Math.max(1, Math.ceil(xs.length / max));
  return xs.filter((_, i) => i % step === 0);
}

/** The tiles' period: the last 28 days, today included, in the plant's calendar. */
export function tilePeriod(now: number, timeZone: string): { from: string; to: string; bucket: OtdBucket } {
  const today = localDate(now, timeZone);
  return { from: addDays(today, -27), to: today, bucket: 'week' };
}

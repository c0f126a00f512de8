import { sql } from 'drizzle-orm';
import { rows, type Sql } from '../../db/index.js';
import type { Interval } from './intervals.js';
import {
  checkLength,
  type ResolvedScope,
  type ResolvedWindow,
  resolveScope,
  resolveWindow,
  type ScopeInput,
  type WindowInput,
  zoneOf,
} from './kpi-scope.js';
import { computeOee, type OeeResult } from './oee.js';
import { aggregateOee, type OeeAggregate } from './oee-aggregate.js';
import { type KpiSources, loadKpiSources, oeeInputFor } from './oee-source.js';
import type { StateBucket } from './timeline.js';
import { type KpiWindow, splitByDay, splitByIsoWeek } from './windows.js';

/*
 * OEE of a machine, line or plant over a window, its trend series and the downtime Pareto
 * (docs/kpis.md). Each machine's result comes from the pure core (computeOee) over rows loaded once
 * for all machines; lines and the plant add the machines' components and divide once (aggregateOee,
 * oee-aggregate.ts), never averaging ratios.
 */

export interface ScopeSummary {
  readonly kind: ResolvedScope['kind'];
  readonly id: string;
  readonly plantId: string;
  readonly timezone: string;
}

export const summaryOf = (scope: ResolvedScope): ScopeSummary => ({
  kind: scope.kind,
  id: scope.id,
  plantId: scope.plant.id,
  timezone: scope.plant.timezone,
});

export interface MachineOee extends OeeResult {
  readonly machineId: string;
  readonly lineId: string;
  readonly code: string;
  readonly name: string;
}

export interface LineOee extends OeeAggregate {
  readonly lineId: string;
  readonly code: string;
  readonly name: string;
}

export interface OeeReport {
  readonly scope: ScopeSummary;
  /** null: 'currentShift' was asked between shifts; every figure is then "no data". */
  readonly window: ResolvedWindow | null;
  readonly total: OeeAggregate;
  readonly lines: readonly LineOee[];
  readonly machines: readonly MachineOee[];
}

export interface OeeQuery {
  readonly scope: ScopeInput;
  readonly window: WindowInput;
}

/** Scope and window resolved, rows loaded: the common start of every windowed KPI query. */
export async function prepareKpiQuery(
  tx: Sql,
  input: OeeQuery,
  now: number,
  options: { counts?: boolean; maxDays?: number; states?: 'events' | 'durations' } = {},
) {
  const scope = await resolveScope(tx, input.scope);
  const window = await resolveWindow(tx, scope.plant, input.window, now);
  if (window !== null && options.maxDays !== undefined) checkLength(window, options.maxDays);
  const range = window ?? { start: now, end: now };
  const sources = await loadKpiSources(tx, {
    plantId: scope.plant.id,
    machines: scope.machines,
    range,
    now,
    counts: options.counts ?? true,
    states: options.states ?? 'events',
  });
  return { scope, window, range, sources };
}

export async function oeeReport(tx: Sql, input: OeeQuery, now = Date.now()): Promise<OeeReport> {
  const { scope, window, range, sources } = await prepareKpiQuery(tx, input, now, { states: 'durations' });
  const { total, lines, machines } = evaluate(scope, sources, range);
  return { scope: summaryOf(scope), window, total, lines, machines };
}

function evaluate(scope: ResolvedScope, sources: KpiSources, window: Interval) {
  const machines: MachineOee[] = scope.machines.map((m) => ({
    ...computeOee(oeeInputFor(sources, m.id, window)),
    machineId: m.id,
    lineId: m.lineId,
    code: m.code,
    name: m.name,
  }));
  const lines: LineOee[] = scope.lines.map((l) => ({
    ...aggregateOee(machines.filter((m) => m.lineId === l.id)),
    lineId: l.id,
    code: l.code,
    name: l.name,
  }));
  return { total: aggregateOee(lines), lines, machines };
}

export type SeriesBy = 'shift' | 'day' | 'week';

export interface OeeSeriesPoint extends KpiWindow {
  readonly shift: { readonly id: string; readonly name: string; readonly businessDate: string } | null;
  readonly total: OeeAggregate;
}

/** A window of a trend or breakdown: a shift's carries the shift. */
export interface SeriesWindow extends KpiWindow {
  readonly shift: OeeSeriesPoint['shift'];
}

/**
 * The windows of a range per shift, local day or ISO week (clipped to the range, so partial first and
 * last buckets are exact), or the range as one window, with every row loaded once for all of them.
 */
async function seriesWindows(
  tx: Sql,
  input: { scope: ScopeInput; from: Date; to: Date; by: SeriesBy | 'period' },
  now: number,
) {
  const range = { start: input.from.getTime(), end: input.to.getTime() };
  checkLength(range);
  const scope = await resolveScope(tx, input.scope);
  const zone = scope.plant.timezone;
  zoneOf(zone);
  let sources: KpiSources;
  let windows: SeriesWindow[];
  if (input.by === 'shift') {
    sources = await loadKpiSources(tx, {
      plantId: scope.plant.id,
      machines: scope.machines,
      range,
      now,
      states: 'durations',
    });
    windows = sources.shifts.map((s) => ({
      start: Math.max(s.start, range.start),
      end: Math.min(s.end, range.end),
      label: `${s.businessDate} ${s.name}`,
      shift: { id: s.id, name: s.name, businessDate: s.businessDate },
    }));
  } else {
    const split =
      input.by === 'period'
        ? [{ ...range, label: `${input.from.toISOString()}/${input.to.toISOString()}` }]
        : input.by === 'day'
          ? splitByDay(range, zone)
          : splitByIsoWeek(range, zone);
    windows = split.map((w) => ({ ...w, shift: null }));
    sources = await loadKpiSources(tx, {
      plantId: scope.plant.id,
      machines: scope.machines,
      range,
      now,
      cuts: windows.flatMap((w) => [w.start, w.end]),
      states: 'durations',
    });
  }
  return { scope, range, sources, windows };
}

/** A trend: one total per shift, local day or ISO week of the range. */
export async function oeeSeries(
  tx: Sql,
  input: { scope: ScopeInput; from: Date; to: Date; by: SeriesBy },
  now = Date.now(),
) {
  const { scope, range, sources, windows } = await seriesWindows(tx, input, now);
  const points: OeeSeriesPoint[] = windows.map((w) => ({ ...w, total: evaluate(scope, sources, w).total }));
  return { scope: summaryOf(scope), by: input.by, from: range.start, to: range.end, points };
}

/**
 * The total, each line and each machine per shift, local day, ISO week or the whole range: what
 * `oee` answers for one window, for every window of a range at once (the OEE reports, docs/reports.md).
 */
export async function oeeBreakdown(
  tx: Sql,
  input: { scope: ScopeInput; from: Date; to: Date; by: SeriesBy | 'period' },
  now = Date.now(),
) {
  const { scope, sources, windows } = await seriesWindows(tx, input, now);
  return {
    scope: summaryOf(scope),
    windows: windows.map((w) => ({ window: w, ...evaluate(scope, sources, w) })),
  };
}

type LossBucket = Exclude<StateBucket, 'running'>;

export interface ParetoEntry {
  readonly bucket: LossBucket;
  /** The downtime reason code, or, for stops reported without one, the state code. */
  readonly cause: string;
  readonly causeKind: 'reason' | 'state';
  readonly name: string;
  readonly category: string | null;
  /** The state codes the time was reported under. */
  readonly states: readonly string[];
  readonly durationMs: number;
  /** Of the Pareto's total, 0–1. */
  readonly share: number;
  readonly cumulativeShare: number;
}

export interface BucketEntry {
  readonly bucket: LossBucket;
  readonly durationMs: number;
  readonly share: number;
  readonly cumulativeShare: number;
}

/**
 * Non-running state time inside planned busy time (and planned-stop states), by reason and by
 * bucket, longest first, with each entry's share and the cumulative share (the Pareto line). The
 * time is what the OEE counted: clipped to the window and the shifts, planned downtime excluded
 * (it was planned, so it is not a loss to rank). Planned-stop states are in by default because a
 * plant asks where its stops went, planned or not; `buckets` narrows it to the unplanned losses.
 */
export async function downtimePareto(
  tx: Sql,
  input: OeeQuery & { buckets?: readonly LossBucket[] | undefined },
  now = Date.now(),
) {
  // Loss time needs no quantities: the count query, the largest, is skipped.
  const { scope, window, range, sources } = await prepareKpiQuery(tx, input, now, {
    counts: false,
    states: 'durations',
  });
  const { total } = evaluate(scope, sources, range);
  const wanted = new Set<LossBucket>(
    input.buckets ?? ['performance_loss', 'availability_loss', 'planned_stop'],
  );
  const reasons = new Map(
    (
      await rows<{ code: string; name: string; category: string }>(
        tx,
        sql`select code, name, category from downtime_reasons`,
      )
    ).map((r) => [r.code, r]),
  );
  const grouped = new Map<
    string,
    Omit<ParetoEntry, 'share' | 'cumulativeShare' | 'states'> & { states: Set<string> }
  >();
  for (const d of total.downtimeByReason) {
    if (!wanted.has(d.bucket)) continue;
    const causeKind = d.reason === null ? 'state' : 'reason';
    const cause = d.reason ?? d.state;
    const key = `${d.bucket}\u0000${causeKind}\u0000${cause}`;
    const entry = grouped.get(key) ?? {
      bucket: d.bucket,
      cause,
      causeKind,
      name:
        causeKind === 'reason'
          ? (reasons.get(cause)?.name ?? cause)
          : (sources.stateCodes.get(cause)?.name ?? cause),
      category: causeKind === 'reason' ? (reasons.get(cause)?.category ?? null) : null,
      states: new Set<string>(),
      durationMs: 0,
    };
    entry.states.add(d.state);
    grouped.set(key, { ...entry, durationMs: entry.durationMs + d.durationMs });
  }
  const byReason: ParetoEntry[] = withShares(
    [...grouped.values()]
      .map((e) => ({ ...e, states: [...e.states].sort() }))
      .sort(
        (a, b) =>
          b.durationMs - a.durationMs || a.bucket.localeCompare(b.bucket) || a.cause.localeCompare(b.cause),
      ),
  );
  const byBucket: BucketEntry[] = withShares(
    [...wanted]
      .map((bucket) => ({ bucket, durationMs: total.timeByBucket[bucket] }))
      .filter((b) => b.durationMs > 0)
      .sort((a, b) => b.durationMs - a.durationMs || a.bucket.localeCompare(b.bucket)),
  );
  const totalMs = byBucket.reduce((sum, b) => sum + b.durationMs, 0);
  return { scope: summaryOf(scope), window, totalMs, byReason, byBucket };
}

function withShares<T extends { durationMs: number }>(
  entries: readonly T[],
): (T & { share: number; cumulativeShare: number })[] {
  const total = entries.reduce((sum, e) => sum + e.durationMs, 0);
  let running = 0;
  return entries.map((e) => {
    running += e.durationMs;
    return {
      ...e,
      share: total > 0 ? e.durationMs / total : 0,
      cumulativeShare: total > 0 ? running / total : 0,
    };
  });
}

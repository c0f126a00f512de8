import { sql } from 'drizzle-orm';
import { readAlongside, rows, type Sql } from '../../db/index.js';
import type { Interval } from './intervals.js';
import type { OeeInput, PlannedDowntime } from './oee.js';
import type { CountRecord, IdealCycleTimes } from './quantities.js';
import { type CountSumRow, countSumsWithRollup } from './rollups.js';
import {
  eventsFromDurations,
  firstStateTimes,
  type StateDurationRow,
  stateDurationsSql,
} from './state-durations.js';
import type { StateBucket, StateEvent } from './timeline.js';

/*
 * The database side of the OEE engine (docs/kpis.md): everything computeOee needs for a set of
 * machines and one range, in a fixed number of set-based statements whatever the number of machines
 * — mapping, cycle times, shifts, planned downtimes, states (the inherited one by a lateral "last
 * before start" per machine through the (machine_id, time) index), counts. Sub-windows of the range
 * (the shifts of a day, the days of a month) are then cut from the same rows in memory.
 *
 * Counts are not shipped row by row: at one count per second a machine makes 28 800 rows a shift.
 * computeOee classifies a count only by which side of a few instants it lies on — shift and planned
 * downtime edges, gap edges, the (sub-)window edges and now — so the counts are summed in SQL per
 * machine, product and stretch between consecutive such instants (width_bucket over the sorted
 * instants), each sum stamped with the earliest time in it. Every count of a stretch is classified
 * alike, so the sums give exactly the result of the raw rows. Whole quarter hours inside a stretch come
 * from the rollup (rollups.ts), which yields the same sums and stamps.
 *
 * State events are cut at the same instants when the caller asks for `states: 'durations'`: the
 * database sums each stretch's time per state and reason (state-durations.ts), which gives the same
 * OEE for every window whose edges are cuts, and oeeInputFor refuses any other window.
 */

export interface MachineKey {
  readonly id: string;
  readonly lineId: string;
}

export interface StateCodeInfo {
  readonly name: string;
  readonly colour: string;
  readonly bucket: StateBucket;
}

export interface ShiftInstance extends Interval {
  readonly id: string;
  readonly name: string;
  readonly businessDate: string;
}

/** One machine's rows for the whole range, time-sorted, ready to be cut into windows. */
export interface MachineSource {
  readonly machineId: string;
  /** The last state event before the range (the inherited state), if any. */
  readonly inherited: StateEvent | null;
  readonly events: readonly (StateEvent & { readonly time: number })[];
  readonly counts: readonly (CountRecord & { readonly time: number })[];
  readonly plannedDowntimes: readonly PlannedDowntime[];
  readonly idealCycleTimes: IdealCycleTimes;
}

export interface KpiSources {
  readonly range: Interval;
  readonly now: number;
  /** All of the tenant's state codes, active or not: history keeps the meaning its codes had. */
  readonly stateCodes: ReadonlyMap<string, StateCodeInfo>;
  readonly mapping: ReadonlyMap<string, StateBucket>;
  /** The plant's non-cancelled shifts overlapping the range, in time order. */
  readonly shifts: readonly ShiftInstance[];
  readonly machines: ReadonlyMap<string, MachineSource>;
  /**
   * Loaded with `states: 'durations'`: the cut instants. A window must start and end on one of them
   * (state positions inside a stretch are not the machine's).
   */
  readonly cuts?: ReadonlySet<number>;
}

/** A MachineSource while its rows are being collected. */
interface Loading extends MachineSource {
  inherited: StateEvent | null;
  readonly events: (StateEvent & { readonly time: number })[];
  readonly counts: (CountRecord & { readonly time: number })[];
  readonly plannedDowntimes: PlannedDowntime[];
  idealCycleTimes: IdealCycleTimes;
}

export interface LoadOptions {
  readonly plantId: string;
  readonly machines: readonly MachineKey[];
  readonly range: Interval;
  readonly now: number;
  /** Instants where sub-windows will be cut (shift, day or week edges), so count sums stay exact there. */
  readonly cuts?: readonly number[];
  /** false: the caller needs only the timeline (no counts, no cycle times). */
  readonly counts?: boolean;
  /**
   * false: sum the raw count rows only, never the count rollup. The rollup path returns the same
   * rows; this is the reference it is tested against.
   */
  readonly rollup?: boolean;
  /**
   * 'events' (the default): the machine's state events as they are, for timelines. 'durations': each
   * stretch between cuts as its durations per state and reason (file comment), for OEE figures only.
   */
  readonly states?: 'events' | 'durations';
}

/** A shift lasts at most 24 wall-clock hours; 3 days of look-back covers it across any DST change. */
const SHIFT_LOOKBACK = '3 days';

const iso = (ms: number) => new Date(ms).toISOString();
const msOf = (column: string) => sql.raw(`(extract(epoch from ${column}) * 1000)::float8`);

export async function loadKpiSources(tx: Sql, options: LoadOptions): Promise<KpiSources> {
  const { range, now, machines } = options;
  const ids = [...new Set(machines.map((m) => m.id))];
  const lineIds = [...new Set(machines.map((m) => m.lineId))];
  const start = iso(range.start);
  // Events after now cannot exist yet; a clock-skewed device's future event must not count either.
  const end = iso(Math.max(range.start, Math.min(range.end, now)));

  const codes = await rows<{ code: string; name: string; colour: string; bucket: StateBucket }>(
    tx,
    sql`select code, name, colour, bucket from state_loss_mapping`,
  );
  const stateCodes = new Map(
    codes.map((c) => [c.code, { name: c.name, colour: c.colour, bucket: c.bucket }]),
  );

  const shiftRows = await rows<{
    id: string;
    name: string;
    business_date: string;
    start_ms: number;
    end_ms: number;
  }>(
    tx,
    sql`select id::text as id, name, business_date::text as business_date,
               ${msOf('starts_at')} as start_ms, ${msOf('ends_at')} as end_ms
          from shifts
         where plant_id = ${options.plantId}::uuid and not is_cancelled
           and starts_at < ${iso(range.end)}::timestamptz and ends_at > ${start}::timestamptz
           and starts_at > ${start}::timestamptz - interval '${sql.raw(SHIFT_LOOKBACK)}'
         order by starts_at`,
  );
  const shifts = shiftRows.map((r) => ({
    id: r.id,
    name: r.name,
    businessDate: r.business_date,
    start: r.start_ms,
    end: r.end_ms,
  }));

  const sources = new Map<string, Loading>();
  for (const id of ids) {
    sources.set(id, {
      machineId: id,
      inherited: null,
      events: [],
      counts: [],
      plannedDowntimes: [],
      idealCycleTimes: {},
    });
  }
  if (ids.length === 0)
    return { range, now, stateCodes, mapping: bucketsOf(stateCodes), shifts, machines: sources };

  // Plant-wide (no line), line-wide (no machine) or one machine's planned downtimes.
  const downtimes = await rows<{
    line_id: string | null;
    machine_id: string | null;
    reason: string;
    start_ms: number;
    end_ms: number;
  }>(
    tx,
    sql`select pd.line_id::text as line_id, pd.machine_id::text as machine_id,
               coalesce(r.code, pd.note, pd.kind) as reason,
               ${msOf('pd.starts_at')} as start_ms, ${msOf('pd.ends_at')} as end_ms
          from planned_downtimes pd left join downtime_reasons r on r.id = pd.reason_id
         where pd.plant_id = ${options.plantId}::uuid
           and pd.starts_at < ${iso(range.end)}::timestamptz and pd.ends_at > ${start}::timestamptz
           and (pd.line_id is null or pd.line_id = any(${sql.param(lineIds)}::uuid[]))
           and (pd.machine_id is null or pd.machine_id = any(${sql.param(ids)}::uuid[]))`,
  );
  for (const m of machines) {
    const own = sources.get(m.id)!;
    for (const d of downtimes) {
      const applies =
        (d.line_id === null || d.line_id === m.lineId) && (d.machine_id === null || d.machine_id === m.id);
      if (applies) own.plannedDowntimes.push({ start: d.start_ms, end: d.end_ms, reason: d.reason });
    }
  }

  // The inherited state: one index probe per machine, backwards from the range start. Then the
  // events inside, minus exact repeats of the previous state (a device re-sending RUNNING every
  // second), which the timeline would merge anyway. Equal times are ordered by event id (UUIDv7,
  // the edge's order), so the later of two events at one instant wins, as in buildTimeline.
  const inherited = await rows<{ machine_id: string; t: number; state: string; reason: string | null }>(
    tx,
    sql`select m.id::text as machine_id, s.t, s.state, s.reason
          from unnest(${sql.param(ids)}::uuid[]) as m(id)
          cross join lateral (
            select ${msOf('e.time')} as t, e.state, e.reason
              from machine_state_events e
             where e.machine_id = m.id and e.time < ${start}::timestamptz
             order by e.time desc, e.event_id desc
             limit 1) s`,
  );
  for (const s of inherited) {
    const own = sources.get(s.machine_id);
    if (own !== undefined) own.inherited = { time: s.t, state: s.state, reason: s.reason };
  }
  const mapping = bucketsOf(stateCodes);
  const durations = options.states === 'durations';
  if (!durations) {
    // The events are read machine by machine through the (machine_id, time) index, each machine's
    // repeats dropped in its own window: PostgreSQL 15 cannot keep an index's order for
    // `machine_id = any(…)`, so one statement over all machines sorted a month of every machine's
    // events together, on disk past work_mem (docs/benchmarks.md, `reports`). A machine is named by its
    // place in `ids` (n) and an event by its place in the machine's window (k), not by 36-character ids.
    const states = await rows<{ n: number; k: number; time: number; state: string; reason: string | null }>(
      tx,
      sql`select m.n::int4 as n, x.k::int4 as k, x.t as time, x.state, x.reason
            from unnest(${sql.param(ids)}::uuid[]) with ordinality as m(id, n)
            cross join lateral (
              select ${msOf('e.time')} as t, e.state, e.reason, row_number() over w as k,
                     lag(e.state) over w as prev_state, lag(e.reason) over w as prev_reason
                from machine_state_events e
               where e.machine_id = m.id and e.time >= ${start}::timestamptz and e.time < ${end}::timestamptz
              window w as (order by e.time, e.event_id)) x
           where x.prev_state is null or x.prev_state <> x.state or x.prev_reason is distinct from x.reason`,
    );
    // A row is a state event as it is (time, state, reason): a month of them is not copied again.
    for (const s of inWindowOrder(states)) sources.get(ids[s.n - 1]!)?.events.push(s);
    if (options.counts === false) return { range, now, stateCodes, mapping, shifts, machines: sources };
  }

  // The end of each machine's "no initial state" gap: its first event, when it inherited none.
  const unknownAtStart = ids.filter((id) => sources.get(id)!.inherited === null);
  const firstKnown = durations
    ? await firstStateTimes(tx, unknownAtStart, range.start, Date.parse(end))
    : new Map<string, number>();
  if (!durations) {
    for (const id of unknownAtStart) {
      const first = sources.get(id)!.events[0];
      if (first !== undefined) firstKnown.set(id, first.time);
    }
  }
  const cuts = cutsOf(options, shifts, downtimes, [...firstKnown.values()]);
  const cutTimes = cuts.map(iso);

  // No JIT for these statements: both join on time ranges computed in the same statement, which the
  // planner cannot bound, so their cost estimate passes jit_above_cost and a server spent ~550 ms
  // compiling a query that runs in ~2 ms (measured on the 130 M-row `pnpm bench kpi` data; EXPLAIN
  // ANALYZE with jit on / off). Restored right after.
  const [jit] = await rows<{ jit: string }>(
    tx,
    sql`select current_setting('jit') as jit, set_config('jit', 'off', true)`,
  );
  // The counts are read alongside the state time: on a PostgreSQL server on another connection at
  // the same instant, so the two sums run at once (db/parallel-reads.ts); elsewhere one after the other.
  const counting =
    options.counts === false
      ? null
      : readAlongside(tx, async (reader) => {
          if (reader !== tx) await reader.execute(sql`select set_config('jit', 'off', true)`);
          await loadIdealCycleTimes(reader, ids, sources);
          return rows<CountSumRow>(
            reader,
            options.rollup === false
              ? sql`select machine_id::text as machine_id, product_code, ${msOf('min(time)')} as t,
                           sum(good)::float8 as good, sum(scrap)::float8 as scrap
                      from production_counts
                     where machine_id = any(${sql.param(ids)}::uuid[])
                       and time >= ${start}::timestamptz and time < ${end}::timestamptz
                     group by machine_id, product_code, width_bucket(time, ${sql.param(cutTimes)}::timestamptz[])
                     order by 1, 3`
              : countSumsWithRollup(ids, start, end, cutTimes),
          );
        });
  // Awaited together, so a failure of either is never left unhandled while the other runs.
  const [found, counts] = await Promise.all([
    durations ? rows<StateDurationRow>(tx, stateDurationsSql(ids, start, end, cutTimes)) : null,
    counting,
  ]);
  if (found !== null) eventsFromDurations(found, cuts, (n) => sources.get(ids[n - 1]!)?.events);
  for (const c of counts ?? []) {
    const own = sources.get(c.machine_id);
    if (own === undefined) continue;
    own.counts.push({ time: c.t, good: c.good, scrap: c.scrap, productCode: c.product_code });
  }
  await tx.execute(sql`select set_config('jit', ${jit?.jit ?? 'on'}, true)`);
  return {
    range,
    now,
    stateCodes,
    mapping,
    shifts,
    machines: sources,
    ...(durations ? { cuts: new Set(cuts) } : {}),
  };
}

async function loadIdealCycleTimes(tx: Sql, ids: readonly string[], sources: Map<string, Loading>) {
  const cycleRows = await rows<{ machine_id: string; product_code: string | null; seconds: number }>(
    tx,
    sql`select c.machine_id::text as machine_id, p.code as product_code, c.seconds_per_unit as seconds
          from ideal_cycle_times c left join products p on p.id = c.product_id
         where c.machine_id = any(${sql.param(ids)}::uuid[])`,
  );
  for (const id of ids) {
    const own = cycleRows.filter((r) => r.machine_id === id);
    const byProduct = new Map<string, number>();
    let machineDefaultSeconds: number | null = null;
    for (const r of own) {
      if (r.product_code === null) machineDefaultSeconds = Number(r.seconds);
      else byProduct.set(r.product_code, Number(r.seconds));
    }
    sources.get(id)!.idealCycleTimes = { byProduct, machineDefaultSeconds };
  }
}

/**
 * The rows by machine, then by place in the machine's window. They come out of the lateral join in
 * that order, which SQL does not promise: it is checked, and only rows out of order are sorted.
 */
function inWindowOrder<T extends { n: number; k: number }>(found: T[]): T[] {
  for (let i = 1; i < found.length; i++) {
    const a = found[i - 1]!;
    const b = found[i]!;
    if (b.n < a.n || (b.n === a.n && b.k <= a.k)) return [...found].sort((x, y) => x.n - y.n || x.k - y.k);
  }
  return found;
}

function bucketsOf(codes: ReadonlyMap<string, StateCodeInfo>): Map<string, StateBucket> {
  return new Map([...codes].map(([code, info]) => [code, info.bucket]));
}

/**
 * The sorted instants inside the range at which an instant's classification can change: the range,
 * the windows, now, shift and planned-downtime edges, and where a machine's first known state ends
 * its "no initial state" gap. (The loaders pass computeOee no no-data states and no silence limit,
 * so that is the only gap there is; a loader that passed them would have to cut at their edges too.)
 */
function cutsOf(
  options: LoadOptions,
  shifts: readonly Interval[],
  downtimes: readonly { start_ms: number; end_ms: number }[],
  firstKnown: readonly number[],
): number[] {
  const { range, now } = options;
  const edges = new Set<number>([range.start, range.end, now, ...(options.cuts ?? []), ...firstKnown]);
  for (const s of shifts) edges.add(s.start).add(s.end);
  for (const d of downtimes) edges.add(d.start_ms).add(d.end_ms);
  return [...edges].filter((t) => t >= range.start && t <= range.end).sort((a, b) => a - b);
}

/** Index of the first item whose time is at or after `t` (items sorted by time). */
function lowerBound(items: readonly { time: number }[], t: number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (items[mid]!.time < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The state rows a window needs: its events, and the last one before it as the inherited state. */
export function sliceStates(source: MachineSource, window: Interval) {
  const from = lowerBound(source.events, window.start);
  const to = lowerBound(source.events, window.end);
  return {
    inherited: from > 0 ? source.events[from - 1]! : source.inherited,
    events: source.events.slice(from, to),
  };
}

/** computeOee's input for one machine and a window inside the loaded range. */
export function oeeInputFor(sources: KpiSources, machineId: string, window: Interval): OeeInput {
  const source = sources.machines.get(machineId);
  if (source === undefined) throw new Error(`machine ${machineId} was not loaded`);
  const { cuts } = sources;
  if (cuts !== undefined && !(cuts.has(window.start) && cuts.has(window.end))) {
    throw new Error('a window of state durations must start and end on a cut the sources were loaded with');
  }
  return {
    window,
    now: sources.now,
    mapping: sources.mapping,
    ...sliceStates(source, window),
    shifts: sources.shifts,
    plannedDowntimes: source.plannedDowntimes,
    counts: source.counts.slice(
      lowerBound(source.counts, window.start),
      lowerBound(source.counts, window.end),
    ),
    idealCycleTimes: source.idealCycleTimes,
  };
}

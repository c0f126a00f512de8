import { type SQL, sql } from 'drizzle-orm';
import { rows, type Sql } from '../../db/index.js';
import type { StateEvent } from './timeline.js';

/*
 * State time summed by the database (docs/kpis.md, "API"), for the OEE figures of long ranges.
 *
 * computeOee classifies an instant only by which side of a few instants it lies on: shift and
 * planned-downtime edges, the edge of the gap before a machine's first known state, the windows'
 * edges and now — the same cuts the count sums use (oee-source.ts). Between two consecutive cuts
 * (a stretch) every instant is classified alike, so only how long each (state, reason) lasted inside
 * the stretch can change a figure, never where in the stretch it lay. The database therefore returns
 * one row per machine, stretch, state and reason with its duration, and the stretch is rebuilt as
 * consecutive state events of those durations from the stretch's start. computeOee over them gives
 * the same result as over the raw events for every window whose edges are cuts (rollups.test.ts
 * compares both on every field), and a month of fifty machines is thousands of rows instead of
 * hundreds of thousands (docs/benchmarks.md, `reports`).
 *
 * The timeline positions inside a stretch are not the machine's: the state timeline reads raw events.
 */

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Each listed machine's first state event in [start, end), for machines with no state before start:
 * the end of their "no initial state" gap, a cut.
 */
export async function firstStateTimes(
  tx: Sql,
  machineIds: readonly string[],
  start: number,
  end: number,
): Promise<Map<string, number>> {
  if (machineIds.length === 0) return new Map();
  const found = await rows<{ machine_id: string; t: number }>(
    tx,
    sql`select m.id::text as machine_id, f.t
          from unnest(${sql.param(machineIds)}::uuid[]) as m(id)
          cross join lateral (
            select (extract(epoch from e.time) * 1000)::float8 as t
              from machine_state_events e
             where e.machine_id = m.id and e.time >= ${iso(start)}::timestamptz and e.time < ${iso(end)}::timestamptz
             order by e.time
             limit 1) f`,
  );
  return new Map(found.map((r) => [r.machine_id, r.t]));
}

export interface StateDurationRow {
  /** The machine's place in the id list, from 1. */
  readonly n: number;
  /** The stretch: [cuts[i - 1], cuts[i]) in the sorted cut list. */
  readonly i: number;
  readonly state: string;
  readonly reason: string | null;
  readonly ms: number;
}

/**
 * Per machine, stretch, state and reason: the time inside [start, end) spent in that state, from
 * the state in force at start (the last event before it) up to end. Equal times are ordered by event
 * id as loadKpiSources orders them, so the later of two events at one instant wins (zero length for
 * the first). Machines are read one by one through the (machine_id, time) index, like the events.
 */
export function stateDurationsSql(
  machineIds: readonly string[],
  start: string,
  end: string,
  cuts: readonly string[],
): SQL {
  return sql`
    with cut as (select ${sql.param(cuts)}::timestamptz[] as a),
    segment as (
      select m.n, x.t, x.next_time, x.state, x.reason,
             width_bucket(x.t, cut.a) as first_stretch,
             width_bucket(x.next_time - interval '1 microsecond', cut.a) as last_stretch
        from cut, unnest(${sql.param(machineIds)}::uuid[]) with ordinality as m(id, n)
        cross join lateral (
          select greatest(e.time, ${start}::timestamptz) as t,
                 coalesce(lead(e.time) over w, ${end}::timestamptz) as next_time, e.state, e.reason
            from machine_state_events e
           where e.machine_id = m.id and e.time < ${end}::timestamptz
             and e.time >= coalesce((
                   select p.time from machine_state_events p
                    where p.machine_id = m.id and p.time < ${start}::timestamptz
                    order by p.time desc limit 1), ${start}::timestamptz)
          window w as (order by e.time, e.event_id)) x
       where x.next_time > x.t),
    -- Most segments lie inside one stretch; only the few that cross a cut are split, so the
    -- set-returning split is not run for every row.
    part as (
      select n, first_stretch as i, state, reason, next_time - t as d
        from segment where first_stretch = last_stretch
      union all
      select n, s.i, state, reason, least(next_time, cut.a[s.i + 1]) - greatest(t, cut.a[s.i])
        from segment, cut, generate_series(first_stretch, last_stretch) as s(i)
       where first_stretch < last_stretch)
    select n::int4 as n, i::int4 as i, state, reason, (extract(epoch from sum(d)) * 1000)::float8 as ms
      from part
     group by 1, 2, 3, 4
     order by 1, 2, 3, 4`;
}

/**
 * The stretches' durations as state events: each stretch's (state, reason) durations laid end to end
 * from the stretch's start. `cuts` are the sorted cut instants the statement was given.
 */
export function eventsFromDurations(
  found: readonly StateDurationRow[],
  cuts: readonly number[],
  eventsOf: (n: number) => (StateEvent & { time: number })[] | undefined,
): void {
  let stretch = '';
  let t = 0;
  for (const row of found) {
    const key = `${row.n}:${row.i}`;
    if (key !== stretch) {
      stretch = key;
      t = cuts[row.i - 1]!;
    }
    eventsOf(row.n)?.push({ time: t, state: row.state, reason: row.reason });
    t += row.ms;
  }
}

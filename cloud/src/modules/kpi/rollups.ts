import { type SQL, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import { type Database, everyTenantId, rows, type Sql } from '../../db/index.js';

/*
 * The count rollup (docs/kpis.md, "API"; table production_counts_15m, migration 0009) and its
 * refresh.
 *
 * Quarter-hour buckets, not hours: a bucket cut by a shift, break or planned-downtime edge must be
 * read raw, and plants put those edges on quarter hours (the demo's breaks: 08:00–08:15,
 * 10:00–10:30, …). With hourly buckets 9 of a demo day's 24 hours were cut; with quarter hours none,
 * for 4 × the rollup rows (still ~100 per machine and day).
 *
 * Why a table the application refreshes, on every engine (evidence in the migration): continuous
 * aggregates and materialized views take no row-level security, and the embedded engine never runs
 * TimescaleDB's refresh policies (no background workers in one process). So one refresh job runs
 * everywhere, tenant by tenant inside the tenant's own RLS scope, and the table keeps the forced
 * tenant/plant policy of the raw hypertable.
 *
 * Exactness. For each tenant, rollup_state says: every bucket before `refreshed_through` is in the
 * rollup as of commit `folded_seq` of the tenant's commit log (event_commits, written by every
 * ingest transaction). An edge catching up after an outage commits counts into buckets that were
 * already rolled up; those commits have a higher seq, name their times, and so name the buckets that
 * the query path must read raw until the next refresh folds them in. If the log was pruned past
 * folded_seq (a refresh that did not run for LIVE_RESUME_WINDOW_DAYS), the rollup is not trusted at
 * all until a refresh rebuilds it.
 */

export const COUNT_ROLLUP = 'production_counts_15m';
const BUCKET_MS = 15 * 60_000;
const BUCKET = sql.raw(`interval '15 minutes'`);
/** Buckets rebuilt per transaction by a refresh that has a long way to go (first run, long pause): a day. */
const CHUNK_BUCKETS = 96;

/** The bucket of a timestamptz, independent of the session's time zone (date_trunc is not). */
export const bucketOf = (column: SQL) =>
  sql`date_bin(${BUCKET}, ${column}, timestamptz '2000-01-01 00:00:00+00')`;

/**
 * The tenant in scope, explicitly: the refresh runs as the owner, whom RLS does not bind when it is a
 * superuser (it is, on the embedded engine and on most servers); for the application role it is the
 * policy's own condition again.
 */
const mine = (alias: string) => sql.raw(`${alias}.tenant_id = (select plantline.current_tenant_id())`);

/**
 * The rollup's state for the tenant in scope, as one row: the watermark, or -infinity when the
 * rollup must not be used (never refreshed, or the commit log no longer reaches back to it).
 */
const stateOfScope = sql`(
  select case when s.folded_seq + 1 >= coalesce((select min(c.seq) from event_commits c where ${mine('c')}),
                                                (select e.last_seq + 1 from event_streams e where ${mine('e')}), 1)
              then s.refreshed_through else '-infinity'::timestamptz end as wm,
         coalesce(s.folded_seq, 0) as folded
    from (select 1) as one left join rollup_state s on s.relation = ${COUNT_ROLLUP} and ${mine('s')})`;

/** Refreshes of one tenant take turns (two cloud instances, or a refresh slower than its interval). */
const lockTenant = sql`select pg_advisory_xact_lock(hashtext(${COUNT_ROLLUP}), hashtext(plantline.current_tenant_id()::text))`;

/** Buckets before the watermark that commits after folded_seq have added counts to. */
const dirtyBuckets = (folded: SQL, through: SQL, upTo: SQL | null = null) => sql`
  select distinct ${bucketOf(sql`u.t`)} as b
    from event_commits c cross join lateral unnest(c.times, c.kinds) as u(t, k)
   where ${mine('c')} and c.seq > ${folded} ${upTo === null ? sql`` : sql`and c.seq <= ${upTo}`}
     and u.k = 'count' and u.t < ${through}
     -- No usable rollup: every bucket is read raw anyway, so skip reading the commit log at all.
     and ${through} > '-infinity'::timestamptz`;

export interface CountSumRow {
  machine_id: string;
  product_code: string | null;
  t: number;
  good: number;
  scrap: number;
}

/**
 * Counts of `machineIds` in [start, end) summed per machine, product and stretch between
 * consecutive `cuts` (sorted, including start and end), each sum stamped with its earliest count's
 * time — the same rows as summing production_counts directly, in one statement (one snapshot).
 * Whole buckets inside one stretch, before the watermark and not touched by a later commit come from
 * the rollup; the rest (partial buckets at the edges and at cuts inside a bucket, buckets after the
 * watermark, late-changed buckets) from the raw rows, by index ranges over the uncovered time only.
 */
export function countSumsWithRollup(
  machineIds: readonly string[],
  start: string,
  end: string,
  cuts: readonly string[],
): SQL {
  return sql`
    with st as ${stateOfScope},
    cut as (select ${sql.param(cuts)}::timestamptz[] as a),
    dirty as (${dirtyBuckets(sql`(select folded from st)`, sql`(select wm from st)`)}),
    buckets as (
      select h as b
        from st, cut, generate_series(${bucketOf(sql`${start}::timestamptz`)}, ${end}::timestamptz, ${BUCKET}) as h
       where h >= ${start}::timestamptz and h + ${BUCKET} <= ${end}::timestamptz
         and h + ${BUCKET} <= st.wm
         and width_bucket(h, cut.a) = width_bucket(h + ${BUCKET} - interval '1 microsecond', cut.a)
         and h not in (select b from dirty)),
    islands as (
      select min(b) as lo, max(b) + ${BUCKET} as hi
        from (select b, b - (row_number() over (order by b)) * ${BUCKET} as g from buckets) x
       group by g),
    uncovered as (
      select lo, hi from (
        select coalesce(lag(hi) over (order by lo), ${start}::timestamptz) as lo, lo as hi from islands
        union all
        select coalesce((select max(hi) from islands), ${start}::timestamptz), ${end}::timestamptz) r
       where lo < hi),
    parts as (
      -- Raw rows machine by machine and range by range, through the (machine_id, time) index. As a
      -- join the planner cannot bound the ranges (computed in this statement) and chose to scan the
      -- whole table: seconds over the 50-machine month of \`pnpm bench reports\`, to find the few
      -- rows of its last partial bucket. \`offset 0\` keeps the lateral subquery from being pulled up
      -- into such a join, so each (range, machine) is one index range scan.
      select p.machine_id, p.product_code, p.time, p.good::bigint as good, p.scrap::bigint as scrap
        from uncovered r
        cross join unnest(${sql.param(machineIds)}::uuid[]) as m(id)
        cross join lateral (
          select p.machine_id, p.product_code, p.time, p.good, p.scrap
            from production_counts p
           where p.machine_id = m.id and p.time >= r.lo and p.time < r.hi
          offset 0) p
      union all
      select r.machine_id, r.product_code, r.first_time, r.good, r.scrap
        from buckets h join production_counts_15m r
          on r.machine_id = any(${sql.param(machineIds)}::uuid[]) and r.bucket = h.b)
    select machine_id::text as machine_id, product_code,
           (extract(epoch from min(time)) * 1000)::float8 as t,
           sum(good)::float8 as good, sum(scrap)::float8 as scrap
      from parts, cut
     group by machine_id, product_code, width_bucket(time, cut.a)
     order by 1, 3`;
}

export interface RefreshSummary {
  readonly tenants: number;
  /** Buckets rebuilt (new ones and ones changed by late commits). */
  readonly buckets: number;
  readonly durationMs: number;
}

/** Rebuilds the rollup rows of [from, to) for the tenant in scope from the raw rows. */
async function rebuild(tx: Sql, range: SQL): Promise<void> {
  await tx.execute(
    sql`delete from production_counts_15m r using (${range}) x
         where ${mine('r')} and r.bucket >= x.lo and r.bucket < x.hi`,
  );
  await tx.execute(sql`
    insert into production_counts_15m
      (tenant_id, plant_id, machine_id, product_code, bucket, good, scrap, n, first_time)
    select p.tenant_id, p.plant_id, p.machine_id, p.product_code, ${bucketOf(sql`p.time`)},
           sum(p.good), sum(p.scrap), count(*), min(p.time)
      from (${range}) x join production_counts p on ${mine('p')} and p.time >= x.lo and p.time < x.hi
     group by 1, 2, 3, 4, 5`);
}

/**
 * One refresh of the count rollup for every tenant: first the buckets that commits since the last
 * refresh changed, then the new whole buckets up to `now`, a day per transaction so a long catch-up
 * shows progress and never holds one huge transaction. Runs as the owner inside each tenant's scope
 * (the rollup's policy binds the owner too, and a tenant's refresh must read only that tenant).
 */
export async function refreshCountRollup(
  db: Database,
  options: { log: Logger; now?: number },
): Promise<RefreshSummary> {
  const started = Date.now();
  const now = options.now ?? Date.now();
  const through = Math.floor(now / BUCKET_MS) * BUCKET_MS;
  const tenants = await everyTenantId(db);
  let buckets = 0;
  for (const tenantId of tenants) {
    const scope = { tenantId, plantIds: 'all' as const };
    // Step 1: late commits into buckets already rolled up, and the starting point of step 2.
    const { from, dirty } = await db.ownerTransact(scope, async (tx) => {
      await tx.execute(lockTenant);
      const [state] = await rows<{ wm: string; folded: string | number; last: string | number }>(
        tx,
        sql`select st.wm::text as wm, st.folded,
                   coalesce((select e.last_seq from event_streams e where ${mine('e')}), 0) as last
              from ${stateOfScope} st`,
      );
      const last = Number(state?.last ?? 0);
      const usable = state !== undefined && state.wm !== '-infinity';
      if (!usable) {
        // Never refreshed, or the commit log was pruned past it: rebuild from the tenant's first count.
        await tx.execute(sql`delete from production_counts_15m r where ${mine('r')}`);
        const [first] = await rows<{ ms: number | null }>(
          tx,
          sql`select (extract(epoch from ${bucketOf(sql`min(p.time)`)}) * 1000)::float8 as ms
                from production_counts p where ${mine('p')}`,
        );
        const fromMs = Math.min(first?.ms ?? through, through);
        await saveState(tx, fromMs, last);
        return { from: fromMs, dirty: 0 };
      }
      const folded = Number(state.folded);
      const changed = await rows<{ n: number }>(
        tx,
        sql`with d as (${dirtyBuckets(sql`${folded}::bigint`, sql`${state.wm}::timestamptz`, sql`${last}::bigint`)})
            select count(*)::int as n from d`,
      );
      const n = changed[0]?.n ?? 0;
      if (n > 0) {
        await rebuild(
          tx,
          sql`select b as lo, b + ${BUCKET} as hi from (${dirtyBuckets(
            sql`${folded}::bigint`,
            sql`${state.wm}::timestamptz`,
            sql`${last}::bigint`,
          )}) d`,
        );
      }
      // Commits after `last` are left for the next refresh; their buckets stay raw until then.
      await tx.execute(
        sql`update rollup_state s set folded_seq = ${last}, refreshed_at = now()
             where ${mine('s')} and s.relation = ${COUNT_ROLLUP}`,
      );
      return { from: new Date(state.wm).getTime(), dirty: n };
    });
    buckets += dirty;
    // Step 2: the whole buckets after the watermark, a chunk per transaction.
    const total = Math.max(0, Math.round((through - from) / BUCKET_MS));
    for (let lo = from; lo < through; lo += CHUNK_BUCKETS * BUCKET_MS) {
      const hi = Math.min(through, lo + CHUNK_BUCKETS * BUCKET_MS);
      await db.ownerTransact(scope, async (tx) => {
        await tx.execute(lockTenant);
        await rebuild(
          tx,
          sql`select ${new Date(lo).toISOString()}::timestamptz as lo, ${new Date(hi).toISOString()}::timestamptz as hi`,
        );
        await tx.execute(
          sql`update rollup_state s set refreshed_through = ${new Date(hi).toISOString()}::timestamptz,
                     refreshed_at = now() where ${mine('s')} and s.relation = ${COUNT_ROLLUP}`,
        );
      });
      buckets += Math.round((hi - lo) / BUCKET_MS);
      if (total > CHUNK_BUCKETS) {
        options.log.info(
          {
            tenantId,
            rollup: COUNT_ROLLUP,
            through: new Date(hi).toISOString(),
            done: `${Math.round(((hi - from) / (through - from)) * 100)}%`,
          },
          'rollup refresh progress',
        );
      }
    }
  }
  return { tenants: tenants.length, buckets, durationMs: Date.now() - started };
}

async function saveState(tx: Sql, throughMs: number, folded: number): Promise<void> {
  await tx.execute(sql`
    insert into rollup_state (tenant_id, relation, refreshed_through, folded_seq)
    values (plantline.current_tenant_id(), ${COUNT_ROLLUP}, ${new Date(throughMs).toISOString()}::timestamptz, ${folded})
    on conflict (tenant_id, relation) do update
      set refreshed_through = excluded.refreshed_through, folded_seq = excluded.folded_seq, refreshed_at = now()`);
}

/** The refresh as a scheduled job; logs what it did, and progress while a long catch-up runs. */
export function scheduleRollupRefresh(
  scheduler: { every(name: string, intervalMs: number, task: () => Promise<void>): void },
  db: Database,
  options: { log: Logger; intervalMs: number },
): void {
  scheduler.every('rollup-refresh', options.intervalMs, async () => {
    const summary = await refreshCountRollup(db, { log: options.log });
    if (summary.buckets > 0) options.log.info({ rollup: COUNT_ROLLUP, ...summary }, 'rollup refreshed');
  });
}

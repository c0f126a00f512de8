import { sql } from 'drizzle-orm';
import { rows, type Sql } from '../../db/index.js';
import type { Interval } from './intervals.js';

/* The live hub's own database reads, besides oee-source: the seam lock and late-dated rows. */

/** Look-ahead for events dated after the load's now (clock skew) that the load must still see. */
const FUTURE_LOOKAHEAD_MS = 86_400_000;

/**
 * The seam lock (file comment): a share lock on the tenant's commit-log counter, taken first in the
 * load's transaction, which ingest's commit must wait for. Returns the last committed seq.
 */
export async function lockCommitLog(tx: Sql): Promise<number> {
  const [row] = await rows<{ last_seq: string | number }>(
    tx,
    sql`select last_seq from event_streams for share`,
  );
  return row === undefined ? 0 : Number(row.last_seq);
}

export async function lastSeq(tx: Sql): Promise<number> {
  const [row] = await rows<{ last_seq: string | number }>(tx, sql`select last_seq from event_streams`);
  return row === undefined ? 0 : Number(row.last_seq);
}

/**
 * Rows dated at or after the load's now — a device clock slightly ahead — which loadKpiSources leaves
 * out (it evaluates up to now) but which are already committed, so the bus will not bring them again.
 */
export async function lateRows(tx: Sql, ids: readonly string[], now: number, window: Interval | null) {
  if (ids.length === 0) return { lateStates: [], lateCounts: [] };
  const from = new Date(now).toISOString();
  const to = new Date(now + FUTURE_LOOKAHEAD_MS).toISOString();
  const lateStates = await rows<{ machine_id: string; t: number; state: string; reason: string | null }>(
    tx,
    sql`select machine_id::text as machine_id, (extract(epoch from time) * 1000)::float8 as t, state, reason
          from machine_state_events
         where machine_id = any(${sql.param(ids)}::uuid[])
           and time >= ${from}::timestamptz and time < ${to}::timestamptz
         order by time, event_id`,
  );
  const lateCounts =
    window === null
      ? []
      : await rows<{
          machine_id: string;
          t: number;
          good: number;
          scrap: number;
          product_code: string | null;
        }>(
          tx,
          sql`select machine_id::text as machine_id, (extract(epoch from time) * 1000)::float8 as t,
                     good::float8 as good, scrap::float8 as scrap, product_code
                from production_counts
               where machine_id = any(${sql.param(ids)}::uuid[])
                 and time >= ${from}::timestamptz and time < ${new Date(window.end).toISOString()}::timestamptz`,
        );
  return { lateStates, lateCounts };
}

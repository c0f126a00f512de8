import { sql } from 'drizzle-orm';
import { type Database, rows, type Sql } from '../../db/index.js';
import type { Interval } from './intervals.js';
import { resolveScope, resolveWindow } from './kpi-scope.js';
import type { LoadedPlant } from './live-state.js';
import { allBoundaries } from './live-trend.js';
import { loadKpiSources } from './oee-source.js';

/*
 * What the live hub reads from the database (live-hub.ts): one plant's current shift, in one
 * transaction, as of a known commit of the tenant's log.
 *
 * Exactness at the seam between the load and the bus: the load first takes a share lock on the
 * tenant's commit-log counter (event_streams). Ingest updates that row as the last step of every
 * commit, so while the lock is held no ingest of the tenant can commit: every statement of the
 * load sees exactly the commits up to the seq it read, and the bus commits after it are applied
 * in memory — none lost, none counted twice. The price is that the tenant's ingest waits for the
 * duration of a load (one shift of one plant, a few statements), a few times per shift.
 */

/** Look-ahead for events dated after the load's now (clock skew) that the load must still see. */
const FUTURE_LOOKAHEAD_MS = 86_400_000;
/** Loads in a row that may find the tenant's very first commit racing them. */
const LOAD_ATTEMPTS = 3;

/** The plant's current shift: the seam lock, then scope, window and the shift's rows. */
export async function loadLivePlant(db: Database, tenantId: string, plantId: string): Promise<LoadedPlant> {
  for (let attempt = 1; ; attempt++) {
    const loaded = await loadOnce(db, tenantId, plantId);
    if (loaded !== null) return loaded;
    if (attempt === LOAD_ATTEMPTS) throw new Error('ingest kept racing the first live KPI load');
  }
}

/** null: the tenant's very first commit raced the load (nothing to lock yet); try again. */
function loadOnce(db: Database, tenantId: string, plantId: string): Promise<LoadedPlant | null> {
  const scope = { tenantId, userId: null, plantIds: [plantId] };
  return db.transact(scope, async (tx) => {
    const seq = await lockCommitLog(tx);
    const now = Date.now();
    const resolved = await resolveScope(tx, { kind: 'plant', id: plantId });
    const window = await resolveWindow(tx, resolved.plant, 'currentShift', now);
    const range = window ?? { start: now, end: now };
    const sources = await loadKpiSources(tx, {
      plantId,
      machines: resolved.machines,
      range,
      now,
      // The trend's buckets (live-trend.ts): a loaded sum must not span two of them.
      cuts: window === null ? [] : allBoundaries(window),
    });
    const late = await lateRows(
      tx,
      resolved.machines.map((m) => m.id),
      now,
      window,
    );
    const [next] = await rows<{ t: number | null }>(
      tx,
      sql`select (extract(epoch from min(starts_at)) * 1000)::float8 as t from shifts
           where plant_id = ${plantId}::uuid and not is_cancelled
             and starts_at > ${new Date(now).toISOString()}::timestamptz`,
    );
    // Without a counter row (a tenant that never ingested) nothing was locked: check no commit slipped in.
    if (seq === 0 && (await lastSeq(tx)) !== 0) return null;
    return {
      seq,
      now,
      window,
      nextShiftAt: next?.t ?? null,
      sources,
      lines: resolved.lines,
      machines: resolved.machines,
      ...late,
    };
  });
}

/**
 * The seam lock (file comment): a share lock on the tenant's commit-log counter, taken first in the
 * load's transaction, which ingest's commit must wait for. Returns the last committed seq.
 */
async function lockCommitLog(tx: Sql): Promise<number> {
  const [row] = await rows<{ last_seq: string | number }>(
    tx,
    sql`select last_seq from event_streams for share`,
  );
  return row === undefined ? 0 : Number(row.last_seq);
}

async function lastSeq(tx: Sql): Promise<number> {
  const [row] = await rows<{ last_seq: string | number }>(tx, sql`select last_seq from event_streams`);
  return row === undefined ? 0 : Number(row.last_seq);
}

/**
 * Rows dated at or after the load's now — a device clock slightly ahead — which loadKpiSources leaves
 * out (it evaluates up to now) but which are already committed, so the bus will not bring them again.
 */
async function lateRows(tx: Sql, ids: readonly string[], now: number, window: Interval | null) {
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

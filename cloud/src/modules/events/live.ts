import { type TrackedEnvelope, tracked } from '@trpc/server';
import { sql } from 'drizzle-orm';
import type { Database } from '../../db/index.js';
import { rows } from '../../db/index.js';
import {
  type BusEvents,
  canSeePlant,
  DomainError,
  type EventBus,
  type LiveEvent,
  type Principal,
  scopeOf,
} from '../../platform/index.js';
import { guardLive, type LiveAccess, type LiveGuardDeps } from '../identity/index.js';
import { cursorId, type LiveCursor, parseCursor } from './cursor.js';
import { type LiveFilter, readLog } from './log.js';

export type { LiveFilter } from './log.js';

/** What `events.live` sends: the events of one commit (or one replay page) that pass the filter. */
export interface LiveBatch {
  events: LiveEvent[];
}

/** Commit-log entries read per query while replaying. */
const REPLAY_PAGE = 2000;
/** Live commits held for a slow subscriber before it falls back to reading the log. */
const MAX_PENDING_EVENTS = 20_000;
/**
 * How long a commit that arrived ahead of its predecessor waits for it: afterCommit effects of two
 * requests may run in either order. After this the predecessor is read from the log (it may also
 * have been committed by another cloud instance, whose bus this one does not hear).
 */
const GAP_WAIT_MS = 250;

type Commit = BusEvents['events.ingested'];

/**
 * The live stream of stored events (docs/architecture.md, "The commit log and the live stream"), in
 * commit order. Each batch is sent with
 * tracked(cursor): the cursor names a place in the tenant's commit log (`seq:position`), and the tRPC
 * client resends the last one when it reconnects. The stream then replays the log after it, filtered
 * and under the caller's row-level security, and continues live — nothing missed, nothing doubled,
 * even for events committed late with old ids (an edge catching up after an outage).
 *
 * The bus is listened to before the log is read; live commits at or below what was replayed are
 * skipped, and a missing seq is read from the log, so the seam between the two can neither lose nor
 * repeat a commit.
 */
export function liveEvents(
  deps: LiveGuardDeps,
  principal: Principal,
  filter: LiveFilter & { lastEventId?: string | null | undefined },
  signal: AbortSignal | undefined,
): AsyncGenerator<TrackedEnvelope<LiveBatch>> {
  // Plants the filter names must stay in reach: losing one ends the stream (FORBIDDEN). Without a
  // plant filter the stream follows the caller's reach as it changes (live-access.ts).
  const plantIds = (filter.plantIds ?? []).filter((plantId) => canSeePlant(principal, plantId));
  return guardLive(deps, { principal, needs: { permission: 'events.read', plantIds }, signal }, (access) =>
    streamEvents(deps, access, filter),
  );
}

async function* streamEvents(
  deps: { db: Database; bus: EventBus },
  access: LiveAccess,
  filter: LiveFilter & { lastEventId?: string | null | undefined },
) {
  const { tenantId } = access.principal;
  const { signal } = access;
  const pending = new Map<number, Commit>();
  let pendingEvents = 0;
  let wake: (() => void) | null = null;
  const stop = deps.bus.on('events.ingested', (commit) => {
    if (commit.tenantId !== tenantId) return;
    pending.set(commit.seq, commit);
    pendingEvents += commit.events.length;
    wake?.();
  });
  const onAbort = () => wake?.();
  signal.addEventListener('abort', onAbort);
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = ms === Number.POSITIVE_INFINITY ? undefined : setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    }).finally(() => {
      wake = null;
    });
  const read = (after: LiveCursor, limit: number) =>
    deps.db.transact(scopeOf(access.principal), (tx) => readLog(tx, tenantId, filter, after, limit));
  const visible = (event: LiveEvent) =>
    canSeePlant(access.principal, event.plantId) && matches(filter, event);

  try {
    const resumeFrom = filter.lastEventId == null ? null : parseCursor(filter.lastEventId);
    let at: LiveCursor = resumeFrom ?? {
      seq: await lastSeq(deps.db, access.principal),
      position: Number.MAX_SAFE_INTEGER,
    };
    let replaying = resumeFrom !== null;
    if (
      resumeFrom !== null &&
      !(await deps.db.transact(scopeOf(access.principal), (tx) => canResume(tx, resumeFrom)))
    ) {
      throw new DomainError(
        'invalid',
        'That live position is not in the resume window (too old, or not from this server); subscribe afresh',
      );
    }

    while (!signal.aborted) {
      if (replaying) {
        const page = await read(at, REPLAY_PAGE);
        if (page.events.length > 0)
          yield tracked(cursorId(page.lastMatch ?? page.end), { events: page.events });
        at = page.end;
        replaying = page.entries === REPLAY_PAGE;
        continue;
      }
      for (const seq of [...pending.keys()]) {
        if (seq <= at.seq) forget(seq);
      }
      if (pendingEvents > MAX_PENDING_EVENTS) {
        // A subscriber slower than the plant: drop what is held and read the log at its own pace.
        for (const seq of [...pending.keys()]) forget(seq);
        replaying = true;
        continue;
      }
      const next = pending.get(at.seq + 1);
      if (next !== undefined) {
        forget(next.seq);
        const events = next.events.filter(visible);
        const lastPosition = next.events.length;
        at = { seq: next.seq, position: lastPosition };
        if (events.length > 0) {
          const lastMatch = next.events.lastIndexOf(events.at(-1) as LiveEvent) + 1;
          yield tracked(cursorId({ seq: next.seq, position: lastMatch }), { events });
        }
        continue;
      }
      if (pending.size === 0) {
        await sleep(Number.POSITIVE_INFINITY);
        continue;
      }
      // A later commit is here but not the next one: give it a moment, then read the log.
      await sleep(GAP_WAIT_MS);
      if (!pending.has(at.seq + 1) && pending.size > 0) replaying = true;
    }
  } finally {
    stop();
    signal.removeEventListener('abort', onAbort);
  }

  function forget(seq: number) {
    const commit = pending.get(seq);
    if (commit === undefined) return;
    pending.delete(seq);
    pendingEvents -= commit.events.length;
  }
}

function matches(filter: LiveFilter, event: LiveEvent): boolean {
  return (
    (filter.kinds === undefined || filter.kinds.includes(event.kind)) &&
    (filter.plantIds === undefined || filter.plantIds.includes(event.plantId)) &&
    (filter.lineIds === undefined || filter.lineIds.includes(event.lineId)) &&
    (filter.machineIds === undefined || filter.machineIds.includes(event.machineId))
  );
}

/** Where the tenant's log ends now: a subscriber without a cursor starts there. */
async function lastSeq(db: Database, principal: Principal): Promise<number> {
  const [row] = await db.transact(scopeOf(principal), (tx) =>
    rows<{ last_seq: string | number }>(tx, sql`select last_seq from event_streams`),
  );
  return row === undefined ? 0 : Number(row.last_seq);
}

/**
 * A cursor can resume if it lies within the log: not beyond its end (a position from another
 * database) and not before what was pruned (the commit after it is still there, or none came since).
 */
async function canResume(tx: Parameters<Parameters<Database['transact']>[1]>[0], cursor: LiveCursor) {
  const [row] = await rows<{ oldest: string | number | null; last: string | number | null }>(
    tx,
    sql`select (select min(seq) from event_commits) as oldest, (select last_seq from event_streams) as last`,
  );
  const last = Number(row?.last ?? 0);
  const oldest = row?.oldest == null ? null : Number(row.oldest);
  return cursor.seq <= last && (oldest === null || oldest <= cursor.seq + 1);
}

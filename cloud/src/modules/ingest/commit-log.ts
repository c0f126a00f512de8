import type { EventKind } from '@plantline/schema';
import { sql } from 'drizzle-orm';
import type { Sql } from '../../db/index.js';
import { rows } from '../../db/index.js';

/** One stored event as the commit log names it. */
export interface CommitEntry {
  id: string;
  /** The event's time exactly as stored (the row's `time`), so a replay can reach it by index. */
  time: string;
  kind: EventKind;
}

/** How long commits stay in the log: a live client that was away longer starts afresh. */
export const LIVE_RESUME_WINDOW_DAYS = 7;
/** Old commits are pruned by the commit whose seq is a multiple of this: amortised, no timer. */
const PRUNE_EVERY = 500;

/**
 * Appends one commit to the tenant's log (schema: event_commits) and returns its seq. The counter
 * row's lock is held until this transaction commits, so concurrent ingests of one tenant get their
 * seqs in commit order and no reader ever sees seq n + 1 without n. It is taken last, after the
 * event inserts, so ingests of one tenant serialise only for this statement and their commit.
 */
export async function recordCommit(
  tx: Sql,
  tenantId: string,
  entries: readonly CommitEntry[],
): Promise<number> {
  const [row] = await rows<{ seq: string | number }>(
    tx,
    sql`with next as (
          insert into event_streams (tenant_id, last_seq) values (${tenantId}::uuid, 1)
          on conflict (tenant_id) do update set last_seq = event_streams.last_seq + 1
          returning last_seq)
        insert into event_commits (tenant_id, seq, event_ids, times, kinds)
        select ${tenantId}::uuid, last_seq, ${sql.param(entries.map((e) => e.id))}::uuid[],
               ${sql.param(entries.map((e) => e.time))}::timestamptz[], ${sql.param(entries.map((e) => e.kind))}::text[]
          from next
        returning seq`,
  );
  if (row === undefined) throw new Error('the commit log returned no seq');
  const seq = Number(row.seq);
  if (seq % PRUNE_EVERY === 0) {
    await tx.execute(
      sql`delete from event_commits where tenant_id = ${tenantId}::uuid
            and committed_at < now() - make_interval(days => ${LIVE_RESUME_WINDOW_DAYS})`,
    );
  }
  return seq;
}

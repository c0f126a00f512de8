import { sql } from 'drizzle-orm';
import { rows, type Sql } from '../../db/index.js';

/*
 * Reading a tenant's chain as a whole, for verification and checkpoints (docs/audit.md, "Verifying").
 */

/**
 * Runs `work` with every plant of the tenant in scope. audit_log is plant-scoped for readers, but a
 * chain has no holes per plant: verification and signing must read all of it whatever plants the
 * caller may see. This is safe because what they return is seq numbers, counts, hashes and fixed
 * sentences, never an entry's contents; the setting is transaction-local and put back afterwards, so
 * the rest of the caller's transaction sees what it saw before.
 */
export async function withWholeChain<T>(tx: Sql, work: () => Promise<T>): Promise<T> {
  const [setting] = await rows<{ was: string | null }>(
    tx,
    sql`select current_setting('plantline.all_plants', true) as was`,
  );
  await tx.execute(sql`select set_config('plantline.all_plants', 'on', true)`);
  try {
    return await work();
  } finally {
    await tx.execute(sql`select set_config('plantline.all_plants', ${setting?.was ?? 'off'}, true)`);
  }
}

export interface ChainHead {
  seq: number;
  hash: string;
}

export interface HeadState {
  /** The tenant's audit_chain_heads row; null before its first entry. */
  head: ChainHead | null;
  /** The highest seq in audit_log. */
  highestSeq: number | null;
}

/**
 * The head and the highest seq, in one statement (one snapshot): an audited write updates both in
 * its transaction, so between them they show entries removed from the end or added around the chain.
 * Entries up to the head's seq were committed before this statement; a walk that reads only those is
 * neither blocked nor disturbed by writers that commit meanwhile.
 */
export async function readHead(tx: Sql, tenantId: string): Promise<HeadState> {
  const [state] = await rows<{ seq: string | null; head_hash: string | null; highest: string | null }>(
    tx,
    sql`select h.seq::text as seq, h.head_hash,
          (select max(l.seq)::text from audit_log l where l.tenant_id = ${tenantId}) as highest
        from (select 1) as one
        left join audit_chain_heads h on h.tenant_id = ${tenantId}`,
  );
  return {
    head:
      state?.seq == null || state.head_hash == null
        ? null
        : { seq: Number(state.seq), hash: state.head_hash },
    highestSeq: state?.highest == null ? null : Number(state.highest),
  };
}

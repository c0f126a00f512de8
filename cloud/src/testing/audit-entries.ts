import { tables } from '@plantline/schema';
import { and, asc, eq, gt, sql } from 'drizzle-orm';
import { expect } from 'vitest';
import type { Database } from '../db/index.js';
import { rows } from '../db/index.js';

/*
 * Reading a tenant's audit trail in tests, as the application role with every plant in scope
 * (docs/audit.md). Tests take the trail's length before a call and read what came after it, so
 * they do not depend on what other tests in the file recorded.
 */

export type AuditEntry = typeof tables.auditLog.$inferSelect;

/** What a test expects of an entry: any of its columns, values matched as toMatchObject does. */
export type ExpectedEntry = Partial<Record<keyof AuditEntry, unknown>>;

/** The tenant's entries after `afterSeq` (all of them by default), in order. */
export function auditEntries(db: Database, tenantId: string, afterSeq = 0): Promise<AuditEntry[]> {
  return db.transact({ tenantId, plantIds: 'all' }, (tx) =>
    tx
      .select()
      .from(tables.auditLog)
      .where(and(eq(tables.auditLog.tenantId, tenantId), gt(tables.auditLog.seq, afterSeq)))
      .orderBy(asc(tables.auditLog.seq)),
  );
}

/** The tenant's last sequence number (0 before its first entry): a mark to read new entries from. */
export async function auditMark(db: Database, tenantId: string): Promise<number> {
  const [head] = await db.transact({ tenantId, plantIds: 'all' }, (tx) =>
    rows<{ seq: string | null }>(tx, sql`select max(seq)::text as seq from audit_log`),
  );
  return Number(head?.seq ?? 0);
}

/** One tenant's trail: `during(call)` answers the entries written while the call ran. */
export function auditTrail(db: Database, tenant: { tenantId: string }) {
  const lastSeq = () => auditMark(db, tenant.tenantId);
  const since = (seq: number) => auditEntries(db, tenant.tenantId, seq);
  return {
    lastSeq,
    since,
    /** The entries written while `work` ran (it may fail: a refused call's entries are none). */
    async during(work: () => Promise<unknown>): Promise<AuditEntry[]> {
      const before = await lastSeq();
      await work();
      return since(before);
    },
  };
}

/** The entries are exactly the expected ones, in order, each matching what is given of it. */
export function expectEntries(entries: AuditEntry[], expected: ExpectedEntry[]) {
  // The actions first: a missing or extra entry reads plainly before any detail.
  expect(entries.map((e) => e.action)).toEqual(expected.map((e) => e.action));
  for (const [i, entry] of entries.entries()) expect(entry).toMatchObject(expected[i]!);
}

/**
 * What the tenant's entries say, as the database writes it out: old and new values as jsonb text,
 * labels and reasons. Where a test looks for a secret that must not be there.
 */
export async function auditText(db: Database, tenantId: string): Promise<string> {
  const [all] = await db.transact({ tenantId, plantIds: 'all' }, (tx) =>
    rows<{ text: string | null }>(
      tx,
      sql`select string_agg(concat_ws(' ', old_values::text, new_values::text, entity_label, reason), E'\n')
            as text from audit_log`,
    ),
  );
  return all?.text ?? '';
}

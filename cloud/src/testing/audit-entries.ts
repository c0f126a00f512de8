import { tables } from '@plantline/schema';
import { asc, gt, sql } from 'drizzle-orm';
import { expect } from 'vitest';
import { type Database, rows } from '../db/index.js';

/*
 * A tenant's audit trail as the application role reads it with every plant in reach, for tests that
 * check what a call recorded: `during(call)` answers the entries written while the call ran.
 */

export type AuditEntry = typeof tables.auditLog.$inferSelect;

/** What a test expects of an entry: any of its columns, values matched as toMatchObject does. */
export type ExpectedEntry = Partial<Record<keyof AuditEntry, unknown>>;

export function auditTrail(db: Database, tenant: { tenantId: string; adminUserId: string }) {
  const scope = { tenantId: tenant.tenantId, userId: tenant.adminUserId, plantIds: 'all' as const };
  const lastSeq = () =>
    db.transact(scope, async (tx) => {
      const [last] = await rows<{ seq: string | null }>(tx, sql`select max(seq)::text as seq from audit_log`);
      return Number(last?.seq ?? 0);
    });
  const since = (seq: number) =>
    db.transact(scope, (tx) =>
      tx.select().from(tables.auditLog).where(gt(tables.auditLog.seq, seq)).orderBy(asc(tables.auditLog.seq)),
    );
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

import { tables } from '@plantline/schema';
import { and, desc, eq } from 'drizzle-orm';
import type { Sql } from '../../db/index.js';

/*
 * The change history of definitions (`config_changes`): every change of a field, type list or
 * numbering scheme appends its new version with who and when. Append-only: nothing here updates or
 * deletes.
 */

export type ConfigSubject = (typeof tables.configSubjects)[number];

export interface ConfigChange {
  tenantId: string;
  subject: ConfigSubject;
  subjectId: string;
  version: number;
  action: string;
  summary: string;
  snapshot: unknown;
  changedBy: string | null;
}

export async function recordChange(tx: Sql, change: ConfigChange): Promise<void> {
  await tx.insert(tables.configChanges).values(change);
}

/** Versions of one definition, newest first, with the name of who changed it. */
export function changeHistory(tx: Sql, subjectId: string) {
  const c = tables.configChanges;
  return tx
    .select({
      version: c.version,
      action: c.action,
      summary: c.summary,
      snapshot: c.snapshot,
      changedAt: c.changedAt,
      changedBy: tables.users.displayName,
    })
    .from(c)
    .leftJoin(tables.users, and(eq(tables.users.tenantId, c.tenantId), eq(tables.users.id, c.changedBy)))
    .where(eq(c.subjectId, subjectId))
    .orderBy(desc(c.version));
}

import { tables } from '@plantline/schema';
import { and, eq, gte, lt, type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import { idInput, instantInput } from '../../platform/index.js';

/*
 * The filters of the audit trail's viewer, shared by the list (audit.entries.list) and the CSV export
 * (/api/audit/entries.csv), so both read the same entries for the same filters.
 */

const { auditLog } = tables;

/** An action name such as `role.update`, or a prefix ending in '.' such as `role.`. */
const actionInput = z
  .string()
  .trim()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$/,
    'Use an action such as role.update, or a prefix such as role.',
  );

export const entryFiltersInput = z
  .object({
    /** Entries recorded at or after this instant. */
    from: instantInput.optional(),
    /** Entries recorded before this instant. */
    to: instantInput.optional(),
    actorUserId: idInput.optional(),
    action: actionInput.optional(),
    entityType: z.string().trim().min(1).max(64).optional(),
    entityId: z.string().trim().min(1).max(200).optional(),
    plantId: idInput.optional(),
  })
  .refine((f) => f.from === undefined || f.to === undefined || f.from < f.to, {
    message: 'The end must come after the start',
    path: ['to'],
  });

export type EntryFilters = z.infer<typeof entryFiltersInput>;

/** The conditions of `filters` for the tenant's entries; the tenant condition lets the indexes serve. */
export function entryConditions(tenantId: string, filters: EntryFilters): SQL {
  const conditions: (SQL | undefined)[] = [eq(auditLog.tenantId, tenantId)];
  if (filters.from !== undefined) conditions.push(gte(auditLog.recordedAt, filters.from));
  if (filters.to !== undefined) conditions.push(lt(auditLog.recordedAt, filters.to));
  if (filters.actorUserId !== undefined) conditions.push(eq(auditLog.actorUserId, filters.actorUserId));
  if (filters.action !== undefined) {
    conditions.push(
      filters.action.endsWith('.')
        ? sql`starts_with(${auditLog.action}, ${filters.action})`
        : eq(auditLog.action, filters.action),
    );
  }
  if (filters.entityType !== undefined) conditions.push(eq(auditLog.entityType, filters.entityType));
  if (filters.entityId !== undefined) conditions.push(eq(auditLog.entityId, filters.entityId));
  if (filters.plantId !== undefined) conditions.push(eq(auditLog.plantId, filters.plantId));
  return and(...conditions) as SQL;
}

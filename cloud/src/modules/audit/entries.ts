import { tables } from '@plantline/schema';
import { and, desc, eq, lt, type SQL, sql } from 'drizzle-orm';
import { rows, type Sql } from '../../db/index.js';
import type { AuditEntryContent, Scope } from '../../platform/index.js';
import { type EntryFilters, entryConditions } from './entry-filters.js';

/*
 * Reading the audit trail (docs/audit.md, "Reading the trail"). Row-level security shows the caller
 * the tenant-wide entries and those of their plants; the queries add the tenant condition themselves
 * so the (tenant, …, seq) indexes serve them. Newest first, paged by seq (keyset): a page never
 * shifts when entries are added while someone reads.
 */

const { auditLog, plants } = tables;

/**
 * An entry as the API returns it: what was hashed (but the tenant), the plant's code, the hashes and
 * the change as text (docs/audit.md, "Exporting").
 */
export interface AuditEntry extends Omit<AuditEntryContent, 'tenantId'> {
  plantCode: string | null;
  hash: string;
  prevHash: string;
  changesText: string;
}

/** The most entries one entity's history returns: an entity changed more often pages in the list. */
export const HISTORY_LIMIT = 500;

/** Entries matching `where`, newest first, with their plant's code. */
export async function selectEntries(tx: Sql, where: SQL, limit: number): Promise<AuditEntry[]> {
  const found = await tx
    .select({ entry: auditLog, plantCode: plants.code })
    .from(auditLog)
    .leftJoin(plants, and(eq(plants.tenantId, auditLog.tenantId), eq(plants.id, auditLog.plantId)))
    .where(where)
    .orderBy(desc(auditLog.seq))
    .limit(limit);
  return found.map(({ entry: { tenantId: _, recordedAt, ...entry }, plantCode }) => ({
    ...entry,
    recordedAt: recordedAt.toISOString(),
    plantCode,
  }));
}

export async function listEntries(
  tx: Sql,
  scope: Scope,
  input: EntryFilters & { before?: number | undefined; limit: number },
): Promise<{ entries: AuditEntry[]; nextBefore: number | null }> {
  const where = and(
    entryConditions(scope.tenantId, input),
    input.before === undefined ? undefined : lt(auditLog.seq, input.before),
  ) as SQL;
  // One more than asked says whether there is a next page without counting.
  const found = await selectEntries(tx, where, input.limit + 1);
  const entries = found.slice(0, input.limit);
  return {
    entries,
    nextBefore: found.length > input.limit ? (entries.at(-1)?.seq ?? null) : null,
  };
}

/** One record's entries, newest first: at most HISTORY_LIMIT, and `truncated` says when there are more. */
export async function entityHistory(
  tx: Sql,
  scope: Scope,
  input: { entityType: string; entityId: string },
): Promise<{ entries: AuditEntry[]; truncated: boolean }> {
  const found = await selectEntries(tx, entryConditions(scope.tenantId, input), HISTORY_LIMIT + 1);
  return { entries: found.slice(0, HISTORY_LIMIT), truncated: found.length > HISTORY_LIMIT };
}

export interface AuditFacets {
  entityTypes: string[];
  actions: string[];
  actors: { id: string; name: string }[];
}

/**
 * The values the viewer's filter menus offer. Each list is a skip scan of an index (one index probe
 * per distinct value, not a scan of the trail), so it stays cheap however long the trail grows.
 */
export async function entryFacets(tx: Sql, scope: Scope): Promise<AuditFacets> {
  const tenant = scope.tenantId;
  const distinct = (column: string) => {
    const c = sql.raw(column);
    return sql`with recursive v as (
        (select ${c} as value from audit_log where tenant_id = ${tenant} and ${c} is not null order by ${c} limit 1)
        union all
        select (select ${c} from audit_log
                 where tenant_id = ${tenant} and ${c} > v.value order by ${c} limit 1)
          from v where v.value is not null)
      select value::text as value from v where value is not null`;
  };
  const [entityTypes, actions, actorIds] = [
    await rows<{ value: string }>(tx, distinct('entity_type')),
    await rows<{ value: string }>(tx, distinct('action')),
    await rows<{ value: string }>(tx, distinct('actor_user_id')),
  ];
  const ids = actorIds.map((a) => a.value);
  // The current name of each user, or the name their latest entry recorded (a user may be gone).
  const actors =
    ids.length === 0
      ? []
      : await rows<{ id: string; name: string }>(
          tx,
          sql`select a.id::text as id,
                coalesce(u.display_name,
                  (select l.actor_name from audit_log l
                    where l.tenant_id = ${tenant} and l.actor_user_id = a.id order by l.seq desc limit 1)) as name
              from unnest(${`{${ids.join(',')}}`}::uuid[]) as a(id)
              left join users u on u.tenant_id = ${tenant} and u.id = a.id
              order by 2, 1`,
        );
  return {
    entityTypes: entityTypes.map((e) => e.value),
    actions: actions.map((a) => a.value),
    actors: actors.filter((a): a is { id: string; name: string } => a.name !== null),
  };
}

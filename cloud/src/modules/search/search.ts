import { type SQL, sql } from 'drizzle-orm';
import { rows, type Sql } from '../../db/index.js';
import type { Principal } from '../../platform/index.js';
import {
  type MatchedOn,
  planStages,
  type Stage,
  type StagePlan,
  searchTerms,
  stageWanted,
} from './query-terms.js';
import { type SearchableType, searchableType, visibleTypes } from './registry.js';
import { addFound, groupByType, type SearchGroup, type SearchResult } from './results.js';

/*
 * One search box over every kind of record (docs/search.md). The stages run in order — exact code,
 * code prefix, words, fragments, similar words — each asking plantline.search_candidates for at most
 * `limit` records, while stageWanted says so. That lookup runs as the owner so that its indexes work
 * (0017_search_registration.sql says why) and applies the tenant and plant scope itself; the
 * documents are then read here as the caller, under row-level security, so the policy has the last
 * word on what is shown.
 */

export interface SearchInput {
  q: string;
  limit: number;
  types?: readonly string[] | undefined;
}

export interface SearchAnswer {
  /** The text searched for, as cleaned (searchTerms). */
  text: string;
  groups: SearchGroup[];
}

/** Ranked stages (words, fragments) score at most this many matches, never the whole table. */
export const RANK_POOL = 200;

type Caller = Pick<Principal, 'tenantId' | 'permissions'>;

interface FoundRow {
  entityType: string;
  entityId: string;
  plantId: string | null;
  code: string | null;
  title: string | null;
  plantCode: string | null;
  snippet: string | null;
  matchedOn: MatchedOn;
}

export async function searchRecords(tx: Sql, caller: Caller, input: SearchInput): Promise<SearchAnswer> {
  const terms = searchTerms(input.q);
  const types = visibleTypes(caller.permissions, input.types);
  if (types.length === 0) return { text: terms.text, groups: [] };
  const typeKeys = types.map((t) => t.key);
  let found: FoundRow[] = [];
  for (const stage of planStages(terms)) {
    if (!stageWanted(stage.stage, found, terms, input.limit)) break;
    const stageRows = await runStage(tx, caller.tenantId, stage, typeKeys, input.limit);
    found = addFound(found, stageRows, input.limit);
  }
  const contexts = await readContexts(tx, found);
  const results = found.map((row) =>
    toResult(row, contexts.get(`${row.entityType}:${row.entityId}`) ?? null, caller),
  );
  return { text: terms.text, groups: groupByType(results, labelsOf) };
}

function labelsOf(entityType: string) {
  const type = searchableType(entityType);
  return { label: type?.label ?? entityType, singular: type?.singular ?? entityType };
}

function toResult(row: FoundRow, context: string | null, caller: Caller): SearchResult {
  const type = searchableType(row.entityType);
  const record = { entityId: row.entityId, code: row.code, title: row.title, plantId: row.plantId, context };
  return {
    entityType: row.entityType,
    entityId: row.entityId,
    code: row.code,
    title: row.title,
    ...(row.snippet ? { snippet: row.snippet } : {}),
    ...(row.plantCode ? { plantCode: row.plantCode } : {}),
    ...(context !== null ? { context } : {}),
    link: type?.link(record, caller.permissions) ?? null,
    matchedOn: row.matchedOn,
  };
}

/**
 * Words around the match, for a record found by its other text or custom values rather than its code
 * or title (those are shown anyway).
 */
function snippetOf(stage: Stage, term: string): SQL {
  if (stage !== 'text') return sql`null::text`;
  const query = sql`to_tsquery('simple', ${term})`;
  return sql`case
    when d.body is null and d.custom_text is null then null
    when to_tsvector('simple', concat_ws(' ', d.code, d.title)) @@ ${query} then null
    else ts_headline('simple', concat_ws(' ', d.body, d.custom_text), ${query},
                     'MaxFragments=1, MaxWords=12, MinWords=4, StartSel="", StopSel=""')
  end`;
}

async function runStage(
  tx: Sql,
  tenantId: string,
  { stage, term, matchedOn }: StagePlan,
  typeKeys: readonly string[],
  limit: number,
): Promise<FoundRow[]> {
  const found = await rows<Omit<FoundRow, 'matchedOn'>>(
    tx,
    sql`select c.entity_type as "entityType", c.entity_id as "entityId", d.plant_id::text as "plantId",
               d.code, d.title, p.code as "plantCode", ${snippetOf(stage, term)} as snippet
          from plantline.search_candidates(${stage}::text, ${term}::text, ${sql.param(typeKeys)}::text[], ${limit}::int, ${RANK_POOL}::int)
               with ordinality as c(entity_type, entity_id, score, rank)
          join search_documents d
            on d.tenant_id = ${tenantId}::uuid and d.entity_type = c.entity_type and d.entity_id = c.entity_id
          left join plants p on p.tenant_id = d.tenant_id and p.id = d.plant_id
         order by c.rank`,
  );
  return found.map((row) => ({ ...row, matchedOn }));
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Each found record's context (registry), in one query over the types that have one. */
async function readContexts(tx: Sql, found: readonly FoundRow[]): Promise<Map<string, string>> {
  const parts: SQL[] = [];
  const byType = new Map<SearchableType, string[]>();
  for (const row of found) {
    const type = searchableType(row.entityType);
    if (type?.context == null || !UUID.test(row.entityId)) continue;
    byType.set(type, [...(byType.get(type) ?? []), row.entityId]);
  }
  for (const [type, ids] of byType) {
    const { table, expression } = type.context!;
    parts.push(sql`select ${type.key}::text as "entityType", e.id::text as "entityId",
                          (${sql.raw(expression)})::text as context
                     from ${sql.identifier(table)} e where e.id = any(${sql.param(ids)}::uuid[])`);
  }
  if (parts.length === 0) return new Map();
  const answered = await rows<{ entityType: string; entityId: string; context: string | null }>(
    tx,
    sql.join(parts, sql` union all `),
  );
  return new Map(
    answered.filter((r) => r.context !== null).map((r) => [`${r.entityType}:${r.entityId}`, r.context!]),
  );
}

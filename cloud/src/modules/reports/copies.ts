import { sql } from 'drizzle-orm';
import { rows, type Sql } from '../../db/index.js';
import {
  auditCreate,
  auditUpdate,
  DomainError,
  notFound,
  type Principal,
  unlessTaken,
} from '../../platform/index.js';
import { catalogue, catalogueReport, checkDefinition, dataSources, type SourceKey } from './catalogue.js';
import { type ReportDefinition, reportDefinition } from './definition.js';
import { runParameters } from './parameters.js';
import type { DataSource } from './sources.js';

/*
 * The catalogue and a tenant's copies of it (docs/reports.md, "Copies and versions"). A copy starts as
 * its original's definition; an engineer (reports.manage) adjusts its columns, grouping, filters and
 * default parameters. Every save is a new version with a message, refused when made over a version
 * that is no longer the latest; a copy is deactivated, never deleted, so its runs keep their meaning.
 */

export interface SourceSummary {
  key: string;
  permission: string;
  columns: DataSource['columns'];
  grouping: DataSource['grouping'];
  parameters: DataSource['parameters'];
  requires: DataSource['requires'];
  needsPeriod: boolean;
  extract: boolean;
}

const sourceSummary = (key: SourceKey): SourceSummary => {
  const s = dataSources[key];
  return {
    key,
    permission: s.permission,
    columns: s.columns,
    grouping: s.grouping,
    parameters: s.parameters,
    requires: s.requires,
    needsPeriod: s.needsPeriod,
    extract: s.kind === 'extract',
  };
};

export interface ReportEntry {
  /** The catalogue key for shipped reports, the row's id for the tenant's. */
  id: string;
  kind: 'catalogue' | 'tenant';
  key: string;
  code: string;
  name: string;
  description: string;
  baseKey: string;
  definition: ReportDefinition;
  source: SourceSummary;
  /** The caller may read the data, so may run it. */
  canRun: boolean;
  isActive: boolean;
  version: number | null;
  updatedAt: number | null;
}

interface CopyRow {
  id: string;
  code: string;
  name: string;
  description: string;
  base_key: string;
  definition: ReportDefinition;
  is_active: boolean;
  version: number;
  updated_ms: number;
}

const copyColumns = sql`id::text as id, code, name, description, base_key, definition, is_active, version,
  (extract(epoch from updated_at) * 1000)::float8 as updated_ms`;

function copyEntry(principal: Principal, row: CopyRow): ReportEntry {
  const shipped = catalogueReport(row.base_key);
  const source = sourceSummary(shipped.source);
  return {
    id: row.id,
    kind: 'tenant',
    key: shipped.key,
    code: row.code,
    name: row.name,
    description: row.description,
    baseKey: row.base_key,
    definition: row.definition,
    source,
    canRun: principal.permissions.has(dataSources[shipped.source].permission),
    isActive: row.is_active,
    version: row.version,
    updatedAt: row.updated_ms,
  };
}

function catalogueEntries(principal: Principal): ReportEntry[] {
  return catalogue.map((r) => ({
    id: r.key,
    kind: 'catalogue',
    key: r.key,
    code: r.key,
    name: r.name,
    description: r.description,
    baseKey: r.key,
    definition: r.definition,
    source: sourceSummary(r.source),
    canRun: principal.permissions.has(dataSources[r.source].permission),
    isActive: true,
    version: null,
    updatedAt: null,
  }));
}

export async function listReports(
  tx: Sql,
  principal: Principal,
  input: { includeInactive?: boolean | undefined },
) {
  const copies = await rows<CopyRow>(
    tx,
    sql`select ${copyColumns} from reports ${input.includeInactive ? sql`` : sql`where is_active`} order by name, code`,
  );
  return { catalogue: catalogueEntries(principal), tenant: copies.map((r) => copyEntry(principal, r)) };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function copyRow(tx: Sql, id: string): Promise<CopyRow> {
  const [row] = await rows<CopyRow>(tx, sql`select ${copyColumns} from reports where id = ${id}::uuid`);
  if (row === undefined) throw notFound('Report');
  return row;
}

/** A catalogue report by key, or a tenant's by id. */
export async function getReport(tx: Sql, principal: Principal, idOrKey: string): Promise<ReportEntry> {
  if (!UUID.test(idOrKey)) {
    const found = catalogueEntries(principal).find((r) => r.key === idOrKey);
    if (found === undefined) throw notFound('Report');
    return found;
  }
  return copyEntry(principal, await copyRow(tx, idOrKey));
}

/** A definition as saved: parsed, checked against the source, its default parameters valid. */
function savedDefinition(baseKey: string, given: unknown): ReportDefinition {
  const parsed = reportDefinition.safeParse(given);
  if (!parsed.success) {
    throw new DomainError('invalid', parsed.error.issues[0]?.message ?? 'Not a report definition', {
      definition: 'Invalid',
    });
  }
  const source = dataSources[catalogueReport(baseKey).source];
  const checked = checkDefinition(source, parsed.data);
  const defaults = runParameters.safeParse(checked.parameters);
  if (!defaults.success) {
    throw new DomainError(
      'invalid',
      `Default parameters: ${defaults.error.issues[0]?.message ?? 'invalid'}`,
      {
        parameters: 'Invalid',
      },
    );
  }
  return checked;
}

const audited = (row: CopyRow) => ({
  id: row.id,
  code: row.code,
  name: row.name,
  description: row.description,
  baseKey: row.base_key,
  definition: row.definition,
  isActive: row.is_active,
});

export interface CopyInput {
  /** A catalogue key or the id of the tenant's report to copy. */
  from: string;
  code: string;
  name: string;
  description?: string | undefined;
}

export async function copyReport(tx: Sql, principal: Principal, input: CopyInput): Promise<{ id: string }> {
  const original = await getReport(tx, principal, input.from);
  const definition = savedDefinition(original.baseKey, original.definition);
  const [created] = await unlessTaken(
    rows<CopyRow>(
      tx,
      sql`insert into reports (tenant_id, code, name, description, base_key, definition, created_by)
          values (${principal.tenantId}::uuid, ${input.code}, ${input.name},
                  ${input.description ?? original.description}, ${original.baseKey},
                  ${JSON.stringify(definition)}::jsonb, ${principal.userId}::uuid)
          returning ${copyColumns}`,
    ),
    () => new DomainError('conflict', `A report with the code ${input.code} exists`, { code: 'Taken' }),
  );
  if (created === undefined) throw new Error('the copy was not saved');
  await saveVersion(tx, principal, created, `Copied from ${original.name}`);
  auditCreate(tx, 'report', audited(created), { label: created.code });
  return { id: created.id };
}

async function saveVersion(tx: Sql, principal: Principal, row: CopyRow, message: string) {
  await tx.execute(
    sql`insert into report_versions (tenant_id, report_id, version, name, definition, message, saved_by)
        values (${principal.tenantId}::uuid, ${row.id}::uuid, ${row.version}, ${row.name},
                ${JSON.stringify(row.definition)}::jsonb, ${message}, ${principal.userId}::uuid)`,
  );
}

export interface UpdateInput {
  id: string;
  /** The version the change was made over. */
  version: number;
  name?: string | undefined;
  description?: string | undefined;
  definition: unknown;
  message: string;
}

export async function updateReport(tx: Sql, principal: Principal, input: UpdateInput) {
  const current = await copyRow(tx, input.id);
  if (current.version !== input.version) {
    throw new DomainError(
      'conflict',
      `The report was saved again since you opened it (version ${current.version}); reload and make the change again`,
      { version: 'Stale' },
    );
  }
  const definition = savedDefinition(current.base_key, input.definition);
  const [updated] = await rows<CopyRow>(
    tx,
    sql`update reports set name = ${input.name ?? current.name},
               description = ${input.description ?? current.description},
               definition = ${JSON.stringify(definition)}::jsonb, version = version + 1, updated_at = now()
         where id = ${input.id}::uuid and version = ${input.version}
         returning ${copyColumns}`,
  );
  if (updated === undefined)
    throw new DomainError('conflict', 'The report was saved again meanwhile', { version: 'Stale' });
  await saveVersion(tx, principal, updated, input.message);
  auditUpdate(tx, 'report', audited(current), audited(updated), { label: updated.code });
  return copyEntry(principal, updated);
}

export async function setReportActive(
  tx: Sql,
  principal: Principal,
  input: { id: string; version: number; active: boolean },
) {
  const current = await copyRow(tx, input.id);
  if (current.version !== input.version) {
    throw new DomainError('conflict', 'The report was saved again since you opened it; reload it', {
      version: 'Stale',
    });
  }
  const [updated] = await rows<CopyRow>(
    tx,
    sql`update reports set is_active = ${input.active}, version = version + 1, updated_at = now()
         where id = ${input.id}::uuid returning ${copyColumns}`,
  );
  if (updated === undefined) throw notFound('Report');
  await saveVersion(tx, principal, updated, input.active ? 'Reactivated' : 'Deactivated');
  auditUpdate(tx, 'report', audited(current), audited(updated), { label: updated.code });
  return copyEntry(principal, updated);
}

export async function reportVersions(tx: Sql, id: string) {
  await copyRow(tx, id);
  const found = await rows<{
    version: number;
    name: string;
    definition: ReportDefinition;
    message: string;
    saved_by_name: string | null;
    saved_ms: number;
  }>(
    tx,
    sql`select v.version, v.name, v.definition, v.message, u.display_name as saved_by_name,
               (extract(epoch from v.saved_at) * 1000)::float8 as saved_ms
          from report_versions v left join users u on u.tenant_id = v.tenant_id and u.id = v.saved_by
         where v.report_id = ${id}::uuid order by v.version desc`,
  );
  return found.map((v) => ({
    version: v.version,
    name: v.name,
    definition: v.definition,
    message: v.message,
    savedByName: v.saved_by_name,
    savedAt: v.saved_ms,
  }));
}

import { sql } from 'drizzle-orm';
import { rows, type Sql } from '../../db/index.js';
import { canSeePlant, DomainError, notFound, type Principal } from '../../platform/index.js';
import {
  type CatalogueReport,
  catalogueReport,
  checkDefinition,
  dataSources,
  type SourceKey,
} from './catalogue.js';
import type { ColumnSpec, ReportDefinition } from './definition.js';
import { mergeParameters, type RunParameters } from './parameters.js';
import { type ResolvedPeriod, resolvePeriod } from './periods.js';
import type { DataSource, SourceContext } from './sources.js';

/*
 * What a run or a preview needs before it reads a row (docs/reports.md, "Runs"): the report — a
 * catalogue key or a tenant's copy —, its data source and definition, the parameters over the
 * definition's defaults, the caller's right to the data and the plant, and the period resolved in
 * the plant's calendar.
 */

export interface ReportRef {
  readonly reportKey?: string | undefined;
  readonly reportId?: string | undefined;
}

export interface LoadedReport {
  readonly key: string;
  readonly id: string | null;
  readonly version: number | null;
  readonly name: string;
  readonly source: DataSource;
  readonly definition: ReportDefinition;
}

export interface PreparedRun {
  readonly report: LoadedReport;
  readonly parameters: RunParameters;
  readonly context: SourceContext;
  readonly columns: readonly ColumnSpec[];
}

interface ReportRow {
  id: string;
  code: string;
  name: string;
  base_key: string;
  definition: unknown;
  version: number;
  is_active: boolean;
}

export async function loadReport(tx: Sql, ref: ReportRef): Promise<LoadedReport> {
  if ((ref.reportKey === undefined) === (ref.reportId === undefined)) {
    throw new DomainError('invalid', 'Name the report by its catalogue key or by its id, one of them', {
      reportKey: 'One of key or id',
    });
  }
  if (ref.reportKey !== undefined) {
    const shipped: CatalogueReport = catalogueReport(ref.reportKey);
    return {
      key: shipped.key,
      id: null,
      version: null,
      name: shipped.name,
      source: dataSources[shipped.source],
      definition: shipped.definition,
    };
  }
  const [row] = await rows<ReportRow>(
    tx,
    sql`select id::text as id, code, name, base_key, definition, version, is_active
          from reports where id = ${ref.reportId}::uuid`,
  );
  if (row === undefined) throw notFound('Report');
  if (!row.is_active) throw new DomainError('invalid', 'The report is deactivated', { reportId: 'Inactive' });
  const shipped = catalogueReport(row.base_key);
  const source = dataSources[shipped.source as SourceKey];
  return {
    key: shipped.key,
    id: row.id,
    version: row.version,
    name: row.name,
    source,
    definition: checkDefinition(source, row.definition as ReportDefinition),
  };
}

/** Refused with a message that names the permission: every role that reads the data may run it. */
export function checkDataPermission(principal: Principal, source: DataSource, reportName: string) {
  if (!principal.permissions.has(source.permission)) {
    throw new DomainError(
      'forbidden',
      `"${reportName}" shows data that needs the permission ${source.permission}, which you do not have`,
    );
  }
}

export async function prepareRun(
  tx: Sql,
  principal: Principal,
  ref: ReportRef,
  given: RunParameters,
  now: number,
): Promise<PreparedRun> {
  const report = await loadReport(tx, ref);
  const { source, definition } = report;
  checkDataPermission(principal, source, report.name);
  const parameters = mergeParameters(definition.parameters, given);
  for (const key of source.requires) {
    if (parameters[key] === undefined) {
      throw new DomainError('invalid', `"${report.name}" needs a ${key.replace(/Id$/, '')}`, {
        [key]: 'Required',
      });
    }
  }
  const plantId = parameters.plantId;
  if (plantId === undefined && principal.plantIds !== 'all') {
    throw new DomainError(
      'invalid',
      'Choose a plant: a report over every plant needs access to every plant',
      {
        plantId: 'Required',
      },
    );
  }
  let plant: SourceContext['plant'] = null;
  if (plantId !== undefined) {
    if (!canSeePlant(principal, plantId)) throw notFound('Plant');
    const [row] = await rows<{ id: string; code: string; timezone: string }>(
      tx,
      sql`select id::text as id, code, timezone from plants where id = ${plantId}::uuid`,
    );
    if (row === undefined) throw notFound('Plant');
    plant = row;
  }
  let period: ResolvedPeriod | null = null;
  if (parameters.period !== undefined) period = await resolvePeriod(tx, plant, parameters.period, now);
  else if (source.needsPeriod) throw new DomainError('invalid', 'Choose a period', { period: 'Required' });
  const byKey = new Map(source.columns.map((c) => [c.key, c]));
  return {
    report,
    parameters,
    context: {
      params: parameters,
      period,
      plant,
      grouping: definition.grouping,
      tenantId: principal.tenantId,
      now,
    },
    columns: definition.columns.map((key) => byKey.get(key) as ColumnSpec),
  };
}

import { catalogueReport, dataSources, type SourceKey } from './catalogue.js';
import type { ColumnSpec, ReportDefinition } from './definition.js';
import type { ReportFormat } from './execution.js';
import { isLabelled, labelText, type ParameterLabels, titleOf } from './labels.js';
import type { RunParameters } from './parameters.js';
import type { ResolvedPeriod } from './periods.js';
import type { DataSource, SourceContext } from './sources.js';
import type { ReportMeta } from './writers.js';

/*
 * What a queued run keeps so that it runs the same whenever the job gets to it, even after a restart
 * (docs/reports.md, "Runs"): the definition as it was, the period already resolved to instants and
 * the plant with its time zone. The job reads nothing of the request again.
 */

export interface ResolvedRun {
  readonly definition: ReportDefinition;
  readonly period: ResolvedPeriod | null;
  readonly plant: SourceContext['plant'];
  /** Codes and names of the id parameters, as they were when the run was asked for (labels.ts). */
  readonly labels?: ParameterLabels;
  readonly now: number;
}

export interface ExecutionRow {
  id: string;
  tenant_id: string;
  plant_id: string | null;
  report_key: string;
  report_name: string;
  format: ReportFormat;
  parameters: RunParameters;
  resolved: ResolvedRun;
  requested_by: string | null;
}

export interface ExecutionContext {
  readonly source: DataSource;
  readonly definition: ReportDefinition;
  readonly columns: readonly ColumnSpec[];
  readonly sourceContext: SourceContext;
}

export function executionContext(execution: ExecutionRow): ExecutionContext {
  const source = dataSources[catalogueReport(execution.report_key).source as SourceKey];
  const { definition, period, plant, now } = execution.resolved;
  const byKey = new Map(source.columns.map((c) => [c.key, c]));
  const parameters = execution.parameters;
  return {
    source,
    definition,
    columns: definition.columns.map((key) => byKey.get(key)).filter((c): c is ColumnSpec => c !== undefined),
    sourceContext: {
      params: {
        ...parameters,
        ...(parameters.period?.preset === 'range'
          ? {
              period: {
                preset: 'range',
                from: new Date(parameters.period.from),
                to: new Date(parameters.period.to),
              },
            }
          : {}),
      },
      period,
      plant,
      grouping: definition.grouping,
      tenantId: execution.tenant_id,
      now,
    },
  };
}

const minute = (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 16);

/** The parameters as resolved, in words, for the PDF's head. */
export function parameterLines(run: { resolved: ResolvedRun; parameters: RunParameters }): string[] {
  const { plant, period, definition } = run.resolved;
  const labels = run.resolved.labels ?? {};
  const lines: string[] = [];
  lines.push(
    plant === null
      ? 'Plant: every plant'
      : `Plant: ${labelText(labels.plantId ?? { code: plant.code, name: plant.code }, plant.id)} (time zone ${plant.timezone})`,
  );
  if (period !== null) {
    lines.push(
      `Period: ${period.label} — ${minute(period.start)} to ${minute(period.end)} UTC, resolved in ${period.timezone}`,
    );
  }
  const grouping = Object.entries(definition.grouping).map(([k, v]) => `${k} ${v}`);
  if (grouping.length > 0) lines.push(`Grouping: ${grouping.join(', ')}`);
  for (const [key, value] of Object.entries(run.parameters)) {
    if (key === 'plantId' || key === 'period' || value === undefined) continue;
    if (isLabelled(key)) lines.push(`${titleOf(key)}: ${labelText(labels[key], String(value))}`);
    else lines.push(`${key === 'shiftName' ? 'Shift' : key}: ${String(value)}`);
  }
  if (definition.filters.length > 0) {
    lines.push(`Filters: ${definition.filters.map((f) => `${f.column} ${f.op} ${f.value}`).join(', ')}`);
  }
  return lines;
}

export function metaOf(execution: ExecutionRow, context: ExecutionContext, generatedAt: Date): ReportMeta {
  return {
    title: execution.report_name,
    parameterLines: parameterLines(execution),
    generatedAt,
    chart: context.definition.chart,
  };
}

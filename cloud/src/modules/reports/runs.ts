import { sql } from 'drizzle-orm';
import { rows, type Sql } from '../../db/index.js';
import { audit, DomainError, notFound, type Principal } from '../../platform/index.js';
import { catalogueReport, dataSources, type SourceKey } from './catalogue.js';
import type { ReportFormat } from './execution.js';
import { resolveLabels } from './labels.js';
import type { RunParameters } from './parameters.js';
import { prepareRun, type ReportRef } from './prepare.js';
import type { ResolvedRun } from './run-context.js';

/*
 * Asking for a run and reading runs back (docs/reports.md, "Runs"). A run is asked for by anyone who
 * may read the report's data, for a plant in their reach (or every plant, for those who reach every
 * plant); its period is resolved now, so the run means the same whenever the job gets to it. A
 * schedule asks the same way, with its scheduleId. Row-level security shows a run to those who reach
 * its plant; among them, a run is listed to the person who asked for it, and to everyone who
 * reaches every plant when they ask for all runs.
 */

export interface RunRequest extends ReportRef {
  readonly parameters: RunParameters;
  readonly format: ReportFormat;
  readonly scheduleId?: string | undefined;
}

export async function requestRun(
  tx: Sql,
  principal: Principal,
  request: RunRequest,
  now = Date.now(),
): Promise<{ id: string }> {
  const prepared = await prepareRun(tx, principal, request, request.parameters, now);
  const { report, parameters, context } = prepared;
  const resolved: ResolvedRun = {
    definition: report.definition,
    period: context.period,
    plant: context.plant,
    labels: await resolveLabels(tx, parameters),
    now,
  };
  const [created] = await rows<{ id: string }>(
    tx,
    sql`insert into report_executions
          (tenant_id, plant_id, report_key, report_id, report_version, report_name, schedule_id, format,
           parameters, resolved, status, requested_by)
        values (${principal.tenantId}::uuid, ${context.plant?.id ?? null}::uuid, ${report.key},
                ${report.id}::uuid, ${report.version}, ${report.name}, ${request.scheduleId ?? null}::uuid,
                ${request.format}, ${JSON.stringify(parameters)}::jsonb, ${JSON.stringify(resolved)}::jsonb,
                'queued', ${principal.userId}::uuid)
        returning id::text as id`,
  );
  if (created === undefined) throw new Error('the run was not recorded');
  audit(tx, {
    action: 'report.run',
    entityType: 'report_execution',
    entityId: created.id,
    entityLabel: report.name,
    plantId: context.plant?.id ?? null,
    after: { reportKey: report.key, reportId: report.id, format: request.format, parameters },
  });
  return created;
}

export interface RunSummary {
  id: string;
  plantId: string | null;
  reportKey: string;
  reportId: string | null;
  reportVersion: number | null;
  reportName: string;
  scheduleId: string | null;
  format: ReportFormat;
  parameters: RunParameters;
  period: { label: string; start: number; end: number; timezone: string } | null;
  status: 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
  progressRows: number;
  expectedRows: number | null;
  rows: number | null;
  durationMs: number | null;
  outputBytes: number | null;
  outputSha256: string | null;
  /** The output was kept and has been deleted after the retention. */
  expired: boolean;
  downloadable: boolean;
  error: string | null;
  requestedBy: string | null;
  requestedByName: string | null;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  expiresAt: number | null;
}

interface RunRow {
  id: string;
  plant_id: string | null;
  report_key: string;
  report_id: string | null;
  report_version: number | null;
  report_name: string;
  schedule_id: string | null;
  format: ReportFormat;
  parameters: RunParameters;
  resolved: ResolvedRun | null;
  status: RunSummary['status'];
  progress_rows: number | string;
  expected_rows: number | string | null;
  rows: number | string | null;
  duration_ms: number | null;
  output_bytes: number | string | null;
  output_sha256: string | null;
  output_path: string | null;
  error: string | null;
  requested_by: string | null;
  requested_by_name: string | null;
  created_ms: number;
  started_ms: number | null;
  finished_ms: number | null;
  expires_ms: number | null;
}

const columns = sql`e.id::text as id, e.plant_id::text as plant_id, e.report_key, e.report_id::text as report_id,
  e.report_version, e.report_name, e.schedule_id::text as schedule_id, e.format, e.parameters, e.resolved,
  e.status, e.progress_rows, e.expected_rows, e.rows, e.duration_ms, e.output_bytes, e.output_sha256,
  e.output_path, e.error, e.requested_by::text as requested_by, u.display_name as requested_by_name,
  (extract(epoch from e.created_at) * 1000)::float8 as created_ms,
  (extract(epoch from e.started_at) * 1000)::float8 as started_ms,
  (extract(epoch from e.finished_at) * 1000)::float8 as finished_ms,
  (extract(epoch from e.expires_at) * 1000)::float8 as expires_ms`;

const from = sql`report_executions e left join users u on u.tenant_id = e.tenant_id and u.id = e.requested_by`;

const count = (n: number | string | null) => (n === null ? null : Number(n));

function summaryOf(r: RunRow): RunSummary & { outputPath: string | null } {
  const period = r.resolved?.period ?? null;
  return {
    id: r.id,
    plantId: r.plant_id,
    reportKey: r.report_key,
    reportId: r.report_id,
    reportVersion: r.report_version,
    reportName: r.report_name,
    scheduleId: r.schedule_id,
    format: r.format,
    parameters: r.parameters,
    period:
      period === null
        ? null
        : { label: period.label, start: period.start, end: period.end, timezone: period.timezone },
    status: r.status,
    progressRows: Number(r.progress_rows),
    expectedRows: count(r.expected_rows),
    rows: count(r.rows),
    durationMs: r.duration_ms,
    outputBytes: count(r.output_bytes),
    outputSha256: r.output_sha256,
    expired: r.status === 'succeeded' && r.output_path === null,
    downloadable: r.status === 'succeeded' && r.output_path !== null,
    error: r.error,
    requestedBy: r.requested_by,
    requestedByName: r.requested_by_name,
    createdAt: r.created_ms,
    startedAt: r.started_ms,
    finishedAt: r.finished_ms,
    expiresAt: r.expires_ms,
    outputPath: r.output_path,
  };
}

/** Whether the caller may see this run: their own, or any in reach for those who may read its data. */
function maySee(principal: Principal, run: { requestedBy: string | null; reportKey: string }): boolean {
  if (run.requestedBy !== null && run.requestedBy === principal.userId) return true;
  const source = dataSources[catalogueReport(run.reportKey).source as SourceKey];
  return principal.permissions.has(source.permission);
}

/** One run, with where its output is (for the download route). */
export async function findRun(tx: Sql, principal: Principal, id: string) {
  const [row] = await rows<RunRow>(tx, sql`select ${columns} from ${from} where e.id = ${id}::uuid`);
  if (row === undefined) throw notFound('Run');
  const run = summaryOf(row);
  if (!maySee(principal, run)) throw notFound('Run');
  return run;
}

export async function getRun(tx: Sql, principal: Principal, id: string): Promise<RunSummary> {
  const { outputPath: _, ...run } = await findRun(tx, principal, id);
  return run;
}

export const RUN_PAGE = 50;

/**
 * The caller's runs, newest first; `all` lists everyone's, for those who reach every plant (the
 * plant-less runs are theirs to see anyway). Keyset paged by creation time and id.
 */
export async function listRuns(
  tx: Sql,
  principal: Principal,
  input: { all?: boolean | undefined; before?: string | undefined; limit?: number | undefined },
): Promise<{ runs: RunSummary[]; next: string | null }> {
  if (input.all && principal.plantIds !== 'all') {
    throw new DomainError('forbidden', "Everyone's runs are listed to those who reach every plant");
  }
  const limit = input.limit ?? RUN_PAGE;
  const found = await rows<RunRow>(
    tx,
    sql`select ${columns} from ${from}
         where e.tenant_id = ${principal.tenantId}::uuid
           ${input.all ? sql`` : sql`and e.requested_by = ${principal.userId}::uuid`}
           ${
             input.before === undefined
               ? sql``
               : sql`and (e.created_at, e.id) < (select b.created_at, b.id from report_executions b
                                                 where b.id = ${input.before}::uuid)`
           }
         order by e.created_at desc, e.id desc limit ${limit + 1}`,
  );
  const page = found.slice(0, limit).map((r) => {
    const { outputPath: _, ...run } = summaryOf(r);
    return run;
  });
  const last = page.at(-1);
  return {
    runs: page,
    next: found.length > limit && last !== undefined ? last.id : null,
  };
}

/**
 * Cancels a run that has not finished (docs/reports.md, "Cancelling"), for the person who asked for
 * it or a holder of reports.manage. A queued run is never claimed (the job claims only queued runs);
 * a running one is noticed by its runner before its next batch, which then deletes its partial output.
 * The status and who cancelled are set here, in the caller's transaction, so the answer is final at once.
 */
export async function cancelRun(tx: Sql, principal: Principal, id: string): Promise<RunSummary> {
  const run = await getRun(tx, principal, id);
  const own = run.requestedBy !== null && run.requestedBy === principal.userId;
  if (!own && !principal.permissions.has('reports.manage')) {
    throw new DomainError(
      'forbidden',
      'A run is cancelled by the person who asked for it or with reports.manage',
    );
  }
  if (run.status !== 'queued' && run.status !== 'running') {
    throw new DomainError('conflict', `The run has already finished (${run.status})`);
  }
  const [me] = await rows<{ name: string }>(
    tx,
    sql`select display_name as name from users where id = ${principal.userId}::uuid`,
  );
  const error = `Cancelled by ${me?.name ?? (principal.kind === 'api-key' ? 'an API key' : 'a user')}`;
  const [cancelled] = await rows<{ status: string }>(
    tx,
    sql`update report_executions
           set status = 'cancelled', error = ${error}, finished_at = now(),
               duration_ms = case when started_at is null then null
                                  else (extract(epoch from now() - started_at) * 1000)::int end
         where id = ${id}::uuid and status in ('queued', 'running')
         returning status`,
  );
  // Finished between the read and the update: the run's own outcome stands.
  if (cancelled === undefined) throw new DomainError('conflict', 'The run has already finished');
  audit(tx, {
    action: 'report.cancel',
    entityType: 'report_execution',
    entityId: id,
    entityLabel: run.reportName,
    plantId: run.plantId,
    before: { status: run.status },
    after: { status: 'cancelled' },
  });
  return getRun(tx, principal, id);
}

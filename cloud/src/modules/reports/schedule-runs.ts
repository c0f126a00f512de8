import { sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import { type Database, everyTenantId, rows, type Sql } from '../../db/index.js';
import {
  audit,
  DomainError,
  type EventBus,
  type Scheduler,
  type Scope,
  scopeOf,
} from '../../platform/index.js';
import { loadUserPrincipal } from '../identity/index.js';
import { notify } from '../notifications/index.js';
import { catalogueReport, dataSources, type SourceKey } from './catalogue.js';
import { requestRun } from './runs.js';
import { nextFire, type ScheduleTrigger } from './schedule-triggers.js';
import { runParametersOf, type ScheduleInput } from './schedules.js';

/*
 * Schedules at work (docs/reports.md, "Schedules"). Every SCHEDULE_PASS_MS a pass fires the schedules
 * that are due — each claimed by moving its next fire time, so two cloud instances never fire one
 * twice — by asking for a run as the schedule's maker; a second pass delivers the scheduled runs that
 * have finished: skipped when empty (if the schedule says so), otherwise an in-app notification with
 * the download link to every recipient who may read the data in the schedule's plant, and an email to
 * those who get email for it. A delivery that fails is retried with a growing pause, then given up;
 * report_deliveries keeps what became of each.
 */

export const SCHEDULE_PASS_MS = 30_000;
/** Deliveries are tried this many times, the pause doubling from RETRY_BASE_MS. */
export const DELIVERY_ATTEMPTS = 5;
const RETRY_BASE_MS = 60_000;
/** Finished runs older than this are not delivered any more (a cloud down for a week sends no backlog). */
const DELIVERY_WINDOW_DAYS = 2;

export const SCHEDULED_KIND = 'reports.scheduled';
export const SCHEDULE_FAILED_KIND = 'reports.schedule-failed';

export interface ScheduleDeps {
  readonly db: Database;
  readonly bus: EventBus;
  readonly email: { readonly enabled: boolean } | null;
  readonly log: Logger;
  /** Sends a queued run to the runner's queue. */
  readonly enqueue: (tenantId: string, executionId: string) => Promise<void>;
}

const tenantScope = (tenantId: string): Scope => ({ tenantId, plantIds: 'all' });

interface DueSchedule {
  id: string;
  name: string;
  plant_id: string | null;
  timezone: string | null;
  report_key: string;
  report_id: string | null;
  parameters: ScheduleInput['parameters'];
  format: ScheduleInput['format'];
  trigger: ScheduleTrigger;
  created_by: string | null;
  next_run_at: string | Date;
}

/** Both passes, on the app's scheduler. */
export function scheduleReportSchedules(scheduler: Scheduler, deps: ScheduleDeps): void {
  scheduler.every('report-schedules', SCHEDULE_PASS_MS, async () => {
    await fireDueSchedules(deps);
    await deliverScheduledRuns(deps);
  });
}

/** Fires every schedule due at `now`; returns the runs asked for. */
export async function fireDueSchedules(deps: ScheduleDeps, now = new Date()): Promise<string[]> {
  const started: string[] = [];
  for (const tenantId of await everyTenantId(deps.db)) {
    const due = await deps.db.transact(tenantScope(tenantId), (tx) =>
      rows<DueSchedule>(
        tx,
        sql`select s.id::text as id, s.name, s.plant_id::text as plant_id, p.timezone, s.report_key,
                   s.report_id::text as report_id, s.parameters, s.format, s.trigger,
                   s.created_by::text as created_by, s.next_run_at
              from report_schedules s left join plants p on p.tenant_id = s.tenant_id and p.id = s.plant_id
             where s.tenant_id = ${tenantId}::uuid and s.is_active
               and s.next_run_at <= ${now.toISOString()}::timestamptz
             order by s.next_run_at`,
      ),
    );
    for (const schedule of due) {
      const runId = await fireSchedule(deps, tenantId, schedule, now).catch((error: unknown) => {
        deps.log.error({ err: error, scheduleId: schedule.id }, 'a report schedule could not fire');
        return null;
      });
      if (runId !== null) started.push(runId);
    }
  }
  return started;
}

async function fireSchedule(deps: ScheduleDeps, tenantId: string, schedule: DueSchedule, now: Date) {
  const { db } = deps;
  // Claimed by moving its next fire time from the one read: another instance's pass finds nothing.
  const claimed = await db.transact(tenantScope(tenantId), async (tx) => {
    const plant = schedule.plant_id === null ? null : { id: schedule.plant_id, timezone: schedule.timezone! };
    // Planned from now: fires missed while the cloud was down are one run, not a burst.
    const next = await nextFire(tx, schedule.trigger, plant, now);
    const updated = await rows(
      tx,
      sql`update report_schedules set next_run_at = ${next?.toISOString() ?? null}::timestamptz,
                 last_run_at = ${now.toISOString()}::timestamptz
           where id = ${schedule.id}::uuid and is_active
             and next_run_at = ${new Date(schedule.next_run_at).toISOString()}::timestamptz
           returning 1 as ok`,
    );
    return updated.length > 0;
  });
  if (!claimed) return null;
  const principal =
    schedule.created_by === null ? null : await loadUserPrincipal(db, tenantId, schedule.created_by, null);
  if (principal === null) {
    await pause(db, tenantId, schedule, 'its maker’s account is deactivated');
    return null;
  }
  const parameters = runParametersOf({
    parameters: schedule.parameters,
    plantId: schedule.plant_id,
    trigger: schedule.trigger,
  });
  try {
    const run = await db.transact(scopeOf(principal), (tx) =>
      requestRun(
        tx,
        principal,
        {
          ...(schedule.report_id === null
            ? { reportKey: schedule.report_key }
            : { reportId: schedule.report_id }),
          parameters,
          format: schedule.format,
          scheduleId: schedule.id,
        },
        now.getTime(),
      ),
    );
    await deps.enqueue(tenantId, run.id);
    return run.id;
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    // The maker may no longer run it (a permission or plant taken away, the report deactivated).
    await pause(db, tenantId, schedule, error.message);
    return null;
  }
}

/** A schedule that cannot run any more stops, and the trail says why. */
async function pause(db: Database, tenantId: string, schedule: DueSchedule, why: string) {
  await db.transact(tenantScope(tenantId), async (tx) => {
    await tx.execute(
      sql`update report_schedules set is_active = false, next_run_at = null, version = version + 1,
                 updated_at = now()
           where id = ${schedule.id}::uuid`,
    );
    audit(tx, {
      action: 'report.schedule.pause',
      entityType: 'report_schedule',
      entityId: schedule.id,
      entityLabel: schedule.name,
      plantId: schedule.plant_id,
      reason: `Paused by the system: ${why}`,
      before: { isActive: true },
      after: { isActive: false },
    });
  });
}

interface FinishedRun {
  id: string;
  schedule_id: string;
  plant_id: string | null;
  status: 'succeeded' | 'failed';
  rows: number | string | null;
  error: string | null;
  format: string;
  period_label: string | null;
  report_key: string;
  name: string;
  recipients: ScheduleInput['recipients'];
  skip_if_empty: boolean;
  created_by: string | null;
  delivery_id: string | null;
  attempts: number | null;
}

/** Delivers every scheduled run finished and not yet delivered, and retries those due; returns how many. */
export async function deliverScheduledRuns(deps: ScheduleDeps, now = new Date()): Promise<number> {
  let handled = 0;
  for (const tenantId of await everyTenantId(deps.db)) {
    const finished = await deps.db.transact(tenantScope(tenantId), (tx) =>
      rows<FinishedRun>(
        tx,
        sql`select e.id::text as id, e.schedule_id::text as schedule_id, e.plant_id::text as plant_id, e.status,
                   e.rows, e.error, e.format, e.resolved->'period'->>'label' as period_label, e.report_key,
                   s.name, s.recipients, s.skip_if_empty, s.created_by::text as created_by,
                   d.id::text as delivery_id, d.attempts
              from report_executions e
              join report_schedules s on s.tenant_id = e.tenant_id and s.id = e.schedule_id
              left join report_deliveries d on d.tenant_id = e.tenant_id and d.execution_id = e.id
             where e.tenant_id = ${tenantId}::uuid and e.schedule_id is not null
               and e.status in ('succeeded', 'failed')
               and e.finished_at > ${now.toISOString()}::timestamptz - make_interval(days => ${DELIVERY_WINDOW_DAYS})
               and (d.id is null or (d.status = 'pending' and d.next_attempt_at <= ${now.toISOString()}::timestamptz))
             order by e.finished_at`,
      ),
    );
    for (const run of finished) {
      await deliverRun(deps, tenantId, run, now);
      handled++;
    }
  }
  return handled;
}

async function deliverRun(deps: ScheduleDeps, tenantId: string, run: FinishedRun, now: Date) {
  const effects: (() => void)[] = [];
  try {
    await deps.db.transact(tenantScope(tenantId), async (tx) => {
      const ctx = { tx, afterCommit: (effect: () => void) => effects.push(effect), deps };
      const outcome = await deliveryOutcome(ctx, run);
      await recordDelivery(tx, tenantId, run, {
        ...outcome,
        attempts: (run.attempts ?? 0) + 1,
        error: outcome.error,
      });
    });
    for (const effect of effects) effect();
  } catch (error) {
    deps.log.warn({ err: error, executionId: run.id }, 'a scheduled report could not be delivered; retrying');
    const attempts = (run.attempts ?? 0) + 1;
    const message = error instanceof Error ? error.message : String(error);
    await deps.db.transact(tenantScope(tenantId), (tx) =>
      recordDelivery(tx, tenantId, run, {
        status: attempts >= DELIVERY_ATTEMPTS ? 'failed' : 'pending',
        recipients: [],
        emails: 0,
        attempts,
        error: message,
        retryAt: new Date(now.getTime() + RETRY_BASE_MS * 2 ** (attempts - 1)),
      }),
    );
  }
}

interface Outcome {
  status: 'delivered' | 'skipped' | 'failed' | 'pending';
  recipients: string[];
  emails: number;
  error: string | null;
  retryAt?: Date;
}

async function deliveryOutcome(
  ctx: { tx: Sql; afterCommit: (effect: () => void) => void; deps: ScheduleDeps },
  run: FinishedRun,
): Promise<Outcome> {
  if (run.status === 'failed') {
    // A run that failed goes to its maker, who can fix the schedule; the recipients get nothing.
    const told =
      run.created_by === null
        ? { userIds: [], emails: 0 }
        : await notify(ctx, {
            to: { userIds: [run.created_by] },
            kind: SCHEDULE_FAILED_KIND,
            title: `${run.name} failed`,
            body: run.error ?? 'The run failed',
            link: `/reports/runs`,
            plantId: run.plant_id,
            entity: { type: 'report_execution', id: run.id },
          });
    return {
      status: 'failed',
      recipients: told.userIds,
      emails: told.emails,
      error: `The run failed: ${run.error}`,
    };
  }
  if (Number(run.rows ?? 0) === 0 && run.skip_if_empty)
    return { status: 'skipped', recipients: [], emails: 0, error: null };
  const readers = await recipientsWhoMayRead(ctx.tx, run);
  const told = await notify(ctx, {
    to: { userIds: readers },
    kind: SCHEDULED_KIND,
    title: `${run.name}${run.period_label === null ? '' : `: ${run.period_label}`}`,
    body: `${Number(run.rows ?? 0)} rows, ${run.format.toUpperCase()}`,
    link: `/api/reports/runs/${run.id}/download`,
    plantId: run.plant_id,
    entity: { type: 'report_execution', id: run.id },
  });
  return { status: 'delivered', recipients: told.userIds, emails: told.emails, error: null };
}

/**
 * The schedule's users and the members of its roles who may read the report's data: active, holding
 * the data's permission, and reaching the plant (notify() checks the plant too).
 */
async function recipientsWhoMayRead(tx: Sql, run: FinishedRun): Promise<string[]> {
  const permission = dataSources[catalogueReport(run.report_key).source as SourceKey].permission;
  const userIds = run.recipients.flatMap((r) => (r.kind === 'user' ? [r.userId] : []));
  const roleIds = run.recipients.flatMap((r) => (r.kind === 'role' ? [r.roleId] : []));
  const found = await rows<{ id: string }>(
    tx,
    sql`select u.id::text as id from users u
         where u.is_active
           and (u.id = any(${sql.param(userIds)}::uuid[])
                or exists (select 1 from user_roles ur where ur.tenant_id = u.tenant_id and ur.user_id = u.id
                             and ur.role_id = any(${sql.param(roleIds)}::uuid[])))
           and exists (select 1 from user_roles ur
                         join role_permissions rp on rp.tenant_id = ur.tenant_id and rp.role_id = ur.role_id
                        where ur.tenant_id = u.tenant_id and ur.user_id = u.id and rp.permission = ${permission})`,
  );
  return found.map((u) => u.id);
}

async function recordDelivery(
  tx: Sql,
  tenantId: string,
  run: FinishedRun,
  outcome: Outcome & { attempts: number },
) {
  const delivered = outcome.status === 'pending' ? null : new Date().toISOString();
  await tx.execute(
    sql`insert into report_deliveries (tenant_id, plant_id, schedule_id, execution_id, status, recipients, emails,
                                       attempts, last_error, next_attempt_at, delivered_at)
        values (${tenantId}::uuid, ${run.plant_id}::uuid, ${run.schedule_id}::uuid, ${run.id}::uuid, ${outcome.status},
                ${JSON.stringify(outcome.recipients)}::jsonb, ${outcome.emails}, ${outcome.attempts}, ${outcome.error},
                ${outcome.retryAt?.toISOString() ?? null}::timestamptz, ${delivered}::timestamptz)
        on conflict (tenant_id, execution_id) do update
          set status = excluded.status, recipients = excluded.recipients, emails = excluded.emails,
              attempts = excluded.attempts, last_error = excluded.last_error,
              next_attempt_at = excluded.next_attempt_at, delivered_at = excluded.delivered_at`,
  );
}

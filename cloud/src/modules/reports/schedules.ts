import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { rows, type Sql } from '../../db/index.js';
import {
  audit,
  canSeePlant,
  DomainError,
  idInput as id,
  nameInput,
  notFound,
  type Principal,
} from '../../platform/index.js';
import { runFormats } from './execution.js';
import { runParameters } from './parameters.js';
import { prepareRun } from './prepare.js';
import { nextFire, type ScheduleTrigger, scheduleTrigger } from './schedule-triggers.js';

/*
 * Schedules of reports (docs/reports.md, "Schedules"): a report, its parameters and format, a trigger,
 * and who gets the output. A schedule belongs to a plant — whose calendar its shift and working-day
 * triggers read and within which its recipients are found — or, for people who reach every plant, to
 * none. Creating one needs reports.schedule and the right to run the report now: a schedule runs as
 * the person who made it, so it can never show anyone more than its maker could see.
 */

export const scheduleRecipient = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('user'), userId: id }),
  z.strictObject({ kind: z.literal('role'), roleId: id }),
]);

export const scheduleInput = z.strictObject({
  name: nameInput,
  reportKey: z.string().trim().min(1).max(64).optional(),
  reportId: id.optional(),
  plantId: id.nullable(),
  parameters: runParameters.default({}),
  format: z.enum(runFormats),
  trigger: scheduleTrigger,
  recipients: z.array(scheduleRecipient).min(1, 'Name at least one recipient, a user or a role').max(50),
  skipIfEmpty: z.boolean().default(true),
});
export type ScheduleInput = z.infer<typeof scheduleInput>;

export interface ScheduleSummary {
  id: string;
  name: string;
  plantId: string | null;
  reportKey: string;
  reportId: string | null;
  parameters: z.infer<typeof runParameters>;
  format: ScheduleInput['format'];
  trigger: ScheduleTrigger;
  recipients: z.infer<typeof scheduleRecipient>[];
  skipIfEmpty: boolean;
  isActive: boolean;
  /** Epoch ms; null while the plant's calendar holds no fire time yet. */
  nextRunAt: number | null;
  lastRunAt: number | null;
  createdBy: string | null;
  version: number;
  lastDelivery: { status: string; at: number; error: string | null } | null;
}

/** A schedule's parameters as its runs use them: shift-end schedules report the shift that ended. */
export function runParametersOf(schedule: Pick<ScheduleInput, 'parameters' | 'plantId' | 'trigger'>) {
  const period =
    schedule.parameters.period ??
    (schedule.trigger.kind === 'shiftEnd'
      ? { preset: 'lastShift' as const }
      : schedule.trigger.kind === 'firstWorkingDay'
        ? { preset: 'lastMonth' as const }
        : undefined);
  return {
    ...schedule.parameters,
    ...(schedule.plantId === null ? {} : { plantId: schedule.plantId }),
    ...(period === undefined ? {} : { period }),
  };
}

/** The plant a schedule reads its calendar from, with its time zone. */
async function plantOf(tx: Sql, plantId: string | null) {
  if (plantId === null) return null;
  const [plant] = await rows<{ id: string; timezone: string }>(
    tx,
    sql`select id::text as id, timezone from plants where id = ${plantId}::uuid`,
  );
  if (plant === undefined) throw new DomainError('not_found', 'Plant not found', { plantId: 'Not found' });
  return plant;
}

/** Everything a schedule must satisfy before it is stored; returns its first fire time. */
async function checkSchedule(tx: Sql, principal: Principal, input: ScheduleInput, now: Date) {
  if (input.plantId === null && principal.plantIds !== 'all')
    throw new DomainError(
      'invalid',
      'Choose a plant: only people who reach every plant schedule for all of them',
      {
        plantId: 'Required',
      },
    );
  if (input.plantId !== null && !canSeePlant(principal, input.plantId))
    throw new DomainError('not_found', 'Plant not found', { plantId: 'Not found' });
  if (input.trigger.kind !== 'cron' && input.plantId === null)
    throw new DomainError(
      'invalid',
      'Shift and working-day schedules follow a plant’s calendar: choose a plant',
      {
        plantId: 'Required for this trigger',
      },
    );
  // The maker must be able to run it now, with the parameters it will run with — all but the period,
  // which each fire resolves then: a shift-end schedule may be made before any shift has ended.
  const lastHour = { preset: 'range' as const, from: new Date(now.getTime() - 3_600_000), to: now };
  await prepareRun(tx, principal, input, { ...runParametersOf(input), period: lastHour }, now.getTime());
  await checkRecipients(tx, input.recipients);
  return nextFire(tx, input.trigger, await plantOf(tx, input.plantId), now);
}

async function checkRecipients(tx: Sql, recipients: ScheduleInput['recipients']) {
  const userIds = recipients.flatMap((r) => (r.kind === 'user' ? [r.userId] : []));
  const roleIds = recipients.flatMap((r) => (r.kind === 'role' ? [r.roleId] : []));
  const [found] = await rows<{ users: number; roles: number }>(
    tx,
    sql`select (select count(*)::int from users where id = any(${sql.param(userIds)}::uuid[])) as users,
               (select count(*)::int from roles where id = any(${sql.param(roleIds)}::uuid[])) as roles`,
  );
  if (found!.users !== new Set(userIds).size)
    throw new DomainError('not_found', 'A recipient user was not found', { recipients: 'Unknown user' });
  if (found!.roles !== new Set(roleIds).size)
    throw new DomainError('not_found', 'A recipient role was not found', { recipients: 'Unknown role' });
}

const summaryColumns = sql`s.id::text as id, s.name, s.plant_id::text as plant_id, s.report_key,
  s.report_id::text as report_id, s.parameters, s.format, s.trigger, s.recipients, s.skip_if_empty,
  s.is_active, (extract(epoch from s.next_run_at) * 1000)::float8 as next_ms,
  (extract(epoch from s.last_run_at) * 1000)::float8 as last_ms, s.created_by::text as created_by, s.version,
  d.status as delivery_status, (extract(epoch from coalesce(d.delivered_at, d.created_at)) * 1000)::float8 as delivery_ms,
  d.last_error as delivery_error`;

const lastDelivery = sql`left join lateral (
    select status, delivered_at, created_at, last_error from report_deliveries rd
     where rd.tenant_id = s.tenant_id and rd.schedule_id = s.id order by rd.created_at desc limit 1) d on true`;

interface SummaryRow {
  id: string;
  name: string;
  plant_id: string | null;
  report_key: string;
  report_id: string | null;
  parameters: ScheduleSummary['parameters'];
  format: ScheduleSummary['format'];
  trigger: ScheduleTrigger;
  recipients: ScheduleSummary['recipients'];
  skip_if_empty: boolean;
  is_active: boolean;
  next_ms: number | null;
  last_ms: number | null;
  created_by: string | null;
  version: number;
  delivery_status: string | null;
  delivery_ms: number | null;
  delivery_error: string | null;
}

const summaryOf = (r: SummaryRow): ScheduleSummary => ({
  id: r.id,
  name: r.name,
  plantId: r.plant_id,
  reportKey: r.report_key,
  reportId: r.report_id,
  parameters: r.parameters,
  format: r.format,
  trigger: r.trigger,
  recipients: r.recipients,
  skipIfEmpty: r.skip_if_empty,
  isActive: r.is_active,
  nextRunAt: r.next_ms,
  lastRunAt: r.last_ms,
  createdBy: r.created_by,
  version: r.version,
  lastDelivery:
    r.delivery_status === null
      ? null
      : { status: r.delivery_status, at: r.delivery_ms!, error: r.delivery_error },
});

/** The schedules in the caller's plants (row-level security), of one report when asked. */
export async function listSchedules(
  tx: Sql,
  filter: { reportKey?: string | undefined; reportId?: string | undefined },
) {
  const found = await rows<SummaryRow>(
    tx,
    sql`select ${summaryColumns} from report_schedules s ${lastDelivery}
         where (${filter.reportKey ?? null}::text is null or s.report_key = ${filter.reportKey ?? null})
           and (${filter.reportId ?? null}::uuid is null or s.report_id = ${filter.reportId ?? null}::uuid)
         order by s.name, s.id`,
  );
  return found.map(summaryOf);
}

export async function getSchedule(tx: Sql, scheduleId: string): Promise<ScheduleSummary> {
  const [found] = await rows<SummaryRow>(
    tx,
    sql`select ${summaryColumns} from report_schedules s ${lastDelivery} where s.id = ${scheduleId}::uuid`,
  );
  if (found === undefined) throw notFound('Schedule');
  return summaryOf(found);
}

/** The schedule as its editor saw it, or a conflict when someone changed it since. */
async function scheduleAtVersion(tx: Sql, scheduleId: string, expectedVersion: number) {
  const schedule = await getSchedule(tx, scheduleId);
  if (schedule.version !== expectedVersion)
    throw new DomainError(
      'conflict',
      `${schedule.name} was changed since you opened it; reload it and try again`,
      {
        expectedVersion: 'Changed since you opened it',
      },
    );
  return schedule;
}

export async function createSchedule(tx: Sql, principal: Principal, input: ScheduleInput, now = new Date()) {
  const next = await checkSchedule(tx, principal, input, now);
  const [created] = await rows<{ id: string }>(
    tx,
    sql`insert into report_schedules (tenant_id, plant_id, name, report_key, report_id, parameters, format,
                                      trigger, recipients, skip_if_empty, next_run_at, created_by)
        values (${principal.tenantId}::uuid, ${input.plantId}::uuid, ${input.name},
                ${input.reportKey ?? input.reportId!}, ${input.reportId ?? null}::uuid,
                ${JSON.stringify(input.parameters)}::jsonb, ${input.format}, ${JSON.stringify(input.trigger)}::jsonb,
                ${JSON.stringify(input.recipients)}::jsonb, ${input.skipIfEmpty}, ${next?.toISOString() ?? null}::timestamptz,
                ${principal.userId}::uuid)
        returning id::text as id`,
  );
  const schedule = await getSchedule(tx, created!.id);
  audit(tx, {
    action: 'report.schedule.create',
    entityType: 'report_schedule',
    entityId: schedule.id,
    entityLabel: schedule.name,
    plantId: schedule.plantId,
    after: { ...input, nextRunAt: schedule.nextRunAt },
  });
  return schedule;
}

/** Replaces a schedule's settings, against the version its editor saw. */
export async function updateSchedule(
  tx: Sql,
  principal: Principal,
  input: ScheduleInput & { id: string; expectedVersion: number },
  now = new Date(),
) {
  const before = await scheduleAtVersion(tx, input.id, input.expectedVersion);
  const next = await checkSchedule(tx, principal, input, now);
  await tx.execute(
    sql`update report_schedules set name = ${input.name}, plant_id = ${input.plantId}::uuid,
               report_key = ${input.reportKey ?? input.reportId!}, report_id = ${input.reportId ?? null}::uuid,
               parameters = ${JSON.stringify(input.parameters)}::jsonb, format = ${input.format},
               trigger = ${JSON.stringify(input.trigger)}::jsonb, recipients = ${JSON.stringify(input.recipients)}::jsonb,
               skip_if_empty = ${input.skipIfEmpty}, next_run_at = ${next?.toISOString() ?? null}::timestamptz,
               version = version + 1, updated_at = now()
         where id = ${input.id}::uuid`,
  );
  const after = await getSchedule(tx, input.id);
  audit(tx, {
    action: 'report.schedule.update',
    entityType: 'report_schedule',
    entityId: after.id,
    entityLabel: after.name,
    plantId: after.plantId,
    before: { ...before },
    after: { ...after },
  });
  return after;
}

/** Pauses or resumes a schedule; resuming plans its next fire from now, not from when it stopped. */
export async function setScheduleActive(
  tx: Sql,
  input: { id: string; active: boolean; expectedVersion: number },
  now = new Date(),
) {
  const before = await scheduleAtVersion(tx, input.id, input.expectedVersion);
  const next = input.active
    ? await nextFire(tx, before.trigger, await plantOf(tx, before.plantId), now)
    : null;
  await tx.execute(
    sql`update report_schedules set is_active = ${input.active}, next_run_at = ${next?.toISOString() ?? null}::timestamptz,
               version = version + 1, updated_at = now()
         where id = ${input.id}::uuid`,
  );
  const after = await getSchedule(tx, input.id);
  audit(tx, {
    action: input.active ? 'report.schedule.resume' : 'report.schedule.pause',
    entityType: 'report_schedule',
    entityId: after.id,
    entityLabel: after.name,
    plantId: after.plantId,
    before: { isActive: before.isActive, nextRunAt: before.nextRunAt },
    after: { isActive: after.isActive, nextRunAt: after.nextRunAt },
  });
  return after;
}

export interface DeliverySummary {
  id: string;
  executionId: string;
  status: 'pending' | 'delivered' | 'skipped' | 'failed';
  recipients: number;
  emails: number;
  attempts: number;
  lastError: string | null;
  createdAt: number;
  deliveredAt: number | null;
  nextAttemptAt: number | null;
}

/** What became of a schedule's runs, newest first (its delivery log). */
export async function scheduleDeliveries(
  tx: Sql,
  scheduleId: string,
  limit = 50,
): Promise<DeliverySummary[]> {
  await getSchedule(tx, scheduleId);
  const found = await rows<{
    id: string;
    execution_id: string;
    status: DeliverySummary['status'];
    recipients: string[];
    emails: number;
    attempts: number;
    last_error: string | null;
    created_ms: number;
    delivered_ms: number | null;
    next_ms: number | null;
  }>(
    tx,
    sql`select id::text as id, execution_id::text as execution_id, status, recipients, emails, attempts, last_error,
               (extract(epoch from created_at) * 1000)::float8 as created_ms,
               (extract(epoch from delivered_at) * 1000)::float8 as delivered_ms,
               (extract(epoch from next_attempt_at) * 1000)::float8 as next_ms
          from report_deliveries where schedule_id = ${scheduleId}::uuid
         order by created_at desc, id desc limit ${limit}`,
  );
  return found.map((d) => ({
    id: d.id,
    executionId: d.execution_id,
    status: d.status,
    recipients: d.recipients.length,
    emails: d.emails,
    attempts: d.attempts,
    lastError: d.last_error,
    createdAt: d.created_ms,
    deliveredAt: d.delivered_ms,
    nextAttemptAt: d.next_ms,
  }));
}

/**
 * Whom a schedule in this plant can be sent to: the tenant's roles, and the active users who reach the
 * plant (every user when no plant). Names only, for the schedule form; reading people needs no more
 * than reports.schedule, and delivery narrows them again to those who may read the data.
 */
export async function recipientOptions(tx: Sql, plantId: string | null) {
  const roles = await rows<{ id: string; name: string }>(
    tx,
    sql`select id::text as id, name from roles order by name`,
  );
  const users = await rows<{ id: string; name: string }>(
    tx,
    sql`select u.id::text as id, u.display_name as name from users u
         where u.is_active
           and (${plantId}::uuid is null
                or exists (select 1 from user_plant_access upa
                            where upa.tenant_id = u.tenant_id and upa.user_id = u.id and upa.plant_id = ${plantId}::uuid)
                or exists (select 1 from user_roles ur
                             join role_permissions rp on rp.tenant_id = ur.tenant_id and rp.role_id = ur.role_id
                            where ur.tenant_id = u.tenant_id and ur.user_id = u.id and rp.permission = 'plants.all'))
         order by u.display_name, u.id`,
  );
  return { roles, users };
}

import type { Permission } from '@plantline/schema';
import { sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import { type Database, everyTenantId, rows, type Sql } from '../../db/index.js';
import { audit, DomainError, type EventBus, type Scheduler } from '../../platform/index.js';
import type { NotifyContext, Recipients } from '../notifications/index.js';
import { slaStep } from './engine/index.js';
import type { WorkflowEntities } from './entities.js';
import { loadRecord } from './record-fields.js';
import { SLA_OVERDUE_KIND, SLA_REMINDER_KIND, workflowNotify } from './workflow-notify.js';

/*
 * Per-state SLA reminders and escalation (docs/workflows.md, "SLA and escalation"). Entering a state
 * with a `start_sla` action stores its due and reminder times on the instance; this job, run every
 * minute by the scheduler (pg-boss on a server, so one cloud instance runs each tick), reads them and
 * does what the engine's slaStep says is due: remind the people who can act, or tell the escalation
 * role and give it an "overdue" task. The times and what was done live in the instance row, so a
 * restarted cloud carries on where the last pass stopped and nothing is sent twice: the rows are claimed
 * `for update skip locked` and marked done in the same transaction as the notifications.
 */

const EVERY_MS = 60_000;
/** Instances per transaction: a long backlog after downtime is worked through in short transactions. */
const BATCH = 100;

export interface SlaDeps {
  db: Database;
  bus: EventBus;
  email: { readonly enabled: boolean } | null;
  workflowEntities: WorkflowEntities;
}

export interface SlaPass {
  reminded: number;
  escalated: number;
}

interface DueRow {
  id: string;
  plant_id: string | null;
  entity_type: string;
  entity_id: string;
  state_key: string;
  state_label: string | null;
  round: number;
  sla_due_at: string;
  sla_remind_at: string | null;
  sla_reminded_at: string | null;
  sla_escalated_at: string | null;
  sla_escalate_role: string | null;
}

const iso = (column: string) =>
  sql.raw(`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);

/** One pass over every tenant at `now`: what was reminded and escalated. */
export async function runSlaPass(deps: SlaDeps, now: Date): Promise<SlaPass> {
  const total: SlaPass = { reminded: 0, escalated: 0 };
  for (const tenantId of await everyTenantId(deps.db)) {
    for (;;) {
      const effects: (() => void)[] = [];
      const batch = await deps.db.transact({ tenantId, plantIds: 'all' }, (tx) =>
        workBatch({ tx, afterCommit: (effect) => effects.push(effect), deps }, tenantId, now),
      );
      for (const effect of effects) effect();
      total.reminded += batch.reminded;
      total.escalated += batch.escalated;
      if (batch.claimed < BATCH) break;
    }
  }
  return total;
}

type JobContext = NotifyContext & { deps: SlaDeps };

/**
 * Claims up to BATCH instances with something due, skipping rows another pass holds, and handles each.
 * The filter is repeated on the locked row (READ COMMITTED re-checks it), so a row a concurrent pass has
 * just marked is not handled again.
 */
async function workBatch(ctx: JobContext, tenantId: string, now: Date) {
  const at = now.toISOString();
  const due = await rows<DueRow>(
    ctx.tx,
    sql`select i.id::text as id, i.plant_id::text as plant_id, i.entity_type, i.entity_id::text as entity_id,
               i.state_key, s.label as state_label, i.round,
               ${iso('i.sla_due_at')} as sla_due_at, ${iso('i.sla_remind_at')} as sla_remind_at,
               ${iso('i.sla_reminded_at')} as sla_reminded_at, ${iso('i.sla_escalated_at')} as sla_escalated_at,
               i.sla_escalate_role
          from workflow_instances i
          left join workflow_states s on s.tenant_id = i.tenant_id and s.version_id = i.version_id and s.key = i.state_key
         where i.tenant_id = ${tenantId}::uuid
           and i.closed_at is null and i.sla_due_at is not null and i.sla_escalated_at is null
           and (i.sla_due_at <= ${at}::timestamptz
                or (i.sla_remind_at <= ${at}::timestamptz and i.sla_reminded_at is null))
         order by i.sla_due_at, i.id
         limit ${BATCH}
         for update of i skip locked`,
  );
  let reminded = 0;
  let escalated = 0;
  for (const row of due) {
    const step = slaStep(
      {
        dueAt: new Date(row.sla_due_at),
        remindAt: row.sla_remind_at === null ? null : new Date(row.sla_remind_at),
        remindedAt: row.sla_reminded_at === null ? null : new Date(row.sla_reminded_at),
        escalatedAt: row.sla_escalated_at === null ? null : new Date(row.sla_escalated_at),
      },
      now,
    );
    if (step === 'remind') {
      await remind(ctx, tenantId, row, now);
      reminded++;
    } else if (step === 'escalate') {
      await escalate(ctx, tenantId, row, now);
      escalated++;
    }
  }
  return { claimed: due.length, reminded, escalated };
}

/** The assignees of the instance's open tasks, as notification recipients. */
async function assigneesOf(tx: Sql, instanceId: string): Promise<Recipients[]> {
  const tasks = await rows<{ user_id: string | null; role_id: string | null; permission: string | null }>(
    tx,
    sql`select distinct assignee_user_id::text as user_id, assignee_role_id::text as role_id,
                        assignee_permission as permission
          from workflow_tasks where instance_id = ${instanceId}::uuid and closed_at is null`,
  );
  const userIds = tasks.flatMap((t) => (t.user_id === null ? [] : [t.user_id]));
  return [
    ...(userIds.length > 0 ? [{ userIds }] : []),
    ...tasks.flatMap((t) => (t.role_id === null ? [] : [{ role: t.role_id }])),
    ...tasks.flatMap((t) => (t.permission === null ? [] : [{ permission: t.permission as Permission }])),
  ];
}

/** "NCR-P1-2026-00012 Scratched housing", or the type and id for a record type this app does not describe. */
async function recordLabel(ctx: JobContext, row: DueRow): Promise<string> {
  const entity = ctx.deps.workflowEntities.get(row.entity_type);
  if (entity === undefined) return `${row.entity_type} ${row.entity_id}`;
  try {
    const record = await loadRecord(ctx.tx, entity, row.entity_id);
    return record.title === null || record.title === '' ? record.code : `${record.code} ${record.title}`;
  } catch (error) {
    // A record deleted under its instance must not stop the pass for every other instance.
    if (error instanceof DomainError && error.code === 'not_found') return `${entity.label} ${row.entity_id}`;
    throw error;
  }
}

function linkOf(ctx: JobContext, row: DueRow): string | null {
  return ctx.deps.workflowEntities.get(row.entity_type)?.link(row.entity_id) ?? null;
}

const stamp = (isoText: string) => `${isoText.slice(0, 16).replace('T', ' ')} UTC`;

async function remind(ctx: JobContext, tenantId: string, row: DueRow, now: Date) {
  const label = await recordLabel(ctx, row);
  const state = row.state_label ?? row.state_key;
  const notified = await workflowNotify(ctx, {
    to: await assigneesOf(ctx.tx, row.id),
    kind: SLA_REMINDER_KIND,
    title: `Due ${stamp(row.sla_due_at)}: ${label} (${state})`,
    body: `${label} has been in ${state} and is due by ${stamp(row.sla_due_at)}.`,
    link: linkOf(ctx, row),
    plantId: row.plant_id,
    entity: { type: row.entity_type, id: row.entity_id },
  });
  await mark(ctx, tenantId, row, now, label, 'reminder', {
    dueAt: row.sla_due_at,
    recipients: notified.userIds,
  });
}

async function escalate(ctx: JobContext, tenantId: string, row: DueRow, now: Date) {
  const { tx } = ctx;
  const label = await recordLabel(ctx, row);
  const state = row.state_label ?? row.state_key;
  const roleKey = row.sla_escalate_role;
  const [role] =
    roleKey === null
      ? []
      : await rows<{ id: string }>(tx, sql`select id::text as id from roles where key = ${roleKey}`);
  // Without an escalation role (or with one deleted since), the people who can act hear it is overdue.
  const to: Recipients | Recipients[] =
    role === undefined ? await assigneesOf(tx, row.id) : { role: role.id, plantId: row.plant_id };
  const notified = await workflowNotify(ctx, {
    to,
    kind: SLA_OVERDUE_KIND,
    title: `Overdue: ${label} (${state})`,
    body: `${label} was due in ${state} by ${stamp(row.sla_due_at)}.`,
    link: linkOf(ctx, row),
    plantId: row.plant_id,
    entity: { type: row.entity_type, id: row.entity_id },
  });
  if (role !== undefined) {
    await tx.execute(
      sql`insert into workflow_tasks (tenant_id, plant_id, instance_id, round, kind, assignee_role_id, title, due_at)
          values (${tenantId}::uuid, ${row.plant_id}::uuid, ${row.id}::uuid, ${row.round}, 'overdue',
                  ${role.id}::uuid, ${`Overdue: ${state} — ${label}`.slice(0, 500)},
                  ${row.sla_due_at}::timestamptz)`,
    );
  }
  await mark(ctx, tenantId, row, now, label, 'escalation', {
    dueAt: row.sla_due_at,
    role: roleKey,
    recipients: notified.userIds,
  });
}

/** What was done, on the instance (so it is never done again), in its timeline and in the audit trail. */
async function mark(
  ctx: JobContext,
  tenantId: string,
  row: DueRow,
  now: Date,
  label: string,
  kind: 'reminder' | 'escalation',
  detail: Record<string, unknown>,
) {
  const { tx } = ctx;
  const at = now.toISOString();
  const column = kind === 'reminder' ? sql`sla_reminded_at` : sql`sla_escalated_at`;
  await tx.execute(
    sql`update workflow_instances set ${column} = ${at}::timestamptz where id = ${row.id}::uuid`,
  );
  await tx.execute(
    sql`insert into workflow_events (tenant_id, plant_id, instance_id, at, kind, round, detail)
        values (${tenantId}::uuid, ${row.plant_id}::uuid, ${row.id}::uuid, ${at}::timestamptz, ${kind},
                ${row.round}, ${JSON.stringify(detail)}::jsonb)`,
  );
  const field = kind === 'reminder' ? 'slaRemindedAt' : 'slaEscalatedAt';
  audit(tx, {
    action: `workflow.sla-${kind}`,
    entityType: 'workflow_instance',
    entityId: row.id,
    entityLabel: label,
    plantId: row.plant_id,
    before: { [field]: null },
    after: { [field]: at },
  });
  const { bus } = ctx.deps;
  const changed = { tenantId, instanceId: row.id, entityType: row.entity_type, entityId: row.entity_id };
  ctx.afterCommit(() => bus.emit('workflow.changed', changed));
}

/** The pass every minute; a failure is logged by the scheduler and the next tick tries again. */
export function registerSlaJob(scheduler: Pick<Scheduler, 'every'>, deps: SlaDeps & { log: Logger }): void {
  scheduler.every('workflow-sla', EVERY_MS, async () => {
    const { reminded, escalated } = await runSlaPass(deps, new Date());
    if (reminded + escalated > 0) deps.log.info({ reminded, escalated }, 'workflow SLA pass');
  });
}

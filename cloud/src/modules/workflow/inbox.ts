import type { tables } from '@plantline/schema';
import { type SQL, sql } from 'drizzle-orm';
import { rows, type Sql } from '../../db/index.js';
import { DomainError, type Principal } from '../../platform/index.js';
import { activeDelegators, type Person } from './delegations.js';
import type { WorkflowEntities } from './entities.js';

/*
 * "My tasks" (docs/workflows.md, "My tasks"): the open tasks assigned to the caller — by name, through
 * a role they hold or a permission they hold — and, while a delegation runs, those of the people who
 * delegated to them, marked "on behalf of". Row-level security keeps the caller's plant reach.
 *
 * Every assignee (a user, a role, a permission) is one lateral index scan of a partial index of
 * workflow_tasks (`… where closed_at is null`, ordered by created_at), limited to the page, so a page
 * costs the same at 100 000 instances as at 100 (docs/benchmarks.md, "workflow").
 */

type WorkflowTaskKind = tables.WorkflowTaskKind;

export interface TaskItem {
  taskId: string;
  kind: WorkflowTaskKind;
  title: string;
  entityType: string;
  entityId: string;
  /** The record's page; null when the record type is not one this app describes. */
  link: string | null;
  /** The label of the state the instance is in. */
  stateLabel: string;
  /** ISO 8601; null when the state has no SLA. */
  dueAt: string | null;
  overdue: boolean;
  createdAt: string;
  /** Whose task it is when the caller sees it through a delegation. */
  onBehalfOf: string | null;
}

export interface TaskCounts {
  open: number;
  overdue: number;
}

export interface MyTasks {
  items: TaskItem[];
  /** The last item's task id when there is more; pass it as `cursor`. */
  nextCursor: string | null;
  counts: TaskCounts;
}

export interface MyTasksInput {
  limit: number;
  /** The task id of the previous page's last item. */
  cursor?: string | undefined;
  /** The moment "overdue" and "delegated now" are judged at; now by default. */
  now?: Date | undefined;
}

/** Assignees as parallel arrays for unnest: each value once, with whose it is ('' for the caller's own). */
interface Assignees {
  users: string[];
  userBehalf: string[];
  roles: string[];
  roleBehalf: string[];
  permissions: string[];
  permissionBehalf: string[];
}

interface Reach {
  userId: string;
  tenantId: string;
  assignees: Assignees;
  delegators: Person[];
}

function userOf(principal: Principal): string {
  if (principal.userId === null) throw new DomainError('forbidden', 'Tasks are for signed-in users');
  return principal.userId;
}

/**
 * Whom the caller answers for now — themselves and their active delegators — and the roles and
 * permissions each holds, the caller's own first so a task they would see anyway is not "on behalf".
 */
async function reachOf(tx: Sql, principal: Principal, now: Date): Promise<Reach> {
  const userId = userOf(principal);
  const delegators = await activeDelegators(tx, userId, now);
  const people = [userId, ...delegators.map((d) => d.id)];
  const held = await rows<{ user_id: string; role_id: string; permission: string | null }>(
    tx,
    sql`select ur.user_id::text as user_id, ur.role_id::text as role_id, rp.permission
          from user_roles ur
          left join role_permissions rp on rp.tenant_id = ur.tenant_id and rp.role_id = ur.role_id
         where ur.user_id = any(${sql.param(people)}::uuid[])`,
  );
  const assignees: Assignees = {
    users: [],
    userBehalf: [],
    roles: [],
    roleBehalf: [],
    permissions: [],
    permissionBehalf: [],
  };
  const roles = new Set<string>();
  const permissions = new Set<string>();
  for (const person of people) {
    const behalf = person === userId ? '' : person;
    assignees.users.push(person);
    assignees.userBehalf.push(behalf);
    for (const h of held) {
      if (h.user_id !== person) continue;
      if (!roles.has(h.role_id)) {
        roles.add(h.role_id);
        assignees.roles.push(h.role_id);
        assignees.roleBehalf.push(behalf);
      }
      if (h.permission !== null && !permissions.has(h.permission)) {
        permissions.add(h.permission);
        assignees.permissions.push(h.permission);
        assignees.permissionBehalf.push(behalf);
      }
    }
  }
  return { userId, tenantId: principal.tenantId, assignees, delegators };
}

/**
 * A task the person it is shown for can act on. An approval task is left out once they have voted in
 * its round (in their own name or counted for the one they act for), and for whoever started the
 * instance, who never approves it (docs/workflows.md, "Approvals and quorum": separation of duties).
 */
function actionable(userId: string): SQL {
  return sql`(t.kind <> 'approval' or (
    not exists (select 1 from workflow_instances si
                 where si.tenant_id = t.tenant_id and si.id = t.instance_id
                   and (si.started_by = ${userId}::uuid or si.started_by = nullif(a.behalf, '')::uuid))
    and not exists (select 1 from approvals v
                     where v.tenant_id = t.tenant_id and v.instance_id = t.instance_id
                       and v.round = t.round and v.transition_key = t.transition_key and v.voided_at is null
                       and (v.voter_id = ${userId}::uuid
                            or v.counts_for_id = coalesce(nullif(a.behalf, '')::uuid, ${userId}::uuid)))))`;
}

/** One lateral scan per assignee of a kind; `page` adds the keyset bound and the limit. */
function scans(reach: Reach, columns: SQL, page: { after: SQL; limit: number } | null): SQL {
  const { assignees, tenantId, userId } = reach;
  const kinds: { ids: string[]; behalf: string[]; column: string; type: string }[] = [
    { ids: assignees.users, behalf: assignees.userBehalf, column: 'assignee_user_id', type: 'uuid' },
    { ids: assignees.roles, behalf: assignees.roleBehalf, column: 'assignee_role_id', type: 'uuid' },
    {
      ids: assignees.permissions,
      behalf: assignees.permissionBehalf,
      column: 'assignee_permission',
      type: 'text',
    },
  ];
  const parts = kinds
    .filter((k) => k.ids.length > 0)
    .map(
      (k) => sql`select ${columns}
        from unnest(${sql.param(k.ids)}::${sql.raw(k.type)}[], ${sql.param(k.behalf)}::text[]) as a(id, behalf)
        cross join lateral (
          select t.* from workflow_tasks t
           where t.tenant_id = ${tenantId}::uuid and t.${sql.raw(k.column)} = a.id and t.closed_at is null
             ${page === null ? sql`` : page.after}
             and ${actionable(userId)}
           ${page === null ? sql`` : sql`order by t.created_at desc, t.id desc limit ${page.limit}`}
        ) t`,
    );
  return sql.join(parts, sql` union all `);
}

/** The caller's open and overdue task counts: the badge and the live stream. */
export async function taskCounts(tx: Sql, principal: Principal, now = new Date()): Promise<TaskCounts> {
  return countsFor(tx, await reachOf(tx, principal, now), now);
}

async function countsFor(tx: Sql, reach: Reach, now: Date): Promise<TaskCounts> {
  const [row] = await rows<{ open: number; overdue: number }>(
    tx,
    sql`select count(*)::int as open,
               count(*) filter (where x.due_at <= ${now.toISOString()}::timestamptz)::int as overdue
          from (select distinct x.id, x.due_at from (${scans(reach, sql`t.id, t.due_at`, null)}) x) x`,
  );
  return { open: Number(row?.open ?? 0), overdue: Number(row?.overdue ?? 0) };
}

interface ItemRow {
  id: string;
  kind: WorkflowTaskKind;
  title: string;
  entity_type: string;
  entity_id: string;
  state_label: string | null;
  due_at: string | null;
  overdue: boolean;
  created_at: string;
  behalf: string;
}

const iso = (column: string) =>
  sql.raw(`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);

/**
 * A page of the caller's tasks, newest first by (created_at, id), with the counts. The cursor is the
 * last item's task id, compared in the database so the boundary keeps created_at's microseconds.
 */
export async function myTasks(
  tx: Sql,
  principal: Principal,
  input: MyTasksInput,
  entities: WorkflowEntities,
): Promise<MyTasks> {
  const now = input.now ?? new Date();
  const reach = await reachOf(tx, principal, now);
  const after = input.cursor === undefined ? sql`` : await afterCursor(tx, input.cursor);
  const limit = input.limit + 1;
  const found = await rows<ItemRow>(
    tx,
    sql`with found as (${scans(reach, sql`t.id, t.kind, t.title, t.instance_id, t.due_at, t.created_at, a.behalf`, { after, limit })}),
             mine as (
               select distinct on (f.id) f.* from found f order by f.id, (f.behalf = '') desc, f.behalf
             ),
             page as (select * from mine order by created_at desc, id desc limit ${limit})
        select p.id::text as id, p.kind, p.title, i.entity_type, i.entity_id::text as entity_id,
               s.label as state_label, ${iso('p.due_at')} as due_at,
               coalesce(p.due_at <= ${now.toISOString()}::timestamptz, false) as overdue,
               ${iso('p.created_at')} as created_at, p.behalf
          from page p
          join workflow_instances i on i.tenant_id = ${reach.tenantId}::uuid and i.id = p.instance_id
          left join workflow_states s
            on s.tenant_id = i.tenant_id and s.version_id = i.version_id and s.key = i.state_key
         order by p.created_at desc, p.id desc`,
  );
  const names = new Map(reach.delegators.map((d) => [d.id, d.name]));
  const items = found.slice(0, input.limit).map(
    (row): TaskItem => ({
      taskId: row.id,
      kind: row.kind,
      title: row.title,
      entityType: row.entity_type,
      entityId: row.entity_id,
      link: entities.get(row.entity_type)?.link(row.entity_id) ?? null,
      stateLabel: row.state_label ?? '',
      dueAt: row.due_at,
      overdue: row.overdue,
      createdAt: row.created_at,
      onBehalfOf: row.behalf === '' ? null : (names.get(row.behalf) ?? null),
    }),
  );
  return {
    items,
    nextCursor: found.length > input.limit ? (items.at(-1)?.taskId ?? null) : null,
    counts: await countsFor(tx, reach, now),
  };
}

/** The keyset bound after the task `cursor`; a cursor of no visible task is the caller's mistake. */
async function afterCursor(tx: Sql, cursor: string): Promise<SQL> {
  const [row] = await rows<{ created_at: string }>(
    tx,
    sql`select created_at::text as created_at from workflow_tasks where id = ${cursor}::uuid`,
  );
  if (row === undefined) throw new DomainError('invalid', 'The page cursor names no task of yours');
  return sql`and (t.created_at, t.id) < (${row.created_at}::timestamptz, ${cursor}::uuid)`;
}

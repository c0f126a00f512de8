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
 * workflow_tasks (`… where closed_at is null`): the cost follows the caller's open tasks, not the
 * closed history nor the number of instances (docs/benchmarks.md, "workflow").
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

interface Reach {
  userId: string;
  tenantId: string;
  /** The caller, then their active delegators. */
  people: string[];
  delegators: Person[];
}

function userOf(principal: Principal): string {
  if (principal.userId === null) throw new DomainError('forbidden', 'Tasks are for signed-in users');
  return principal.userId;
}

/** Whom the caller answers for now: themselves and whoever delegated to them (delegations.ts). */
async function reachOf(tx: Sql, principal: Principal, now: Date): Promise<Reach> {
  const userId = userOf(principal);
  const delegators = await activeDelegators(tx, userId, now);
  return {
    userId,
    tenantId: principal.tenantId,
    people: [userId, ...delegators.map((d) => d.id)],
    delegators,
  };
}

/**
 * The assignees the caller answers for, as CTEs of (id, behalf): behalf is '' for the caller's own and
 * the delegator's id otherwise. A role or permission the caller holds themselves is their own, so a
 * task they would see anyway is never shown "on behalf of" someone.
 */
function assigneeSources(reach: Reach): SQL {
  const me = sql`${reach.userId}::uuid`;
  const people = sql`${sql.param(reach.people)}::uuid[]`;
  const behalf = sql`case when ur.user_id = ${me} then '' else ur.user_id::text end`;
  return sql`a_user(id, behalf) as (
      select p, case when p = ${me} then '' else p::text end from unnest(${people}) as p),
    a_role(id, behalf) as (
      select distinct on (ur.role_id) ur.role_id, ${behalf}
        from user_roles ur where ur.user_id = any(${people})
       order by ur.role_id, ur.user_id = ${me} desc, ur.user_id),
    a_permission(id, behalf) as (
      select distinct on (rp.permission) rp.permission, ${behalf}
        from user_roles ur join role_permissions rp on rp.tenant_id = ur.tenant_id and rp.role_id = ur.role_id
       where ur.user_id = any(${people})
       order by rp.permission, ur.user_id = ${me} desc, ur.user_id)`;
}

/**
 * The caller's open tasks as CTEs ending in `open`: every task of every assignee they answer for (one
 * lateral index scan of a partial index each), one per record and action however many ways it reaches
 * them (as the initiator and through a permission) — their own before a delegator's — and only
 * those they can act on. An approval task is left out once they have voted in its round (in their own
 * name or counted for the one they act for), and for whoever started the instance, who never approves
 * it (docs/workflows.md, "Approvals and quorum": separation of duties).
 *
 * The counts need every open task anyway, so the page is cut from the same set rather than scanned
 * again. `offset 0` keeps each scan lateral (flattened into a join, the planner may read every open
 * task of the tenant once per assignee) and each check a probe of one instance by index (else NOT
 * EXISTS may become a hash of every vote of the tenant, which grows with the history).
 */
function openTasks(reach: Reach): SQL {
  const me = sql`${reach.userId}::uuid`;
  const scans = [
    { source: 'a_user', column: 'assignee_user_id' },
    { source: 'a_role', column: 'assignee_role_id' },
    { source: 'a_permission', column: 'assignee_permission' },
  ].map(
    (k) => sql`select t.id, t.tenant_id, t.kind, t.title, t.instance_id, t.round, t.transition_key, t.due_at,
                      t.created_at, a.behalf
                 from ${sql.raw(k.source)} a
                 cross join lateral (
                   select t.* from workflow_tasks t
                    where t.tenant_id = ${reach.tenantId}::uuid and t.${sql.raw(k.column)} = a.id
                      and t.closed_at is null
                   offset 0) t`,
  );
  return sql`${assigneeSources(reach)},
    reached as (${sql.join(scans, sql` union all `)}),
    mine as (select distinct on (r.instance_id, r.kind, r.transition_key) r.* from reached r
              order by r.instance_id, r.kind, r.transition_key, r.behalf = '' desc, r.behalf, r.id),
    open as (
      select m.* from mine m
       where m.kind <> 'approval' or (
         not exists (select 1 from workflow_instances si
                      where si.tenant_id = m.tenant_id and si.id = m.instance_id
                        and (si.started_by = ${me} or si.started_by = nullif(m.behalf, '')::uuid)
                     offset 0)
         and not exists (select 1 from approvals v
                          where v.tenant_id = m.tenant_id and v.instance_id = m.instance_id
                            and v.round = m.round and v.transition_key = m.transition_key and v.voided_at is null
                            and (v.voter_id = ${me} or v.counts_for_id = coalesce(nullif(m.behalf, '')::uuid, ${me}))
                          offset 0)))`;
}

/** Open and overdue among `open`. */
const countsOf = (now: Date) =>
  sql`select count(*)::int as open,
             count(*) filter (where o.due_at <= ${now.toISOString()}::timestamptz)::int as overdue
        from open o`;

/** The caller's open and overdue task counts: the badge and the live stream. */
export async function taskCounts(tx: Sql, principal: Principal, now = new Date()): Promise<TaskCounts> {
  const reach = await reachOf(tx, principal, now);
  const [row] = await rows<{ open: number; overdue: number }>(
    tx,
    sql`with ${openTasks(reach)} ${countsOf(now)}`,
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
  // One statement for the page and the counts: a request is two round trips whatever the caller holds.
  const found = await rows<ItemRow & { open: number; overdue_count: number }>(
    tx,
    sql`with ${openTasks(reach)},
             counts as (${countsOf(now)}),
             page as (select o.* from open o where true ${after} order by o.created_at desc, o.id desc limit ${limit})
        select x.*, c.open, c.overdue as overdue_count
          from counts c
          left join lateral (
            select p.id::text as id, p.kind, p.title, i.entity_type, i.entity_id::text as entity_id,
                   s.label as state_label, ${iso('p.due_at')} as due_at,
                   coalesce(p.due_at <= ${now.toISOString()}::timestamptz, false) as overdue,
                   ${iso('p.created_at')} as created_at, p.behalf, p.created_at as at
              from page p
              join workflow_instances i on i.tenant_id = ${reach.tenantId}::uuid and i.id = p.instance_id
              left join workflow_states s
                on s.tenant_id = i.tenant_id and s.version_id = i.version_id and s.key = i.state_key
          ) x on true
         order by x.at desc, x.id desc`,
  );
  const counts = { open: Number(found[0]?.open ?? 0), overdue: Number(found[0]?.overdue_count ?? 0) };
  const listed = found.filter((row) => row.id !== null);
  const names = new Map(reach.delegators.map((d) => [d.id, d.name]));
  const items = listed.slice(0, input.limit).map(
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
    nextCursor: listed.length > input.limit ? (items.at(-1)?.taskId ?? null) : null,
    counts,
  };
}

/** The keyset bound after the task `cursor`; a cursor of no visible task is the caller's mistake. */
async function afterCursor(tx: Sql, cursor: string): Promise<SQL> {
  const [row] = await rows<{ created_at: string }>(
    tx,
    sql`select created_at::text as created_at from workflow_tasks where id = ${cursor}::uuid`,
  );
  if (row === undefined) throw new DomainError('invalid', 'The page cursor names no task of yours');
  return sql`and (o.created_at, o.id) < (${row.created_at}::timestamptz, ${cursor}::uuid)`;
}

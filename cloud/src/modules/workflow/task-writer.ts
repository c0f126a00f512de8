import { tables } from '@plantline/schema';
import type { WorkflowDefinition, WorkflowTransition } from '@plantline/schema/workflow';
import { and, asc, eq, inArray, isNull, ne, or, sql } from 'drizzle-orm';
import { type Sql, rows as sqlRows } from '../../db/index.js';
import { entityOf, type InstanceRow, loadInstance, stateOf, type WorkflowContext } from './context.js';
import {
  type Actor,
  type ApprovalContext,
  type ApprovalTally,
  type CastVote,
  tallyApproval,
  transitionsFrom,
} from './engine/index.js';
import { type LoadedRecord, loadRecord } from './record-fields.js';
import { versionDefinition } from './versions.js';

/*
 * What waits for whom (docs/workflows.md, "Running a workflow"): the open tasks of an instance are
 * rewritten whenever it enters a state, is moved to another version or takes a vote, so the inbox is
 * an index scan over open rows and never evaluates a definition. A task names one assignee: a user,
 * a role or a permission; who of a role or permission sees it is decided when the inbox is read.
 */

type TaskRow = typeof tables.workflowTasks.$inferInsert;
type Assignee = Pick<TaskRow, 'assigneeUserId' | 'assigneeRoleId' | 'assigneePermission'>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Closes the instance's open tasks and writes those of its current state: per approval transition one
 * task per open group (the group's role, and each named user who has not approved yet), per other
 * transition one per actor kind. A closed instance has none. An 'overdue' task of the current round
 * stays: it was given by the SLA job for this stay in the state.
 */
export async function rebuildTasks(ctx: WorkflowContext, instanceId: string): Promise<void> {
  const { tx } = ctx;
  const instance = await loadInstance(tx, instanceId);
  const t = tables.workflowTasks;
  await tx
    .update(t)
    .set({ closedAt: new Date() })
    .where(
      and(
        eq(t.instanceId, instance.id),
        isNull(t.closedAt),
        or(ne(t.kind, 'overdue'), ne(t.round, instance.round)),
      ),
    );
  if (instance.closedAt !== null) return;
  const entity = entityOf(ctx, instance.entityType);
  const definition = await versionDefinition(tx, instance.versionId);
  const state = stateOf(definition, instance.stateKey);
  if (state.kind === 'final') return;
  const record = await loadRecord(tx, entity, instance.entityId);
  const roleIds = await roleIdsByKey(tx, rolesNamed(transitionsFrom(definition, state.key)));
  const rows: TaskRow[] = [];
  const seen = new Set<string>();
  const add = (transition: WorkflowTransition, kind: 'approval' | 'action', assignee: Assignee) => {
    const id = `${transition.key}:${assignee.assigneeUserId ?? ''}:${assignee.assigneeRoleId ?? ''}:${assignee.assigneePermission ?? ''}`;
    if (seen.has(id)) return;
    seen.add(id);
    rows.push({
      tenantId: instance.tenantId,
      plantId: instance.plantId,
      instanceId: instance.id,
      round: instance.round,
      kind,
      transitionKey: transition.key,
      assigneeUserId: null,
      assigneeRoleId: null,
      assigneePermission: null,
      ...assignee,
      title: titleOf(transition, record),
      dueAt: instance.slaDueAt,
    });
  };
  for (const transition of transitionsFrom(definition, state.key)) {
    if (transition.approval !== null) {
      const tally = await approvalTally(tx, instance, transition, record);
      for (const assignee of approvalAssignees(transition, tally, roleIds))
        add(transition, 'approval', assignee);
      continue;
    }
    if (isWayOut(definition, state.key, transition)) continue;
    for (const assignee of actionAssignees(transition, record, instance.startedBy, roleIds))
      add(transition, 'action', assignee);
  }
  if (rows.length > 0) await tx.insert(t).values(rows);
}

/**
 * A transition straight to a final state (Cancel) while the state also leads on to unfinished work is
 * a way out, offered on the record page but no task: tasks are the work that moves a record along
 * (docs/workflows.md, "My tasks"). When it is the state's only way on (Close), it is the task.
 */
function isWayOut(definition: WorkflowDefinition, stateKey: string, transition: WorkflowTransition): boolean {
  const isFinal = (key: string) => definition.states.find((s) => s.key === key)?.kind === 'final';
  return isFinal(transition.to) && transitionsFrom(definition, stateKey).some((t) => !isFinal(t.to));
}

/** "Approve disposition — NCR-P1-2026-00012 Scratched housing". */
function titleOf(transition: WorkflowTransition, record: LoadedRecord): string {
  const title = `${transition.label} — ${record.code}${record.title ? ` ${record.title}` : ''}`;
  return title.length > 200 ? `${title.slice(0, 199)}…` : title;
}

function approvalAssignees(
  transition: WorkflowTransition,
  tally: ApprovalTally,
  roleIds: ReadonlyMap<string, string>,
): Assignee[] {
  if (tally.outcome !== 'pending') return [];
  const approval = transition.approval;
  if (approval === null) return [];
  const assignees: Assignee[] = [];
  for (const progress of tally.groups) {
    const group = approval.groups[progress.index];
    if (group === undefined || !progress.open) continue;
    for (const userId of progress.missingRequired) assignees.push({ assigneeUserId: userId });
    const roleId = group.role === undefined ? undefined : roleIds.get(group.role);
    const fromRole = progress.counted.filter((p) => !group.users.includes(p)).length;
    if (roleId !== undefined && fromRole < progress.needed - group.users.length)
      assignees.push({ assigneeRoleId: roleId });
  }
  return assignees;
}

function actionAssignees(
  transition: WorkflowTransition,
  record: LoadedRecord,
  startedBy: string | null,
  roleIds: ReadonlyMap<string, string>,
): Assignee[] {
  const { actors } = transition;
  const assignees: Assignee[] = actors.permissions.map((p) => ({ assigneePermission: p }));
  for (const role of actors.roles) {
    const roleId = roleIds.get(role);
    if (roleId !== undefined) assignees.push({ assigneeRoleId: roleId });
  }
  for (const field of actors.userFields) {
    const value = record.fields[field];
    for (const v of Array.isArray(value) ? value : [value])
      if (typeof v === 'string' && UUID.test(v)) assignees.push({ assigneeUserId: v });
  }
  if (actors.initiator && startedBy !== null) assignees.push({ assigneeUserId: startedBy });
  return assignees;
}

function rolesNamed(transitions: readonly WorkflowTransition[]): string[] {
  const keys = new Set<string>();
  for (const transition of transitions) {
    for (const role of transition.actors.roles) keys.add(role);
    for (const group of transition.approval?.groups ?? []) if (group.role !== undefined) keys.add(group.role);
  }
  return [...keys];
}

/** Role ids of the tenant by key; a role deleted since publishing names nobody. */
export async function roleIdsByKey(tx: Sql, keys: readonly string[]): Promise<Map<string, string>> {
  if (keys.length === 0) return new Map();
  const r = tables.roles;
  const found = await tx
    .select({ id: r.id, key: r.key })
    .from(r)
    .where(inArray(r.key, [...keys]));
  return new Map(found.map((role) => [role.key, role.id]));
}

/*
 * What the quorum rules need, read from the database (docs/workflows.md, "Approvals and quorum"): the
 * round's votes as rows, and who belongs to the roles the groups name. Tasks, actions and the record
 * page all count from these, so they never disagree.
 */

/** The stored, not voided votes of the instance's current round on one transition, oldest first. */
export async function roundVotes(tx: Sql, instance: InstanceRow, transitionKey: string): Promise<CastVote[]> {
  const a = tables.approvals;
  const found = await tx
    .select({
      voterId: a.voterId,
      countsForId: a.countsForId,
      decision: a.decision,
      comment: a.comment,
      at: a.createdAt,
    })
    .from(a)
    .where(
      and(
        eq(a.instanceId, instance.id),
        eq(a.round, instance.round),
        eq(a.transitionKey, transitionKey),
        isNull(a.voidedAt),
      ),
    )
    .orderBy(asc(a.createdAt), asc(a.id));
  return found;
}

/**
 * The quorum context: the initiator, the editors, the record's fields and the members of each role a
 * group names. Only members who reach the record's plant count: someone who cannot open the record
 * cannot vote on it, so they must not make a percentage harder to reach either.
 */
export async function approvalContext(
  tx: Sql,
  instance: InstanceRow,
  transition: WorkflowTransition,
  record: LoadedRecord,
): Promise<ApprovalContext> {
  const roles = [
    ...new Set((transition.approval?.groups ?? []).flatMap((g) => (g.role === undefined ? [] : [g.role]))),
  ];
  const roleMembers = new Map<string, string[]>(roles.map((r) => [r, []]));
  if (roles.length > 0) {
    const members = await sqlRows<{ key: string; user_id: string }>(
      tx,
      sql`select r.key, u.id::text as user_id
            from roles r
            join user_roles ur on ur.tenant_id = r.tenant_id and ur.role_id = r.id
            join users u on u.tenant_id = ur.tenant_id and u.id = ur.user_id
           where r.key = any(${sql.param(roles)}::text[]) and u.is_active and ${reachesPlant(instance.plantId)}
           order by r.key, u.id`,
    );
    for (const m of members) roleMembers.get(m.key)?.push(m.user_id);
  }
  return {
    initiatorId: instance.startedBy,
    editorIds: new Set(instance.editors),
    record: record.fields,
    roleMembers,
  };
}

/** The tally of an approval transition in the instance's current round. */
export async function approvalTally(
  tx: Sql,
  instance: InstanceRow,
  transition: WorkflowTransition,
  record: LoadedRecord,
): Promise<ApprovalTally> {
  if (transition.approval === null) throw new Error(`${transition.key} is not an approval`);
  const votes = await roundVotes(tx, instance, transition.key);
  return tallyApproval(transition.approval, votes, await approvalContext(tx, instance, transition, record));
}

/** Whether user `u` reaches the plant: granted it, or every plant (a tenant-wide record: everyone). */
function reachesPlant(plantId: string | null) {
  if (plantId === null) return sql`true`;
  return sql`(exists (select 1 from user_plant_access upa
                       where upa.tenant_id = u.tenant_id and upa.user_id = u.id and upa.plant_id = ${plantId}::uuid)
           or exists (select 1 from user_roles ur2
                        join role_permissions rp on rp.tenant_id = ur2.tenant_id and rp.role_id = ur2.role_id
                       where ur2.tenant_id = u.tenant_id and ur2.user_id = u.id and rp.permission = 'plants.all'))`;
}

/**
 * A person as the actor rules see them at the record's plant (engine mayAct): their permissions and
 * role keys, or none at all when they are inactive or do not reach the plant. Used for the caller and
 * for the people who delegated to them alike.
 */
export async function actorAt(tx: Sql, userId: string, plantId: string | null): Promise<Actor> {
  const found = await sqlRows<{ roles: string[] | null; permissions: string[] | null }>(
    tx,
    sql`select array(select r.key from user_roles ur join roles r on r.tenant_id = ur.tenant_id and r.id = ur.role_id
                      where ur.tenant_id = u.tenant_id and ur.user_id = u.id) as roles,
               array(select distinct rp.permission from user_roles ur
                       join role_permissions rp on rp.tenant_id = ur.tenant_id and rp.role_id = ur.role_id
                      where ur.tenant_id = u.tenant_id and ur.user_id = u.id) as permissions
          from users u
         where u.id = ${userId}::uuid and u.is_active and ${reachesPlant(plantId)}`,
  );
  const person = found[0];
  return {
    userId,
    permissions: new Set(person?.permissions ?? []),
    roleKeys: new Set(person?.roles ?? []),
  };
}

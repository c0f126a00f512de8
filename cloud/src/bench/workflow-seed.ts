import { createHash } from 'node:crypto';
import type { WorkflowDefinition } from '@plantline/schema/workflow';
import { sql } from 'drizzle-orm';
import { type Database, rows, type Sql } from '../db/index.js';

/*
 * The workflow benchmark's data, in bulk SQL as the owner within the tenant's scope (not through the
 * API, which would take hours): USERS people in ten roles over three plants, one production order per
 * instance as its record, instances spread over the states as a plant's NCRs are — most closed — and
 * the tasks entering each state leaves (docs/workflows.md, "My tasks"), closed ones included, so the
 * inbox's partial indexes are measured beside the rows they leave out.
 */

export interface SeedOptions {
  tenant: { tenantId: string; plantIds: string[]; adminUserId: string };
  stamp: string;
  definition: WorkflowDefinition;
  instances: number;
  users: number;
  authors: number;
  approvers: number;
  voteInstances: number;
  passwordHash: string;
}

/** Share of instances per state, by `g % 100`: 2 % draft, 5 % review, 3 % disposition, the rest closed. */
const STATE_OF = sql`case when g % 100 < 2 then 'draft' when g % 100 < 7 then 'review'
                          when g % 100 < 10 then 'disposition' else 'closed' end`;
const ROLES = 10;

export async function seedWorkflowLoad(db: Database, o: SeedOptions) {
  const { tenantId, plantIds } = o.tenant;
  return db.ownerTransact({ tenantId, plantIds: 'all' }, async (tx) => {
    const role = await seedRoles(tx, tenantId);
    const userIds = await seedUsers(tx, o, role);
    const [product] = await rows<{ id: string }>(
      tx,
      sql`insert into products (tenant_id, code, name) values (${tenantId}::uuid, 'BENCH-NCR', 'Bench part')
          returning id::text as id`,
    );
    const workflow = await seedDefinition(tx, tenantId, o.definition);
    const t = sql`${tenantId}::uuid`;
    const users = sql`${sql.param(userIds)}::uuid[]`;
    const roleIds = sql`${sql.param(Array.from({ length: ROLES }, (_, r) => role(`bench-r${r}`)))}::uuid[]`;
    await tx.execute(sql`
      with o as (
        insert into production_orders (tenant_id, plant_id, number, product_id, quantity, note)
        select ${t}, (${sql.param(plantIds)}::uuid[])[1 + g % 3], 'BENCH-' || g, ${product!.id}::uuid, 1,
               'Bench non-conformance ' || g
          from generate_series(0, ${o.instances - 1}) g
        returning id, plant_id, number)
      insert into workflow_instances (tenant_id, plant_id, workflow_id, version_id, entity_type, entity_id, state_key,
                                      round, started_by, started_at, state_entered_at, sla_due_at, closed_at)
      select ${t}, o.plant_id, ${workflow.workflowId}::uuid, ${workflow.versionId}::uuid, 'production_order', o.id,
             ${STATE_OF}, case ${STATE_OF} when 'draft' then 1 when 'review' then 2 when 'disposition' then 3 else 4 end,
             (${users})[1 + (g * 7) % ${userIds.length}], now() - make_interval(mins => g % 50000),
             now() - make_interval(mins => g % 500),
             case when ${STATE_OF} = 'review' then now() + make_interval(hours => g % 96 - 24) end,
             case when ${STATE_OF} = 'closed' then now() - make_interval(mins => g % 500) end
        from (select o.*, split_part(o.number, '-', 2)::int as g from o) o`);
    // Each open instance: a task for a role (the state's actors); a draft also one for its initiator,
    // one review in ten also one for a permission. Each closed instance: the two tasks it once had.
    await tx.execute(sql`
      with i as (
        select i.*, split_part(po.number, '-', 2)::int as g
          from workflow_instances i join production_orders po on po.id = i.entity_id
         where i.tenant_id = ${t} and po.number like 'BENCH-%' and po.number not like 'BENCH-V-%')
      insert into workflow_tasks (tenant_id, plant_id, instance_id, round, kind, transition_key, assignee_user_id,
                                  assignee_role_id, assignee_permission, title, due_at, created_at, closed_at)
      select ${t}, i.plant_id, i.id, i.round - x.back,
             case when i.state_key = 'disposition' and x.back = 0 then 'approval' else 'action' end,
             case i.state_key when 'draft' then 'submit' when 'review' then 'accept' else 'approve' end,
             case when x.who = 'user' then i.started_by end,
             case when x.who = 'role' then (${roleIds})[1 + (i.g + x.back) % ${ROLES}] end,
             case when x.who = 'permission' then 'quality.manage' end,
             'Bench non-conformance ' || i.g, i.sla_due_at,
             i.state_entered_at - make_interval(mins => x.back * 60),
             case when i.closed_at is not null then i.closed_at - make_interval(mins => x.back) end
        from i cross join lateral (values ('role', 0), ('user', 0), ('permission', 0), ('role', 1)) as x(who, back)
       where (i.closed_at is null and x.back = 0
              and (x.who = 'role' or (x.who = 'user' and i.state_key = 'draft')
                   or (x.who = 'permission' and i.state_key = 'review' and i.g % 10 = 3)))
          or (i.closed_at is not null and x.who = 'role')`);
    // Votes as a history leaves them: two on each closed instance's disposition round, one on every other
    // open disposition, so the inbox's "already voted" check runs against a table of realistic size.
    await tx.execute(sql`
      insert into approvals (tenant_id, plant_id, instance_id, round, transition_key, voter_id, counts_for_id, decision)
      select ${t}, i.plant_id, i.id, 3, 'approve', v.id, v.id, 'approve'
        from workflow_instances i
        join production_orders po on po.id = i.entity_id
        cross join lateral (select split_part(po.number, '-', 2)::int as g) n
        cross join lateral (values (1), (2)) as k(k)
        cross join lateral (select (${users})[1 + (n.g * 13 + k.k * 17) % ${userIds.length}] as id) v
       where i.tenant_id = ${t} and po.number not like 'BENCH-V-%'
         and ((i.state_key = 'closed') or (i.state_key = 'disposition' and n.g % 2 = 0 and k.k = 1))
         and v.id is distinct from i.started_by`);
    const voteInstanceIds = await seedVoteInstances(tx, o, workflow, product!.id);
    const draft = await rows<{ id: string }>(
      tx,
      sql`select id::text as id from workflow_instances where tenant_id = ${t} and state_key = 'draft' and plant_id = any(${sql.param(plantIds)}::uuid[])
           and id <> all(${sql.param(voteInstanceIds)}::uuid[]) order by id`,
    );
    const [open] = await rows<{ n: number }>(
      tx,
      sql`select count(*)::int as n from workflow_tasks where tenant_id = ${t} and closed_at is null`,
    );
    return {
      userIds,
      authorEmails: userIds.slice(0, o.authors).map((_, g) => emailOf(o.stamp, g)),
      approverEmails: userIds.slice(0, o.approvers).map((_, g) => emailOf(o.stamp, g)),
      draftInstanceIds: draft.map((d) => d.id),
      voteInstanceIds,
      openTasks: open!.n,
    };
  });
}

const emailOf = (stamp: string, g: number) => `bench-${stamp}-${g}@bench.plantline.local`;

/** The roles by key → id: ten line roles, authors, approvers, leads, and one that reaches every plant. */
async function seedRoles(tx: Sql, tenantId: string) {
  const grants: Record<string, string[]> = {};
  for (let r = 0; r < ROLES; r++) {
    grants[`bench-r${r}`] = [
      'approvals.decide',
      'masterdata.read',
      'quality.read',
      ...(r === 0 ? ['quality.manage'] : []),
    ];
  }
  Object.assign(grants, {
    'bench-author': ['masterdata.read', 'quality.read'],
    'bench-approver': ['approvals.decide', 'masterdata.read', 'quality.read'],
    'bench-lead': ['kpi.read'],
    'bench-everywhere': ['plants.all'],
  });
  const made = await rows<{ id: string; key: string }>(
    tx,
    sql`insert into roles (tenant_id, key, name)
        select ${tenantId}::uuid, k, initcap(replace(k, '-', ' ')) from unnest(${sql.param(Object.keys(grants))}::text[]) k
        returning id::text as id, key`,
  );
  const ids = new Map(made.map((r) => [r.key, r.id]));
  const pairs = Object.entries(grants).flatMap(([key, permissions]) =>
    permissions.map((p) => [ids.get(key)!, p]),
  );
  await tx.execute(
    sql`insert into role_permissions (tenant_id, role_id, permission)
        select ${tenantId}::uuid, r::uuid, p
          from unnest(${sql.param(pairs.map(([r]) => r!))}::text[], ${sql.param(pairs.map(([, p]) => p!))}::text[]) as x(r, p)`,
  );
  return (key: string) => {
    const id = ids.get(key);
    if (id === undefined) throw new Error(`no bench role ${key}`);
    return id;
  };
}

/**
 * Users by number g: the line role g % 10 and, for every third, a second; plant g % 3, every fifth all
 * three. The first `authors` may submit, the first `approvers` vote, the next five lead; those reach
 * every plant.
 */
async function seedUsers(tx: Sql, o: SeedOptions, role: (key: string) => string): Promise<string[]> {
  const { tenantId, plantIds } = o.tenant;
  const made = await rows<{ id: string; g: number }>(
    tx,
    sql`insert into users (tenant_id, email, display_name, password_hash)
        select ${tenantId}::uuid, 'bench-' || ${o.stamp} || '-' || g || '@bench.plantline.local', 'Bench user ' || g,
               ${o.passwordHash}
          from generate_series(0, ${o.users - 1}) g
        returning id::text as id, split_part(display_name, ' ', 3)::int as g`,
  );
  const userIds = made.sort((a, b) => a.g - b.g).map((u) => u.id);
  const lines = Array.from({ length: ROLES }, (_, r) => role(`bench-r${r}`));
  const grants: [string, string][] = [];
  for (const [g, id] of userIds.entries()) {
    grants.push([id, lines[g % ROLES]!]);
    if (g % 3 === 0 && Math.floor(g / 3) % ROLES !== g % ROLES)
      grants.push([id, lines[Math.floor(g / 3) % ROLES]!]);
    if (g < o.authors) grants.push([id, role('bench-author')]);
    if (g < o.approvers) grants.push([id, role('bench-approver')]);
    if (g >= o.approvers && g < o.approvers + 5) grants.push([id, role('bench-lead')]);
    if (g < o.approvers + 5) grants.push([id, role('bench-everywhere')]);
  }
  await tx.execute(
    sql`insert into user_roles (tenant_id, user_id, role_id)
        select ${tenantId}::uuid, u::uuid, r::uuid
          from unnest(${sql.param(grants.map(([u]) => u))}::text[], ${sql.param(grants.map(([, r]) => r))}::text[]) as x(u, r)`,
  );
  await tx.execute(
    sql`insert into user_plant_access (tenant_id, user_id, plant_id)
        select ${tenantId}::uuid, u.id, p.id
          from unnest(${sql.param(userIds)}::uuid[]) with ordinality as u(id, n)
          cross join unnest(${sql.param(plantIds)}::uuid[]) with ordinality as p(id, k)
         where (u.n - 1) % 5 = 0 or (u.n - 1) % 3 = p.k - 1`,
  );
  return userIds;
}

/** The workflow and its published version with state and transition rows, as publishing writes them. */
async function seedDefinition(tx: Sql, tenantId: string, definition: WorkflowDefinition) {
  const [workflow] = await rows<{ id: string }>(
    tx,
    sql`insert into workflows (tenant_id, key, name, entity_type)
        values (${tenantId}::uuid, 'bench_ncr', 'Bench non-conformance', 'production_order') returning id::text as id`,
  );
  const document = JSON.stringify(definition);
  const [version] = await rows<{ id: string }>(
    tx,
    sql`insert into workflow_versions (tenant_id, workflow_id, number, status, definition, definition_sha256, published_at)
        values (${tenantId}::uuid, ${workflow!.id}::uuid, 1, 'published', ${document}::jsonb,
                ${createHash('sha256').update(document).digest('hex')}, now())
        returning id::text as id`,
  );
  const v = sql`${tenantId}::uuid, ${version!.id}::uuid`;
  for (const [position, s] of definition.states.entries()) {
    await tx.execute(
      sql`insert into workflow_states (tenant_id, version_id, key, label, kind, position)
          values (${v}, ${s.key}, ${s.label}, ${s.kind}, ${position})`,
    );
  }
  for (const [position, tr] of definition.transitions.entries()) {
    await tx.execute(
      sql`insert into workflow_transitions (tenant_id, version_id, key, label, from_state, to_state, position)
          values (${v}, ${tr.key}, ${tr.label}, ${tr.from}, ${tr.to}, ${position})`,
    );
  }
  return { workflowId: workflow!.id, versionId: version!.id };
}

/** Instances waiting for the disposition vote, started by the administrator (who never votes). */
async function seedVoteInstances(
  tx: Sql,
  o: SeedOptions,
  workflow: { workflowId: string; versionId: string },
  productId: string,
): Promise<string[]> {
  const { tenantId, plantIds, adminUserId } = o.tenant;
  const made = await rows<{ id: string }>(
    tx,
    sql`with o as (
          insert into production_orders (tenant_id, plant_id, number, product_id, quantity, note)
          select ${tenantId}::uuid, ${plantIds[0]!}::uuid, 'BENCH-V-' || g, ${productId}::uuid, 1, 'Voted on ' || g
            from generate_series(1, ${o.voteInstances}) g
          returning id, plant_id)
        insert into workflow_instances (tenant_id, plant_id, workflow_id, version_id, entity_type, entity_id,
                                        state_key, round, started_by)
        select ${tenantId}::uuid, o.plant_id, ${workflow.workflowId}::uuid, ${workflow.versionId}::uuid,
               'production_order', o.id, 'disposition', 3, ${adminUserId}::uuid
          from o
        returning id::text as id`,
  );
  return made.map((m) => m.id);
}

import { sql } from 'drizzle-orm';
import {
  check,
  foreignKey,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAtColumn, idColumn, inList } from './columns.js';
import { roles, tenants, users } from './identity.js';
import { workflowInstances } from './workflow.js';

/*
 * Who is waiting on whom (docs/workflows.md, "My tasks", "Delegation"): the open tasks of instances and
 * the dated delegations that let one person act for another.
 */

export const workflowTaskKinds = ['approval', 'action', 'overdue'] as const;
export type WorkflowTaskKind = (typeof workflowTaskKinds)[number];

/**
 * What waits for whom: written when an instance enters a state (one row per transition and
 * assignee: a user, a role or a permission) and closed when it leaves. The inbox is an index scan.
 */
export const workflowTasks = pgTable(
  'workflow_tasks',
  {
    id: idColumn(),
    tenantId: uuid('tenant_id').notNull(),
    plantId: uuid('plant_id'),
    instanceId: uuid('instance_id').notNull(),
    round: integer('round').notNull(),
    kind: text('kind', { enum: workflowTaskKinds }).notNull(),
    transitionKey: text('transition_key'),
    assigneeUserId: uuid('assignee_user_id'),
    assigneeRoleId: uuid('assignee_role_id'),
    assigneePermission: text('assignee_permission'),
    title: text('title').notNull(),
    dueAt: timestamp('due_at', { withTimezone: true }),
    createdAt: createdAtColumn(),
    closedAt: timestamp('closed_at', { withTimezone: true }),
  },
  (t) => [
    index('workflow_tasks_user_idx')
      .on(t.tenantId, t.assigneeUserId, t.createdAt)
      .where(sql`${t.closedAt} is null`),
    index('workflow_tasks_role_idx')
      .on(t.tenantId, t.assigneeRoleId, t.createdAt)
      .where(sql`${t.closedAt} is null`),
    index('workflow_tasks_permission_idx')
      .on(t.tenantId, t.assigneePermission, t.createdAt)
      .where(sql`${t.closedAt} is null`),
    index('workflow_tasks_instance_idx').on(t.tenantId, t.instanceId),
    check('workflow_tasks_kind_check', inList(t.kind, workflowTaskKinds)),
    check(
      'workflow_tasks_assignee_check',
      sql`num_nonnulls(${t.assigneeUserId}, ${t.assigneeRoleId}, ${t.assigneePermission}) = 1`,
    ),
    foreignKey({
      name: 'workflow_tasks_instance_fk',
      columns: [t.tenantId, t.instanceId],
      foreignColumns: [workflowInstances.tenantId, workflowInstances.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'workflow_tasks_role_fk',
      columns: [t.tenantId, t.assigneeRoleId],
      foreignColumns: [roles.tenantId, roles.id],
    }).onDelete('cascade'),
  ],
);

/**
 * "A acts for B from … to …": while it runs, A may vote and sign where B could, recorded as A for B
 * (21 CFR 11.100(a): a signature is never reassigned, so it is never made in B's name).
 */
export const workflowDelegations = pgTable(
  'workflow_delegations',
  {
    id: idColumn(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    delegatorId: uuid('delegator_id').notNull(),
    delegateId: uuid('delegate_id').notNull(),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
    reason: text('reason').notNull().default(''),
    createdBy: uuid('created_by'),
    createdAt: createdAtColumn(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [
    unique('workflow_delegations_tenant_id_id_key').on(t.tenantId, t.id),
    index('workflow_delegations_delegate_idx').on(t.tenantId, t.delegateId, t.endsAt),
    index('workflow_delegations_delegator_idx').on(t.tenantId, t.delegatorId, t.endsAt),
    check('workflow_delegations_people_check', sql`${t.delegatorId} <> ${t.delegateId}`),
    check('workflow_delegations_period_check', sql`${t.startsAt} < ${t.endsAt}`),
    foreignKey({
      name: 'workflow_delegations_delegator_fk',
      columns: [t.tenantId, t.delegatorId],
      foreignColumns: [users.tenantId, users.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'workflow_delegations_delegate_fk',
      columns: [t.tenantId, t.delegateId],
      foreignColumns: [users.tenantId, users.id],
    }).onDelete('cascade'),
  ],
);

import { allPermissions, tables } from '@plantline/schema';
import { definitionSchema, type WorkflowDefinitionInput } from '@plantline/schema/workflow';
import { and, asc, eq, or, sql } from 'drizzle-orm';
import { rows, type Sql } from '../../db/index.js';
import { auditCreate, auditUpdate, DomainError, type Scope } from '../../platform/index.js';
import type { WorkflowEntities } from './entities.js';
import { fieldCatalogue } from './record-fields.js';
import { loadVersion, tenantVocabulary } from './versions.js';

/*
 * Workflows as the designer lists, creates and opens them (docs/workflows.md, "Versions and
 * publishing"). A tenant has at most one workflow per record type, so a record never has to choose
 * which process it follows; a workflow starts life as draft version 1 with the smallest definition
 * that publishes.
 */

const w = tables.workflows;
const v = tables.workflowVersions;

/**
 * Counts below are of running instances (not closed): the ones a new version may concern. The row
 * version is the one a rename from the list is made against (`updateWorkflow`).
 */
export async function listWorkflows(tx: Sql, entities: WorkflowEntities) {
  const found = await rows<{
    id: string;
    key: string;
    name: string;
    description: string;
    version: number;
    entity_type: string;
    published_version: number | null;
    draft_version: number | null;
    instances: number;
  }>(
    tx,
    sql`select w.id, w.key, w.name, w.description, w.version, w.entity_type,
          (select max(v.number) from workflow_versions v
            where v.tenant_id = w.tenant_id and v.workflow_id = w.id and v.status = 'published') as published_version,
          (select v.number from workflow_versions v
            where v.tenant_id = w.tenant_id and v.workflow_id = w.id and v.status = 'draft') as draft_version,
          (select count(*)::int from workflow_instances i
            where i.tenant_id = w.tenant_id and i.workflow_id = w.id and i.closed_at is null) as instances
        from workflows w order by w.name, w.key`,
  );
  return found.map((row) => ({
    id: row.id,
    key: row.key,
    name: row.name,
    description: row.description,
    version: row.version,
    entityType: row.entity_type,
    entityLabel: entities.get(row.entity_type)?.label ?? row.entity_type,
    publishedVersion: row.published_version,
    draftVersion: row.draft_version,
    instances: row.instances,
  }));
}

/** The smallest definition that publishes: whoever started a record may mark it done. */
export const MINIMAL_DEFINITION: WorkflowDefinitionInput = {
  states: [
    { key: 'open', label: 'Open', kind: 'initial', position: { x: 0, y: 0 } },
    { key: 'done', label: 'Done', kind: 'final', position: { x: 320, y: 0 } },
  ],
  transitions: [
    { key: 'complete', label: 'Complete', from: 'open', to: 'done', actors: { initiator: true } },
  ],
};

export interface NewWorkflow {
  key: string;
  name: string;
  entityType: string;
  description?: string | undefined;
  definition?: WorkflowDefinitionInput;
}

/** A workflow with its first draft; refuses a record type the app lacks or one that has a workflow. */
export async function createWorkflow(
  tx: Sql,
  actor: Scope,
  entities: WorkflowEntities,
  input: NewWorkflow,
): Promise<{ id: string; draftVersionId: string }> {
  if (!entities.has(input.entityType))
    throw new DomainError('invalid', `This app has no record type ${input.entityType} for workflows`, {
      entityType: 'Unknown record type',
    });
  const [taken] = await tx
    .select({ key: w.key, entityType: w.entityType, name: w.name })
    .from(w)
    .where(and(eq(w.tenantId, actor.tenantId), or(eq(w.key, input.key), eq(w.entityType, input.entityType))));
  if (taken?.key === input.key)
    throw new DomainError('conflict', 'That key is already in use here', { key: 'Already in use' });
  if (taken !== undefined)
    throw new DomainError('conflict', `${taken.name} already runs on this record type`, {
      entityType: 'Already has a workflow',
    });
  const [created] = await tx
    .insert(w)
    .values({
      tenantId: actor.tenantId,
      key: input.key,
      name: input.name,
      description: input.description ?? '',
      entityType: input.entityType,
    })
    .returning();
  const [draft] = await tx
    .insert(v)
    .values({
      tenantId: actor.tenantId,
      workflowId: created!.id,
      number: 1,
      definition: definitionSchema.parse(input.definition ?? MINIMAL_DEFINITION),
      createdBy: actor.userId ?? null,
    })
    .returning({ id: v.id });
  auditCreate(tx, 'workflow', auditedWorkflow(created!), { label: created!.key });
  return { id: created!.id, draftVersionId: draft!.id };
}

const auditedWorkflow = (row: typeof w.$inferSelect) => ({
  id: row.id,
  key: row.key,
  name: row.name,
  description: row.description,
  entityType: row.entityType,
});

const staleWorkflow = () =>
  new DomainError(
    'conflict',
    'Someone else changed this workflow since you opened it: reload it to see their change',
  );

/**
 * Renames or redescribes a workflow edited from row version `version`, as a draft is saved: a change
 * from an older version is refused, one that changes nothing writes nothing. The write itself checks
 * the version, so a change committed between the read and the write is refused too; the read takes
 * no lock, which would be a write of its own for nothing when nothing changes.
 */
export async function updateWorkflow(
  tx: Sql,
  input: { id: string; version: number; name: string; description: string },
): Promise<{ version: number }> {
  const [current] = await tx.select().from(w).where(eq(w.id, input.id));
  if (current === undefined) throw new DomainError('not_found', 'No such workflow');
  if (current.version !== input.version) throw staleWorkflow();
  if (current.name === input.name && current.description === input.description)
    return { version: current.version };
  const [updated] = await tx
    .update(w)
    .set({
      name: input.name,
      description: input.description,
      version: sql`${w.version} + 1`,
      updatedAt: sql`now()`,
    })
    .where(and(eq(w.id, current.id), eq(w.version, input.version)))
    .returning();
  if (updated === undefined) throw staleWorkflow();
  auditUpdate(tx, 'workflow', auditedWorkflow(current), auditedWorkflow(updated), {
    label: current.key,
  });
  return { version: updated.version };
}

/** Everything the designer needs to open a workflow: its versions, its draft and what it may name. */
export async function getWorkflow(tx: Sql, entities: WorkflowEntities, id: string) {
  const [workflow] = await tx
    .select({
      id: w.id,
      key: w.key,
      name: w.name,
      description: w.description,
      entityType: w.entityType,
      version: w.version,
    })
    .from(w)
    .where(eq(w.id, id));
  if (workflow === undefined) throw new DomainError('not_found', 'No such workflow');
  const versions = await tx
    .select({
      id: v.id,
      number: v.number,
      status: v.status,
      note: v.note,
      publishedAt: v.publishedAt,
      publishedBy: tables.users.displayName,
      createdAt: v.createdAt,
      instances: sql<number>`(select count(*)::int from workflow_instances i
        where i.tenant_id = ${v.tenantId} and i.version_id = ${v.id} and i.closed_at is null)`,
    })
    .from(v)
    .leftJoin(tables.users, and(eq(tables.users.tenantId, v.tenantId), eq(tables.users.id, v.publishedBy)))
    .where(eq(v.workflowId, workflow.id))
    .orderBy(asc(v.number));
  const draftRow = versions.find((x) => x.status === 'draft');
  const draft =
    draftRow === undefined
      ? null
      : await loadVersion(tx, draftRow.id).then((d) => ({
          id: d.id,
          number: d.number,
          revision: d.revision,
          definition: d.definition,
        }));
  const entity = entities.get(workflow.entityType);
  const catalogue = entity === undefined ? [] : [...(await fieldCatalogue(tx, entity)).values()];
  return {
    workflow,
    versions,
    draft,
    catalogue,
    ...(await tenantVocabulary(tx)),
    permissions: [...allPermissions],
    entityTypes: [...entities.values()].map((e) => ({ key: e.key, label: e.label })),
  };
}

import { tables } from '@plantline/schema';
import { definitionSchema, type WorkflowDefinition } from '@plantline/schema/workflow';
import canonicalize from 'canonicalize';
import { and, asc, eq, sql } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { rows, type Sql } from '../../db/index.js';
import { audit, DomainError, type Scope } from '../../platform/index.js';
import { BUILTIN_SEQUENCES } from '../config/index.js';
import { type DefinitionChange, diffDefinitions, validateDefinition } from './engine/index.js';
import type { FieldCatalogue, ValidationIssue } from './engine/types.js';
import type { WorkflowEntities } from './entities.js';
import { fieldCatalogue } from './record-fields.js';

/*
 * Versions of a workflow's definition (docs/workflows.md, "Versions and publishing"). A workflow has
 * at most one draft, edited with a revision number so two designers never overwrite each other
 * unseen; saving stores any well-formed definition and answers its problems, publishing (publish.ts)
 * refuses one with problems and freezes it. Published versions never change, which is what lets
 * running instances stay on the version they started on and lets their definitions be cached.
 */

const v = tables.workflowVersions;
const w = tables.workflows;

/** The names a definition may use besides fields: the tenant's roles, active users and sequences. */
export interface TenantVocabulary {
  roles: { key: string; name: string }[];
  users: { id: string; name: string }[];
  sequences: { code: string; name: string }[];
}

/*
 * Filtered by the scope's tenant as well as by row-level security: tenant creation runs as the owner
 * (tenants.ts), and an owner that is a superuser passes every policy.
 */
const ofTenant = (column: PgColumn) => eq(column, sql`plantline.current_tenant_id()`);

export async function tenantVocabulary(tx: Sql): Promise<TenantVocabulary> {
  const roles = await tx
    .select({ key: tables.roles.key, name: tables.roles.name })
    .from(tables.roles)
    .where(ofTenant(tables.roles.tenantId))
    .orderBy(asc(tables.roles.name));
  const users = await tx
    .select({ id: tables.users.id, name: tables.users.displayName })
    .from(tables.users)
    .where(and(ofTenant(tables.users.tenantId), eq(tables.users.isActive, true)))
    .orderBy(asc(tables.users.displayName));
  const s = tables.numberingSequences;
  const stored = await tx
    .select({ code: s.code, name: s.name, isActive: s.isActive })
    .from(s)
    .where(ofTenant(s.tenantId));
  // A built-in sequence is created on its first number, so it is usable before it is stored; a
  // retired one hands out no numbers (numbering.ts) and is not offered.
  const sequences = [
    ...stored.filter((x) => x.isActive).map(({ code, name }) => ({ code, name })),
    ...Object.entries(BUILTIN_SEQUENCES)
      .filter(([code]) => !stored.some((x) => x.code === code))
      .map(([code, { name }]) => ({ code, name })),
  ].sort((a, b) => a.code.localeCompare(b.code));
  return { roles, users, sequences };
}

/** What validateDefinition checks a definition of `entityType` against, for this tenant. */
export async function validationContext(tx: Sql, entities: WorkflowEntities, entityType: string) {
  const entity = entities.get(entityType);
  if (entity === undefined)
    throw new DomainError('invalid', `This app has no record type ${entityType} for workflows`, {
      entityType: 'Unknown record type',
    });
  const catalogue: FieldCatalogue = await fieldCatalogue(tx, entity);
  const vocabulary = await tenantVocabulary(tx);
  const known = {
    roleKeys: new Set(vocabulary.roles.map((r) => r.key)),
    userIds: new Set(vocabulary.users.map((u) => u.id)),
    sequences: new Set(vocabulary.sequences.map((s) => s.code)),
  };
  return { entity, catalogue, known, vocabulary };
}

export interface VersionRow {
  id: string;
  workflowId: string;
  workflowKey: string;
  entityType: string;
  number: number;
  status: 'draft' | 'published';
  definition: WorkflowDefinition;
  definitionSha256: string | null;
  note: string;
  revision: number;
}

/** One version with its workflow's key and entity type; refuses a version the tenant does not have. */
export async function loadVersion(tx: Sql, versionId: string): Promise<VersionRow> {
  const [row] = await tx
    .select({
      id: v.id,
      workflowId: v.workflowId,
      workflowKey: w.key,
      entityType: w.entityType,
      number: v.number,
      status: v.status,
      definition: v.definition,
      definitionSha256: v.definitionSha256,
      note: v.note,
      revision: v.revision,
    })
    .from(v)
    .innerJoin(w, and(eq(w.tenantId, v.tenantId), eq(w.id, v.workflowId)))
    .where(eq(v.id, versionId));
  if (row === undefined) throw new DomainError('not_found', 'No such workflow version');
  return { ...row, definition: definitionSchema.parse(row.definition) };
}

/** A version as the designer shows it. */
export async function versionView(tx: Sql, versionId: string) {
  const row = await loadVersion(tx, versionId);
  return {
    id: row.id,
    number: row.number,
    status: row.status,
    definition: row.definition,
    definitionSha256: row.definitionSha256,
  };
}

/** The issues validateDefinition finds in a version, against the tenant as it is now. */
export async function validateVersion(tx: Sql, entities: WorkflowEntities, versionId: string) {
  const version = await loadVersion(tx, versionId);
  const { catalogue, known } = await validationContext(tx, entities, version.entityType);
  return { issues: validateDefinition(version.definition, catalogue, known) };
}

/**
 * A new draft copied from `fromVersion` (a version number), or from the latest published version.
 * A workflow has one draft at a time (workflow_versions_one_draft_key): asking for a second is
 * refused rather than answered with the existing one, since that draft may hold other changes than
 * the copy the caller asked for; the designer opens the existing draft instead.
 */
export async function startDraft(
  tx: Sql,
  actor: Scope,
  input: { workflowId: string; fromVersion?: number | undefined },
) {
  const [workflow] = await tx.select().from(w).where(eq(w.id, input.workflowId)).for('update');
  if (workflow === undefined) throw new DomainError('not_found', 'No such workflow');
  const versions = await tx
    .select({ id: v.id, number: v.number, status: v.status, definition: v.definition })
    .from(v)
    .where(and(eq(v.tenantId, workflow.tenantId), eq(v.workflowId, workflow.id)))
    .orderBy(asc(v.number));
  const draft = versions.find((x) => x.status === 'draft');
  if (draft !== undefined)
    throw new DomainError(
      'conflict',
      `Version ${draft.number} is already a draft: edit it, or publish it before starting another`,
    );
  const published = versions.filter((x) => x.status === 'published');
  const source =
    input.fromVersion === undefined
      ? published.at(-1)
      : published.find((x) => x.number === input.fromVersion);
  if (source === undefined)
    throw new DomainError('not_found', `No published version ${input.fromVersion ?? ''} to start from`, {
      fromVersion: 'Not a published version',
    });
  const number = (versions.at(-1)?.number ?? 0) + 1;
  const [created] = await tx
    .insert(v)
    .values({
      tenantId: workflow.tenantId,
      workflowId: workflow.id,
      number,
      definition: source.definition,
      createdBy: actor.userId ?? null,
    })
    .returning({ id: v.id, number: v.number, revision: v.revision });
  audit(tx, {
    action: 'workflow.draft-start',
    entityType: 'workflow',
    entityId: workflow.id,
    entityLabel: workflow.key,
    after: { draftVersion: number, copiedFrom: source.number },
  });
  return created!;
}

/** A definition change in the audit trail's words: "changed state Under review: Guard changed". */
export function describeChanges(changes: readonly DefinitionChange[]): string[] {
  return changes.map(
    (c) => `${c.change} ${c.part} ${c.label}${c.details.length === 0 ? '' : `: ${c.details.join('; ')}`}`,
  );
}

const sameJson = (a: unknown, b: unknown) => canonicalize(a) === canonicalize(b);

export interface SaveDraftInput {
  versionId: string;
  revision: number;
  definition: WorkflowDefinition;
  note?: string | undefined;
}

/**
 * Stores a draft's definition made from `revision`; refuses a stale revision and a published
 * version, never a definition with problems: those are answered, for the designer to draw, and
 * stop only publishing. Saving what is already stored changes nothing.
 */
export async function saveDraft(
  tx: Sql,
  entities: WorkflowEntities,
  input: SaveDraftInput,
): Promise<{ revision: number; issues: ValidationIssue[] }> {
  const current = await loadVersion(tx, input.versionId);
  if (current.status !== 'draft')
    throw new DomainError('conflict', `Version ${current.number} is published and no longer changes`);
  if (current.revision !== input.revision) throw staleDraft(current.number);
  const { catalogue, known } = await validationContext(tx, entities, current.entityType);
  const issues = validateDefinition(input.definition, catalogue, known);
  const note = input.note ?? current.note;
  if (sameJson(current.definition, input.definition) && note === current.note)
    return { revision: current.revision, issues };
  const [saved] = await tx
    .update(v)
    .set({ definition: input.definition, note, revision: sql`${v.revision} + 1`, updatedAt: sql`now()` })
    .where(and(eq(v.id, current.id), eq(v.status, 'draft'), eq(v.revision, input.revision)))
    .returning({ revision: v.revision });
  // Another save committed between the read and this write.
  if (saved === undefined) throw staleDraft(current.number);
  const changes = describeChanges(diffDefinitions(current.definition, input.definition));
  audit(tx, {
    action: 'workflow.draft-save',
    entityType: 'workflow',
    entityId: current.workflowId,
    entityLabel: `${current.workflowKey} v${current.number}`,
    before: { revision: current.revision, note: current.note },
    after: {
      revision: saved.revision,
      note,
      // Positions on the graph are not part of a change's meaning (diffDefinitions leaves them out).
      changes: changes.length > 0 || sameJson(current.definition, input.definition) ? changes : ['Layout'],
    },
  });
  return { revision: saved.revision, issues };
}

const staleDraft = (number: number) =>
  new DomainError(
    'conflict',
    `Version ${number} was saved by someone else since you opened it: reload it to see their changes`,
  );

/** What changed from one version to another, in plain words (engine diffDefinitions). */
export async function diffVersions(tx: Sql, input: { fromVersionId: string; toVersionId: string }) {
  const from = await loadVersion(tx, input.fromVersionId);
  const to = await loadVersion(tx, input.toVersionId);
  if (from.workflowId !== to.workflowId)
    throw new DomainError('invalid', 'Compare two versions of the same workflow');
  return diffDefinitions(from.definition, to.definition);
}

/*
 * Published definitions by tenant and version id. A published version never changes (saveDraft and
 * publish write drafts only), so an entry never goes stale; the tenant in the key comes from the
 * version's own row as the caller's row-level security lets it be read, so a version id of another
 * tenant is never answered from here. Bounded, dropping the least recently used.
 */
const CACHE_SIZE = 500;
const published = new Map<string, WorkflowDefinition>();

function remember(key: string, definition: WorkflowDefinition): WorkflowDefinition {
  published.delete(key);
  published.set(key, definition);
  if (published.size > CACHE_SIZE) published.delete(published.keys().next().value as string);
  return definition;
}

async function cachedDefinition(tx: Sql, tenantId: string, versionId: string) {
  const key = `${tenantId}/${versionId}`;
  const hit = published.get(key);
  if (hit !== undefined) return remember(key, hit);
  const [row] = await tx.select({ definition: v.definition }).from(v).where(eq(v.id, versionId));
  if (row === undefined) throw new DomainError('not_found', 'No such workflow version');
  return remember(key, deepFreeze(definitionSchema.parse(row.definition)));
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/**
 * A version's definition, as the runtime reads it for every action: published ones from the cache
 * (shared and frozen: do not change them), a draft read afresh.
 */
export async function versionDefinition(tx: Sql, versionId: string): Promise<WorkflowDefinition> {
  const [row] = await tx
    .select({ tenantId: v.tenantId, status: v.status })
    .from(v)
    .where(eq(v.id, versionId));
  if (row === undefined) throw new DomainError('not_found', 'No such workflow version');
  if (row.status === 'published') return cachedDefinition(tx, row.tenantId, versionId);
  return (await loadVersion(tx, versionId)).definition;
}

/** The version new records of `entityType` start on: its workflow's latest published one, if any. */
export async function publishedVersionFor(
  tx: Sql,
  entityType: string,
): Promise<{ workflowId: string; versionId: string; number: number; definition: WorkflowDefinition } | null> {
  const [row] = await rows<{ tenant_id: string; workflow_id: string; version_id: string; number: number }>(
    tx,
    sql`select v.tenant_id, v.workflow_id, v.id as version_id, v.number
          from workflows w
          join workflow_versions v on v.tenant_id = w.tenant_id and v.workflow_id = w.id
         where w.entity_type = ${entityType} and v.status = 'published'
         order by v.number desc limit 1`,
  );
  if (row === undefined) return null;
  return {
    workflowId: row.workflow_id,
    versionId: row.version_id,
    number: row.number,
    definition: await cachedDefinition(tx, row.tenant_id, row.version_id),
  };
}

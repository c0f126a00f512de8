import { createHash } from 'node:crypto';
import { tables } from '@plantline/schema';
import type { WorkflowDefinition } from '@plantline/schema/workflow';
import canonicalize from 'canonicalize';
import { and, eq, sql } from 'drizzle-orm';
import type { Sql } from '../../db/index.js';
import { audit, DomainError, type Scope } from '../../platform/index.js';
import { validateDefinition } from './engine/index.js';
import type { ValidationIssue } from './engine/types.js';
import type { WorkflowEntities } from './entities.js';
import { loadVersion, validationContext } from './versions.js';

/*
 * Publishing a draft (docs/workflows.md, "Versions and publishing"): the definition is checked
 * against the record type's fields and the tenant's roles, users and numbering sequences as they are
 * now, then frozen: its SHA-256 over the RFC 8785 form (as the audit chain hashes entries,
 * platform/audit-chain.ts) is stored beside it, and its states and transitions become rows that
 * instances reference, so an instance can never stand in a state its version lacks.
 */

const v = tables.workflowVersions;

/** SHA-256 of a definition's canonical JSON (RFC 8785): what a published version is pinned to. */
export function definitionSha256(definition: WorkflowDefinition): string {
  const text = canonicalize(definition);
  if (text === undefined) throw new Error('A workflow definition cannot be canonicalised');
  return createHash('sha256').update(text).digest('hex');
}

/**
 * Where an issue is, as a key of DomainError.fieldErrors: `definition`, `state:<key>` or
 * `transition:<key>`, then `/<path>` inside it when there is one. The API's errors carry only those
 * field errors, so this is how the designer learns where to draw a refused publish's problems.
 */
export function issueKey(issue: ValidationIssue): string {
  const at = issue.at.kind === 'definition' ? 'definition' : `${issue.at.kind}:${issue.at.key}`;
  return issue.path === '' ? at : `${at}/${issue.path}`;
}

/** A refusal to publish, with each issue as a field error (several at one place joined by lines). */
export function invalidDefinition(issues: readonly ValidationIssue[]): DomainError {
  const fieldErrors: Record<string, string> = {};
  for (const issue of issues) {
    const key = issueKey(issue);
    fieldErrors[key] =
      fieldErrors[key] === undefined ? issue.message : `${fieldErrors[key]}\n${issue.message}`;
  }
  const count = issues.length === 1 ? 'a problem' : `${issues.length} problems`;
  return new DomainError('invalid', `The definition has ${count} to fix before it is published`, fieldErrors);
}

export interface PublishInput {
  versionId: string;
  /** The draft's revision the publisher saw: what they checked is what gets published. */
  revision: number;
  note: string;
}

/** Publishes a draft; new instances start on it, running ones stay where they are. */
export async function publishVersion(
  tx: Sql,
  actor: Scope,
  entities: WorkflowEntities,
  input: PublishInput,
): Promise<{ number: number }> {
  // Locks the draft: a save or a second publish waits, then finds it published.
  await tx.select({ id: v.id }).from(v).where(eq(v.id, input.versionId)).for('update');
  const draft = await loadVersion(tx, input.versionId);
  if (draft.status !== 'draft')
    throw new DomainError('conflict', `Version ${draft.number} is already published`);
  if (draft.revision !== input.revision)
    throw new DomainError(
      'conflict',
      `Version ${draft.number} was saved by someone else since you opened it: reload it, check it and publish again`,
    );
  const { catalogue, known } = await validationContext(tx, entities, draft.entityType);
  const issues = validateDefinition(draft.definition, catalogue, known);
  if (issues.length > 0) throw invalidDefinition(issues);

  const sha256 = definitionSha256(draft.definition);
  await tx
    .update(v)
    .set({
      status: 'published',
      definitionSha256: sha256,
      note: input.note,
      revision: sql`${v.revision} + 1`,
      publishedBy: actor.userId ?? null,
      publishedAt: sql`now()`,
      updatedAt: sql`now()`,
    })
    .where(and(eq(v.id, draft.id), eq(v.status, 'draft')));
  const scope = { tenantId: actor.tenantId, versionId: draft.id };
  await tx.insert(tables.workflowStates).values(
    draft.definition.states.map((s, position) => ({
      ...scope,
      key: s.key,
      label: s.label,
      kind: s.kind,
      position,
    })),
  );
  if (draft.definition.transitions.length > 0)
    await tx.insert(tables.workflowTransitions).values(
      draft.definition.transitions.map((t, position) => ({
        ...scope,
        key: t.key,
        label: t.label,
        fromState: t.from,
        toState: t.to,
        position,
      })),
    );
  audit(tx, {
    action: 'workflow.publish',
    entityType: 'workflow',
    entityId: draft.workflowId,
    entityLabel: `${draft.workflowKey} v${draft.number}`,
    after: { version: draft.number, definitionSha256: sha256, note: input.note },
  });
  return { number: draft.number };
}

import { tables } from '@plantline/schema';
import { usesPlant } from '@plantline/schema/configuration';
import { asc, eq, sql } from 'drizzle-orm';
import type { Sql } from '../../db/index.js';
import { auditCreate, auditUpdate, DomainError, notFound, type Scope } from '../../platform/index.js';
import { recordChange } from './history.js';
import {
  auditedScheme,
  checkPattern,
  resetWords,
  type Sequence,
  sequenceColumns,
  snapshotOf,
  storedPattern,
} from './numbering.js';

/*
 * Editing numbering schemes (docs/configuration.md, "Numbering"): create, change and retire a
 * sequence, each change versioned, kept in the scheme's history and on the audit trail. Taking
 * numbers is numbering.ts.
 */

export function listSequences(tx: Sql, input: { includeInactive?: boolean | undefined }) {
  return tx
    .select(sequenceColumns)
    .from(tables.numberingSequences)
    .where(input.includeInactive === true ? undefined : eq(tables.numberingSequences.isActive, true))
    .orderBy(asc(tables.numberingSequences.code));
}

export interface SequenceFields {
  code: string;
  name: string;
  pattern: string;
}

export async function createSequence(tx: Sql, actor: Scope, input: SequenceFields) {
  const pattern = checkPattern(input.pattern);
  const [created] = await tx
    .insert(tables.numberingSequences)
    .values({ tenantId: actor.tenantId, ...input })
    .onConflictDoNothing()
    .returning(sequenceColumns);
  if (created === undefined)
    throw new DomainError('conflict', 'A numbering sequence with that code exists', {
      code: 'Already in use',
    });
  await recordChange(tx, {
    tenantId: actor.tenantId,
    subject: 'numbering',
    subjectId: created.id,
    version: created.version,
    action: 'create',
    summary: `Created with pattern ${created.pattern}; numbers ${resetWords[pattern.reset]}`,
    snapshot: snapshotOf(created),
    changedBy: actor.userId ?? null,
  });
  auditCreate(tx, 'numbering_scheme', auditedScheme(created), { label: created.code });
  return created;
}

export interface SequencePatch {
  name?: string | undefined;
  pattern?: string | undefined;
  isActive?: boolean | undefined;
}

/** What a change did, in words for the history. */
function describeChange(before: Sequence, after: Sequence): string {
  const parts: string[] = [];
  if (before.name !== after.name) parts.push(`name ${before.name} → ${after.name}`);
  if (before.pattern !== after.pattern) {
    const from = storedPattern(before);
    const to = storedPattern(after);
    const scope =
      usesPlant(from) !== usesPlant(to)
        ? usesPlant(to)
          ? '; counted per plant from now on'
          : '; counted tenant-wide from now on'
        : '';
    const reset = from.reset === to.reset ? '' : `; numbers now ${resetWords[to.reset]}`;
    parts.push(`pattern ${before.pattern} → ${after.pattern}${reset}${scope}`);
  }
  if (before.isActive !== after.isActive) parts.push(after.isActive ? 'reactivated' : 'retired');
  return parts.join('; ');
}

/**
 * Changes a sequence, bumping its version and appending the change to its history. `version`, when
 * given, is the version the editor saw: a change made meanwhile by someone else is refused rather
 * than silently overwritten. A patch that changes nothing returns the sequence as it is.
 */
export async function updateSequence(
  tx: Sql,
  actor: Scope,
  input: { id: string; version?: number | undefined; patch: SequencePatch },
) {
  const s = tables.numberingSequences;
  const [current] = await tx.select(sequenceColumns).from(s).where(eq(s.id, input.id)).for('update');
  if (current === undefined) throw notFound('Numbering sequence');
  if (input.version !== undefined && input.version !== current.version)
    throw new DomainError(
      'conflict',
      `This sequence was changed meanwhile (now version ${current.version}); reload it and try again`,
    );
  if (input.patch.pattern !== undefined) checkPattern(input.patch.pattern);
  const next = { ...current, ...definedOf(input.patch) };
  const summary = describeChange(current, next);
  if (summary === '') return current;
  const [updated] = await tx
    .update(s)
    .set({
      name: next.name,
      pattern: next.pattern,
      isActive: next.isActive,
      version: sql`${s.version} + 1`,
      updatedAt: sql`now()`,
    })
    .where(eq(s.id, current.id))
    .returning(sequenceColumns);
  const action = current.isActive !== next.isActive ? (next.isActive ? 'reactivate' : 'retire') : 'update';
  await recordChange(tx, {
    tenantId: actor.tenantId,
    subject: 'numbering',
    subjectId: updated!.id,
    version: updated!.version,
    action,
    summary: summary.charAt(0).toUpperCase() + summary.slice(1),
    snapshot: snapshotOf(updated!),
    changedBy: actor.userId ?? null,
  });
  auditUpdate(
    tx,
    'numbering_scheme',
    auditedScheme(current),
    auditedScheme(updated!),
    { label: current.code },
    action,
  );
  return updated!;
}

/** A retired sequence keeps its counters and history and hands out no numbers. */
export function retireSequence(tx: Sql, actor: Scope, input: { id: string; version?: number | undefined }) {
  return updateSequence(tx, actor, { ...input, patch: { isActive: false } });
}

function definedOf(patch: SequencePatch): Partial<Pick<Sequence, 'name' | 'pattern' | 'isActive'>> {
  return Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
}

import { tables } from '@plantline/schema';
import {
  builtinLabelTemplate,
  builtinLabelTemplates,
  type LabelTemplate,
  labelTemplateSchema,
} from '@plantline/schema/labels';
import { and, eq, sql } from 'drizzle-orm';
import type { Sql } from '../../db/index.js';
import { audit, DomainError } from '../../platform/index.js';

/*
 * Templates as labels use them (docs/labels.md, "Issuing and printing"). The built-in templates live
 * in code (`@plantline/schema/labels`) and are copied into the tenant's label_templates the first time
 * a label is issued with one, so every label points at a template row and the version it was made
 * with. A built-in row follows the code: when a release changes the definition, the next label issued
 * with it updates the row and moves its version on.
 */

export interface StoredTemplate {
  id: string;
  version: number;
  template: LabelTemplate;
}

const t = tables.labelTemplates;
const columns = {
  id: t.id,
  version: t.version,
  definition: t.definition,
  builtin: t.builtin,
  isActive: t.isActive,
};

const SEEDED_REASON = 'A built-in template, copied for the first label issued with it';
const FOLLOWED_REASON = 'The built-in template changed with this release';

const unknownTemplate = () =>
  new DomainError('not_found', 'Label template not found', { templateKey: 'No such template' });

/**
 * The template a new label is made with, by key: the tenant's row, seeded from or brought up to the
 * built-in definition of that key. The seeding is audited in the issuing call, with its own reason.
 */
export async function templateForIssue(tx: Sql, tenantId: string, key: string): Promise<StoredTemplate> {
  const builtin = builtinLabelTemplate(key);
  let [row] = await tx.select(columns).from(t).where(eq(t.key, key));
  if (row === undefined && builtin !== undefined) {
    [row] = await tx
      .insert(t)
      .values({ tenantId, key, name: builtin.name, kind: builtin.kind, definition: builtin, builtin: true })
      .onConflictDoNothing({ target: [t.tenantId, t.key] })
      .returning(columns);
    // Another label's transaction seeded it first: take its row.
    if (row === undefined) [row] = await tx.select(columns).from(t).where(eq(t.key, key));
    else recordTemplate(tx, row.id, key, null, builtin, SEEDED_REASON);
  }
  if (row === undefined || !row.isActive) throw unknownTemplate();
  if (row.builtin && builtin !== undefined && !sameDefinition(row.definition, builtin)) {
    const [updated] = await tx
      .update(t)
      .set({ definition: builtin, name: builtin.name, version: sql`${t.version} + 1`, updatedAt: sql`now()` })
      .where(and(eq(t.id, row.id), eq(t.version, row.version)))
      .returning(columns);
    if (updated !== undefined) {
      recordTemplate(tx, row.id, key, row.definition, builtin, FOLLOWED_REASON);
      row = updated;
    } else [row] = await tx.select(columns).from(t).where(eq(t.id, row.id));
    if (row === undefined) throw unknownTemplate();
  }
  return { id: row.id, version: row.version, template: parseStored(row.definition) };
}

/** The templates labels may be issued with: the built-in ones, and the tenant's own rows beside them. */
export async function tenantTemplates(tx: Sql) {
  const stored = await tx
    .select({ key: t.key, definition: t.definition, builtin: t.builtin, isActive: t.isActive })
    .from(t);
  const byKey = new Map(builtinLabelTemplates.map((template) => [template.key, { template, builtin: true }]));
  for (const row of stored)
    if (!row.isActive) byKey.delete(row.key);
    else if (!row.builtin) byKey.set(row.key, { template: parseStored(row.definition), builtin: false });
  return [...byKey.values()].map(({ template, builtin }) => ({
    key: template.key,
    name: template.name,
    kind: template.kind,
    width: template.width,
    height: template.height,
    builtin,
  }));
}

/** A stored template by id, as a label is rendered with it. */
export async function storedTemplate(tx: Sql, id: string): Promise<LabelTemplate> {
  const [row] = await tx.select({ definition: t.definition }).from(t).where(eq(t.id, id));
  if (row === undefined) throw new DomainError('not_found', 'The label’s template is gone');
  return parseStored(row.definition);
}

function parseStored(definition: unknown): LabelTemplate {
  const parsed = labelTemplateSchema.safeParse(definition);
  if (!parsed.success) throw new Error('A stored label template does not check against the template schema');
  return parsed.data;
}

/** jsonb keeps no key order; compare what the two mean, not how they are written. */
function sameDefinition(stored: unknown, builtin: LabelTemplate): boolean {
  const parsed = labelTemplateSchema.safeParse(stored);
  return parsed.success && canonical(parsed.data) === canonical(builtin);
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  return JSON.stringify(value);
}

function recordTemplate(
  tx: Sql,
  id: string,
  key: string,
  before: unknown,
  after: LabelTemplate,
  reason: string,
): void {
  audit(tx, {
    action: before === null ? 'label_template.create' : 'label_template.update',
    entityType: 'label_template',
    entityId: id,
    entityLabel: key,
    before: before === null ? null : { definition: before },
    after: {
      ...(before === null ? { key, name: after.name, kind: after.kind, builtin: true } : {}),
      definition: after,
    },
    reason,
  });
}

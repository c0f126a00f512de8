import type { FieldValue } from '@plantline/schema/configuration';
import { sql } from 'drizzle-orm';
import { rows, type Sql } from '../../db/index.js';
import { audit } from '../../platform/index.js';
import type { LoadedField } from './definitions.js';
import { entityType as entityTypeOf } from './entity-types.js';

/*
 * Custom values in the audit trail (docs/configuration.md, "Audit trail"). They are recorded on the
 * record they belong to, whichever call wrote them (the record's own create or update, or
 * config.records.setValues): one `<entityType>.custom-values-change` entry with the old and new values
 * by field key, beside the record's own create or update entry, so the trail reads the same for every
 * entity type and every path. A choice or reference is recorded with its code (or a user's name)
 * beside its id, so the entry reads on its own after options are renamed.
 */

type RecordValues = Record<string, FieldValue>;

interface Reference {
  id: string;
  code: string | null;
}

/** Codes of the records `ids` of an entity type, or users' names, as the caller may see them. */
async function namesOf(tx: Sql, field: LoadedField, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const found =
    field.type === 'user_ref'
      ? await rows<{ id: string; code: string }>(
          tx,
          sql`select id, display_name as code from users where id = any(${sql.param(ids)}::uuid[])`,
        )
      : await rows<{ id: string; code: string }>(
          tx,
          sql`select id, ${sql.identifier(entityTypeOf(field.settings.refEntityType ?? '').codeColumn)}::text as code
                from ${sql.identifier(entityTypeOf(field.settings.refEntityType ?? '').table)}
               where id = any(${sql.param(ids)}::uuid[])`,
        );
  return new Map(found.map((r) => [r.id, r.code]));
}

/** A value as the trail records it: ids of options and records with their codes. */
async function describe(tx: Sql, field: LoadedField, value: FieldValue): Promise<unknown> {
  if (value === null) return null;
  const ids = typeof value === 'string' ? [value] : Array.isArray(value) ? value : [];
  let names: Map<string, string>;
  switch (field.type) {
    case 'single_select':
    case 'multi_select':
      names = new Map((field.options ?? []).map((o) => [o.id, o.code]));
      break;
    case 'user_ref':
    case 'entity_ref':
      names = await namesOf(tx, field, ids);
      break;
    default:
      return value;
  }
  const referenceOf = (id: string): Reference => ({ id, code: names.get(id) ?? null });
  return Array.isArray(value) ? value.map(referenceOf) : referenceOf(String(value));
}

/** The values that differ between the two sides, described; the rest is left to audit(). */
async function describeChanged(
  tx: Sql,
  fields: readonly LoadedField[],
  previous: RecordValues,
  stored: RecordValues,
): Promise<{ before: Record<string, unknown>; after: Record<string, unknown> }> {
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  for (const field of fields) {
    const was = previous[field.key] ?? null;
    const is = stored[field.key] ?? null;
    if (JSON.stringify(was) === JSON.stringify(is)) continue;
    before[field.key] = await describe(tx, field, was);
    after[field.key] = await describe(tx, field, is);
  }
  return { before, after };
}

/**
 * Records a change of a record's custom values. A new record's values are all new (`previous` null);
 * a new record without any leaves no entry, and neither does a change that changed nothing.
 */
export async function auditCustomValues(
  tx: Sql,
  fields: readonly LoadedField[],
  entityType: string,
  record: { id: string; code: string; plantId: string | null },
  previous: RecordValues | null,
  stored: RecordValues,
) {
  if (previous === null && Object.keys(stored).length === 0) return;
  const { before, after } = await describeChanged(tx, fields, previous ?? {}, stored);
  audit(tx, {
    action: `${entityType}.custom-values-change`,
    entityType,
    entityId: record.id,
    entityLabel: record.code,
    plantId: record.plantId,
    before: previous === null ? null : before,
    after,
  });
}

import { createHash } from 'node:crypto';
import type { FieldType, FieldValue } from '@plantline/schema/configuration';
import { CUSTOM_FIELD_PREFIX, type Scalar } from '@plantline/schema/workflow';
import canonicalize from 'canonicalize';
import { sql } from 'drizzle-orm';
import { rows, type Sql } from '../../db/index.js';
import { DomainError, type Scope } from '../../platform/index.js';
import { entityTypes, type LoadedField, loadFields, readValues, setCustomValues } from '../config/index.js';
import type { CatalogueField, FieldCatalogue, FieldKind, RecordFields } from './engine/types.js';
import type { WorkflowEntity } from './entities.js';

/*
 * A record as the workflow engine sees it (docs/workflows.md, "Fields"): its built-in fields from the
 * entity's description and its custom fields from the configuration engine, all under one name space
 * (`disposition`, `custom.batch`). Guards, locks, required fields, set_field actions and signatures all
 * read or write through here. Table and column names come from WorkflowEntity descriptions, which are
 * constants; values are always parameters.
 */

const customKinds: Record<FieldType, FieldKind> = {
  text: 'text',
  long_text: 'text',
  integer: 'number',
  decimal: 'number',
  boolean: 'boolean',
  date: 'date',
  datetime: 'datetime',
  single_select: 'choice',
  multi_select: 'choices',
  user_ref: 'user',
  entity_ref: 'reference',
};

const hasCustomFields = (entityType: string) => entityTypes.some((t) => t.key === entityType);

async function customFieldsOf(tx: Sql, entity: WorkflowEntity): Promise<LoadedField[]> {
  return hasCustomFields(entity.key) ? loadFields(tx, entity.key) : [];
}

/** Every field a definition for `entity` may name, built-in first, then active custom fields. */
export async function fieldCatalogue(tx: Sql, entity: WorkflowEntity): Promise<FieldCatalogue> {
  const catalogue = new Map<string, CatalogueField>();
  for (const field of entity.fields) {
    catalogue.set(field.key, {
      ref: field.key,
      label: field.label,
      kind: field.kind,
      ...(field.choices === undefined ? {} : { choices: field.choices }),
      settable: field.settable,
    });
  }
  for (const field of await customFieldsOf(tx, entity)) {
    if (!field.isActive) continue;
    const options = (field.options ?? []).filter((o) => o.isActive);
    catalogue.set(`${CUSTOM_FIELD_PREFIX}${field.key}`, {
      ref: `${CUSTOM_FIELD_PREFIX}${field.key}`,
      label: field.label,
      kind: customKinds[field.type],
      ...(field.options === undefined
        ? {}
        : {
            choices: options.map((o) => o.code),
            choiceLabels: Object.fromEntries(options.map((o) => [o.code, o.label])),
          }),
      settable: true,
    });
  }
  return catalogue;
}

export interface LoadedRecord {
  entityType: string;
  id: string;
  plantId: string | null;
  code: string;
  title: string | null;
  createdBy: string | null;
  fields: RecordFields;
}

const column = (name: string) => `e.${quoteIdent(name)}`;

/** Identifiers from WorkflowEntity descriptions: constants, but quoted all the same. */
function quoteIdent(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`Unexpected identifier ${name}`);
  return `"${name}"`;
}

/**
 * The record with every field's current value, as the caller may see it (row-level security): a
 * record outside the caller's plants is not found. Custom selects read as their option codes.
 */
export async function loadRecord(tx: Sql, entity: WorkflowEntity, id: string): Promise<LoadedRecord> {
  // Keys pass quoteIdent's pattern, so they are safe as literals too.
  const builtins = entity.fields
    .map((f) => `'${quoteIdent(f.key).slice(1, -1)}', to_jsonb(${column(f.column)})`)
    .join(', ');
  const [found] = await rows<{
    id: string;
    plant_id: string | null;
    code: string;
    title: string | null;
    created_by: string | null;
    fields: Record<string, unknown> | null;
  }>(
    tx,
    sql`select e.id, ${sql.raw(entity.plantColumn === null ? 'null::uuid' : column(entity.plantColumn))} as plant_id,
          ${sql.raw(column(entity.codeColumn))}::text as code,
          ${sql.raw(entity.titleColumn === null ? 'null::text' : `${column(entity.titleColumn)}::text`)} as title,
          ${sql.raw(entity.createdByColumn === null ? 'null::uuid' : column(entity.createdByColumn))} as created_by,
          ${sql.raw(builtins === '' ? "'{}'::jsonb" : `jsonb_build_object(${builtins})`)} as fields
        from ${sql.raw(quoteIdent(entity.table))} e where e.id = ${id}::uuid`,
  );
  if (found === undefined) throw new DomainError('not_found', `No ${entity.label.toLowerCase()} ${id}`);
  const fields: Record<string, Scalar | readonly Scalar[] | undefined> = {};
  for (const field of entity.fields) {
    fields[field.key] = builtinValue(field.kind, found.fields?.[field.key]);
  }
  const custom = await customFieldsOf(tx, entity);
  const values = (await readValues(tx, custom, [found.id])).get(found.id) ?? {};
  for (const field of custom) {
    const value = values[field.key];
    if (value === undefined) continue;
    fields[`${CUSTOM_FIELD_PREFIX}${field.key}`] = customValue(field, value);
  }
  return {
    entityType: entity.key,
    id: found.id,
    plantId: found.plant_id,
    code: found.code,
    title: found.title,
    createdBy: found.created_by,
    fields,
  };
}

/** A built-in column's JSON value in the engine's form: numbers as numbers, instants as ISO strings. */
function builtinValue(kind: FieldKind, value: unknown): Scalar | undefined {
  if (value === null || value === undefined) return undefined;
  if (kind === 'number') return typeof value === 'number' ? value : Number(value);
  if (kind === 'datetime' && typeof value === 'string') return new Date(value).toISOString();
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return JSON.stringify(value);
}

/** Select values are stored as option ids; the engine compares option codes, which people read. */
function customValue(field: LoadedField, value: FieldValue): Scalar | readonly Scalar[] | undefined {
  if (value === null) return undefined;
  if (field.options === undefined) return value;
  const codeOf = (optionId: string) => field.options?.find((o) => o.id === optionId)?.code ?? optionId;
  return Array.isArray(value) ? value.map(codeOf) : codeOf(String(value));
}

const castOf: Record<FieldKind, string> = {
  text: 'text',
  choice: 'text',
  choices: 'text[]',
  number: 'numeric',
  boolean: 'boolean',
  date: 'date',
  datetime: 'timestamptz',
  user: 'uuid',
  reference: 'uuid',
};

/**
 * Writes one field in the acting transaction: a built-in through the domain's own `apply` when it
 * has one, else as a column update that also bumps the record's row version; a custom field through
 * the configuration engine, which validates it. Refuses a field the entity does not let workflows set.
 */
export async function writeField(
  tx: Sql,
  actor: Scope,
  entity: WorkflowEntity,
  recordId: string,
  ref: string,
  value: Scalar | readonly Scalar[],
): Promise<void> {
  if (ref.startsWith(CUSTOM_FIELD_PREFIX)) {
    await setCustomValues(tx, actor, {
      entityType: entity.key,
      entityId: recordId,
      values: { [ref.slice(CUSTOM_FIELD_PREFIX.length)]: value },
      errorPrefix: CUSTOM_FIELD_PREFIX,
      throughDomain: true,
    });
    return;
  }
  const field = entity.fields.find((f) => f.key === ref);
  if (field === undefined || !field.settable)
    throw new DomainError('invalid', `${entity.label} field ${ref} cannot be set by a workflow`);
  if (field.apply !== undefined) {
    await field.apply(tx, actor, recordId, value);
    return;
  }
  const extra = [
    entity.versionColumn
      ? `, ${quoteIdent(entity.versionColumn)} = ${quoteIdent(entity.versionColumn)} + 1`
      : '',
    entity.updatedAtColumn ? `, ${quoteIdent(entity.updatedAtColumn)} = now()` : '',
  ].join('');
  await tx.execute(
    sql`update ${sql.raw(quoteIdent(entity.table))}
           set ${sql.raw(quoteIdent(field.column))} = ${value === null ? null : Array.isArray(value) ? sql.param(value) : value}::${sql.raw(castOf[field.kind])}${sql.raw(extra)}
         where id = ${recordId}::uuid`,
  );
}

/** The record's fields as a signature binds them (21 CFR 11.70), and their SHA-256. */
export function signedContent(record: LoadedRecord): { content: Record<string, unknown>; sha256: string } {
  const fields = Object.fromEntries(
    Object.entries(record.fields).filter(([, value]) => value !== undefined && value !== null),
  );
  const content = { entityType: record.entityType, id: record.id, code: record.code, fields };
  const text = canonicalize(content);
  if (text === undefined) throw new Error('A record cannot be canonicalised');
  return { content, sha256: createHash('sha256').update(text).digest('hex') };
}

import { applicableFields, checkRecordValues, type FieldValue } from '@plantline/schema/configuration';
import { type SQL, sql } from 'drizzle-orm';
import { rows, type Sql } from '../../db/index.js';
import { DomainError, notFound, type Scope } from '../../platform/index.js';
import { auditCustomValues } from './custom-values-audit.js';
import { type LoadedField, loadFields } from './definitions.js';
import { type EntityType, type EntityTypeKey, entityType as entityTypeOf } from './entity-types.js';
import {
  columnOf,
  readExpression,
  type StoredRow,
  sqlTypeOf,
  valueColumns,
  valueFromStored,
} from './storage.js';

/*
 * Reading and writing custom values of records (docs/configuration.md). Writes are validated by the
 * definitions (checkRecordValues, shared with the web form) and by the database for what only it
 * knows: that a referenced user or record exists and is visible. A null value deletes the row, so
 * "is empty" is "has no row" and the table holds only what was filled in.
 */

export type RecordValues = Record<string, FieldValue>;

const selectList = valueColumns.map((c) => `${readExpression(c, 'v')} as ${c}`).join(', ');

/** Values of the given fields for the given records, by record id, then field key. */
export async function readValues(
  tx: Sql,
  fields: readonly LoadedField[],
  entityIds: readonly string[],
): Promise<Map<string, RecordValues>> {
  const result = new Map<string, RecordValues>(entityIds.map((id) => [id, {}]));
  if (fields.length === 0 || entityIds.length === 0) return result;
  const byId = new Map(fields.map((f) => [f.id, f]));
  const found = await rows<StoredRow & { field_id: string; entity_id: string }>(
    tx,
    sql`select v.field_id, v.entity_id, ${sql.raw(selectList)}
          from field_values v
         where v.entity_id = any(${sql.param([...entityIds])}::uuid[])
           and v.field_id = any(${sql.param([...byId.keys()])}::uuid[])`,
  );
  for (const row of found) {
    const field = byId.get(row.field_id);
    const values = result.get(row.entity_id);
    if (field !== undefined && values !== undefined) values[field.key] = valueFromStored(field.type, row);
  }
  return result;
}

/** A record of an entity type as the caller may see it (row-level security), with its plant. */
export async function findRecord(tx: Sql, type: EntityType, id: string) {
  const column = (name: string | null, fallback: string) => sql.raw(name === null ? fallback : `e.${name}`);
  const [found] = await rows<{
    id: string;
    plant_id: string | null;
    code: string;
    name: string | null;
    is_active: boolean;
    closed: boolean;
  }>(
    tx,
    sql`select e.id, ${column(type.plantColumn, 'null::uuid')} as plant_id, ${column(type.codeColumn, 'null')}::text as code,
               ${column(type.nameColumn, 'null')}::text as name, ${column(type.activeColumn, 'true')} as is_active,
               ${sql.raw(type.closed?.expression ?? 'false')} as closed
          from ${sql.identifier(type.table)} e where e.id = ${id}`,
  );
  if (found === undefined) throw notFound(type.label);
  return {
    id: found.id,
    plantId: found.plant_id,
    code: found.code,
    name: found.name,
    isActive: found.is_active,
    /** Why the record's values no longer change, or null. */
    closedReason: found.closed ? (type.closed?.reason ?? null) : null,
  };
}

/** References must point at something the caller can see; each missing one is its field's error. */
async function checkReferences(tx: Sql, fields: readonly LoadedField[], values: RecordValues) {
  const errors: Record<string, string> = {};
  for (const field of fields) {
    const value = values[field.key];
    if (typeof value !== 'string' || (field.type !== 'user_ref' && field.type !== 'entity_ref')) continue;
    const target =
      field.type === 'user_ref'
        ? sql`select 1 from users where id = ${value} and is_active`
        : sql`select 1 from ${sql.identifier(entityTypeOf(field.settings.refEntityType ?? '').table)} where id = ${value}`;
    const found = await rows(tx, target);
    if (found.length === 0) errors[field.key] = field.type === 'user_ref' ? 'No such user' : 'No such record';
  }
  return errors;
}

function upsert(
  actor: Scope,
  field: LoadedField,
  entityId: string,
  plantId: string | null,
  value: FieldValue,
): SQL {
  const column = columnOf[field.type];
  const bound = Array.isArray(value) ? sql.param(value) : sql`${value}`;
  return sql`
    insert into field_values (tenant_id, field_id, entity_id, plant_id, ${sql.raw(column)}, updated_by)
    values (${actor.tenantId}, ${field.id}, ${entityId}, ${plantId},
            ${bound}::${sql.raw(sqlTypeOf[column])}, ${actor.userId ?? null})
    on conflict (tenant_id, field_id, entity_id) do update
      set ${sql.raw(valueColumns.map((c) => `${c} = excluded.${c}`).join(', '))},
          plant_id = excluded.plant_id, updated_at = now(), updated_by = excluded.updated_by`;
}

/** Stores checked values: each key's value replaces the stored one, null deletes it. */
export async function storeValues(
  tx: Sql,
  actor: Scope,
  fields: readonly LoadedField[],
  record: { id: string; plantId: string | null },
  values: RecordValues,
) {
  const byKey = new Map(fields.map((f) => [f.key, f]));
  for (const [key, value] of Object.entries(values)) {
    const field = byKey.get(key);
    if (field === undefined) continue;
    if (value === null)
      await tx.execute(
        sql`delete from field_values where field_id = ${field.id} and entity_id = ${record.id}`,
      );
    else await tx.execute(upsert(actor, field, record.id, record.plantId, value));
  }
}

export interface SetValuesInput {
  entityType: string;
  entityId: string;
  values: Record<string, unknown>;
  /** True when the record is being created: required fields must be given, defaults fill the rest. */
  creating?: boolean | undefined;
  /** Put before each field key in the errors, when the values sit in a larger form (`custom.`). */
  errorPrefix?: string | undefined;
  /**
   * Written in a domain's own create or update, which decides itself whether the record may change
   * (and may close it in the same call: an order completed with its final values).
   */
  throughDomain?: boolean | undefined;
}

/**
 * Validates and stores a record's custom values: every field's error at once (`invalid`, with one
 * message per field key), or all values stored. Domains call this in their create and update.
 */
export async function setCustomValues(tx: Sql, actor: Scope, input: SetValuesInput) {
  const type = entityTypeOf(input.entityType);
  const record = await findRecord(tx, type, input.entityId);
  if (record.closedReason !== null && input.throughDomain !== true)
    throw new DomainError('conflict', record.closedReason);
  // Definitions hold still until the values are stored: a type change waits (fields.ts locks the
  // field for update), so no value lands in the old form after its field's values were converted.
  await rows(tx, sql`select id from custom_fields where entity_type = ${type.key} order by id for share`);
  const fields = await loadFields(tx, type.key);
  const previous = (await readValues(tx, fields, [record.id])).get(record.id) ?? {};
  const checked = checkRecordValues(fields, input.values, {
    creating: input.creating === true,
    plantId: record.plantId,
    previous,
  });
  const errors = { ...checked.errors, ...(await checkReferences(tx, fields, checked.values)) };
  if (Object.keys(errors).length > 0) {
    const count = Object.keys(errors).length;
    const prefix = input.errorPrefix ?? '';
    const named = Object.fromEntries(
      Object.entries(errors).map(([key, message]) => [`${prefix}${key}`, message]),
    );
    throw new DomainError('invalid', `${count} value${count === 1 ? ' is' : 's are'} not valid`, named);
  }
  await storeValues(tx, actor, fields, record, checked.values);
  const applicable = applicableFields(fields, record.plantId).map((f) => f.key);
  const stored = (await readValues(tx, fields, [record.id])).get(record.id) ?? {};
  await auditCustomValues(tx, fields, type.key, record, input.creating === true ? null : previous, stored);
  return { id: record.id, values: stored, applicable };
}

/** What a form needs for one record: the fields that apply to it and its stored values. */
export async function recordValues(tx: Sql, input: { entityType: string; entityId: string }) {
  const type = entityTypeOf(input.entityType);
  const record = await findRecord(tx, type, input.entityId);
  const fields = await loadFields(tx, type.key);
  const values = (await readValues(tx, fields, [record.id])).get(record.id) ?? {};
  // Retired fields and other plants' fields still show what they hold, read-only.
  const applicable = new Set(applicableFields(fields, record.plantId).map((f) => f.id));
  return {
    ...record,
    fields: fields
      .filter((f) => applicable.has(f.id) || values[f.key] !== undefined)
      .map((f) => ({ ...f, readOnly: !applicable.has(f.id) })),
    values,
  };
}

/**
 * A domain's create or update with custom values in the same call and transaction (`custom` in its
 * input): on create, defaults apply and required fields must be there even when `custom` is absent;
 * on update, only the given values change. Errors are named `custom.<key>`.
 */
export async function writeCustomValues(
  tx: Sql,
  actor: Scope,
  record: { entityType: string; id: string; creating: boolean },
  custom: Record<string, unknown> | undefined,
): Promise<RecordValues> {
  if (custom === undefined && !record.creating) return {};
  const result = await setCustomValues(tx, actor, {
    entityType: record.entityType,
    entityId: record.id,
    values: custom ?? {},
    creating: record.creating,
    errorPrefix: 'custom.',
    throughDomain: true,
  });
  return result.values;
}

/** What a create or update with custom values needs of its procedure's context. */
export interface CustomValuesContext {
  tx: Sql;
  principal: Scope;
}

/**
 * The resolver of a create or update whose input carries custom values (`custom: customValuesInput`)
 * beside its built-in fields: `save` writes the record through its domain with the input minus
 * `custom`, then the custom values are written in the same transaction, so a form's save is all or
 * nothing. Resolves to the record with its stored custom values.
 */
export function withCustomValues<
  I extends { custom?: Record<string, unknown> | undefined },
  T extends { id: string },
>(
  record: { entityType: EntityTypeKey; creating: boolean },
  save: (ctx: CustomValuesContext, fields: Omit<I, 'custom'>) => Promise<T>,
) {
  return async ({
    ctx,
    input,
  }: {
    ctx: CustomValuesContext;
    input: I;
  }): Promise<T & { custom: RecordValues }> => {
    const { custom, ...fields } = input;
    const saved = await save(ctx, fields);
    const values = await writeCustomValues(ctx.tx, ctx.principal, { ...record, id: saved.id }, custom);
    return { ...saved, custom: values };
  };
}

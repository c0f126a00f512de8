import { convertFieldValue, type FieldValue } from '@plantline/schema/configuration';
import { sql } from 'drizzle-orm';
import { rows, type Sql } from '../../db/index.js';
import { DomainError } from '../../platform/index.js';
import type { LoadedField } from './definitions.js';
import { entityType as entityTypeOf } from './entity-types.js';
import {
  columnOf,
  readExpression,
  type StoredRow,
  sqlTypeOf,
  valueColumns,
  valueFromStored,
} from './storage.js';

/*
 * Carrying a field's stored values over to a changed definition (docs/configuration.md, "Custom
 * fields"): first every value is checked against the new definition and the misfits reported with
 * their records' codes; only a change without misfits rewrites them, batch by batch.
 */

export interface ChangeConflict {
  entityId: string;
  record: string | null;
  value: FieldValue;
  problem: string;
}

const BATCH = 5000;
const MAX_REPORTED = 50;
const selectStored = valueColumns.map((c) => `${readExpression(c, 'v')} as ${c}`).join(', ');

/** Every stored value of a field, a batch at a time in entity order. */
async function* storedValues(tx: Sql, field: LoadedField) {
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const batch = await rows<StoredRow & { entity_id: string }>(
      tx,
      sql`select v.entity_id, ${sql.raw(selectStored)} from field_values v
           where v.field_id = ${field.id} and v.entity_id > ${after}
           order by v.entity_id limit ${BATCH}`,
    );
    if (batch.length === 0) return;
    yield batch.map((r) => ({ entityId: r.entity_id, value: valueFromStored(field.type, r) }));
    after = batch[batch.length - 1]!.entity_id;
  }
}

async function recordCodes(tx: Sql, entityType: string, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const type = entityTypeOf(entityType);
  const found = await rows<{ id: string; code: string }>(
    tx,
    sql`select id, ${sql.identifier(type.codeColumn)} as code from ${sql.identifier(type.table)}
         where id = any(${sql.param(ids)}::uuid[])`,
  );
  return new Map(found.map((r) => [r.id, r.code]));
}

/**
 * Checks every stored value against `next`. `refusal`, when given, refuses every value with that
 * problem (a reference retargeted to another record type keeps none).
 */
export async function checkStoredValues(
  tx: Sql,
  current: LoadedField,
  next: LoadedField,
  refusal: string | null,
): Promise<{ checked: number; conflictCount: number; conflicts: ChangeConflict[] }> {
  const found = { checked: 0, conflictCount: 0, conflicts: [] as ChangeConflict[] };
  for await (const batch of storedValues(tx, current))
    for (const { entityId, value } of batch) {
      found.checked += 1;
      const converted =
        refusal === null ? convertFieldValue(current, next, value) : { ok: false as const, error: refusal };
      if (converted.ok) continue;
      found.conflictCount += 1;
      if (found.conflicts.length < MAX_REPORTED)
        found.conflicts.push({ entityId, record: null, value, problem: converted.error });
    }
  const codes = await recordCodes(
    tx,
    current.entityType,
    found.conflicts.map((c) => c.entityId),
  );
  for (const conflict of found.conflicts) conflict.record = codes.get(conflict.entityId) ?? null;
  return found;
}

/** The text form of a value that PostgreSQL casts to the column's type. */
function asSqlText(value: FieldValue): string | null {
  if (value === null) return null;
  if (Array.isArray(value)) return `{${value.join(',')}}`;
  return String(value);
}

/** Moves every stored value to the new definition's form (after a plan without conflicts). */
export async function rewriteValues(tx: Sql, current: LoadedField, next: LoadedField) {
  const column = columnOf[next.type];
  const clear = valueColumns.filter((c) => c !== column).map((c) => `${c} = null`);
  for await (const batch of storedValues(tx, current)) {
    const ids: string[] = [];
    const texts: (string | null)[] = [];
    for (const { entityId, value } of batch) {
      const converted = convertFieldValue(current, next, value);
      if (!converted.ok) throw new DomainError('conflict', 'A value changed while converting; try again');
      ids.push(entityId);
      texts.push(asSqlText(converted.value));
    }
    await tx.execute(sql`
      update field_values v
         set ${sql.raw(column)} = x.value::${sql.raw(sqlTypeOf[column])}, ${sql.raw(clear.join(', '))},
             updated_at = now()
        from unnest(${sql.param(ids)}::uuid[], ${sql.param(texts)}::text[]) as x(entity_id, value)
       where v.field_id = ${current.id} and v.entity_id = x.entity_id`);
  }
}

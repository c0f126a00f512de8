import { checkFieldValue, type FieldValue } from '@plantline/schema/configuration';
import { type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import { rows, type Sql } from '../../db/index.js';
import { DomainError } from '../../platform/index.js';
import { type LoadedField, loadFields } from './definitions.js';
import { type EntityType, entityType as entityTypeOf } from './entity-types.js';
import { readValues } from './field-values.js';
import { columnOf, sqlTypeOf, type ValueColumn } from './storage.js';

/*
 * List views of records with custom field columns, filters and sorting (docs/configuration.md,
 * "Lists"). Every filter is a semi-join on field_values answered by the (tenant, field, value,
 * entity) indexes; a sort by a field walks that index in order and stops at the page, so the first
 * page costs the same at a million records as at a thousand (bench: `pnpm bench config`). Paging is
 * by keyset (a cursor), not offset. Records without a value of the sort field come after those with
 * one, in id order.
 */

export const filterOps = ['eq', 'in', 'between', 'contains', 'empty', 'notEmpty'] as const;
export type FilterOp = (typeof filterOps)[number];

export interface RecordFilter {
  field: string;
  op: FilterOp;
  value?: unknown;
  values?: unknown[] | undefined;
  min?: unknown;
  max?: unknown;
}

export interface ListRecordsInput {
  entityType: string;
  plantId?: string | undefined;
  search?: string | undefined;
  includeInactive?: boolean | undefined;
  filters?: RecordFilter[] | undefined;
  sort?: { by: string; dir: 'asc' | 'desc' } | undefined;
  /** Field keys whose values to return; all active fields when absent. */
  columns?: string[] | undefined;
  limit: number;
  cursor?: string | undefined;
  withTotal?: boolean | undefined;
}

/** Counting stops here ("1000+"): an exact count of a large match costs as much as reading it. */
export const TOTAL_CAP = 1000;
const SORTABLE: readonly ValueColumn[] = [
  'text_value',
  'number_value',
  'bool_value',
  'date_value',
  'time_value',
];

const opsByColumn: Record<ValueColumn, readonly FilterOp[]> = {
  text_value: ['eq', 'in', 'contains', 'empty', 'notEmpty'],
  long_value: ['contains', 'empty', 'notEmpty'],
  number_value: ['eq', 'between', 'empty', 'notEmpty'],
  bool_value: ['eq', 'empty', 'notEmpty'],
  date_value: ['eq', 'between', 'empty', 'notEmpty'],
  time_value: ['between', 'empty', 'notEmpty'],
  ref_id: ['eq', 'in', 'empty', 'notEmpty'],
  ref_ids: ['in', 'empty', 'notEmpty'],
};

const filterError = (index: number, message: string) =>
  new DomainError('invalid', message, { [`filters.${index}`]: message });

/** A filter operand in the stored form: validated as a value, without the field's bounds. */
function operand(field: LoadedField, raw: unknown, index: number): FieldValue {
  const loose: LoadedField = {
    ...field,
    required: true,
    settings: { ...field.settings, min: null, max: null, pattern: null },
    // Retired options can be filtered for: old records still hold them.
    ...(field.options ? { options: field.options.map((o) => ({ ...o, isActive: true })) } : {}),
  };
  const probe = field.type === 'multi_select' ? { ...loose, type: 'single_select' as const } : loose;
  const checked = checkFieldValue(probe, raw);
  if (!checked.ok) throw filterError(index, `${field.label}: ${checked.error}`);
  return checked.value;
}

const typed = (column: ValueColumn, value: FieldValue) =>
  sql`${Array.isArray(value) ? sql.param(value) : value}::${sql.raw(sqlTypeOf[column])}`;

/**
 * The condition a filter puts on the value column of `alias` (a field_values row of the field), or
 * 'row' for the filters that only ask whether a value exists (empty, not empty).
 */
function valueCondition(field: LoadedField, filter: RecordFilter, index: number, alias: string): SQL | 'row' {
  const column = columnOf[field.type];
  if (!opsByColumn[column].includes(filter.op))
    throw filterError(index, `${field.label} cannot be filtered with ${filter.op}`);
  const c = sql.raw(`${alias}.${column}`);
  switch (filter.op) {
    case 'empty':
    case 'notEmpty':
      return 'row';
    case 'eq':
      return sql`${c} = ${typed(column, operand(field, filter.value, index))}`;
    case 'contains': {
      const text = String(filter.value ?? '').replace(/[\\%_]/g, (m) => `\\${m}`);
      if (text === '') throw filterError(index, `${field.label}: enter some text to look for`);
      return sql`${c} ilike ${`%${text}%`}`;
    }
    case 'in': {
      const values = (filter.values ?? []).map((v) => operand(field, v, index) as string);
      if (values.length === 0 || values.length > 100)
        throw filterError(index, `${field.label}: choose 1 to 100 values`);
      const list = sql`${sql.param(values)}::${sql.raw(column === 'ref_ids' ? 'uuid' : sqlTypeOf[column])}[]`;
      return column === 'ref_ids' ? sql`${c} && ${list}` : sql`${c} = any(${list})`;
    }
    case 'between': {
      const min = filter.min === undefined || filter.min === null ? null : operand(field, filter.min, index);
      const max = filter.max === undefined || filter.max === null ? null : operand(field, filter.max, index);
      if (min === null && max === null)
        throw filterError(index, `${field.label}: give a lower or upper bound`);
      const bounds = [
        ...(min === null ? [] : [sql`${c} >= ${typed(column, min)}`]),
        ...(max === null ? [] : [sql`${c} <= ${typed(column, max)}`]),
      ];
      return sql.join(bounds, sql` and `);
    }
  }
}

/** A filter as a semi-join on the field's value row (its primary key finds it). */
function filterCondition(field: LoadedField, filter: RecordFilter, index: number, tenantId: string): SQL {
  const condition = valueCondition(field, filter, index, 'v');
  const exists = sql`exists (select 1 from field_values v where v.tenant_id = ${tenantId} and v.field_id = ${field.id}
                 and v.entity_id = e.id${condition === 'row' ? sql`` : sql` and ${condition}`})`;
  return filter.op === 'empty' ? sql`not ${exists}` : exists;
}

/** Below every id: where the records without a value start. */
const NO_ID = '00000000-0000-0000-0000-000000000000';

/** A page's end as records.list hands it out; anything else is refused before it reaches SQL. */
const cursorSchema = z.strictObject({
  phase: z.enum(['values', 'nulls']),
  value: z.union([z.string().regex(/^[^\0]*$/), z.number().finite(), z.boolean(), z.null()]),
  id: z.uuid(),
});
type Cursor = z.infer<typeof cursorSchema>;

const encodeCursor = (cursor: Cursor) => Buffer.from(JSON.stringify(cursor)).toString('base64url');

function decodeCursor(raw: string | undefined): Cursor | null {
  if (raw === undefined) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {}
  const cursor = cursorSchema.safeParse(parsed);
  if (cursor.success) return cursor.data;
  throw new DomainError('invalid', 'Invalid cursor', { cursor: 'Not a cursor from this list' });
}

interface RecordRow {
  id: string;
  code: string;
  name: string | null;
  plant_id: string | null;
  context: string | null;
  is_active: boolean;
  sort_value: string | number | boolean | null;
}

function baseSelect(type: EntityType, extra: SQL) {
  const col = (name: string | null, fallback: string) => sql.raw(name === null ? fallback : `e.${name}`);
  return sql`select e.id, ${col(type.codeColumn, 'null')}::text as code, ${col(type.nameColumn, 'null')}::text as name,
                    ${col(type.plantColumn, 'null::uuid')} as plant_id, ${col(type.activeColumn, 'true')} as is_active,
                    ${sql.raw(type.context?.expression ?? 'null')}::text as context${extra}`;
}

/** One page of records with the chosen custom columns, filtered and sorted. */
export async function listRecords(tx: Sql, tenantId: string, input: ListRecordsInput) {
  const type = entityTypeOf(input.entityType);
  const fields = await loadFields(tx, type.key);
  const byKey = new Map(fields.map((f) => [f.key, f]));
  const fieldOf = (key: string, index: number) => {
    const field = byKey.get(key);
    if (field === undefined) throw filterError(index, `No field ${key} on ${type.plural.toLowerCase()}`);
    return field;
  };
  const conditions: SQL[] = [];
  if (input.plantId !== undefined && type.plantColumn !== null)
    conditions.push(sql`${sql.raw(`e.${type.plantColumn}`)} = ${input.plantId}`);
  if (input.includeInactive !== true && type.activeColumn !== null)
    conditions.push(sql.raw(`e.${type.activeColumn}`));
  if (input.search) {
    const text = input.search.replace(/[\\%_]/g, (m) => `\\${m}`);
    const name =
      type.nameColumn === null ? sql`false` : sql`${sql.raw(`e.${type.nameColumn}`)} ilike ${`%${text}%`}`;
    conditions.push(sql`(${sql.raw(`e.${type.codeColumn}`)} ilike ${`${text}%`} or ${name})`);
  }
  const filters = (input.filters ?? []).map((filter, i) => ({ filter, i, field: fieldOf(filter.field, i) }));
  // Filters on the sort field go on the sorted value row itself (`onSorted`), so the ordered index
  // scan starts and stops at the range instead of probing every value of the field.
  const where = (more: SQL[], onSorted?: string) => {
    const semiJoins = filters
      .filter((f) => f.field.id !== onSorted)
      .map((f) => filterCondition(f.field, f.filter, f.i, tenantId));
    const all = [...conditions, ...semiJoins, ...more];
    return all.length === 0 ? sql`` : sql` where ${sql.join(all, sql` and `)}`;
  };
  const dir = input.sort?.dir === 'desc' ? 'desc' : 'asc';
  const cmp = sql.raw(dir === 'desc' ? '<' : '>');
  const cursor = decodeCursor(input.cursor);
  const take = input.limit + 1;
  const table = sql.identifier(type.table);
  const sortBy = input.sort?.by ?? 'code';
  let found: RecordRow[];
  let nextCursor: string | null = null;

  if (sortBy === 'code' || sortBy === 'name') {
    // Names may be empty (an order's note): as '' they sort first and the cursor can compare them.
    const column =
      sortBy === 'name' && type.nameColumn !== null
        ? sql.raw(`coalesce(e.${type.nameColumn}::text, '')`)
        : sql.raw(`e.${type.codeColumn}::text`);
    const after =
      cursor === null ? [] : [sql`(${column}, e.id) ${cmp} (${cursor.value}::text, ${cursor.id}::uuid)`];
    found = await rows<RecordRow>(
      tx,
      sql`${baseSelect(type, sql`, ${column} as sort_value`)} from ${table} e${where(after)}
           order by ${column} ${sql.raw(dir)}, e.id ${sql.raw(dir)} limit ${take}`,
    );
    if (found.length > input.limit) {
      found = found.slice(0, input.limit);
      const last = found[found.length - 1]!;
      nextCursor = encodeCursor({ phase: 'values', value: last.sort_value, id: last.id });
    }
  } else {
    const field = fieldOf(sortBy, -1);
    const column = columnOf[field.type];
    if (!SORTABLE.includes(column))
      throw new DomainError('invalid', `${field.label} cannot be sorted`, { sort: 'Not sortable' });
    const c = sql.raw(`s.${column}`);
    const onlyEmpty = (input.filters ?? []).some((f) => f.field === sortBy && f.op === 'empty');
    const noEmpty = (input.filters ?? []).some((f) => f.field === sortBy && f.op !== 'empty');
    found = [];
    if (!onlyEmpty && (cursor === null || cursor.phase === 'values')) {
      const after =
        cursor === null
          ? []
          : [sql`(${c}, s.entity_id) ${cmp} (${typed(column, cursor.value)}, ${cursor.id}::uuid)`];
      const onSorted = filters
        .filter((f) => f.field.id === field.id)
        .flatMap((f) => {
          const condition = valueCondition(f.field, f.filter, f.i, 's');
          return condition === 'row' ? [] : [condition];
        });
      const sorted = [sql`s.tenant_id = ${tenantId}`, sql`s.field_id = ${field.id}`, sql`${c} is not null`];
      found = await rows<RecordRow>(
        tx,
        sql`${baseSelect(type, sql`, ${readSort(column)} as sort_value`)}
              from field_values s join ${table} e on e.id = s.entity_id
              ${where([...sorted, ...onSorted, ...after], field.id)}
             order by ${c} ${sql.raw(dir)}, s.entity_id ${sql.raw(dir)} limit ${take}`,
      );
    }
    if (found.length > input.limit) {
      found = found.slice(0, input.limit);
      const last = found[found.length - 1]!;
      nextCursor = encodeCursor({ phase: 'values', value: last.sort_value, id: last.id });
    } else if (!noEmpty) {
      const withValues = found.length;
      const after = cursor?.phase === 'nulls' ? [sql`e.id > ${cursor.id}::uuid`] : [];
      const empty = sql`not exists (select 1 from field_values s where s.tenant_id = ${tenantId}
                          and s.field_id = ${field.id} and s.entity_id = e.id)`;
      const rest = await rows<RecordRow>(
        tx,
        sql`${baseSelect(type, sql`, null as sort_value`)} from ${table} e${where([empty, ...after])}
             order by e.id limit ${take - found.length}`,
      );
      found = [...found, ...rest];
      if (found.length > input.limit) {
        found = found.slice(0, input.limit);
        // A page that ends with a valued record continues at the first record without a value.
        const last = input.limit > withValues ? found[found.length - 1]!.id : NO_ID;
        nextCursor = encodeCursor({ phase: 'nulls', value: null, id: last });
      }
    }
  }

  const shown =
    input.columns === undefined
      ? fields.filter((f) => f.isActive)
      : input.columns.map((k, i) => fieldOf(k, i));
  const values = await readValues(
    tx,
    shown,
    found.map((r) => r.id),
  );
  let total: number | null = null;
  if (input.withTotal === true) {
    const [counted] = await rows<{ n: number }>(
      tx,
      sql`select count(*)::int as n from (select 1 from ${table} e${where([])} limit ${TOTAL_CAP + 1}) x`,
    );
    total = counted?.n ?? 0;
  }
  const totalCapped = total !== null && total > TOTAL_CAP;
  return {
    entityType: type.key,
    columns: shown.map((f) => f.key),
    rows: found.map((r) => ({
      id: r.id,
      code: r.code,
      name: r.name,
      plantId: r.plant_id,
      context: r.context,
      isActive: r.is_active,
      values: values.get(r.id) ?? {},
    })),
    nextCursor,
    // Capped: "at least TOTAL_CAP".
    total: totalCapped ? TOTAL_CAP : total,
    totalCapped,
  };
}

/** The sort column read back in a form the cursor can carry and cast again. */
function readSort(column: ValueColumn) {
  if (column === 'number_value') return sql.raw('s.number_value::text');
  if (column === 'time_value')
    return sql.raw(`to_char(s.time_value at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`);
  return sql.raw(`s.${column}::text`);
}

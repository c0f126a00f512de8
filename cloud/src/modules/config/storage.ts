import type { FieldType, FieldValue } from '@plantline/schema/configuration';

/*
 * Which column of field_values holds a value of each type (schema/src/tables/configuration.ts), and
 * the conversion between a stored row and the API's value form. Pure.
 */

export type ValueColumn =
  | 'text_value'
  | 'long_value'
  | 'number_value'
  | 'bool_value'
  | 'date_value'
  | 'time_value'
  | 'ref_id'
  | 'ref_ids';

export const valueColumns: readonly ValueColumn[] = [
  'text_value',
  'long_value',
  'number_value',
  'bool_value',
  'date_value',
  'time_value',
  'ref_id',
  'ref_ids',
];

export const columnOf: Record<FieldType, ValueColumn> = {
  text: 'text_value',
  long_text: 'long_value',
  integer: 'number_value',
  decimal: 'number_value',
  boolean: 'bool_value',
  date: 'date_value',
  datetime: 'time_value',
  single_select: 'ref_id',
  multi_select: 'ref_ids',
  user_ref: 'ref_id',
  entity_ref: 'ref_id',
};

/** The SQL type of each column, for casts of bound parameters. */
export const sqlTypeOf: Record<ValueColumn, string> = {
  text_value: 'text',
  long_value: 'text',
  number_value: 'float8',
  bool_value: 'boolean',
  date_value: 'date',
  time_value: 'timestamptz',
  ref_id: 'uuid',
  ref_ids: 'uuid[]',
};

/**
 * A stored row as read back: every value column selected as text (numbers as float8 text, dates as
 * 'YYYY-MM-DD', instants as ISO 8601 in UTC, arrays as JSON), so both database drivers return the
 * same thing whatever their type parsers do.
 */
export type StoredRow = Partial<Record<ValueColumn, string | null>>;

export function valueFromStored(type: FieldType, row: StoredRow): FieldValue {
  const raw = row[columnOf[type]];
  if (raw === null || raw === undefined) return null;
  switch (columnOf[type]) {
    case 'number_value':
      return Number(raw);
    case 'bool_value':
      return raw === 'true';
    case 'ref_ids':
      return JSON.parse(raw) as string[];
    default:
      return raw;
  }
}

/** The SQL expression that reads a column as StoredRow expects it. */
export function readExpression(column: ValueColumn, alias: string): string {
  const c = `${alias}.${column}`;
  switch (column) {
    case 'number_value':
      return `${c}::float8::text`;
    case 'time_value':
      return `to_char(${c} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
    case 'ref_ids':
      return `to_json(${c})::text`;
    default:
      return `${c}::text`;
  }
}

import {
  checkFieldValue,
  type FieldDefinition,
  type FieldValue,
  isNumberType,
} from '@plantline/schema/configuration';

/*
 * Custom field values between the API and form controls. Controls hold what the user
 * typed — numbers as text, date-times as the browser's local wall time — and the API takes typed
 * values (schema/src/configuration/values.ts). Checking goes through checkFieldValue, the function
 * the cloud runs, so the form refuses a value with the server's own words.
 */

/** What a control holds: text for most types, a flag for yes/no, ids for a multi select. */
export type FormValue = string | boolean | string[];
export type FormValues = Record<string, FormValue>;

/** A field as a record's form gets it: read-only when retired or scoped to another plant. */
export type FormField = FieldDefinition & { readOnly?: boolean };

const pad = (n: number, width = 2) => String(Math.abs(n)).padStart(width, '0');

/** An instant as a `datetime-local` value in the browser's time zone: '2026-11-25T07:30'. */
export function isoToLocalInput(iso: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return '';
  return `${pad(at.getFullYear(), 4)}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T${pad(at.getHours())}:${pad(at.getMinutes())}`;
}

/**
 * A `datetime-local` value as an instant with the browser's offset at that time, e.g.
 * '2026-11-25T07:30:00+01:00': the API refuses a wall time without one (values.ts ISO_INSTANT).
 * Text that is not a wall time is returned as typed, for the check to refuse.
 */
export function localInputToIso(local: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(local.trim());
  if (m === null) return local.trim();
  const [year, month, day, hour, minute, second] = m.slice(1).map((p) => Number(p ?? 0)) as number[];
  const at = new Date(year!, month! - 1, day!, hour!, minute!, second!);
  const offset = -at.getTimezoneOffset();
  const sign = offset < 0 ? '-' : '+';
  const wall = `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6] ?? '00'}`;
  return `${wall}${sign}${pad(Math.trunc(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
}

/** The control's value for a stored value (null: empty). */
export function toFormValue(field: FieldDefinition, value: FieldValue | undefined): FormValue {
  if (field.type === 'boolean') return value === true;
  if (field.type === 'multi_select') return Array.isArray(value) ? [...value] : [];
  if (value === null || value === undefined) return '';
  if (field.type === 'datetime') return isoToLocalInput(String(value));
  return Array.isArray(value) ? value.join(', ') : String(value);
}

const DECIMAL_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** The value to send for a control's value; empty controls send null (the API clears the value). */
export function toApiValue(field: FieldDefinition, value: FormValue): unknown {
  if (field.type === 'boolean') return value === true;
  if (field.type === 'multi_select') return Array.isArray(value) ? value : [];
  const text = typeof value === 'string' ? value : '';
  if (text.trim() === '') return null;
  if (isNumberType(field.type)) {
    const trimmed = text.trim();
    // Anything else is sent as typed, so the check (here and on the server) says what is wrong.
    return DECIMAL_TEXT.test(trimmed) ? Number(trimmed) : trimmed;
  }
  if (field.type === 'datetime') return localInputToIso(text);
  return text;
}

/** Empty form values for the fields: defaults where a field has one. */
export function initialFormValues(
  fields: readonly FieldDefinition[],
  stored: Record<string, FieldValue> = {},
  useDefaults = false,
): FormValues {
  return Object.fromEntries(
    fields.map((f) => {
      const value = Object.hasOwn(stored, f.key)
        ? stored[f.key]
        : useDefaults
          ? (f.defaultValue as FieldValue)
          : null;
      return [f.key, toFormValue(f, value)];
    }),
  );
}

/** One message per editable field at fault, by key: the cloud's check, on the values as typed. */
export function checkFormValues(
  fields: readonly FormField[],
  values: FormValues,
  stored: Record<string, FieldValue> = {},
): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const field of fields) {
    if (field.readOnly || !field.isActive) continue;
    const value = values[field.key] ?? toFormValue(field, null);
    const check = checkFieldValue(field, toApiValue(field, value), stored[field.key]);
    if (!check.ok) errors[field.key] = check.error;
  }
  return errors;
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/**
 * The values to send to records.setValues: only editable fields whose control changed from the stored
 * value, so saving a form never rewrites (or clears) what the user did not touch.
 */
export function changedValues(
  fields: readonly FormField[],
  values: FormValues,
  stored: Record<string, FieldValue>,
): Record<string, unknown> {
  const changed: Record<string, unknown> = {};
  for (const field of fields) {
    if (field.readOnly || !field.isActive) continue;
    const before = toFormValue(field, stored[field.key] ?? null);
    const now = values[field.key] ?? before;
    if (!sameValue(before, now)) changed[field.key] = toApiValue(field, now);
  }
  return changed;
}

/** A stored value as words for a table cell: option labels, yes/no, local date-times. */
export function displayValue(field: FieldDefinition, value: FieldValue | undefined): string {
  if (value === null || value === undefined) return '';
  const label = (id: string) => field.options?.find((o) => o.id === id)?.label ?? id;
  switch (field.type) {
    case 'boolean':
      return value ? 'Yes' : 'No';
    case 'single_select':
      return label(String(value));
    case 'multi_select':
      return (Array.isArray(value) ? value : [String(value)]).map(label).join(', ');
    case 'datetime':
      return isoToLocalInput(String(value)).replace('T', ' ');
    case 'integer':
    case 'decimal':
      return field.settings.unit ? `${value} ${field.settings.unit}` : String(value);
    default:
      return String(value);
  }
}

/** Fields in form order, grouped by their group name; ungrouped fields first. */
export function groupFields<T extends FieldDefinition>(
  fields: readonly T[],
): { group: string | null; fields: T[] }[] {
  const groups: { group: string | null; fields: T[] }[] = [];
  const ordered = [...fields].sort((a, b) => a.sortOrder - b.sortOrder);
  for (const field of ordered) {
    const name = field.groupName?.trim() || null;
    let group = groups.find((g) => g.group === name);
    if (group === undefined) {
      group = { group: name, fields: [] };
      if (name === null) groups.unshift(group);
      else groups.push(group);
    }
    group.fields.push(field);
  }
  return groups;
}

/**
 * Fields as the API returns them: JSON leaves an `unknown` default optional in the inferred type, so
 * it is filled in as the definition type (and the shared check) expects it.
 */
export function asDefinitions<T extends Omit<FieldDefinition, 'defaultValue'> & { defaultValue?: unknown }>(
  fields: readonly T[],
): (T & { defaultValue: unknown })[] {
  return fields.map((f) => ({ ...f, defaultValue: f.defaultValue ?? null }));
}

/** Where a domain's create form keeps its custom values: `custom.<key>`, as the cloud names errors. */
export const CUSTOM_PREFIX = 'custom.';

/**
 * The `custom` input of a domain's create: every applicable field as the form shows it, so a default
 * the user cleared is sent as null (cleared) rather than omitted (which would apply the default again).
 */
export function newRecordCustomValues(
  fields: readonly FormField[],
  values: FormValues,
): Record<string, unknown> {
  const custom: Record<string, unknown> = {};
  for (const field of fields) {
    if (field.readOnly || !field.isActive) continue;
    custom[field.key] = toApiValue(field, values[field.key] ?? toFormValue(field, null));
  }
  return custom;
}

/** Field messages by key, renamed as a larger form names them (`custom.<key>`). */
export function prefixedErrors(
  errors: Record<string, string>,
  prefix = CUSTOM_PREFIX,
): Record<string, string> {
  return Object.fromEntries(Object.entries(errors).map(([key, message]) => [`${prefix}${key}`, message]));
}

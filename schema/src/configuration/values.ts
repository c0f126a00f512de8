import { compileFieldPattern } from './field-pattern.js';
import type { FieldDefinition, FieldOption } from './types.js';
import { LONG_TEXT_MAX_LENGTH, TEXT_MAX_LENGTH } from './types.js';

/*
 * Validation of custom field values, generated from the definitions (docs/configuration.md): one
 * function the API and the web form both call, so a value is refused with the same words in both
 * places.
 *
 * Values at the API, by type: text and long text a string; integer and decimal a number; boolean a
 * boolean; date 'YYYY-MM-DD'; date-time an ISO 8601 instant with offset (returned in UTC, 'Z');
 * single select an option id (an option's code is accepted and turned into its id); multi select an
 * array of them; user and entity references an id. Null (or '' / [] ) clears a value.
 */

export type FieldValue = string | number | boolean | string[] | null;

export type ValueCheck = { ok: true; value: FieldValue } | { ok: false; error: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
// An instant must say its offset: a wall time without one means different instants in different plants.
const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
// Number() would also read '0x10', '0b11' and 'Infinity'; a number typed or imported is decimal.
const DECIMAL_NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
const YEAR_RANGE = 'The year must be between 1900 and 9999';

const fail = (error: string): ValueCheck => ({ ok: false, error });
const pass = (value: FieldValue): ValueCheck => ({ ok: true, value });

export function isEmptyValue(value: unknown): boolean {
  return (
    value === null ||
    value === undefined ||
    (typeof value === 'string' && value.trim() === '') ||
    (Array.isArray(value) && value.length === 0)
  );
}

/** Words for a number in messages: 1000 → "1000", 2.5 → "2.5" (no locale, same on both sides). */
const num = (n: number) => String(n);

/** Whether a year, month and day name a day of the calendar (Date.UTC would roll 02-30 into March). */
function isCalendarDate(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  // Date.UTC reads years 0–99 as 1900–1999; setting the year again keeps them as written.
  date.setUTCFullYear(year);
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/**
 * Rounds half away from zero at the decimal digits as written: toFixed rounds the binary value,
 * so 1.005 (stored as 1.00499…) would become 1.00 rather than the 1.01 the user expects.
 */
function roundTo(n: number, decimals: number): number {
  const text = String(Math.abs(n));
  const shifted = text.includes('e') ? Number.NaN : Math.round(Number(`${text}e${decimals}`));
  // Values String() writes with an exponent (below 1e-6, from 1e21), or too large to shift exactly,
  // hold no typed decimal digits to honour: toFixed is right for them. + 0 turns -0 into 0.
  if (!Number.isSafeInteger(shifted)) return Number(n.toFixed(decimals)) + 0;
  return Math.sign(n) * Number(`${shifted}e-${decimals}`) + 0;
}

/** Definitions are checked when read, so a pattern that cannot be used is a defect: no value matches it. */
function matchesPattern(pattern: string, text: string): boolean {
  const compiled = compileFieldPattern(pattern);
  return compiled.ok && compiled.matches(text);
}

function checkText(def: FieldDefinition, value: unknown, longText: boolean): ValueCheck {
  if (typeof value !== 'string') return fail('Enter text');
  const text = longText ? value : value.trim();
  const limit = longText ? LONG_TEXT_MAX_LENGTH : TEXT_MAX_LENGTH;
  const { min, max, pattern } = def.settings;
  if (text.length > limit) return fail(`At most ${limit} characters`);
  if (min != null && text.length < min) return fail(`At least ${num(min)} characters`);
  if (max != null && text.length > max) return fail(`At most ${num(max)} characters`);
  if (pattern != null && !matchesPattern(pattern, text))
    return fail(
      def.helpText
        ? `Does not match the expected format: ${def.helpText}`
        : 'Does not match the expected format',
    );
  return pass(text);
}

function checkNumber(def: FieldDefinition, value: unknown): ValueCheck {
  const given = typeof value === 'string' && DECIMAL_NUMBER.test(value.trim()) ? Number(value.trim()) : value;
  if (typeof given !== 'number' || !Number.isFinite(given)) return fail('Enter a number');
  if (def.type === 'integer' && !Number.isInteger(given)) return fail('Enter a whole number');
  if (def.type === 'integer' && !Number.isSafeInteger(given)) return fail('The number is too large');
  const { min, max, unit, decimals } = def.settings;
  // Bounds apply to what is stored: checked before rounding, 10.46 would pass a maximum of 10.46
  // and then be stored as 10.5.
  const n = def.type === 'decimal' && decimals != null ? roundTo(given, decimals) : given;
  const unitText = unit ? ` ${unit}` : '';
  if (min != null && n < min) return fail(`At least ${num(min)}${unitText}`);
  if (max != null && n > max) return fail(`At most ${num(max)}${unitText}`);
  return pass(n);
}

function checkDate(value: unknown): ValueCheck {
  if (typeof value !== 'string') return fail('Enter a date like 2026-11-25');
  const m = ISO_DATE.exec(value.trim());
  if (m === null) return fail('Enter a date like 2026-11-25');
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  // The same years as a date-time takes, so a field's type can change between the two.
  if (year < 1900) return fail(YEAR_RANGE);
  if (!isCalendarDate(year, month, day)) return fail('No such date');
  return pass(value.trim());
}

function checkInstant(value: unknown): ValueCheck {
  const m = typeof value === 'string' ? ISO_INSTANT.exec(value.trim()) : null;
  if (typeof value !== 'string' || m === null)
    return fail('Enter a date and time with its offset, like 2026-11-25T06:00:00+01:00');
  const ms = Date.parse(value.trim());
  // V8's Date.parse rolls 2026-02-30 into March; the day as written must exist.
  if (Number.isNaN(ms) || !isCalendarDate(Number(m[1]), Number(m[2]), Number(m[3])))
    return fail('No such date and time');
  const year = new Date(ms).getUTCFullYear();
  if (year < 1900 || year > 9999) return fail(YEAR_RANGE);
  return pass(new Date(ms).toISOString());
}

function findOption(options: FieldOption[], value: unknown): FieldOption | undefined {
  if (typeof value !== 'string') return undefined;
  return options.find((o) => o.id === value) ?? options.find((o) => o.code === value);
}

/** Options that may be chosen: active ones, and a retired one the value already holds. */
function checkOption(
  options: FieldOption[],
  value: unknown,
  previous: readonly string[],
): string | FieldOption {
  const option = findOption(options, value);
  if (option === undefined) return `${JSON.stringify(value)} is not one of the choices`;
  if (!option.isActive && !previous.includes(option.id)) return `${option.label} is no longer available`;
  return option;
}

function checkSelect(def: FieldDefinition, value: unknown, previous: FieldValue | undefined): ValueCheck {
  const options = def.options ?? [];
  const kept = previous == null ? [] : Array.isArray(previous) ? previous : [String(previous)];
  if (def.type === 'single_select') {
    const option = checkOption(options, value, kept);
    return typeof option === 'string' ? fail(option) : pass(option.id);
  }
  if (!Array.isArray(value)) return fail('Choose from the list');
  const ids: string[] = [];
  for (const item of value) {
    const option = checkOption(options, item, kept);
    if (typeof option === 'string') return fail(option);
    if (!ids.includes(option.id)) ids.push(option.id);
  }
  const { min, max } = def.settings;
  if (min != null && ids.length < min) return fail(`Choose at least ${num(min)}`);
  if (max != null && ids.length > max) return fail(`Choose at most ${num(max)}`);
  // The type list's order, so equal choices store equally however they were sent.
  const order = new Map(options.map((o, i) => [o.id, i]));
  return pass(ids.sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0)));
}

/**
 * Checks one value against its field. `previous` is the value stored now: a retired type list option
 * it holds may be kept. Whether a referenced user or record exists is the caller's check (it needs
 * the database); here a reference only has to be an id.
 */
export function checkFieldValue(def: FieldDefinition, value: unknown, previous?: FieldValue): ValueCheck {
  if (isEmptyValue(value)) return def.required ? fail('Required') : pass(null);
  switch (def.type) {
    case 'text':
      return checkText(def, value, false);
    case 'long_text':
      return checkText(def, value, true);
    case 'integer':
    case 'decimal':
      return checkNumber(def, value);
    case 'boolean':
      return typeof value === 'boolean' ? pass(value) : fail('Choose yes or no');
    case 'date':
      return checkDate(value);
    case 'datetime':
      return checkInstant(value);
    case 'single_select':
    case 'multi_select':
      return checkSelect(def, value, previous);
    case 'user_ref':
    case 'entity_ref':
      return typeof value === 'string' && UUID.test(value)
        ? pass(value.toLowerCase())
        : fail('Choose a record');
  }
}

export interface RecordCheck {
  /** The values to store, by field key; null clears. Only fields that were given (or defaulted). */
  values: Record<string, FieldValue>;
  /** One message per field key at fault, and `_` for keys that name no field. */
  errors: Record<string, string>;
}

export interface RecordCheckOptions {
  /** Creating a record: required fields must be present, defaults fill the absent ones. */
  creating: boolean;
  /** The record's plant (null for tenant-wide records): fields scoped to another plant do not apply. */
  plantId: string | null;
  /** Values stored now, by key. */
  previous?: Record<string, FieldValue>;
}

/** The fields that apply to a record: active, and either for every plant or for the record's plant. */
export function applicableFields<T extends FieldDefinition>(defs: readonly T[], plantId: string | null): T[] {
  return defs.filter((d) => d.isActive && (d.plantId === null || d.plantId === plantId));
}

/**
 * Checks a record's custom values (`input`, by field key) against the definitions: every error at
 * once, one per field, so a form can show them all beside their fields.
 */
export function checkRecordValues(
  defs: readonly FieldDefinition[],
  input: Record<string, unknown>,
  options: RecordCheckOptions,
): RecordCheck {
  const byKey = new Map(defs.map((d) => [d.key, d]));
  const applicable = new Set(applicableFields(defs, options.plantId).map((d) => d.key));
  const values: Record<string, FieldValue> = {};
  const errors: Record<string, string> = {};
  const unknown: string[] = [];
  for (const [key, raw] of Object.entries(input)) {
    const def = byKey.get(key);
    if (def === undefined) {
      unknown.push(key);
      continue;
    }
    if (!def.isActive) errors[key] = `${def.label} is retired and takes no new values`;
    else if (!applicable.has(key)) errors[key] = `${def.label} does not apply to records of this plant`;
    else {
      // Own keys only: 'constructor' is a valid field key and every object inherits one.
      const previous =
        options.previous && Object.hasOwn(options.previous, key) ? options.previous[key] : undefined;
      const check = checkFieldValue(def, raw, previous);
      if (check.ok) values[key] = check.value;
      else errors[key] = check.error;
    }
  }
  if (unknown.length > 0) errors._ = `No such field: ${unknown.join(', ')}`;
  if (options.creating)
    for (const def of defs) {
      if (!applicable.has(def.key) || Object.hasOwn(input, def.key)) continue;
      // A default that no longer checks (its option was retired since) is not applied.
      const byDefault = def.defaultValue != null ? checkFieldValue(def, def.defaultValue) : null;
      if (byDefault?.ok && byDefault.value !== null) values[def.key] = byDefault.value;
      else if (def.required) errors[def.key] = 'Required';
    }
  return { values, errors };
}

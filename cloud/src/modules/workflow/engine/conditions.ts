import type { ComparisonOp, FieldCondition } from '@plantline/schema/workflow';
import type { CatalogueField, Condition, FieldCatalogue, FieldKind, RecordFields, Scalar } from './types.js';

/*
 * Guards are typed conditions over a record's fields, evaluated here without eval (docs/workflows.md,
 * "Guards"). Evaluation never throws: records carry whatever the database holds, and a comparison of
 * values of different kinds is simply false. Checking against the field catalogue happens once, when a
 * definition is published, so a published guard only ever compares what its fields can hold.
 */

type FieldValue = RecordFields[string];

/** Deeper nesting or longer guards are refused when publishing: a guard should stay readable. */
export const MAX_CONDITION_DEPTH = 5;
export const MAX_CONDITION_COMPARISONS = 50;

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/i;
const HAS_OFFSET = /(Z|[+-]\d{2}:?\d{2})$/i;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** undefined, null, '' and [] are empty: the values a form leaves behind when nothing was entered. */
export function isEmptyValue(value: FieldValue): boolean {
  if (value === undefined || value === null || value === '') return true;
  return Array.isArray(value) && value.length === 0;
}

/** A calendar day that exists: the engine's Date.parse would roll 2026-02-30 over to March. */
function realDay(text: string): boolean {
  const ms = Date.parse(`${text.slice(0, 10)}T00:00:00Z`);
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === text.slice(0, 10);
}

export function isDateText(value: string): boolean {
  return DATE.test(value) && realDay(value);
}

export function isDatetimeText(value: string): boolean {
  return DATETIME.test(value) && instant(value) !== null;
}

/** A datetime without an offset is read as UTC, so evaluation never depends on the server's zone. */
function instant(text: string): number | null {
  if (!realDay(text)) return null;
  const ms = Date.parse(HAS_OFFSET.test(text) ? text : `${text}Z`);
  return Number.isNaN(ms) ? null : ms;
}

/** A temporal string as a sortable day (`2026-03-01`) and, for datetimes, the instant. */
function temporal(text: string): { day: string; ms: number | null } | null {
  if (isDateText(text)) return { day: text, ms: null };
  if (!DATETIME.test(text)) return null;
  const ms = instant(text);
  return ms === null ? null : { day: new Date(ms).toISOString().slice(0, 10), ms };
}

/**
 * Orders two scalars of the same kind: numbers, booleans (equality only), ISO dates or datetimes (as
 * days when either side is a date, else as instants) and other texts (equality only). `null` means
 * they cannot be compared; `ordered` says whether gt/lt make sense for them.
 */
function compare(a: Scalar, b: Scalar): { order: number; ordered: boolean } | null {
  if (typeof a === 'number' && typeof b === 'number') return { order: Math.sign(a - b), ordered: true };
  if (typeof a === 'boolean' && typeof b === 'boolean') return { order: a === b ? 0 : 1, ordered: false };
  if (typeof a !== 'string' || typeof b !== 'string') return null;
  const ta = temporal(a);
  const tb = temporal(b);
  if (ta && tb) {
    if (ta.ms !== null && tb.ms !== null) return { order: Math.sign(ta.ms - tb.ms), ordered: true };
    return { order: ta.day < tb.day ? -1 : ta.day > tb.day ? 1 : 0, ordered: true };
  }
  // Otherwise plain text, equal or not; a date among texts ("2026-03-01" against "soon") is just text.
  return { order: a === b ? 0 : 1, ordered: false };
}

function equals(a: Scalar, b: Scalar): boolean {
  return compare(a, b)?.order === 0;
}

function evaluateField(condition: FieldCondition, value: FieldValue): boolean {
  const { op } = condition;
  const constant = condition.value;
  if (op === 'is_set') return !isEmptyValue(value);
  if (op === 'is_empty') return isEmptyValue(value);
  if (op === 'in' || op === 'not_in') {
    if (!Array.isArray(constant)) return false;
    // A multi-valued field is "in" the list when any of its values is; "not_in" when none is.
    const values: readonly Scalar[] = Array.isArray(value)
      ? value
      : isEmptyValue(value)
        ? []
        : [value as Scalar];
    const hit = values.some((v) => constant.some((c) => equals(v, c)));
    return op === 'in' ? hit : !hit;
  }
  if (Array.isArray(constant) || constant === undefined) return false;
  if (op === 'contains') {
    if (Array.isArray(value)) return value.some((v) => equals(v, constant));
    if (typeof value !== 'string' || typeof constant !== 'string') return false;
    return value.toLocaleLowerCase('en').includes(constant.toLocaleLowerCase('en'));
  }
  if (constant === null) {
    // `eq null` reads as "is empty"; the checker steers authors to is_empty, evaluation stays lenient.
    if (op === 'eq') return isEmptyValue(value);
    if (op === 'ne') return !isEmptyValue(value);
    return false;
  }
  // An empty field differs from every constant and is neither above nor below one.
  if (isEmptyValue(value) || Array.isArray(value)) return op === 'ne' && isEmptyValue(value);
  const result = compare(value as Scalar, constant);
  if (result === null) return false;
  switch (op) {
    case 'eq':
      return result.order === 0;
    case 'ne':
      return result.order !== 0;
    case 'gt':
      return result.ordered && result.order > 0;
    case 'gte':
      return result.ordered && result.order >= 0;
    case 'lt':
      return result.ordered && result.order < 0;
    case 'lte':
      return result.ordered && result.order <= 0;
    default:
      return false;
  }
}

/** Whether the record meets the condition. Never throws; mismatched kinds compare as false. */
export function evaluateCondition(condition: Condition, record: RecordFields): boolean {
  if ('all' in condition) return condition.all.every((c) => evaluateCondition(c, record));
  if ('any' in condition) return condition.any.some((c) => evaluateCondition(c, record));
  if ('not' in condition) return !evaluateCondition(condition.not, record);
  return evaluateField(
    condition,
    Object.hasOwn(record, condition.field) ? record[condition.field] : undefined,
  );
}

const EQUALITY: readonly ComparisonOp[] = ['eq', 'ne', 'in', 'not_in', 'is_set', 'is_empty'];
const ORDER: readonly ComparisonOp[] = ['gt', 'gte', 'lt', 'lte'];

/** Which comparisons make sense for each kind of field. */
export const OPS_BY_KIND: Readonly<Record<FieldKind, readonly ComparisonOp[]>> = {
  text: [...EQUALITY, 'contains'],
  number: [...EQUALITY, ...ORDER],
  boolean: ['eq', 'ne', 'is_set', 'is_empty'],
  date: ['eq', 'ne', ...ORDER, 'is_set', 'is_empty'],
  datetime: ['eq', 'ne', ...ORDER, 'is_set', 'is_empty'],
  choice: EQUALITY,
  choices: ['in', 'not_in', 'contains', 'is_set', 'is_empty'],
  user: EQUALITY,
  reference: EQUALITY,
};

const KIND_WORDS: Readonly<Record<FieldKind, string>> = {
  text: 'a text',
  number: 'a number',
  boolean: 'true or false',
  date: 'a date (YYYY-MM-DD)',
  datetime: 'a date and time (ISO 8601)',
  choice: 'one of its choices',
  choices: 'one of its choices',
  user: 'a user id',
  reference: 'a record id',
};

/** Why a constant cannot stand for a value of the field, or null when it can. */
export function scalarMismatch(field: CatalogueField, value: Scalar): string | null {
  const expected = `${field.label} takes ${KIND_WORDS[field.kind]}`;
  switch (field.kind) {
    case 'number':
      return typeof value === 'number' ? null : expected;
    case 'boolean':
      return typeof value === 'boolean' ? null : expected;
    case 'date':
      return typeof value === 'string' && isDateText(value) ? null : expected;
    case 'datetime':
      return typeof value === 'string' && (isDatetimeText(value) || isDateText(value)) ? null : expected;
    case 'choice':
    case 'choices':
      if (typeof value !== 'string') return expected;
      if (field.choices && !field.choices.includes(value)) {
        return `${value} is not a choice of ${field.label} (${field.choices.join(', ') || 'none'})`;
      }
      return null;
    case 'user':
    case 'reference':
      return typeof value === 'string' && UUID.test(value) ? null : expected;
    case 'text':
      return typeof value === 'string' ? null : expected;
  }
}

export interface ConditionProblem {
  path: string;
  message: string;
}

function checkField(condition: FieldCondition, catalogue: FieldCatalogue, path: string): ConditionProblem[] {
  const field = catalogue.get(condition.field);
  if (!field) return [{ path: `${path}.field`, message: `There is no field ${condition.field}` }];
  const { op, value } = condition;
  if (!OPS_BY_KIND[field.kind].includes(op)) {
    return [{ path: `${path}.op`, message: `${field.label} cannot be compared with ${op}` }];
  }
  const at = `${path}.value`;
  if (op === 'is_set' || op === 'is_empty') {
    return value === undefined ? [] : [{ path: at, message: `${op} takes no value` }];
  }
  if (value === undefined) return [{ path: at, message: `${op} needs a value` }];
  if (op === 'in' || op === 'not_in') {
    if (!Array.isArray(value)) return [{ path: at, message: `${op} needs a list of values` }];
    if (value.length === 0) return [{ path: at, message: `${op} needs at least one value` }];
    return value.flatMap((item, i) => scalarProblems(field, item, `${at}.${i}`));
  }
  if (Array.isArray(value)) return [{ path: at, message: `${op} compares with one value, not a list` }];
  return scalarProblems(field, value, at);
}

function scalarProblems(field: CatalogueField, value: Scalar, path: string): ConditionProblem[] {
  if (value === null) return [{ path, message: 'Use is_empty or is_set to test for no value' }];
  const mismatch = scalarMismatch(field, value);
  return mismatch ? [{ path, message: mismatch }] : [];
}

/** Problems with a condition against the entity's fields; `path` locates it (`guard`). */
export function checkCondition(
  condition: Condition,
  catalogue: FieldCatalogue,
  path: string,
): ConditionProblem[] {
  const problems: ConditionProblem[] = [];
  let comparisons = 0;
  let tooDeep = false;
  const walk = (c: Condition, at: string, depth: number): void => {
    if (depth > MAX_CONDITION_DEPTH && !tooDeep) {
      tooDeep = true;
      problems.push({ path: at, message: `Nest conditions at most ${MAX_CONDITION_DEPTH} levels deep` });
    }
    if ('all' in c) {
      for (const [i, inner] of c.all.entries()) walk(inner, `${at}.all.${i}`, depth + 1);
    } else if ('any' in c) {
      for (const [i, inner] of c.any.entries()) walk(inner, `${at}.any.${i}`, depth + 1);
    } else if ('not' in c) walk(c.not, `${at}.not`, depth + 1);
    else {
      comparisons += 1;
      problems.push(...checkField(c, catalogue, at));
    }
  };
  walk(condition, path, 0);
  if (comparisons > MAX_CONDITION_COMPARISONS) {
    problems.push({
      path,
      message: `Use at most ${MAX_CONDITION_COMPARISONS} comparisons (this has ${comparisons})`,
    });
  }
  return problems;
}

/** Every field a condition names, for reference checks and the designer. */
export function conditionFields(condition: Condition): string[] {
  if ('all' in condition) return condition.all.flatMap(conditionFields);
  if ('any' in condition) return condition.any.flatMap(conditionFields);
  if ('not' in condition) return conditionFields(condition.not);
  return [condition.field];
}

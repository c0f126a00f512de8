import type { ComparisonOp, Condition, FieldCondition, Scalar } from '@plantline/schema/workflow';
import type { CatalogueEntry } from './api-types';

/*
 * The guard builder: a transition's guard as the designer shows it — groups of rows, each row a
 * field, an operator and a value, joined by "all" or "any" inside a group and between groups. No free
 * expression text: the operators a row offers and the value input it shows follow the field's kind
 * (a choice field offers its choices). The definition keeps the guard as a typed condition
 * (schema/src/workflow/definition.ts, conditionSchema); these functions convert both ways.
 */

/** How a field compares, as the cloud's field catalogue says (workflow.definitions.get). */
export type FieldKind = CatalogueEntry['kind'];

/** A field a guard may compare, as `workflow.definitions.get` lists it. */
export interface GuardField {
  ref: string;
  label: string;
  kind: FieldKind;
  choices?: readonly string[] | undefined;
}

export type Join = 'all' | 'any';

export interface GuardRow {
  field: string;
  op: ComparisonOp;
  /** The value as typed or chosen; `values` for the list operators. */
  value: string;
  values: string[];
}

export interface GuardGroup {
  join: Join;
  rows: GuardRow[];
}

export interface GuardModel {
  join: Join;
  groups: GuardGroup[];
}

const OPS_BY_KIND: Record<FieldKind, readonly ComparisonOp[]> = {
  text: ['eq', 'ne', 'contains', 'in', 'not_in', 'is_set', 'is_empty'],
  number: ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'is_set', 'is_empty'],
  boolean: ['eq', 'is_set', 'is_empty'],
  date: ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'is_set', 'is_empty'],
  datetime: ['gt', 'gte', 'lt', 'lte', 'is_set', 'is_empty'],
  choice: ['eq', 'ne', 'in', 'not_in', 'is_set', 'is_empty'],
  choices: ['contains', 'is_set', 'is_empty'],
  user: ['eq', 'ne', 'is_set', 'is_empty'],
  reference: ['eq', 'ne', 'is_set', 'is_empty'],
};

/** The operators a row on a field of this kind offers, in menu order. */
export function opsFor(kind: FieldKind): readonly ComparisonOp[] {
  return OPS_BY_KIND[kind];
}

const TIME_KINDS: ReadonlySet<FieldKind> = new Set(['date', 'datetime']);

/** The operator as the menu says it: "is after" for dates, "is greater than" for numbers. */
export function opLabel(op: ComparisonOp, kind: FieldKind): string {
  const time = TIME_KINDS.has(kind);
  switch (op) {
    case 'eq':
      return time ? 'is on' : 'is';
    case 'ne':
      return time ? 'is not on' : 'is not';
    case 'gt':
      return time ? 'is after' : 'is greater than';
    case 'gte':
      return time ? 'is on or after' : 'is at least';
    case 'lt':
      return time ? 'is before' : 'is less than';
    case 'lte':
      return time ? 'is on or before' : 'is at most';
    case 'in':
      return 'is one of';
    case 'not_in':
      return 'is none of';
    case 'is_set':
      return 'has a value';
    case 'is_empty':
      return 'is empty';
    case 'contains':
      return 'contains';
  }
}

/** Which input a row shows for its value. */
export type ValueInput =
  | 'none'
  | 'text'
  | 'text-list'
  | 'number'
  | 'boolean'
  | 'date'
  | 'choice'
  | 'choice-list'
  | 'user';

export function valueInputFor(kind: FieldKind, op: ComparisonOp): ValueInput {
  if (op === 'is_set' || op === 'is_empty') return 'none';
  const list = op === 'in' || op === 'not_in';
  switch (kind) {
    case 'choice':
      return list ? 'choice-list' : 'choice';
    case 'choices':
      return 'choice';
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'date':
    case 'datetime':
      return 'date';
    case 'user':
      return 'user';
    default:
      return list ? 'text-list' : 'text';
  }
}

export function blankRow(): GuardRow {
  return { field: '', op: 'eq', value: '', values: [] };
}

/**
 * The row after the user picks another field: its operator kept if the new field's kind offers it,
 * the value kept only if the kind is the same (a choice of one field means nothing to another).
 */
export function withField(
  row: GuardRow,
  field: GuardField | undefined,
  previous: GuardField | undefined,
): GuardRow {
  if (field === undefined) return { ...blankRow(), field: '' };
  const ops = opsFor(field.kind);
  const op = ops.includes(row.op) ? row.op : (ops[0] ?? 'is_set');
  const sameKind =
    previous !== undefined && previous.kind === field.kind && previous.choices === field.choices;
  const value = field.kind === 'boolean' && !sameKind ? 'true' : sameKind ? row.value : '';
  return { field: field.ref, op, value, values: sameKind ? row.values : [] };
}

const INVERSE: Partial<Record<ComparisonOp, ComparisonOp>> = {
  eq: 'ne',
  ne: 'eq',
  in: 'not_in',
  not_in: 'in',
  is_set: 'is_empty',
  is_empty: 'is_set',
  gt: 'lte',
  lte: 'gt',
  gte: 'lt',
  lt: 'gte',
};

function isLeaf(condition: Condition): condition is FieldCondition {
  return 'field' in condition;
}

const text = (value: Scalar | undefined): string =>
  value === null || value === undefined ? '' : typeof value === 'string' ? value : String(value);

function rowOf(leaf: FieldCondition): GuardRow {
  const list = Array.isArray(leaf.value) ? leaf.value : null;
  return {
    field: leaf.field,
    op: leaf.op,
    value: list === null ? text(leaf.value as Scalar | undefined) : '',
    values: list === null ? [] : list.map(text),
  };
}

/** A leaf, or a `not` of a leaf whose operator has an opposite: what one row can show. */
function rowFrom(condition: Condition): GuardRow | null {
  if (isLeaf(condition)) return rowOf(condition);
  if ('not' in condition && isLeaf(condition.not)) {
    const inverse = INVERSE[condition.not.op];
    return inverse === undefined ? null : { ...rowOf(condition.not), op: inverse };
  }
  return null;
}

function groupFrom(condition: Condition): GuardGroup | null {
  const single = rowFrom(condition);
  if (single !== null) return { join: 'all', rows: [single] };
  if ('all' in condition || 'any' in condition) {
    const join: Join = 'all' in condition ? 'all' : 'any';
    const children = 'all' in condition ? condition.all : condition.any;
    const rows = children.map(rowFrom);
    return rows.every((r): r is GuardRow => r !== null) ? { join, rows } : null;
  }
  return null;
}

/**
 * The builder's model of a guard, or null when the guard has a shape the builder cannot show
 * (deeper nesting, a `not` of a group): the designer then shows it as text and offers to replace it.
 */
export function modelFromCondition(condition: Condition | null): GuardModel | null {
  if (condition === null) return { join: 'all', groups: [] };
  const whole = groupFrom(condition);
  // An empty `all` (always true) is a condition with nothing in it yet.
  if (whole !== null) return { join: 'all', groups: whole.rows.length === 0 ? [] : [whole] };
  const join: Join = 'all' in condition ? 'all' : 'any';
  const children = 'all' in condition ? condition.all : 'any' in condition ? condition.any : null;
  if (children === null) return null;
  const groups = children.map(groupFrom);
  return groups.every((g): g is GuardGroup => g !== null) ? { join, groups } : null;
}

/** Why a row cannot be used yet, or null when it is complete. */
export function rowProblem(row: GuardRow, field: GuardField | undefined): string | null {
  if (row.field === '' || field === undefined) return 'Choose a field.';
  if (!opsFor(field.kind).includes(row.op)) return `A ${field.kind} field cannot be compared that way.`;
  const input = valueInputFor(field.kind, row.op);
  if (input === 'none') return null;
  if (input === 'choice-list' || input === 'text-list')
    return row.values.filter((v) => v.trim() !== '').length === 0 ? 'Choose at least one value.' : null;
  if (row.value.trim() === '')
    return input === 'choice' || input === 'user' ? 'Choose a value.' : 'Enter a value.';
  if (input === 'number' && !Number.isFinite(Number(row.value))) return 'Enter a number.';
  return null;
}

function scalarOf(value: string, kind: FieldKind): Scalar {
  if (kind === 'number') return Number(value);
  if (kind === 'boolean') return value === 'true';
  return value.trim();
}

function conditionOfRow(row: GuardRow, field: GuardField): FieldCondition {
  const input = valueInputFor(field.kind, row.op);
  if (input === 'none') return { field: row.field, op: row.op };
  if (input === 'choice-list' || input === 'text-list')
    return {
      field: row.field,
      op: row.op,
      value: row.values.filter((v) => v.trim() !== '').map((v) => scalarOf(v, field.kind)),
    };
  return { field: row.field, op: row.op, value: scalarOf(row.value, field.kind) };
}

function joined(join: Join, parts: Condition[]): Condition | null {
  if (parts.length === 0) return null;
  if (parts.length === 1) return parts[0] ?? null;
  return join === 'all' ? { all: parts } : { any: parts };
}

/**
 * The guard a model stands for: complete rows only (an unfinished row is shown with its problem and
 * left out), empty groups dropped, null when nothing is left — a transition without a guard.
 */
export function conditionFromModel(
  model: GuardModel,
  fields: ReadonlyMap<string, GuardField>,
): Condition | null {
  const groups = model.groups.flatMap((group) => {
    const rows = group.rows.flatMap((row) => {
      const field = fields.get(row.field);
      return field !== undefined && rowProblem(row, field) === null ? [conditionOfRow(row, field)] : [];
    });
    const condition = joined(group.join, rows);
    return condition === null ? [] : [condition];
  });
  return joined(model.join, groups);
}

function describeValue(value: FieldCondition['value'], names: ReadonlyMap<string, string>): string {
  if (Array.isArray(value)) return value.map((v) => describeValue(v, names)).join(', ');
  if (value === undefined || value === null) return 'nothing';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  const named = typeof value === 'string' ? names.get(value) : undefined;
  return named ?? String(value);
}

/**
 * A guard in words, for the graph's tooltips and guards the builder cannot show: "Disposition is
 * use_as_is and (Quantity is greater than 5 or Supplier has a value)". `names` turns user ids into names.
 */
export function describeCondition(
  condition: Condition,
  fields: ReadonlyMap<string, GuardField>,
  names: ReadonlyMap<string, string> = new Map(),
): string {
  const inner = (c: Condition): string => {
    const words = describeCondition(c, fields, names);
    return isLeaf(c) ? words : `(${words})`;
  };
  if (isLeaf(condition)) {
    const field = fields.get(condition.field);
    const label = field?.label ?? condition.field;
    const op = opLabel(condition.op, field?.kind ?? 'text');
    if (condition.op === 'is_set' || condition.op === 'is_empty') return `${label} ${op}`;
    return `${label} ${op} ${describeValue(condition.value, names)}`;
  }
  if ('not' in condition) return `not ${inner(condition.not)}`;
  const parts = 'all' in condition ? condition.all : condition.any;
  return parts.map(inner).join('all' in condition ? ' and ' : ' or ');
}

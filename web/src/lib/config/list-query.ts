import type { FieldDefinition, FieldType } from '@plantline/schema/configuration';
import { localInputToIso } from './form-values';

/*
 * A records list's filters, sort and columns, kept in the URL so a filtered list can be bookmarked,
 * shared and reloaded. One parameter per filter, `f.<field key>`, whose value is the
 * operator and its operand: `in:<id>,<id>`, `between:<min>..<max>`, `contains:<text>`, `eq:<value>`,
 * `empty`, `notEmpty`. The sort is `sort=<key>` or `sort=-<key>` (descending); columns `cols=a,b`;
 * the plant `plant=<id>`; a search in code and name `q=<text>`.
 */

export type FilterOp = 'eq' | 'in' | 'between' | 'contains' | 'empty' | 'notEmpty';

export interface ListFilter {
  field: string;
  op: FilterOp;
  value?: string;
  values?: string[];
  min?: string;
  max?: string;
}

export interface ListSort {
  by: string;
  dir: 'asc' | 'desc';
}

export interface ListQuery {
  filters: ListFilter[];
  sort: ListSort;
  /** Field keys shown as columns; null: the default (every active field). */
  columns: string[] | null;
  /** Records of one plant only; null: every plant the user sees. */
  plantId: string | null;
  /** Code starting with, or name containing, this text; '' for none. */
  search: string;
}

const PREFIX = 'f.';
export const DEFAULT_SORT: ListSort = { by: 'code', dir: 'asc' };

function parseFilter(field: string, raw: string): ListFilter | null {
  if (raw === 'empty' || raw === 'notEmpty') return { field, op: raw };
  const colon = raw.indexOf(':');
  if (colon < 0) return null;
  const op = raw.slice(0, colon);
  const rest = raw.slice(colon + 1);
  switch (op) {
    case 'eq':
    case 'contains':
      return rest === '' ? null : { field, op, value: rest };
    case 'in': {
      const values = rest.split(',').filter((v) => v !== '');
      return values.length === 0 ? null : { field, op, values };
    }
    case 'between': {
      const split = rest.indexOf('..');
      if (split < 0) return null;
      const min = rest.slice(0, split);
      const max = rest.slice(split + 2);
      if (min === '' && max === '') return null;
      return { field, op, ...(min === '' ? {} : { min }), ...(max === '' ? {} : { max }) };
    }
    default:
      return null;
  }
}

function formatFilter(filter: ListFilter): string | null {
  switch (filter.op) {
    case 'empty':
    case 'notEmpty':
      return filter.op;
    case 'eq':
    case 'contains':
      return filter.value ? `${filter.op}:${filter.value}` : null;
    case 'in':
      return filter.values && filter.values.length > 0 ? `in:${filter.values.join(',')}` : null;
    case 'between':
      return filter.min || filter.max ? `between:${filter.min ?? ''}..${filter.max ?? ''}` : null;
  }
}

/** The list's state from the page's search parameters; malformed parts are left out. */
export function parseListQuery(params: URLSearchParams): ListQuery {
  const filters: ListFilter[] = [];
  for (const [name, raw] of params) {
    if (!name.startsWith(PREFIX)) continue;
    const filter = parseFilter(name.slice(PREFIX.length), raw);
    if (filter !== null && filter.field !== '') filters.push(filter);
  }
  const sortParam = params.get('sort') ?? '';
  const by = sortParam.replace(/^-/, '');
  const sort: ListSort = by === '' ? DEFAULT_SORT : { by, dir: sortParam.startsWith('-') ? 'desc' : 'asc' };
  const cols = params.get('cols');
  const columns = cols === null ? null : cols.split(',').filter((c) => c !== '');
  const plantId = params.get('plant') || null;
  const search = (params.get('q') ?? '').trim();
  return { filters, sort, columns, plantId, search };
}

/** Search parameters for the list's state; defaults are left out so a plain list has a plain URL. */
export function listQueryParams(query: ListQuery): URLSearchParams {
  const params = new URLSearchParams();
  for (const filter of query.filters) {
    const value = formatFilter(filter);
    if (value !== null) params.set(`${PREFIX}${filter.field}`, value);
  }
  if (query.sort.by !== DEFAULT_SORT.by || query.sort.dir !== DEFAULT_SORT.dir)
    params.set('sort', `${query.sort.dir === 'desc' ? '-' : ''}${query.sort.by}`);
  if (query.columns !== null) params.set('cols', query.columns.join(','));
  if (query.plantId !== null) params.set('plant', query.plantId);
  if (query.search.trim() !== '') params.set('q', query.search.trim());
  return params;
}

/** The next sort when a column header is clicked: ascending first, then the other way. */
export function toggleSort(current: ListSort, by: string): ListSort {
  if (current.by !== by) return { by, dir: 'asc' };
  return { by, dir: current.dir === 'asc' ? 'desc' : 'asc' };
}

/** A column header's aria-sort for the list's sort: only the sorted column has one. */
export function ariaSort(sort: ListSort, by: string): 'ascending' | 'descending' | undefined {
  if (sort.by !== by) return undefined;
  return sort.dir === 'asc' ? 'ascending' : 'descending';
}

/** Which filter a field offers, as the API allows per stored column (cloud records.ts opsByColumn). */
export type FilterKind = 'choices' | 'range' | 'text' | 'yesno' | 'presence';

export function filterKindOf(type: FieldType): FilterKind {
  switch (type) {
    case 'single_select':
    case 'multi_select':
      return 'choices';
    case 'integer':
    case 'decimal':
    case 'date':
    case 'datetime':
      return 'range';
    case 'text':
    case 'long_text':
      return 'text';
    case 'boolean':
      return 'yesno';
    default:
      return 'presence';
  }
}

/** Whether the API sorts by a field: every type stored in an indexed scalar column (records.ts SORTABLE). */
export function isSortable(type: FieldType): boolean {
  return !['long_text', 'multi_select', 'user_ref', 'entity_ref', 'single_select'].includes(type);
}

/**
 * A filter as records.list takes it. Operands stay as typed (the API checks them with the field's
 * rules); a date-time bound from a date input becomes the start or end of that local day.
 */
export function apiFilter(filter: ListFilter, field: FieldDefinition | undefined) {
  const bound = (v: string | undefined, end: boolean) => {
    if (v === undefined || v === '') return undefined;
    if (field && (field.type === 'integer' || field.type === 'decimal')) {
      const n = Number(v);
      return Number.isFinite(n) ? n : v;
    }
    // A day chosen for a date-time bound is the user's day: from its first to its last second.
    if (field?.type === 'datetime' && /^\d{4}-\d{2}-\d{2}$/.test(v))
      return localInputToIso(`${v}T${end ? '23:59:59' : '00:00:00'}`);
    return v;
  };
  const value = field?.type === 'boolean' ? filter.value === 'true' : bound(filter.value, false);
  return {
    field: filter.field,
    op: filter.op,
    ...(filter.value === undefined ? {} : { value }),
    ...(filter.values === undefined ? {} : { values: filter.values }),
    ...(filter.min === undefined ? {} : { min: bound(filter.min, false) }),
    ...(filter.max === undefined ? {} : { max: bound(filter.max, true) }),
  };
}

/** The count, or "1 000+" when the API stopped counting (it then returns its cap as the total). */
export function totalLabel(total: number | null, capped: boolean): string {
  if (total === null) return '';
  const format = String(total).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
  return capped ? `${format}+` : format;
}

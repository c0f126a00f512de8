/*
 * The audit trail's filter as kept in the page's URL, so a filtered view can be bookmarked and sent
 * to someone else. The query names are those of `audit.entries.list` and of the CSV export, so the
 * export link carries the same filter as the table.
 */

export interface AuditFilter {
  /** Instants, ISO 8601 in UTC. */
  from: string | null;
  to: string | null;
  actorUserId: string | null;
  /** An exact action (`role.update`), or every action of a prefix ending in '.' (`role.`). */
  action: string | null;
  entityType: string | null;
  entityId: string | null;
  plantId: string | null;
  /** Start below this sequence number (a link to one entry, e.g. the first bad one). */
  before: number | null;
}

export const EMPTY_AUDIT_FILTER: AuditFilter = {
  from: null,
  to: null,
  actorUserId: null,
  action: null,
  entityType: null,
  entityId: null,
  plantId: null,
  before: null,
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ACTION = /^[a-z0-9][a-z0-9_.:-]{0,99}$/i;
const ENTITY_TYPE = /^[a-z][a-z0-9_.-]{0,63}$/i;
const ENTITY_ID = /^[^\s]{1,200}$/;

/** Reads the filter from the page's query; anything malformed is left out rather than sent to the API. */
export function parseAuditFilter(params: URLSearchParams): AuditFilter {
  const matching = (name: string, pattern: RegExp) => {
    const value = params.get(name)?.trim() ?? '';
    return pattern.test(value) ? value : null;
  };
  const instant = (name: string) => {
    const value = params.get(name);
    if (value === null || value.trim() === '') return null;
    const at = new Date(value);
    return Number.isNaN(at.getTime()) ? null : at.toISOString();
  };
  const before = Number(params.get('before') ?? '');
  return {
    from: instant('from'),
    to: instant('to'),
    actorUserId: matching('actorUserId', UUID)?.toLowerCase() ?? null,
    action: matching('action', ACTION),
    entityType: matching('entityType', ENTITY_TYPE),
    entityId: matching('entityId', ENTITY_ID),
    plantId: matching('plantId', UUID)?.toLowerCase() ?? null,
    before: Number.isSafeInteger(before) && before > 0 ? before : null,
  };
}

const ORDER: readonly (keyof AuditFilter)[] = [
  'from',
  'to',
  'actorUserId',
  'action',
  'entityType',
  'entityId',
  'plantId',
  'before',
];

function filterParams(filter: AuditFilter): URLSearchParams {
  const params = new URLSearchParams();
  for (const name of ORDER) {
    const value = filter[name];
    if (value !== null) params.set(name, String(value));
  }
  return params;
}

/** The query string for a filter ('' when it shows everything). */
export function auditFilterSearch(filter: AuditFilter): string {
  const search = filterParams(filter).toString();
  return search === '' ? '' : `?${search}`;
}

/** Whether the filter narrows the trail at all (a starting point alone does not filter). */
export function isFiltered(filter: AuditFilter): boolean {
  return ORDER.some((name) => name !== 'before' && filter[name] !== null);
}

/** What is wrong with the time range, as the API would say it; null when it is fine. */
export function rangeProblem(filter: AuditFilter): string | null {
  if (filter.from === null || filter.to === null) return null;
  return filter.from < filter.to ? null : 'The end must come after the start';
}

/** The filter as `audit.entries.list` takes it, for the page below `before` (or the newest). */
export function listInput(filter: AuditFilter, before: number | null, limit: number) {
  const start = before ?? filter.before;
  return {
    ...(filter.from === null ? {} : { from: filter.from }),
    ...(filter.to === null ? {} : { to: filter.to }),
    ...(filter.actorUserId === null ? {} : { actorUserId: filter.actorUserId }),
    ...(filter.action === null ? {} : { action: filter.action }),
    ...(filter.entityType === null ? {} : { entityType: filter.entityType }),
    ...(filter.entityId === null ? {} : { entityId: filter.entityId }),
    ...(filter.plantId === null ? {} : { plantId: filter.plantId }),
    ...(start === null ? {} : { before: start }),
    limit,
  };
}

/** The CSV export of what the filter shows (every matching entry, not only the pages loaded). */
export function csvHref(path: string, filter: AuditFilter): string {
  const params = filterParams(filter);
  const search = params.toString();
  return search === '' ? path : `${path}?${search}`;
}

export interface ActionChoice {
  value: string;
  label: string;
}

/**
 * The action filter's choices: per kind of record, all of its actions (`role.`) and then each one;
 * a kind with one action offers only that.
 */
export function actionChoices(actions: readonly string[]): ActionChoice[] {
  const byPrefix = new Map<string, string[]>();
  for (const action of [...new Set(actions)].sort()) {
    const dot = action.indexOf('.');
    const prefix = dot > 0 ? action.slice(0, dot + 1) : action;
    byPrefix.set(prefix, [...(byPrefix.get(prefix) ?? []), action]);
  }
  return [...byPrefix].flatMap(([prefix, members]) => {
    const each = members.map((action) => ({ value: action, label: action }));
    if (members.length < 2 || !prefix.endsWith('.')) return each;
    return [{ value: prefix, label: `${prefix}* (all)` }, ...each];
  });
}

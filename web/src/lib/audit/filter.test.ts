import { describe, expect, it } from 'vitest';
import {
  actionChoices,
  auditFilterSearch,
  csvHref,
  EMPTY_AUDIT_FILTER,
  isFiltered,
  listInput,
  parseAuditFilter,
  rangeProblem,
} from './filter';

const USER = '0190a5b0-0000-7000-8000-000000000001';
const PLANT = '0190A5B0-0000-7000-8000-0000000000AA';

describe('the audit trail filter in the URL', () => {
  it('reads every filter from the query and writes it back the same', () => {
    const search =
      `?from=2026-05-01T00%3A00%3A00.000Z&to=2026-05-02T00%3A00%3A00.000Z&actorUserId=${USER}` +
      `&action=role.&entityType=role&entityId=r1&plantId=${PLANT.toLowerCase()}&before=120`;
    const filter = parseAuditFilter(new URLSearchParams(search));
    expect(filter).toEqual({
      from: '2026-05-01T00:00:00.000Z',
      to: '2026-05-02T00:00:00.000Z',
      actorUserId: USER,
      action: 'role.',
      entityType: 'role',
      entityId: 'r1',
      plantId: PLANT.toLowerCase(),
      before: 120,
    });
    expect(auditFilterSearch(filter)).toBe(search);
  });

  it('is empty for no query, and writes nothing for an empty filter', () => {
    expect(parseAuditFilter(new URLSearchParams())).toEqual(EMPTY_AUDIT_FILTER);
    expect(auditFilterSearch(EMPTY_AUDIT_FILTER)).toBe('');
    expect(isFiltered(EMPTY_AUDIT_FILTER)).toBe(false);
    expect(isFiltered({ ...EMPTY_AUDIT_FILTER, before: 5 })).toBe(false);
    expect(isFiltered({ ...EMPTY_AUDIT_FILTER, entityType: 'role' })).toBe(true);
  });

  it('drops what is malformed instead of sending it to the API', () => {
    const filter = parseAuditFilter(
      new URLSearchParams(
        'from=yesterday&to=&actorUserId=admin&action=role update&entityType=1x&entityId=a b&plantId=x&before=-3',
      ),
    );
    expect(filter).toEqual(EMPTY_AUDIT_FILTER);
    expect(parseAuditFilter(new URLSearchParams('before=1.5')).before).toBeNull();
    // Any instant the browser reads becomes UTC.
    expect(parseAuditFilter(new URLSearchParams('from=2026-05-01T02:00:00%2B02:00')).from).toBe(
      '2026-05-01T00:00:00.000Z',
    );
  });

  it('refuses a time range that ends before it starts, as the API does', () => {
    const from = '2026-05-02T00:00:00.000Z';
    expect(rangeProblem({ ...EMPTY_AUDIT_FILTER, from })).toBeNull();
    expect(rangeProblem({ ...EMPTY_AUDIT_FILTER, from, to: '2026-05-02T00:01:00.000Z' })).toBeNull();
    expect(rangeProblem({ ...EMPTY_AUDIT_FILTER, from, to: from })).toBe('The end must come after the start');
    expect(rangeProblem({ ...EMPTY_AUDIT_FILTER, from, to: '2026-05-01T00:00:00.000Z' })).toBe(
      'The end must come after the start',
    );
  });

  it('asks the API for the page below a cursor, or below the URL’s starting point', () => {
    const filter = { ...EMPTY_AUDIT_FILTER, entityType: 'role', before: 90 };
    expect(listInput(filter, null, 50)).toEqual({ entityType: 'role', before: 90, limit: 50 });
    expect(listInput(filter, 41, 50)).toEqual({ entityType: 'role', before: 41, limit: 50 });
    expect(listInput(EMPTY_AUDIT_FILTER, null, 50)).toEqual({ limit: 50 });
  });

  it('carries the filter to the CSV export', () => {
    const path = '/api/audit/entries.csv';
    expect(csvHref(path, EMPTY_AUDIT_FILTER)).toBe(path);
    expect(csvHref(path, { ...EMPTY_AUDIT_FILTER, action: 'role.', plantId: USER })).toBe(
      `${path}?action=role.&plantId=${USER}`,
    );
  });

  it('offers each action and, per kind of record with several, all of them at once', () => {
    expect(
      actionChoices(['role.update', 'user.sign-in', 'role.create', 'role.update', 'audit.verify', 'odd']),
    ).toEqual([
      { value: 'audit.verify', label: 'audit.verify' },
      { value: 'odd', label: 'odd' },
      { value: 'role.', label: 'role.* (all)' },
      { value: 'role.create', label: 'role.create' },
      { value: 'role.update', label: 'role.update' },
      { value: 'user.sign-in', label: 'user.sign-in' },
    ]);
    expect(actionChoices([])).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import {
  apiFilter,
  ariaSort,
  filterKindOf,
  isSortable,
  listQueryParams,
  parseListQuery,
  toggleSort,
  totalLabel,
} from './list-query';

describe('list state in the URL', () => {
  it('round-trips filters, sort, columns, plant and search', () => {
    const query = {
      filters: [
        { field: 'colour', op: 'in' as const, values: ['a', 'b'] },
        { field: 'weight', op: 'between' as const, min: '1.5', max: '2' },
        { field: 'note', op: 'contains' as const, value: 'a:b' },
        { field: 'size', op: 'empty' as const },
      ],
      sort: { by: 'weight', dir: 'desc' as const },
      columns: ['colour', 'weight'],
      plantId: 'p-1',
      search: 'M1',
    };
    const params = listQueryParams(query);
    expect(params.get('plant')).toBe('p-1');
    expect(params.get('q')).toBe('M1');
    expect(params.get('f.colour')).toBe('in:a,b');
    expect(params.get('f.weight')).toBe('between:1.5..2');
    expect(params.get('sort')).toBe('-weight');
    expect(parseListQuery(new URLSearchParams(params.toString()))).toEqual(query);
  });

  it('keeps a plain list’s URL plain, and reads one', () => {
    const plain = {
      filters: [],
      sort: { by: 'code', dir: 'asc' as const },
      columns: null,
      plantId: null,
      search: '',
    };
    expect(listQueryParams(plain).toString()).toBe('');
    expect(parseListQuery(new URLSearchParams())).toEqual(plain);
  });

  it('leaves out malformed filters and open ranges', () => {
    const parsed = parseListQuery(
      new URLSearchParams('f.a=oops&f.b=between:..&f.c=between:..5&f.=empty&f.d=in:'),
    );
    expect(parsed.filters).toEqual([{ field: 'c', op: 'between', max: '5' }]);
  });
});

describe('sorting and filtering', () => {
  it('toggles a column’s direction, and starts another ascending', () => {
    expect(toggleSort({ by: 'code', dir: 'asc' }, 'code')).toEqual({ by: 'code', dir: 'desc' });
    expect(toggleSort({ by: 'code', dir: 'desc' }, 'name')).toEqual({ by: 'name', dir: 'asc' });
    expect(ariaSort({ by: 'code', dir: 'asc' }, 'code')).toBe('ascending');
    expect(ariaSort({ by: 'code', dir: 'desc' }, 'code')).toBe('descending');
    expect(ariaSort({ by: 'code', dir: 'desc' }, 'name')).toBeUndefined();
  });

  it('offers the filters and sorts the API allows', () => {
    expect(filterKindOf('single_select')).toBe('choices');
    expect(filterKindOf('date')).toBe('range');
    expect(filterKindOf('long_text')).toBe('text');
    expect(filterKindOf('user_ref')).toBe('presence');
    expect(isSortable('decimal')).toBe(true);
    expect(isSortable('single_select')).toBe(false);
  });

  it('sends number bounds as numbers, and a day as a date-time range from its start to its end', () => {
    const base = {
      id: 'x',
      key: 'w',
      label: 'W',
      required: false,
      defaultValue: null,
      settings: {},
      helpText: null,
      groupName: null,
      sortOrder: 0,
      plantId: null,
      isActive: true,
      typeListId: null,
    };
    expect(apiFilter({ field: 'w', op: 'between', min: '2' }, { ...base, type: 'integer' })).toEqual({
      field: 'w',
      op: 'between',
      min: 2,
    });
    const day = apiFilter(
      { field: 'w', op: 'between', min: '2026-01-02', max: '2026-01-02' },
      { ...base, type: 'datetime' },
    );
    expect(new Date(String(day.min)).getTime()).toBe(new Date(2026, 0, 2, 0, 0, 0).getTime());
    expect(new Date(String(day.max)).getTime()).toBe(new Date(2026, 0, 2, 23, 59, 59).getTime());
    expect(apiFilter({ field: 'w', op: 'eq', value: 'true' }, { ...base, type: 'boolean' })).toEqual({
      field: 'w',
      op: 'eq',
      value: true,
    });
  });

  it('says 1 000+ when the API stopped counting at its cap', () => {
    expect(totalLabel(1000, true)).toBe('1 000+');
    expect(totalLabel(1234, false)).toBe('1 234');
    expect(totalLabel(null, false)).toBe('');
  });
});

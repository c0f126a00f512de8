import { describe, expect, it } from 'vitest';
import {
  asValues,
  changeLines,
  entryKind,
  formatValue,
  listChange,
  NO_VALUE,
  readsAsListChange,
  shorten,
} from './changes';

describe('what an audit entry changed', () => {
  it('formats values readably: null as a dash, lists joined, objects as pairs', () => {
    expect(formatValue(null)).toBe(NO_VALUE);
    expect(formatValue(undefined)).toBe(NO_VALUE);
    expect(formatValue('')).toBe('(empty)');
    expect(formatValue('Line 1')).toBe('Line 1');
    expect(formatValue(0)).toBe('0');
    expect(formatValue(12.5)).toBe('12.5');
    expect(formatValue(true)).toBe('yes');
    expect(formatValue(false)).toBe('no');
    expect(formatValue(['users.read', 'roles.read'])).toBe('users.read, roles.read');
    expect(formatValue([])).toBe('(none)');
    expect(formatValue({ min: 1, max: null, units: ['mm', 'cm'] })).toBe('{ min: 1; max: —; units: mm, cm }');
    expect(formatValue({})).toBe('(none)');
  });

  it('shortens long text at a word, keeping the whole text to show on request', () => {
    const short = 'A short note';
    expect(shorten(short)).toEqual({ short, full: short, truncated: false });
    const long = `${'word '.repeat(40)}end`;
    const cut = shorten(long, 50);
    expect(cut.truncated).toBe(true);
    expect(cut.full).toBe(long);
    expect(cut.short).toBe(`${'word '.repeat(10).trimEnd()}…`);
    // No space to cut at: cut at the limit.
    expect(shorten('x'.repeat(60), 50).short).toBe(`${'x'.repeat(50)}…`);
  });

  it('lists one line per changed field with the old and the new value', () => {
    expect(changeLines({ label: 'Colour', required: false }, { label: 'Color', required: true })).toEqual([
      { field: 'label', before: 'Colour', after: 'Color', added: [], removed: [] },
      { field: 'required', before: 'no', after: 'yes', added: [], removed: [] },
    ]);
  });

  it('shows a dash for the side a creation or deletion does not have', () => {
    expect(changeLines(null, { code: 'M1', name: 'Press' })).toEqual([
      { field: 'code', before: NO_VALUE, after: 'M1', added: [], removed: [] },
      { field: 'name', before: NO_VALUE, after: 'Press', added: [], removed: [] },
    ]);
    expect(changeLines({ code: 'M1' }, null)).toEqual([
      { field: 'code', before: 'M1', after: NO_VALUE, added: [], removed: [] },
    ]);
    expect(changeLines(null, null)).toEqual([]);
    // A creation's unset fields say nothing.
    expect(changeLines(null, { code: 'M1', note: null }).map((l) => l.field)).toEqual(['code']);
    expect(changeLines({ note: null }, null)).toEqual([]);
  });

  it('names what a list gained and lost', () => {
    const [line] = changeLines(
      { permissions: ['users.read', 'roles.read'] },
      { permissions: ['users.read', 'audit.read'] },
    );
    expect(line).toEqual({
      field: 'permissions',
      before: 'users.read, roles.read',
      after: 'users.read, audit.read',
      added: ['audit.read'],
      removed: ['roles.read'],
    });
    // A list that appears where there was none is not a diff of two lists.
    expect(changeLines({ plantIds: null }, { plantIds: ['a'] })[0]?.added).toEqual([]);
  });

  it('says what a long list gained and lost instead of both lists whole', () => {
    const many = Array.from({ length: 20 }, (_, i) => `perm.${i}`);
    const [long] = changeLines({ permissions: many }, { permissions: [...many.slice(1), 'audit.read'] });
    expect(listChange(long!)).toBe('added audit.read; removed perm.0');
    expect(readsAsListChange(long!)).toBe(true);
    const [short] = changeLines({ tags: ['a'] }, { tags: ['a', 'b'] });
    expect(listChange(short!)).toBe('added b');
    expect(readsAsListChange(short!)).toBe(false);
    const [reordered] = changeLines({ order: many }, { order: [...many].reverse() });
    expect(listChange(reordered!)).toBeNull();
    expect(readsAsListChange(reordered!)).toBe(false);
  });

  it('keeps fields present on one side only', () => {
    expect(changeLines({ a: 1 }, { b: 2 }).map((l) => [l.field, l.before, l.after])).toEqual([
      ['b', NO_VALUE, '2'],
      ['a', '1', NO_VALUE],
    ]);
  });

  it('reads stored values as fields, a bare value under "value"', () => {
    expect(asValues({ a: 1 })).toEqual({ a: 1 });
    expect(asValues(null)).toBeNull();
    expect(asValues(undefined)).toBeNull();
    expect(asValues(['x'])).toEqual({ value: ['x'] });
    expect(asValues('x')).toEqual({ value: 'x' });
  });

  it('tells creations, changes, deletions and bare events apart', () => {
    expect(entryKind(null, { code: 'M1' })).toBe('created');
    expect(entryKind({ code: 'M1' }, { code: 'M2' })).toBe('changed');
    expect(entryKind({ code: 'M1' }, null)).toBe('deleted');
    expect(entryKind(null, null)).toBe('event');
  });
});

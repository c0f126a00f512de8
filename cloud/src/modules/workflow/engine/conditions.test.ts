import type { Condition } from '@plantline/schema/workflow';
import { describe, expect, it } from 'vitest';
import { checkCondition, conditionFields, evaluateCondition, isEmptyValue } from './conditions.js';
import { catalogue, USERS } from './fixtures.js';
import type { RecordFields } from './types.js';

const record: RecordFields = {
  title: 'Paint blister on door',
  quantity: 12,
  critical: true,
  due_on: '2026-03-10',
  detected_at: '2026-03-01T08:30:00Z',
  disposition: 'rework',
  owner_id: USERS.alice,
  'custom.tags': ['paint', 'assembly'],
  'custom.batch': '',
};

const holds = (condition: Condition, r: RecordFields = record) => evaluateCondition(condition, r);

describe('evaluateCondition', () => {
  it('compares numbers with every order operator', () => {
    expect(holds({ field: 'quantity', op: 'eq', value: 12 })).toBe(true);
    expect(holds({ field: 'quantity', op: 'ne', value: 12 })).toBe(false);
    expect(holds({ field: 'quantity', op: 'gt', value: 11 })).toBe(true);
    expect(holds({ field: 'quantity', op: 'gt', value: 12 })).toBe(false);
    expect(holds({ field: 'quantity', op: 'gte', value: 12 })).toBe(true);
    expect(holds({ field: 'quantity', op: 'lt', value: 12 })).toBe(false);
    expect(holds({ field: 'quantity', op: 'lte', value: 12 })).toBe(true);
    expect(holds({ field: 'quantity', op: 'lt', value: 100 })).toBe(true);
  });

  it('compares dates as days and datetimes as instants, whatever the offset', () => {
    expect(holds({ field: 'due_on', op: 'gt', value: '2026-03-09' })).toBe(true);
    expect(holds({ field: 'due_on', op: 'lte', value: '2026-03-09' })).toBe(false);
    expect(holds({ field: 'due_on', op: 'eq', value: '2026-03-10' })).toBe(true);
    // 09:30 at +01:00 is the same instant as 08:30 UTC.
    expect(holds({ field: 'detected_at', op: 'eq', value: '2026-03-01T09:30:00+01:00' })).toBe(true);
    expect(holds({ field: 'detected_at', op: 'lt', value: '2026-03-01T09:00:00Z' })).toBe(true);
    expect(holds({ field: 'detected_at', op: 'gt', value: '2026-03-01T08:30:00.001Z' })).toBe(false);
    // A datetime against a date compares the UTC day.
    expect(holds({ field: 'detected_at', op: 'eq', value: '2026-03-01' })).toBe(true);
    expect(holds({ field: 'detected_at', op: 'lt', value: '2026-03-02' })).toBe(true);
    // Without an offset a datetime reads as UTC, never the server's zone.
    expect(holds({ field: 'detected_at', op: 'eq', value: '2026-03-01T08:30' })).toBe(true);
  });

  it('compares text exactly and booleans by equality only', () => {
    expect(holds({ field: 'disposition', op: 'eq', value: 'rework' })).toBe(true);
    expect(holds({ field: 'disposition', op: 'eq', value: 'Rework' })).toBe(false);
    expect(holds({ field: 'disposition', op: 'ne', value: 'scrap' })).toBe(true);
    // A date-like constant against plain text is plain text, not a mismatch.
    expect(holds({ field: 'title', op: 'ne', value: '2026-03-01' })).toBe(true);
    expect(holds({ field: 'title', op: 'eq', value: '2026-03-01' })).toBe(false);
    expect(holds({ field: 'title', op: 'gt', value: 'A' })).toBe(false);
    expect(holds({ field: 'critical', op: 'eq', value: true })).toBe(true);
    expect(holds({ field: 'critical', op: 'ne', value: true })).toBe(false);
    expect(holds({ field: 'critical', op: 'gt', value: false })).toBe(false);
  });

  it('treats mismatched kinds as false rather than throwing', () => {
    expect(holds({ field: 'quantity', op: 'eq', value: '12' })).toBe(false);
    expect(holds({ field: 'quantity', op: 'ne', value: '12' })).toBe(false);
    expect(holds({ field: 'critical', op: 'eq', value: 1 })).toBe(false);
    expect(holds({ field: 'due_on', op: 'gt', value: 'soon' })).toBe(false);
    expect(holds({ field: 'due_on', op: 'gt', value: 5 })).toBe(false);
    expect(holds({ field: 'title', op: 'contains', value: 5 })).toBe(false);
    expect(holds({ field: 'quantity', op: 'contains', value: '1' })).toBe(false);
    expect(holds({ field: 'quantity', op: 'in', value: 12 })).toBe(false);
    expect(holds({ field: 'quantity', op: 'eq', value: [12] })).toBe(false);
    expect(holds({ field: 'quantity', op: 'eq' })).toBe(false);
    expect(holds({ field: 'custom.tags', op: 'eq', value: 'paint' })).toBe(false);
  });

  it('treats undefined, null, empty text and an empty list as empty', () => {
    for (const value of [undefined, null, '', []] as const) {
      expect(isEmptyValue(value)).toBe(true);
      expect(holds({ field: 'x', op: 'is_empty' }, { x: value })).toBe(true);
      expect(holds({ field: 'x', op: 'is_set' }, { x: value })).toBe(false);
    }
    for (const value of [0, false, 'a', ['a']] as const) {
      expect(holds({ field: 'x', op: 'is_set' }, { x: value })).toBe(true);
    }
    expect(holds({ field: 'missing', op: 'is_empty' })).toBe(true);
  });

  it('says an empty field differs from any value but is neither above nor below it', () => {
    expect(holds({ field: 'custom.batch', op: 'eq', value: 'B1' })).toBe(false);
    expect(holds({ field: 'custom.batch', op: 'ne', value: 'B1' })).toBe(true);
    expect(holds({ field: 'closed_at', op: 'lt', value: '2030-01-01' })).toBe(false);
    expect(holds({ field: 'closed_at', op: 'gte', value: '2000-01-01' })).toBe(false);
    expect(holds({ field: 'closed_at', op: 'eq', value: null })).toBe(true);
    expect(holds({ field: 'quantity', op: 'ne', value: null })).toBe(true);
  });

  it('tests lists with in and not_in, a multi value matching on any of its values', () => {
    expect(holds({ field: 'disposition', op: 'in', value: ['rework', 'scrap'] })).toBe(true);
    expect(holds({ field: 'disposition', op: 'not_in', value: ['rework', 'scrap'] })).toBe(false);
    expect(holds({ field: 'disposition', op: 'not_in', value: ['use_as_is'] })).toBe(true);
    expect(holds({ field: 'quantity', op: 'in', value: [1, 12] })).toBe(true);
    expect(holds({ field: 'custom.tags', op: 'in', value: ['weld', 'paint'] })).toBe(true);
    expect(holds({ field: 'custom.tags', op: 'not_in', value: ['weld'] })).toBe(true);
    expect(holds({ field: 'custom.tags', op: 'not_in', value: ['paint'] })).toBe(false);
    expect(holds({ field: 'closed_at', op: 'in', value: ['2026-01-01'] })).toBe(false);
    expect(holds({ field: 'closed_at', op: 'not_in', value: ['2026-01-01'] })).toBe(true);
  });

  it('finds text case-insensitively and list members exactly with contains', () => {
    expect(holds({ field: 'title', op: 'contains', value: 'BLISTER' })).toBe(true);
    expect(holds({ field: 'title', op: 'contains', value: 'weld' })).toBe(false);
    expect(holds({ field: 'custom.tags', op: 'contains', value: 'paint' })).toBe(true);
    expect(holds({ field: 'custom.tags', op: 'contains', value: 'weld' })).toBe(false);
  });

  it('combines with all, any and not, empty all being true and empty any false', () => {
    const rework = { field: 'disposition', op: 'eq', value: 'rework' } as const;
    const big = { field: 'quantity', op: 'gt', value: 100 } as const;
    expect(holds({ all: [rework, big] })).toBe(false);
    expect(holds({ any: [rework, big] })).toBe(true);
    expect(holds({ not: big })).toBe(true);
    expect(
      holds({ all: [rework, { not: { any: [big, { field: 'critical', op: 'eq', value: false }] } }] }),
    ).toBe(true);
    expect(holds({ all: [] })).toBe(true);
    expect(holds({ any: [] })).toBe(false);
  });

  it('does not read inherited properties as fields', () => {
    expect(holds({ field: 'constructor', op: 'is_set' }, {})).toBe(false);
  });
});

describe('checkCondition', () => {
  const problems = (condition: Condition) => checkCondition(condition, catalogue, 'guard');

  it('accepts a well-typed guard of every kind', () => {
    const guard: Condition = {
      all: [
        { field: 'title', op: 'contains', value: 'door' },
        { field: 'quantity', op: 'gte', value: 1 },
        { field: 'critical', op: 'eq', value: false },
        { field: 'due_on', op: 'lt', value: '2026-12-31' },
        { field: 'detected_at', op: 'gt', value: '2026-01-01T00:00:00Z' },
        { field: 'detected_at', op: 'gt', value: '2026-01-01' },
        { field: 'disposition', op: 'in', value: ['rework', 'scrap'] },
        { field: 'custom.tags', op: 'contains', value: 'weld' },
        { field: 'owner_id', op: 'eq', value: USERS.bob },
        { field: 'product_id', op: 'is_set' },
        { not: { field: 'custom.batch', op: 'is_empty' } },
      ],
    };
    expect(problems(guard)).toEqual([]);
  });

  it('names an unknown field', () => {
    expect(problems({ any: [{ field: 'colour', op: 'is_set' }] })).toEqual([
      { path: 'guard.any.0.field', message: 'There is no field colour' },
    ]);
  });

  it('refuses an operator the kind does not support', () => {
    expect(problems({ field: 'critical', op: 'gt', value: true })[0]?.path).toBe('guard.op');
    expect(problems({ field: 'quantity', op: 'contains', value: 1 })[0]?.message).toBe(
      'quantity cannot be compared with contains',
    );
    expect(problems({ field: 'disposition', op: 'lt', value: 'scrap' })).toHaveLength(1);
    expect(problems({ field: 'custom.tags', op: 'eq', value: 'paint' })).toHaveLength(1);
  });

  it('refuses values of the wrong type and choices that do not exist', () => {
    expect(problems({ field: 'quantity', op: 'eq', value: '3' })).toEqual([
      { path: 'guard.value', message: 'quantity takes a number' },
    ]);
    expect(problems({ field: 'due_on', op: 'eq', value: '2026-03-01T00:00:00Z' })[0]?.message).toMatch(
      /YYYY-MM-DD/,
    );
    expect(problems({ field: 'due_on', op: 'eq', value: '2026-02-30' })).toHaveLength(1);
    expect(problems({ field: 'critical', op: 'eq', value: 'yes' })).toHaveLength(1);
    expect(problems({ field: 'owner_id', op: 'eq', value: 'alice' })).toHaveLength(1);
    expect(problems({ field: 'disposition', op: 'eq', value: 'burn' })[0]?.message).toMatch(
      /burn is not a choice/,
    );
    expect(problems({ field: 'disposition', op: 'in', value: ['scrap', 'burn'] })).toEqual([
      expect.objectContaining({ path: 'guard.value.1' }),
    ]);
    expect(problems({ field: 'quantity', op: 'eq', value: null })[0]?.message).toMatch(/is_empty/);
  });

  it('wants a value where the operator compares, a list for in and none for is_set', () => {
    expect(problems({ field: 'quantity', op: 'gt' })[0]?.message).toBe('gt needs a value');
    expect(problems({ field: 'disposition', op: 'in', value: 'scrap' })[0]?.message).toBe(
      'in needs a list of values',
    );
    expect(problems({ field: 'disposition', op: 'not_in', value: [] })).toHaveLength(1);
    expect(problems({ field: 'quantity', op: 'eq', value: [1] })).toHaveLength(1);
    expect(problems({ field: 'quantity', op: 'is_set', value: 1 })[0]?.message).toBe('is_set takes no value');
    expect(problems({ field: 'quantity', op: 'is_empty', value: null })).toHaveLength(1);
  });

  it('limits nesting to five levels and a guard to fifty comparisons', () => {
    const leaf: Condition = { field: 'quantity', op: 'is_set' };
    let five: Condition = leaf;
    for (let i = 0; i < 5; i++) five = { not: five };
    expect(problems(five)).toEqual([]);
    expect(problems({ not: five })).toEqual([
      { path: 'guard.not.not.not.not.not.not', message: 'Nest conditions at most 5 levels deep' },
    ]);
    const many = (n: number): Condition => ({
      any: [{ all: Array(20).fill(leaf) }, { all: Array(n - 20).fill(leaf) }],
    });
    expect(problems(many(50))).toEqual([]);
    expect(problems(many(51))).toEqual([
      { path: 'guard', message: 'Use at most 50 comparisons (this has 51)' },
    ]);
  });

  it('lists the fields a condition names', () => {
    expect(
      conditionFields({
        all: [{ field: 'a', op: 'is_set' }, { not: { any: [{ field: 'b', op: 'is_set' }] } }],
      }),
    ).toEqual(['a', 'b']);
  });
});

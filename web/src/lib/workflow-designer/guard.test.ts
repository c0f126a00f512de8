import { type Condition, conditionSchema } from '@plantline/schema/workflow';
import { describe, expect, it } from 'vitest';
import {
  blankRow,
  conditionFromModel,
  describeCondition,
  type GuardField,
  type GuardModel,
  modelFromCondition,
  opLabel,
  opsFor,
  rowProblem,
  valueInputFor,
  withField,
} from './guard';

const list: GuardField[] = [
  { ref: 'disposition', label: 'Disposition', kind: 'choice', choices: ['use_as_is', 'rework', 'scrap'] },
  { ref: 'quantity', label: 'Quantity', kind: 'number' },
  { ref: 'owner_id', label: 'Owner', kind: 'user' },
  { ref: 'custom.batch', label: 'Batch', kind: 'text' },
  { ref: 'custom.urgent', label: 'Urgent', kind: 'boolean' },
  { ref: 'due_at', label: 'Due', kind: 'date' },
];
const fields = new Map(list.map((f) => [f.ref, f]));
const field = (ref: string) => fields.get(ref);

describe('operators and inputs by kind', () => {
  it('offers ordering only where it means something', () => {
    expect(opsFor('number')).toContain('gt');
    expect(opsFor('choice')).not.toContain('gt');
    expect(opsFor('boolean')).toEqual(['eq', 'is_set', 'is_empty']);
  });

  it('words operators for dates as before and after', () => {
    expect(opLabel('gt', 'date')).toBe('is after');
    expect(opLabel('gt', 'number')).toBe('is greater than');
    expect(opLabel('in', 'choice')).toBe('is one of');
  });

  it('shows the choices of a choice field, a list for one-of, nothing for emptiness', () => {
    expect(valueInputFor('choice', 'eq')).toBe('choice');
    expect(valueInputFor('choice', 'in')).toBe('choice-list');
    expect(valueInputFor('text', 'not_in')).toBe('text-list');
    expect(valueInputFor('user', 'eq')).toBe('user');
    expect(valueInputFor('number', 'is_empty')).toBe('none');
    expect(valueInputFor('datetime', 'lt')).toBe('date');
  });
});

describe('changing a row’s field', () => {
  it('keeps an operator the new kind offers and drops a value of another kind', () => {
    const row = { field: 'quantity', op: 'gt' as const, value: '5', values: [] };
    expect(withField(row, field('due_at'), field('quantity'))).toEqual({
      field: 'due_at',
      op: 'gt',
      value: '',
      values: [],
    });
    expect(withField(row, field('disposition'), field('quantity'))).toMatchObject({ op: 'eq', value: '' });
  });

  it('starts a yes/no field at yes', () => {
    expect(withField(blankRow(), field('custom.urgent'), undefined)).toMatchObject({
      op: 'eq',
      value: 'true',
    });
  });
});

describe('row problems', () => {
  it('asks for a field, then a value that fits', () => {
    expect(rowProblem(blankRow(), undefined)).toBe('Choose a field.');
    expect(rowProblem({ field: 'quantity', op: 'gt', value: 'lots', values: [] }, field('quantity'))).toBe(
      'Enter a number.',
    );
    expect(rowProblem({ field: 'disposition', op: 'eq', value: '', values: [] }, field('disposition'))).toBe(
      'Choose a value.',
    );
    expect(rowProblem({ field: 'disposition', op: 'in', value: '', values: [] }, field('disposition'))).toBe(
      'Choose at least one value.',
    );
    expect(
      rowProblem({ field: 'owner_id', op: 'is_set', value: '', values: [] }, field('owner_id')),
    ).toBeNull();
  });
});

describe('model ⇄ condition', () => {
  const roundTrip = (condition: Condition) => {
    const model = modelFromCondition(condition);
    expect(model).not.toBeNull();
    return conditionFromModel(model as GuardModel, fields);
  };

  it('shows no guard as no groups, and no groups as no guard', () => {
    expect(modelFromCondition(null)).toEqual({ join: 'all', groups: [] });
    expect(modelFromCondition({ all: [] })).toEqual({ join: 'all', groups: [] });
    expect(conditionFromModel({ join: 'all', groups: [] }, fields)).toBeNull();
  });

  it('round-trips one comparison, typed by the field’s kind', () => {
    const condition: Condition = { field: 'quantity', op: 'gte', value: 5 };
    expect(modelFromCondition(condition)?.groups[0]?.rows[0]).toEqual({
      field: 'quantity',
      op: 'gte',
      value: '5',
      values: [],
    });
    expect(roundTrip(condition)).toEqual(condition);
  });

  it('round-trips groups of rows joined by any and all', () => {
    const condition: Condition = {
      any: [
        { field: 'disposition', op: 'in', value: ['rework', 'scrap'] },
        {
          all: [
            { field: 'custom.urgent', op: 'eq', value: true },
            { field: 'owner_id', op: 'is_set' },
          ],
        },
      ],
    };
    const model = modelFromCondition(condition);
    expect(model?.join).toBe('any');
    expect(model?.groups.map((g) => g.rows.length)).toEqual([1, 2]);
    expect(roundTrip(condition)).toEqual(condition);
    expect(conditionSchema.safeParse(roundTrip(condition)).success).toBe(true);
  });

  it('shows a negated comparison as its opposite', () => {
    const model = modelFromCondition({ not: { field: 'disposition', op: 'eq', value: 'scrap' } });
    expect(model?.groups[0]?.rows[0]).toMatchObject({ op: 'ne', value: 'scrap' });
  });

  it('gives up on shapes the builder cannot show', () => {
    expect(modelFromCondition({ not: { all: [{ field: 'quantity', op: 'is_set' }] } })).toBeNull();
    expect(modelFromCondition({ not: { field: 'custom.batch', op: 'contains', value: 'x' } })).toBeNull();
    expect(
      modelFromCondition({ all: [{ any: [{ all: [{ field: 'quantity', op: 'is_set' }] }] }] }),
    ).toBeNull();
  });

  it('leaves out unfinished rows and empty groups', () => {
    const model: GuardModel = {
      join: 'all',
      groups: [
        {
          join: 'all',
          rows: [blankRow(), { field: 'custom.batch', op: 'contains', value: ' B12 ', values: [] }],
        },
        { join: 'any', rows: [] },
      ],
    };
    expect(conditionFromModel(model, fields)).toEqual({
      field: 'custom.batch',
      op: 'contains',
      value: 'B12',
    });
  });
});

describe('describeCondition', () => {
  it('says a guard in words, with user names', () => {
    const condition: Condition = {
      all: [
        { field: 'disposition', op: 'eq', value: 'use_as_is' },
        {
          any: [
            { field: 'owner_id', op: 'eq', value: 'u1' },
            { field: 'quantity', op: 'is_empty' },
          ],
        },
      ],
    };
    expect(describeCondition(condition, fields, new Map([['u1', 'Ada Quality']]))).toBe(
      'Disposition is use_as_is and (Owner is Ada Quality or Quantity is empty)',
    );
    expect(describeCondition({ not: { field: 'gone', op: 'in', value: [1, 2] } }, fields)).toBe(
      'not gone is one of 1, 2',
    );
  });
});

import { describe, expect, it } from 'vitest';
import { addFound, groupByType } from './results.js';

const row = (entityType: string, entityId: string, stage = 'code') => ({ entityType, entityId, stage });

describe('addFound', () => {
  it('keeps the first place of a record found twice and stops at the limit', () => {
    const first = addFound([], [row('product', '1'), row('order', '2')], 3);
    const second = addFound(first, [row('product', '1', 'text'), row('order', '3'), row('order', '4')], 3);
    expect(second).toEqual([row('product', '1'), row('order', '2'), row('order', '3')]);
  });

  it('tells apart records of different types with the same id', () => {
    expect(addFound([row('product', '1')], [row('order', '1')], 5)).toHaveLength(2);
  });
});

describe('groupByType', () => {
  it('orders groups by their best result and keeps rank order inside', () => {
    const groups = groupByType([row('order', '1'), row('product', '2'), row('order', '3')], (type) => ({
      label: `${type}s`,
      singular: type,
    }));
    expect(groups).toEqual([
      {
        entityType: 'order',
        label: 'orders',
        singular: 'order',
        results: [row('order', '1'), row('order', '3')],
      },
      { entityType: 'product', label: 'products', singular: 'product', results: [row('product', '2')] },
    ]);
    expect(groupByType([], () => ({ label: '', singular: '' }))).toEqual([]);
  });
});

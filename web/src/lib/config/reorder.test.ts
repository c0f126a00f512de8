import { describe, expect, it } from 'vitest';
import { dropIndex, mergeOrder, moveBy, moveItem, sameOrder } from './reorder';

const items = ['a', 'b', 'c', 'd'].map((id) => ({ id }));
const ids = (list: { id: string }[] | null) => list?.map((i) => i.id).join('');

describe('reordering', () => {
  it('moves an item to an index, clamped', () => {
    expect(moveItem(['a', 'b', 'c'], 0, 2)).toEqual(['b', 'c', 'a']);
    expect(moveItem(['a', 'b', 'c'], 2, -4)).toEqual(['c', 'a', 'b']);
    expect(moveItem(['a', 'b'], 5, 0)).toEqual(['a', 'b']);
  });

  it('moves by one place, not past the ends', () => {
    expect(ids(moveBy(items, 'b', -1))).toBe('bacd');
    expect(ids(moveBy(items, 'b', 1))).toBe('acbd');
    expect(moveBy(items, 'a', -1)).toBeNull();
    expect(moveBy(items, 'd', 1)).toBeNull();
  });

  it('drops before or after the row under the pointer', () => {
    // Dragging a (0) onto c's lower half puts it after c.
    expect(ids(moveItem(items, 0, dropIndex(0, 2, false)))).toBe('bcad');
    expect(ids(moveItem(items, 0, dropIndex(0, 2, true)))).toBe('bacd');
    expect(ids(moveItem(items, 3, dropIndex(3, 0, true)))).toBe('dabc');
    expect(ids(moveItem(items, 3, dropIndex(3, 0, false)))).toBe('adbc');
  });

  it('tells an unchanged order', () => {
    expect(sameOrder(items, [...items])).toBe(true);
    expect(sameOrder(items, moveItem(items, 0, 1))).toBe(false);
  });
});

describe('mergeOrder', () => {
  it('puts a reordered part back into the places it held', () => {
    const all = ['a', 'x', 'b', 'y', 'c'].map((id) => ({ id }));
    const part = ['c', 'a', 'b'].map((id) => ({ id }));
    expect(ids(mergeOrder(all, part))).toBe('cxayb');
  });
});

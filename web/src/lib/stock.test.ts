import { describe, expect, it } from 'vitest';
import { formatQuantity, instantOf, locationTree, type StockBalance, type StockLocation } from './stock';

const location = (id: string, code: string, parentId: string | null = null): StockLocation =>
  ({
    id,
    code,
    name: code,
    parentId,
    plantId: 'p',
    kind: 'warehouse',
    allowNegative: false,
    lineId: null,
    isActive: true,
  }) as StockLocation;
const balance = (
  locationId: string,
  materialCode: string,
  lotCode: string | null,
  quantity: string,
): StockBalance =>
  ({
    plantId: 'p',
    materialId: materialCode,
    materialCode,
    baseUnit: 'kg',
    lotId: lotCode,
    lotCode,
    locationId,
    locationCode: locationId,
    quantity,
  }) as StockBalance;

describe('the stock tree', () => {
  it('nests bins under warehouses by code, totalling each material below a location', () => {
    const tree = locationTree(
      [
        location('b2', 'WH-02', 'wh'),
        location('wh', 'WH'),
        location('b1', 'WH-01', 'wh'),
        location('gr', 'GR'),
      ],
      [
        balance('b1', 'RES', 'L1', '10.5'),
        balance('b2', 'RES', 'L2', '0.2'),
        balance('wh', 'BOLT', null, '4'),
        balance('b1', 'RES', 'L3', '0.1'),
      ],
    );
    expect(tree.map((n) => n.location.code)).toEqual(['GR', 'WH']);
    const wh = tree[1]!;
    expect(wh.children.map((n) => [n.location.code, n.depth])).toEqual([
      ['WH-01', 1],
      ['WH-02', 1],
    ]);
    expect(wh.totals).toEqual([
      { materialCode: 'BOLT', baseUnit: 'kg', quantity: 4 },
      { materialCode: 'RES', baseUnit: 'kg', quantity: 10.8 },
    ]);
    expect(wh.children[0]!.balances.map((b) => b.lotCode)).toEqual(['L1', 'L3']);
    expect(tree[0]!.totals).toEqual([]);
  });

  it('keeps a location whose parent is not listed, at the top', () => {
    expect(locationTree([location('b1', 'BIN', 'gone')], []).map((n) => n.location.code)).toEqual(['BIN']);
  });
});

describe('stock words', () => {
  it('formats quantities without trailing zeros, signed on request', () => {
    expect(formatQuantity('51.0')).toBe('51');
    expect(formatQuantity('1234.5')).toBe('1,234.5');
    expect(formatQuantity('-12', true)).toBe('-12');
    expect(formatQuantity('12', true)).toBe('+12');
  });

  it('reads a datetime-local value, empty or invalid as none', () => {
    expect(instantOf('')).toBeUndefined();
    expect(instantOf('nonsense')).toBeUndefined();
    expect(instantOf('2026-03-01T10:00')).toBeInstanceOf(Date);
  });
});

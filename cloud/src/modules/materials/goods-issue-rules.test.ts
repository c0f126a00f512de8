import { describe, expect, it } from 'vitest';
import {
  allocateGoods,
  fromUnits,
  type GoodsNeed,
  type StockOnHand,
  shortageSentence,
  toUnits,
} from './goods-issue-rules.js';

/* Where a shipment's goods issue takes its stock from (docs/materials.md, "Goods issue on shipping"). */

const on = (fields: Partial<StockOnHand> & Pick<StockOnHand, 'locationCode' | 'quantity'>): StockOnHand => ({
  materialId: 'M',
  lotId: null,
  lotReleased: false,
  lotExpiresOn: null,
  lotCreatedAt: null,
  lotCode: null,
  locationId: fields.locationCode,
  atShipping: false,
  ...fields,
});

const lotOn = (lot: string, fields: Partial<StockOnHand> & Pick<StockOnHand, 'locationCode' | 'quantity'>) =>
  on({ lotId: lot, lotCode: lot, lotReleased: true, ...fields });

const need = (fields: Partial<GoodsNeed> & Pick<GoodsNeed, 'quantity'>): GoodsNeed => ({
  materialId: 'M',
  code: 'BRK-100',
  lotTracked: false,
  lotCode: null,
  lotId: null,
  ...fields,
});

const takes = (result: ReturnType<typeof allocateGoods>) =>
  result.takes.map((t) => `${t.lotId ?? '-'}@${t.locationId}:${t.quantity}`);

describe('the goods issue’s choice of stock', () => {
  it('takes shipping locations first, then the largest balance, then the code', () => {
    const stock = [
      on({ locationCode: 'WH-B', quantity: '30' }),
      on({ locationCode: 'WH-A', quantity: '30' }),
      on({ locationCode: 'FG', quantity: '80' }),
      on({ locationCode: 'DOCK', quantity: '5', atShipping: true }),
    ];
    const result = allocateGoods([need({ quantity: '120' })], stock, []);
    expect(takes(result)).toEqual(['-@DOCK:5', '-@FG:80', '-@WH-A:30', '-@WH-B:5']);
    expect(result.shortages).toEqual([]);
  });

  it('takes a named lot only, and any released lot first-expiry-first-out when none is named', () => {
    const stock = [
      lotOn('L-OLD', { locationCode: 'FG', quantity: '10', lotExpiresOn: '2027-01-01' }),
      lotOn('L-NEW', { locationCode: 'DOCK', quantity: '10', atShipping: true, lotExpiresOn: '2027-06-01' }),
      lotOn('L-NONE', { locationCode: 'DOCK', quantity: '10', atShipping: true }),
      lotOn('L-HELD', { locationCode: 'DOCK', quantity: '10', atShipping: true, lotReleased: false }),
    ];
    const tracked = { lotTracked: true };
    const result = allocateGoods(
      [
        need({ ...tracked, quantity: '15' }),
        need({ ...tracked, lotCode: 'L-NEW', lotId: 'L-NEW', quantity: '4' }),
      ],
      stock,
      [],
    );
    // The named lot is served first; the rest of it then goes by expiry after L-OLD.
    expect(takes(result)).toEqual(['L-NEW@DOCK:4', 'L-OLD@FG:10', 'L-NEW@DOCK:5']);
  });

  it('reports what is short and takes nothing for it', () => {
    const stock = [lotOn('L-1', { locationCode: 'DOCK', quantity: '40' })];
    const short = need({ lotTracked: true, lotCode: 'L-1', lotId: 'L-1', quantity: '50' });
    const unknown = need({ lotTracked: true, lotCode: 'L-9', quantity: '1' });
    const result = allocateGoods([short, unknown], stock, []);
    expect(result.takes).toEqual([]);
    expect(result.shortages.map((s) => shortageSentence(s, 'P1'))).toEqual([
      'Lot L-1 of BRK-100: 40 in stock at plant P1, 50 packed',
      'Lot L-9 of BRK-100: 0 in stock at plant P1, 1 packed',
    ]);
    const anyLot = allocateGoods([need({ lotTracked: true, quantity: '3' })], [], []);
    expect(shortageSentence(anyLot.shortages[0]!, 'P1')).toBe(
      'BRK-100: 0 in released lots at plant P1, 3 packed',
    );
  });

  it('lets a location that allows negative stock take the rest of a material without lots', () => {
    const negative = [
      { locationId: 'LINE', locationCode: 'LINE', atShipping: false },
      { locationId: 'DOCK-2', locationCode: 'DOCK-2', atShipping: true },
    ];
    const result = allocateGoods(
      [need({ quantity: '12.5' })],
      [on({ locationCode: 'FG', quantity: '10' })],
      negative,
    );
    expect(takes(result)).toEqual(['-@FG:10', '-@DOCK-2:2.5']);
    const tracked = allocateGoods([need({ lotTracked: true, quantity: '1' })], [], negative);
    expect(tracked.shortages).toHaveLength(1);
  });

  it('adds decimals exactly', () => {
    expect(fromUnits(toUnits('0.1') + toUnits('0.2'))).toBe('0.3');
    expect(fromUnits(toUnits('-1.50'))).toBe('-1.5');
    const result = allocateGoods(
      [need({ quantity: '0.3' })],
      [on({ locationCode: 'A', quantity: '0.1' }), on({ locationCode: 'B', quantity: '0.2' })],
      [],
    );
    expect(takes(result)).toEqual(['-@B:0.2', '-@A:0.1']);
  });
});

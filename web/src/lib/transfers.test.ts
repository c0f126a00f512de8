import { describe, expect, it } from 'vitest';
import {
  finishInput,
  finishLines,
  parseTransferFilter,
  transferFilterQuery,
  transferResultLabel,
  validateFinish,
  validateNewTransfer,
} from './transfers';

describe('the transfer list filter', () => {
  it('reads outgoing open transfers by default and leaves defaults out of the URL', () => {
    const filter = parseTransferFilter(new URLSearchParams());
    expect(filter).toEqual({ direction: 'outgoing', status: ['draft', 'picking', 'in_transit'], text: '' });
    expect(transferFilterQuery(filter)).toEqual({ direction: null, status: null, q: null });
    const incoming = parseTransferFilter(
      new URLSearchParams('direction=incoming&status=received,bogus&q=TRF'),
    );
    expect(incoming).toEqual({ direction: 'incoming', status: ['received'], text: 'TRF' });
    expect(transferFilterQuery(incoming)).toEqual({ direction: 'incoming', status: 'received', q: 'TRF' });
  });
});

describe('a new transfer', () => {
  it('needs two different plants and a positive quantity on every line', () => {
    expect(
      validateNewTransfer({
        fromPlantId: 'a',
        toPlantId: 'a',
        carrierId: '',
        note: '',
        items: [{ productId: '', quantity: '0', lot: '' }],
      }),
    ).toEqual({
      toPlantId: 'The same plant it leaves',
      'product-0': 'Choose a product',
      'quantity-0': 'Must be above zero',
    });
    expect(
      validateNewTransfer({ fromPlantId: '', toPlantId: '', carrierId: '', note: '', items: [] }),
    ).toEqual({
      fromPlantId: 'Choose the plant it leaves',
      toPlantId: 'Choose the plant it goes to',
      items: 'Add at least one product',
    });
  });
});

describe('finishing receiving', () => {
  const items = [
    { id: 'i1', lineNo: 1, productCode: 'BRK-100', packedQuantity: 6, receivedQuantity: 3 },
    { id: 'i2', lineNo: 2, productCode: 'BRK-200', packedQuantity: 4, receivedQuantity: 3 },
    { id: 'i3', lineNo: 3, productCode: 'BRK-300', packedQuantity: 2, receivedQuantity: 2 },
  ];
  const packages = [
    { status: 'received', contents: [{ transferItemId: 'i1', quantity: 3 }] },
    { status: 'shipped', contents: [{ transferItemId: 'i1', quantity: 3 }] },
  ];

  it('suggests a missing package where unscanned packages explain the shortfall, else short', () => {
    const lines = finishLines(items, packages);
    expect(lines.map((l) => [l.productCode, l.counted, l.reason])).toEqual([
      ['BRK-100', '3', 'missing_package'],
      ['BRK-200', '3', 'short'],
      ['BRK-300', '2', ''],
    ]);
    expect(validateFinish(lines)).toEqual({});
  });

  it('asks a reason for a count that differs, and sends counts with reasons', () => {
    const lines = finishLines(items, packages).map((l) => (l.itemId === 'i3' ? { ...l, counted: '1' } : l));
    expect(validateFinish(lines)).toEqual({ 'reason-i3': '1 of 2 arrived: choose why' });
    expect(validateFinish([{ ...lines[0]!, counted: '-1' }])).toEqual({
      'counted-i1': 'Enter what arrived (0 or more)',
    });
    expect(finishInput([{ ...lines[1]!, note: ' torn ' }])).toEqual([
      { itemId: 'i2', receivedQuantity: 3, reason: 'short', note: 'torn' },
    ]);
  });
});

describe('station answers', () => {
  it('read as receiving at the receiving station', () => {
    expect(transferResultLabel('ok', 'receive')).toBe('Received');
    expect(transferResultLabel('duplicate', 'receive')).toBe('Already received');
    expect(transferResultLabel('duplicate', 'pack')).toBe('Already packed');
    expect(transferResultLabel('not_in_shipment', 'pack')).toBe('Not in this transfer');
    expect(transferResultLabel('bad_check_digit', 'receive')).toBe('Bad check digit');
  });
});

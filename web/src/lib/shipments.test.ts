import { describe, expect, it } from 'vitest';
import {
  answerTone,
  emptyShipment,
  GS,
  type NewShipmentValues,
  newShipmentInput,
  packageTree,
  packedPercent,
  parseShipmentFilter,
  plantDate,
  readableScanData,
  resultLabel,
  scanData,
  shipmentFilterQuery,
  statusLabel,
  statusTone,
  validateNewShipment,
  withProgress,
} from './shipments';

describe('shipments in the web', () => {
  it('reads the list filter from the URL, open shipments by default, and writes it back', () => {
    const customer = '0193a0c4-5b6e-7d8f-9a0b-1c2d3e4f5a6b';
    expect(parseShipmentFilter(new URLSearchParams(''))).toEqual({
      status: ['draft', 'picking', 'packed'],
      customerId: '',
      text: '',
    });
    const chosen = parseShipmentFilter(
      new URLSearchParams(`status=shipped,bogus,draft&q=SHP-1&customer=${customer}`),
    );
    expect(chosen).toEqual({ status: ['shipped', 'draft'], customerId: customer, text: 'SHP-1' });
    expect(shipmentFilterQuery(chosen)).toEqual({ status: 'draft,shipped', customer, q: 'SHP-1' });
    expect(
      shipmentFilterQuery({ status: ['packed', 'draft', 'picking'], customerId: '', text: ' ' }),
    ).toEqual({ status: null, customer: null, q: null });
    expect(shipmentFilterQuery({ status: [], customerId: '', text: '' })).toEqual({
      status: '',
      customer: null,
      q: null,
    });
    expect(parseShipmentFilter(new URLSearchParams('status='))).toEqual({
      status: [],
      customerId: '',
      text: '',
    });
    // Something that is no id in the URL (a typo, an old link) filters nothing.
    expect(parseShipmentFilter(new URLSearchParams('customer=ACME')).customerId).toBe('');
  });

  it('shows the group separator of scanned data where a person can see it', () => {
    expect(readableScanData('0109521234100010\u001d10L-1\u001d3040')).toBe(
      '0109521234100010⟨GS⟩10L-1⟨GS⟩3040',
    );
    expect(readableScanData('(01)09521234100010')).toBe('(01)09521234100010');
  });

  it('names statuses and scan results, and colours them', () => {
    expect(statusLabel('picking')).toBe('Picking');
    expect(statusTone('draft')).toBe('open');
    expect(statusTone('delivered')).toBe('good');
    expect(statusTone('cancelled')).toBe('ended');
    expect(resultLabel('wrong_lot')).toBe('Wrong lot');
    expect(resultLabel('something_new')).toBe('something_new');
    expect(answerTone('ok')).toBe('ok');
    expect(answerTone('expired')).toBe('refused');
  });

  it('fills progress bars in whole percent, never above 100', () => {
    expect(packedPercent(1, 3)).toBe(33);
    expect(packedPercent(3, 3)).toBe(100);
    expect(packedPercent(4, 3)).toBe(100);
    expect(packedPercent(0, 0)).toBe(0);
  });

  it('applies a live message to the shipment it concerns', () => {
    const shipment = {
      status: 'draft',
      version: 1,
      number: 'SHP-1',
      items: [
        { id: 'a', packedQuantity: 0, quantity: 2 },
        { id: 'b', packedQuantity: 0, quantity: 1 },
      ],
    };
    const updated = withProgress(shipment, {
      status: 'picking',
      version: 2,
      items: [{ id: 'a', packedQuantity: 1, quantity: 2 }],
      lastScan: { id: 's', result: 'ok', message: '1 × BRK-100 packed: 1 to go' },
    });
    expect(updated).toEqual({
      status: 'picking',
      version: 2,
      number: 'SHP-1',
      items: [
        { id: 'a', packedQuantity: 1, quantity: 2 },
        { id: 'b', packedQuantity: 0, quantity: 1 },
      ],
    });
  });

  it('hands scanner data over with its symbology identifier, without the Enter', () => {
    expect(scanData(`0109521234543213${GS}10L-1`, ']d2')).toBe(`]d20109521234543213${GS}10L-1`);
    expect(scanData('010952123454321310L-1#21X\r\n')).toBe('010952123454321310L-1#21X');
    expect(scanData(']C1010952123454321', ']C1')).toBe(']C1010952123454321');
    expect(scanData('https://id.gs1.org/01/09521234543213', ']Q1')).toBe(
      ']Q1https://id.gs1.org/01/09521234543213',
    );
  });

  it('puts cartons under their pallet', () => {
    const tree = packageTree([
      { id: 'c1', parentId: null },
      { id: 'p1', parentId: null },
      { id: 'c2', parentId: 'p1' },
      { id: 'c3', parentId: 'gone' },
    ]);
    expect(tree.map((p) => [p.id, p.children.map((c) => c.id)])).toEqual([
      ['c1', []],
      ['p1', ['c2']],
      ['c3', []],
    ]);
  });
});

describe('the new-shipment form', () => {
  const filled = (): NewShipmentValues => ({
    ...emptyShipment(),
    customerId: 'c',
    shipToId: 'a',
    requests: { r1: '', r2: '3' },
    products: [{ productId: 'p', quantity: '2', lot: ' L-17 ' }],
  });

  it('asks for a consignee and at least one line, with sensible quantities', () => {
    expect(validateNewShipment(emptyShipment())).toEqual({
      customerId: 'Choose a customer',
      shipToId: 'Choose where it goes',
      products: 'Add a delivery request or a product',
    });
    expect(validateNewShipment(filled())).toEqual({});
    const bad = {
      ...filled(),
      customerPo: 'P'.repeat(31),
      requests: { r1: '0' },
      products: [{ productId: '', quantity: 'x', lot: '' }],
    };
    expect(validateNewShipment(bad)).toEqual({
      customerPo: 'At most 30 characters (AI 400)',
      'request-r1': 'Must be above zero',
      'product-0': 'Choose a product',
      'quantity-0': 'Enter a quantity',
    });
  });

  it('sends what the API takes: all of a request unless a quantity is given, lots trimmed', () => {
    expect(newShipmentInput('plant', { ...filled(), plannedShipDate: '2026-03-09', note: ' ' })).toEqual({
      plantId: 'plant',
      customerId: 'c',
      shipToId: 'a',
      plannedShipDate: '2026-03-09',
      requests: [{ requestId: 'r1' }, { requestId: 'r2', quantity: 3 }],
      products: [{ productId: 'p', quantity: 2, lot: 'L-17' }],
    });
  });
});

describe('the plant’s calendar', () => {
  it('dates an instant in the plant’s zone', () => {
    const at = new Date('2026-03-01T23:30:00Z');
    expect(plantDate(at, 'UTC')).toBe('2026-03-01');
    expect(plantDate(at, 'Europe/Berlin')).toBe('2026-03-02');
  });
});

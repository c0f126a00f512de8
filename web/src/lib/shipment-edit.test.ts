import { describe, expect, it } from 'vitest';
import { editable, editValues, shipmentEditInput, validateShipmentEdit } from './shipment-edit';
import type { Shipment } from './shipments';

const item = (id: string, quantity: number, packedQuantity: number) =>
  ({
    id,
    lineNo: Number(id.slice(-1)),
    productCode: `P-${id}`,
    quantity,
    packedQuantity,
  }) as Shipment['items'][number];

const shipment = {
  id: 's1',
  version: 4,
  status: 'picking',
  carrierId: 'c1',
  trackingNumber: '',
  plannedShipDate: '2026-12-07',
  customerPo: 'AT-77088',
  note: '',
  items: [item('i1', 40, 12), item('i2', 30, 0)],
} as unknown as Shipment;

describe('editing a shipment in the web', () => {
  it('edits drafts and shipments being picked only', () => {
    expect(editable({ status: 'draft' })).toBe(true);
    expect(editable({ status: 'picking' })).toBe(true);
    expect(editable({ status: 'packed' })).toBe(false);
    expect(editable({ status: 'shipped' })).toBe(false);
  });

  it('sends nothing when nothing changed, and only what changed otherwise', () => {
    const values = editValues(shipment);
    expect(validateShipmentEdit(shipment, values)).toEqual({});
    expect(shipmentEditInput(shipment, values)).toBeNull();
    const changed = {
      ...values,
      carrierId: '',
      trackingNumber: ' 1Z999 ',
      note: 'Call before delivery',
      quantities: { ...values.quantities, i1: '36' },
      remove: ['i2'],
      products: [{ productId: 'p9', quantity: '5', lot: ' L-9 ' }],
    };
    expect(shipmentEditInput(shipment, changed)).toEqual({
      id: 's1',
      expectedVersion: 4,
      patch: { carrierId: null, trackingNumber: '1Z999', note: 'Call before delivery' },
      removeItemIds: ['i2'],
      quantities: [{ itemId: 'i1', quantity: 36 }],
      addProducts: [{ productId: 'p9', quantity: 5, lot: 'L-9' }],
    });
  });

  it('says what the cloud would refuse before sending it', () => {
    const values = editValues(shipment);
    expect(
      validateShipmentEdit(shipment, {
        ...values,
        customerPo: 'X'.repeat(31),
        trackingNumber: 'T'.repeat(65),
        quantities: { i1: '10', i2: 'many' },
        products: [{ productId: '', quantity: '0', lot: '' }],
      }),
    ).toEqual({
      customerPo: 'At most 30 characters (AI 400)',
      trackingNumber: 'At most 64 characters',
      'line-i1': 'At least 12: that many are packed',
      'line-i2': 'Enter a quantity',
      'product-0': 'Choose a product',
      'quantity-0': 'Must be above zero',
    });
    const single = { ...shipment, items: [item('i2', 30, 0)] } as unknown as Shipment;
    expect(validateShipmentEdit(single, { ...editValues(single), remove: ['i2'] })).toEqual({
      lines: 'Keep at least one line',
    });
  });
});

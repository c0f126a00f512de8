import { describe, expect, it } from 'vitest';
import {
  emptyOrder,
  newOrderInput,
  OPEN_STATUSES,
  ORDER_STATUSES,
  parseStatusFilter,
  statusTone,
  validateNewOrder,
} from './orders';

describe('production orders in the web', () => {
  it('reads the status filter from the URL, the open orders by default', () => {
    expect(parseStatusFilter(new URLSearchParams())).toEqual(OPEN_STATUSES);
    expect(parseStatusFilter(new URLSearchParams({ status: 'completed,cancelled' }))).toEqual([
      'completed',
      'cancelled',
    ]);
    expect(parseStatusFilter(new URLSearchParams({ status: 'nonsense' }))).toEqual(OPEN_STATUSES);
  });

  it('badges released and started orders, and strikes cancelled ones through', () => {
    expect(ORDER_STATUSES.map(statusTone)).toEqual(['draft', 'open', 'good', 'draft', 'ended']);
  });

  it('checks a new order as the API will', () => {
    expect(validateNewOrder(emptyOrder(), 'UTC')).toEqual({
      productId: 'Choose a product',
      quantity: 'Enter a quantity',
    });
    expect(
      validateNewOrder({ ...emptyOrder(), productId: 'p', quantity: '0', dueAt: 'tomorrow' }, 'UTC'),
    ).toEqual({ quantity: 'Must be above zero', dueAt: 'Enter a date and time' });
    expect(validateNewOrder({ ...emptyOrder(), productId: 'p', quantity: '12.5' }, 'UTC')).toEqual({});
  });

  it('sends the due time as the plant’s wall time, and leaves the number to the sequence when empty', () => {
    const values = {
      ...emptyOrder(),
      productId: 'p',
      quantity: ' 500 ',
      dueAt: '2026-11-26T14:00',
      note: ' rush ',
    };
    expect(newOrderInput(values, 'plant', 'Europe/Berlin')).toEqual({
      plantId: 'plant',
      productId: 'p',
      lineId: null,
      quantity: 500,
      dueAt: '2026-11-26T13:00:00.000Z',
      note: 'rush',
    });
    expect(newOrderInput({ ...values, number: ' PO-HAND-1 ', lineId: 'l' }, 'plant', 'UTC')).toMatchObject({
      number: 'PO-HAND-1',
      lineId: 'l',
    });
  });
});

import { describe, expect, it } from 'vitest';
import {
  type DeliveryRequest,
  daysBetween,
  emptyRequest,
  formatDate,
  newRequestInput,
  parseRequestFilter,
  plantToday,
  requestFilterQuery,
  requestListInput,
  requestPatch,
  requestValuesOf,
  statusLabel,
  statusTone,
  validatePromise,
  validateRequest,
} from './delivery-requests';

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

function request(fields: Partial<DeliveryRequest> = {}): DeliveryRequest {
  return {
    id: id(1),
    customerId: id(2),
    shipToId: id(3),
    productId: id(4),
    quantity: 10,
    requestedDate: '2026-03-10',
    customerPo: 'PO-1',
    note: '',
    status: 'open',
    ...fields,
  } as DeliveryRequest;
}

describe('a request’s status', () => {
  it('reads as words with a tone', () => {
    expect(statusLabel('partially_shipped')).toBe('Partly shipped');
    expect(statusLabel('someday')).toBe('someday');
    expect([statusTone('open'), statusTone('shipped'), statusTone('cancelled')]).toEqual([
      'open',
      'good',
      'ended',
    ]);
  });
});

describe('plant dates', () => {
  it('take today from the plant’s calendar, not the browser’s', () => {
    const now = new Date('2026-03-31T23:30:00Z');
    expect(plantToday('Europe/Berlin', now)).toBe('2026-04-01');
    expect(plantToday('America/Chicago', now)).toBe('2026-03-31');
    expect(formatDate('2026-03-03')).toBe('Tue, 3 Mar 2026');
    expect(daysBetween('2026-03-03', '2026-03-06')).toBe(3);
    expect(daysBetween('2026-03-28', '2026-03-30')).toBe(2);
    expect(daysBetween('2026-03-06', '2026-03-03')).toBe(-3);
  });
});

describe('the list’s filter in the URL', () => {
  it('shows what is still to ship unless told otherwise', () => {
    expect(parseRequestFilter(new URLSearchParams())).toEqual({
      customerId: '',
      status: ['open', 'partially_shipped'],
      dueFrom: '',
      dueTo: '',
      text: '',
    });
    expect(parseRequestFilter(new URLSearchParams('status=any')).status).toEqual([]);
    const filter = parseRequestFilter(
      new URLSearchParams(`status=shipped,nonsense,shipped&customer=${id(2)}&from=2026-03-01&to=bad&q=PO`),
    );
    expect(filter).toEqual({
      customerId: id(2),
      status: ['shipped'],
      dueFrom: '2026-03-01',
      dueTo: '',
      text: 'PO',
    });
    expect(parseRequestFilter(new URLSearchParams('customer=../x')).customerId).toBe('');
  });

  it('writes the filter back without its defaults, and asks the API for it', () => {
    const shown = parseRequestFilter(new URLSearchParams());
    expect(requestFilterQuery(shown)).toEqual({
      customer: null,
      status: null,
      from: null,
      to: null,
      q: null,
    });
    expect(requestFilterQuery({ ...shown, status: [] }).status).toBe('any');
    expect(requestFilterQuery({ ...shown, status: ['cancelled'], text: ' x ' })).toMatchObject({
      status: 'cancelled',
      q: 'x',
    });
    expect(requestListInput(id(9), { ...shown, status: [], dueTo: '2026-03-31' })).toEqual({
      plantId: id(9),
      dueTo: '2026-03-31',
    });
  });
});

describe('the request form', () => {
  it('says what is missing and wrong', () => {
    expect(validateRequest(emptyRequest())).toEqual({
      customerId: 'Choose a customer',
      productId: 'Choose a product',
      quantity: 'Enter the quantity',
      requestedDate: 'Choose the date the customer asked for',
    });
    expect(
      validateRequest(
        emptyRequest({ customerId: id(2), productId: id(4), quantity: '0', requestedDate: '2026-03-10' }),
      ),
    ).toEqual({ quantity: 'More than 0' });
  });

  it('leaves the ship-to out for the customer’s default, and patches only what differs', () => {
    const values = emptyRequest({
      customerId: id(2),
      productId: id(4),
      quantity: ' 12.5 ',
      requestedDate: '2026-03-10',
    });
    expect(newRequestInput(values, id(9))).toEqual({
      plantId: id(9),
      customerId: id(2),
      productId: id(4),
      quantity: 12.5,
      requestedDate: '2026-03-10',
      customerPo: '',
      note: '',
    });
    const loaded = request();
    expect(requestPatch(requestValuesOf(loaded), loaded)).toBeNull();
    expect(
      requestPatch({ ...requestValuesOf(loaded), quantity: '12', customerPo: ' PO-2 ' }, loaded),
    ).toEqual({
      quantity: 12,
      customerPo: 'PO-2',
    });
    // Another customer without an address chosen: the cloud takes its default.
    expect(requestPatch({ ...requestValuesOf(loaded), customerId: id(5), shipToId: '' }, loaded)).toEqual({
      customerId: id(5),
    });
  });
});

describe('the promise form', () => {
  const today = '2026-03-02';

  it('needs a reason only after the first promise', () => {
    expect(validatePromise({ promisedDate: '2026-03-05', reason: '' }, { latest: null, today })).toEqual({});
    expect(
      validatePromise({ promisedDate: '2026-03-06', reason: '' }, { latest: '2026-03-05', today }),
    ).toEqual({
      reason: 'Say why the promised date moves',
    });
  });

  it('wants a date from today that moves the promise', () => {
    expect(validatePromise({ promisedDate: '', reason: '' }, { latest: null, today }).promisedDate).toBe(
      'Choose the date you promise',
    );
    expect(
      validatePromise({ promisedDate: '2026-03-01', reason: '' }, { latest: null, today }).promisedDate,
    ).toBe('A promise is a date from today (2026-03-02) on');
    expect(
      validatePromise({ promisedDate: '2026-03-05', reason: 'x' }, { latest: '2026-03-05', today })
        .promisedDate,
    ).toBe('2026-03-05 is already the promised date');
  });
});

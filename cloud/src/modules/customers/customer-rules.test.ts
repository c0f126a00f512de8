import { describe, expect, it } from 'vitest';
import {
  likePattern,
  promiseRefusal,
  requestStatusFor,
  searchWords,
  staleVersionMessage,
  trackingLink,
  trackingUrlInput,
  trackingUrlProblem,
} from './customer-rules.js';

describe('a carrier’s tracking page', () => {
  it('is an http(s) address with {tracking} in it', () => {
    expect(trackingUrlProblem('https://track.example.com/?id={tracking}')).toBeNull();
    expect(trackingUrlProblem('http://example.com/{tracking}/status')).toBeNull();
    expect(trackingUrlProblem('https://track.example.com/')).toBe(
      'Put {tracking} where the tracking number goes',
    );
    expect(trackingUrlProblem('javascript:alert({tracking})')).toBe(
      'Use a web address starting with https:// or http://',
    );
    expect(trackingUrlProblem('track {tracking} here')).toBe('Not a web address');
    expect(trackingUrlInput.parse('  ')).toBe('');
    expect(trackingUrlInput.safeParse(`https://x.example/${'a'.repeat(500)}{tracking}`).success).toBe(false);
  });

  it('links a tracking number, encoded, or nothing without a page or a number', () => {
    const carrier = { trackingUrl: 'https://track.example.com/?id={tracking}&lang=en' };
    expect(trackingLink(carrier, '1Z 999/AA1')).toBe('https://track.example.com/?id=1Z%20999%2FAA1&lang=en');
    expect(trackingLink(carrier, 'a&b=c#d')).toBe('https://track.example.com/?id=a%26b%3Dc%23d&lang=en');
    expect(trackingLink(carrier, '  ')).toBeNull();
    expect(trackingLink(carrier, null)).toBeNull();
    expect(trackingLink({ trackingUrl: '' }, '1Z999')).toBeNull();
  });
});

describe('a delivery request’s status', () => {
  it('follows what has shipped of its quantity', () => {
    expect(requestStatusFor('open', 10, 0)).toBe('open');
    expect(requestStatusFor('open', 10, 4)).toBe('partially_shipped');
    expect(requestStatusFor('partially_shipped', 10, 10)).toBe('shipped');
    expect(requestStatusFor('open', 10, 12)).toBe('shipped');
    // A shipment taken back (its status moved back) reopens the request.
    expect(requestStatusFor('shipped', 10, 0)).toBe('open');
    expect(requestStatusFor('cancelled', 10, 10)).toBe('cancelled');
  });
});

describe('a promise', () => {
  const today = '2026-03-02';

  it('needs no reason the first time, and one every time after', () => {
    expect(promiseRefusal({ promisedDate: '2026-03-05', reason: '' }, { latest: null, today })).toBeNull();
    expect(
      promiseRefusal({ promisedDate: '2026-03-06', reason: ' ' }, { latest: '2026-03-05', today }),
    ).toEqual({
      field: 'reason',
      message: 'Say why the promised date moves',
    });
    expect(
      promiseRefusal({ promisedDate: '2026-03-06', reason: 'Press down' }, { latest: '2026-03-05', today }),
    ).toBeNull();
  });

  it('is a date from today on that differs from the current one', () => {
    expect(promiseRefusal({ promisedDate: today, reason: '' }, { latest: null, today })).toBeNull();
    expect(promiseRefusal({ promisedDate: '2026-03-01', reason: '' }, { latest: null, today })).toEqual({
      field: 'promisedDate',
      message: 'A promise is a date from today (2026-03-02) on',
    });
    expect(
      promiseRefusal({ promisedDate: '2026-03-05', reason: 'Again' }, { latest: '2026-03-05', today }),
    ).toEqual({ field: 'promisedDate', message: '2026-03-05 is already the promised date' });
  });
});

describe('the little helpers', () => {
  it('name who changed a record since the editor opened it', () => {
    expect(staleVersionMessage('Customer ACME', null)).toBe(
      'Customer ACME was changed since you opened it; reload it and make your change again',
    );
    expect(
      staleVersionMessage('Customer ACME', {
        actorName: 'Pat Planner',
        at: new Date('2026-03-02T09:15:30Z'),
      }),
    ).toBe(
      'Customer ACME was changed since you opened it (by Pat Planner at 2026-03-02 09:15 UTC); reload it and make your change again',
    );
  });

  it('search typed words literally, a few at most', () => {
    expect(likePattern('100%_a\\')).toBe('%100\\%\\_a\\\\%');
    expect(searchWords('  acme  north ')).toEqual(['acme', 'north']);
    expect(searchWords(undefined)).toEqual([]);
    expect(searchWords('a b c d e f g h i j')).toHaveLength(8);
  });
});

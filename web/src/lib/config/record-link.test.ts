import { describe, expect, it } from 'vitest';
import { recordHref } from './record-link';

describe('recordHref', () => {
  it('links to the record’s custom fields with its code and name for the heading', () => {
    expect(recordHref('line', { id: 'a1', code: 'L 1', name: 'Line & one' })).toBe(
      '/config/records/line/a1?code=L+1&name=Line+%26+one',
    );
    expect(recordHref('product', { id: 'b2', code: 'P1', name: null })).toBe(
      '/config/records/product/b2?code=P1',
    );
  });
});

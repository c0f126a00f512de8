import { describe, expect, it } from 'vitest';
import { hasValidCheckDigit } from './check-digit.js';
import { ssccFrom } from './sscc.js';

describe('ssccFrom', () => {
  it('builds an SSCC from its parts', () => {
    // (00) 0 9528765 432101234 6
    expect(ssccFrom({ extensionDigit: 0, companyPrefix: '9528765', serialReference: '432101234' })).toBe(
      '095287654321012346',
    );
    expect(ssccFrom({ extensionDigit: 0, companyPrefix: '9528765', serialReference: 432101234 })).toBe(
      '095287654321012346',
    );
  });

  it('pads the serial reference to fill 17 digits', () => {
    const sscc = ssccFrom({ extensionDigit: 3, companyPrefix: '0614141', serialReference: 1n });
    expect(sscc).toHaveLength(18);
    expect(sscc.slice(0, 17)).toBe('30614141000000001');
    expect(hasValidCheckDigit(sscc)).toBe(true);
  });

  it('takes the widest serial a company prefix leaves, and no wider', () => {
    expect(ssccFrom({ extensionDigit: 9, companyPrefix: '9528765', serialReference: '999999999' })).toMatch(
      /^99528765999999999\d$/,
    );
    expect(() =>
      ssccFrom({ extensionDigit: 9, companyPrefix: '9528765', serialReference: '1000000000' }),
    ).toThrow(/does not fit the 9 digits/);
    // A 12-digit prefix leaves 4 digits; leading zeros of the serial do not count against them.
    expect(ssccFrom({ extensionDigit: 0, companyPrefix: '952876543210', serialReference: '0001234' })).toBe(
      '095287654321012346',
    );
    expect(() =>
      ssccFrom({ extensionDigit: 0, companyPrefix: '952876543210', serialReference: 12345 }),
    ).toThrow(RangeError);
  });

  it('refuses parts that are not digits or out of range', () => {
    expect(() => ssccFrom({ extensionDigit: 10, companyPrefix: '9528765', serialReference: 1 })).toThrow(
      RangeError,
    );
    expect(() => ssccFrom({ extensionDigit: 1.5, companyPrefix: '9528765', serialReference: 1 })).toThrow(
      RangeError,
    );
    expect(() => ssccFrom({ extensionDigit: 0, companyPrefix: '952', serialReference: 1 })).toThrow(
      RangeError,
    );
    expect(() => ssccFrom({ extensionDigit: 0, companyPrefix: '9528765432101', serialReference: 1 })).toThrow(
      RangeError,
    );
    expect(() => ssccFrom({ extensionDigit: 0, companyPrefix: '95287A5', serialReference: 1 })).toThrow(
      RangeError,
    );
    expect(() => ssccFrom({ extensionDigit: 0, companyPrefix: '9528765', serialReference: -1 })).toThrow(
      RangeError,
    );
    expect(() => ssccFrom({ extensionDigit: 0, companyPrefix: '9528765', serialReference: '12 3' })).toThrow(
      RangeError,
    );
  });
});

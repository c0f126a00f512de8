import { describe, expect, it } from 'vitest';
import { gs1CheckDigit, hasValidCheckDigit } from './check-digit.js';

describe('GS1 check digit (General Specifications §7.9.1)', () => {
  // GTIN-13, GTIN-14 and an 18-digit key: the `csum` linter's vectors in
  // gs1/gs1-syntax-dictionary src/lint_csum.c (test_lint_csum), also GTIN-8 and GTIN-12 from there.
  it.each([['02345673'], ['416000336108'], ['1234567890128'], ['12345678901231'], ['123456789012345675']])(
    'accepts %s',
    (full) => {
      expect(hasValidCheckDigit(full)).toBe(true);
      expect(gs1CheckDigit(full.slice(0, -1))).toBe(Number(full.at(-1)));
    },
  );

  it.each([['12345673'], ['416000336109'], ['1234567890129'], ['12345678901232'], ['123456789012345670']])(
    'refuses %s',
    (full) => expect(hasValidCheckDigit(full)).toBe(false),
  );

  it('computes the check digit of an SSCC', () => {
    // SSCC (00) 0 9528765 432101234 6: extension digit 0, company prefix 9528765.
    expect(gs1CheckDigit('09528765432101234')).toBe(6);
    expect(hasValidCheckDigit('095287654321012346')).toBe(true);
  });

  it('recomputes wrong check digits as gs1-syntax-engine does (test_scandata_validateParity)', () => {
    expect(gs1CheckDigit('2401234567890')).toBe(5);
    expect(gs1CheckDigit('211223378965')).toBe(7);
    expect(gs1CheckDigit('41600033610')).toBe(8);
    expect(gs1CheckDigit('0234568')).toBe(0);
  });

  it('refuses what is not digits', () => {
    expect(() => gs1CheckDigit('12A4')).toThrow(RangeError);
    expect(() => gs1CheckDigit('')).toThrow(RangeError);
    expect(hasValidCheckDigit(' 23456789012345675')).toBe(false);
    expect(hasValidCheckDigit('5')).toBe(false);
  });
});

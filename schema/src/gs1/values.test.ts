import { describe, expect, it } from 'vitest';
import { gs1Ai } from './ai-table.js';
import { checkValue, describeLength, isCset82 } from './values.js';

const now = new Date('2025-06-01T00:00:00Z');
const check = (ai: string, value: string) =>
  checkValue(gs1Ai(ai)!, value, now).map((error) => [error.code, error.offset]);

describe('checkValue', () => {
  it('accepts CSET 82 and nothing else in X parts', () => {
    expect(isCset82(`!"%&'()*+,-./0123456789:;<=>?ABCXYZ_abcxyz`)).toBe(true);
    for (const bad of ['#', ' ', '~', '^', '\\', '@', '$', '[', '{', '|', '`', 'é', '\x1d'])
      expect(isCset82(bad), JSON.stringify(bad)).toBe(false);
  });

  it('takes an optional last part only when the value goes on (GDTI: N13 then [X..17])', () => {
    expect(check('253', '1231231231232')).toEqual([]);
    expect(check('253', '1231231231232TEST5678901234567')).toEqual([]);
    expect(check('253', '1231231231232TEST56789012345678')).toEqual([['bad_length', 30]]);
    expect(check('253', '123123123123')).toEqual([['bad_length', 12]]);
    expect(check('253', '1231231231233ABC')).toEqual([['bad_check_digit', 0]]);
  });

  it('checks each part of an AI made of sub-fields at its own offset', () => {
    expect(check('7003', '2901011200')).toEqual([]);
    expect(check('7003', '2913011200')).toEqual([['bad_date', 0]]);
    expect(check('7003', '2901012500')).toEqual([['bad_value', 6]]);
    expect(check('7003', '29010112x0')).toEqual([['bad_character', 8]]);
    expect(check('421', '528D-1234')).toEqual([]);
    expect(check('421', '52')).toEqual([['bad_length', 2]]);
  });

  it('names the first bad character, and skips content checks on a part that has one', () => {
    expect(check('01', '0952123454321A')).toEqual([['bad_character', 13]]);
    expect(check('10', 'AB#C')).toEqual([['bad_character', 2]]);
  });

  it('refuses empty and over-long values', () => {
    expect(check('10', '')).toEqual([['bad_length', 0]]);
    expect(check('10', 'A'.repeat(21))).toEqual([['bad_length', 20]]);
    expect(check('20', '1')).toEqual([['bad_length', 1]]);
  });

  it('describes formats as the General Specifications write them', () => {
    expect(describeLength(gs1Ai('01')!)).toBe('N14');
    expect(describeLength(gs1Ai('10')!)).toBe('X..20');
    expect(describeLength(gs1Ai('7003')!)).toBe('N6+N4');
    expect(describeLength(gs1Ai('253')!)).toBe('N13+[X..17]');
  });
});

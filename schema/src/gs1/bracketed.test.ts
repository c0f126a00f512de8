import { describe, expect, it } from 'vitest';
import { parseGs1 } from './parse.js';
import type { Gs1ErrorCode } from './types.js';

const now = new Date('2025-06-01T00:00:00Z');

const readingErrors = (data: string) =>
  parseGs1(data, { now })
    .errors.filter((error) => error.code !== 'required_ai_missing' && error.code !== 'invalid_pairing')
    .map((error) => error.code);

const asText = (data: string) =>
  parseGs1(data, { now })
    .elements.map(({ ai, value }) => `${ai}=${value}`)
    .join(' ');

describe('the bracketed form', () => {
  // gs1/gs1-syntax-engine src/c-lib/ai.c, test_ai_parseAIdata: what each bracketed string reads as.
  it.each([
    ['(01)12345678901231', '01=12345678901231'],
    ['(10)12345', '10=12345'],
    ['(01)12345678901231(10)12345', '01=12345678901231 10=12345'],
    ['(3100)123456(10)12345', '3100=123456 10=12345'],
    ['(10)12345(11)991225', '10=12345 11=991225'],
    ['(10)12345\\(11)991225', '10=12345(11)991225'], // escaped bracket
    ['(10)12345\\(', '10=12345('],
    ['(235)ABC', '235=ABC'],
    ['(01)12345678901231(235)XYZ(10)BATCH', '01=12345678901231 235=XYZ 10=BATCH'],
  ])('%s', (data, expected) => {
    expect(readingErrors(data)).toEqual([]);
    expect(parseGs1(data, { now }).syntax).toBe('bracketed');
    expect(asText(data)).toBe(expected);
  });

  // The same test's refusals.
  it.each<[string, Gs1ErrorCode]>([
    ['(235)ABCDEFGHIJKLMNOPQRSTUVWXYZ123', 'bad_length'],
    ['(10)(11)98765', 'bad_length'], // a value must not be empty
    ['(10)12345(11)', 'bad_length'],
    ['(1A)12345', 'unknown_ai'],
    ['(12345)12345', 'unknown_ai'],
    ['(15', 'unknown_ai'],
    ['(01)123456789012312(10)12345', 'bad_length'],
    ['(10)12345^', 'bad_character'], // "^" is not CSET 82
    ['(17)9(90)217', 'bad_length'],
    ['(89)ABC', 'unknown_ai'],
  ])('refuses %s (%s)', (data, code) => {
    expect(readingErrors(data)).toContain(code);
  });

  it('keeps a parenthesis that does not open an AI as data', () => {
    expect(asText('(01)09521234543213(21)AB(C)D')).toBe('01=09521234543213 21=AB(C)D');
    expect(parseGs1('(01)09521234543213(21)AB(C)D', { now }).ok).toBe(true);
  });

  it('goes on after an unknown AI, since the brackets delimit every element', () => {
    const result = parseGs1('(01)09521234543213(89)X(10)ABC', { now });
    expect(result.errors.map((error) => [error.code, error.ai])).toEqual([['unknown_ai', '89']]);
    expect(result.elements.map((element) => element.ai)).toEqual(['01', '10']);
  });

  it('accepts the bracketed form behind a symbology identifier', () => {
    const result = parseGs1(']C1(01)09521234543213(10)ABC', { now });
    expect(result).toMatchObject({ ok: true, symbology: 'gs1-128', syntax: 'bracketed' });
  });
});

import { describe, expect, it } from 'vitest';
import { parseGs1 } from './parse.js';
import type { Gs1ErrorCode } from './types.js';

const now = new Date('2025-06-01T00:00:00Z');
const GS = '\x1d';

describe('parseGs1', () => {
  // One input per error code; the Record type makes the table fail to compile when a code is added
  // without an example here (and in docs/gs1.md, "Errors").
  const examples: Record<Gs1ErrorCode, string> = {
    empty: ']C1',
    not_gs1: ']Q1HELLO',
    unknown_ai: ']C10109521234543213891234',
    bad_length: ']C101095212345432',
    bad_character: ']C1010952123454321310AB C',
    bad_check_digit: ']C10109521234543214',
    bad_date: ']C101095212345432131729023110ABC',
    bad_value: `]C101095212345432137003290101246${'0'}`,
    missing_fnc1: `]C10109521234543213700329010112001${'0'}10ABC`,
    invalid_pairing: ']C1010952123454321331030001953102001950',
    required_ai_missing: ']C110ABC',
    duplicate_ai: `]C1010952123454321310A${GS}10B`,
    bad_digital_link: 'https://id.gs1.org/10/ABC',
  };

  it.each(Object.entries(examples))('reports %s', (code, data) => {
    const result = parseGs1(data, { now });
    expect(result.ok).toBe(false);
    expect(result.errors.map((error) => error.code)).toEqual([code]);
  });

  it('says where an error is and which AI it concerns', () => {
    expect(parseGs1(examples.bad_date, { now }).errors[0]).toMatchObject({ ai: '17', position: 21 });
    expect(parseGs1(examples.bad_check_digit, { now }).errors[0]).toMatchObject({ ai: '01', position: 5 });
    expect(parseGs1(examples.required_ai_missing, { now }).errors[0]).toMatchObject({ ai: '10' });
    expect(parseGs1(examples.required_ai_missing, { now }).errors[0]?.position).toBeUndefined();
  });

  it('lists what it read even when the data is refused', () => {
    const result = parseGs1(examples.bad_check_digit, { now });
    expect(result.elements).toEqual([{ ai: '01', value: '09521234543214' }]);
  });

  it('takes data without any identifier as GS1 data', () => {
    expect(parseGs1('', { now }).errors.map((error) => error.code)).toEqual(['empty']);
    expect(parseGs1('HELLO', { now }).errors.map((error) => error.code)).toEqual(['unknown_ai']);
    expect(parseGs1('0109521234543213', { now })).toMatchObject({ ok: true, symbology: 'none' });
  });

  it('refuses plain symbols that carry no Digital Link URI', () => {
    for (const identifier of [']C0', ']d1', ']Q1', ']J0', ']A0']) {
      const result = parseGs1(`${identifier}0109521234543213`, { now });
      expect(result).toMatchObject({ ok: false, symbology: 'plain', syntax: 'unknown', elements: [] });
      expect(result.errors.map((error) => error.code)).toEqual(['not_gs1']);
    }
  });

  it('checks dates, with day 00 where the AI allows it', () => {
    expect(parseGs1(']C1010952123454321317290100', { now }).ok).toBe(true);
    expect(parseGs1(']C1010952123454321317290229', { now }).errors.map((error) => error.code)).toEqual([
      'bad_date',
    ]);
    // (7003) is `yymmdd`: no day 00.
    expect(parseGs1(`]C1010952123454321370032901001200`, { now }).errors.map((error) => error.code)).toEqual([
      'bad_date',
    ]);
  });

  it('reads February 29th against the century the window picks', () => {
    // 000229 is 2000-02-29 from 2025; from 2060 it is 2100-02-29, which does not exist.
    expect(parseGs1(']C1010952123454321317000229', { now }).ok).toBe(true);
    const later = parseGs1(']C1010952123454321317000229', { now: new Date('2060-01-01T00:00:00Z') });
    expect(later.errors.map((error) => error.code)).toEqual(['bad_date']);
  });

  it('checks the piece and total of (8006)', () => {
    // The `pieceoftotal` linter's vectors (gs1-syntax-engine src/c-lib/ai.c, test_ai_linters).
    const itip = (pieces: string) => parseGs1(`]C18006123456789012310${pieces.slice(1)}`, { now });
    expect(itip('0102').ok).toBe(true);
    for (const bad of ['0099', '0100', '0302'])
      expect(
        itip(bad).errors.map((error) => error.code),
        bad,
      ).toEqual(['bad_value']);
  });

  it('reads a logistic label: SSCC, content, count, batch, dates, weight', () => {
    const label = `]C100095287654321012346020952123454321337100${GS}10LOT-7${GS}15290100330200125${'0'}`;
    const result = parseGs1(label, { now });
    expect(result.errors).toEqual([]);
    expect(result.elements).toEqual([
      { ai: '00', value: '095287654321012346' },
      { ai: '02', value: '09521234543213' },
      { ai: '37', value: '100' },
      { ai: '10', value: 'LOT-7' },
      { ai: '15', value: '290100' },
      { ai: '3302', value: '001250' },
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { parseGs1 } from './parse.js';
import type { Gs1ErrorCode } from './types.js';

const now = new Date('2025-06-01T00:00:00Z');
const GS = '\x1d';

/** The engine's notation: `^` for FNC1. The first FNC1 is the symbology's, so it becomes `]C1`. */
const scan = (caretData: string) => `]C1${caretData.replace(/^\^/, '').replaceAll('^', GS)}`;

/** Errors of syntax and content only: these vectors test reading, not the combination rules. */
const readingErrors = (data: string) =>
  parseGs1(data, { now })
    .errors.filter((error) => error.code !== 'required_ai_missing' && error.code !== 'invalid_pairing')
    .map((error) => error.code);

describe('element strings', () => {
  // gs1/gs1-syntax-engine src/c-lib/ai.c, test_ai_processAIdata: the cases whose AIs are in
  // Plantline's table, with the engine's verdict and the error Plantline names.
  it.each<[string, Gs1ErrorCode[]]>([
    ['^991234', []],
    ['^99~ABC', ['bad_character']],
    ['^99ABC~', ['bad_character']],
    ['^0112345678901231', []],
    ['^01A2345678901231', ['bad_character']],
    ['^011234567890123A', ['bad_character']],
    ['^0112345678901234', ['bad_check_digit']],
    ['^011234567890123', ['bad_length']],
    ['^01123456789012312', ['unknown_ai']], // "No such AI (2)": (01) is of predefined length
    ['^0112345678901231^', []], // a superfluous FNC1 is tolerated
    ['^011234567890123^', ['bad_length']],
    ['^01123456789012345^', ['unknown_ai', 'bad_check_digit']], // (01) took 14 digits, then `5^`
    ['^0112345678901231991234', []], // predefined length runs into the next AI
    ['^0112345678901231^991234', []],
    ['^235ABC', []],
    ['^235ABCDEFGHIJKLMNOPQRSTUVWXYZ12', []],
    ['^235ABCDEFGHIJKLMNOPQRSTUVWXYZ123', ['bad_length']],
    ['^0112345678901231235XYZ', []],
    ['^0112345678901231235XYZ^10BATCH', []],
    ['^', ['empty']],
    ['^891234', ['unknown_ai']],
    [`^99${'A'.repeat(90)}`, []],
    [`^99${'A'.repeat(91)}`, ['bad_length']],
  ])('%s → %j', (data, codes) => {
    expect(readingErrors(scan(data))).toEqual(codes);
  });

  // gs1/gs1-syntax-engine src/c-lib/scandata.c, test_scandata_processScanData.
  it.each([
    [`]C1011231231231233310ABC123${GS}99TESTING`, 'gs1-128', '(01)12312312312333(10)ABC123(99)TESTING'],
    [
      `]d2011231231231233310ABC123${GS}99TESTING`,
      'gs1-datamatrix',
      '(01)12312312312333(10)ABC123(99)TESTING',
    ],
    [`]Q3011231231231233310ABC123${GS}99TESTING`, 'gs1-qr', '(01)12312312312333(10)ABC123(99)TESTING'],
    [`]J1011231231231233310ABC123${GS}99TESTING`, 'gs1-dotcode', '(01)12312312312333(10)ABC123(99)TESTING'],
    [
      `]e0011231231231233310ABC123${GS}99TESTING${GS}98XYZ`,
      'gs1-databar',
      '(01)12312312312333(10)ABC123(99)TESTING(98)XYZ',
    ],
    [
      `]e0011231231231233310ABC123${GS}1199122598TESTING${GS}97XYZ`,
      'gs1-databar',
      '(01)12312312312333(10)ABC123(11)991225(98)TESTING(97)XYZ',
    ],
    [`]e00112312312312333235XYZ${GS}10ABC`, 'gs1-databar', '(01)12312312312333(235)XYZ(10)ABC'],
    [`]C10112312312312333235XYZ`, 'gs1-128', '(01)12312312312333(235)XYZ'],
    [']E02112345678900', 'ean-upc', '(01)02112345678900'],
    [']E402345673', 'ean-upc', '(01)00000002345673'],
  ])('%j from %s', (data, symbology, bracketed) => {
    const result = parseGs1(data, { now });
    expect(result.errors).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.symbology).toBe(symbology);
    expect(result.syntax).toBe('element-string');
    expect(result.elements.map(({ ai, value }) => `(${ai})${value}`).join('')).toBe(bracketed);
  });

  it.each<[string, Gs1ErrorCode]>([
    [']E0123456789012', 'bad_length'],
    [']E012345678901234', 'bad_length'],
    [']E01234ABC890123', 'bad_character'],
    [']E02112345678901', 'bad_check_digit'],
    [']E41234567', 'bad_length'],
    [']E402345674', 'bad_check_digit'],
    [']C101123123123133^10ABC', 'bad_character'], // a literal caret is not FNC1
  ])('refuses %j (%s)', (data, code) => {
    expect(parseGs1(data, { now }).errors.map((error) => error.code)).toContain(code);
  });

  it('names the position of a problem in the data given', () => {
    const result = parseGs1(`]C10109521234543213${GS}10AB~C`, { now });
    expect(result.errors).toEqual([
      { code: 'bad_character', message: expect.any(String), ai: '10', position: 24 },
    ]);
    expect(`]C10109521234543213${GS}10AB~C`.charAt(24)).toBe('~');
  });

  it('reports an FNC1 missing after a fixed-length AI that is not of predefined length', () => {
    // (7003) is N10 but needs FNC1; here (10) follows it directly.
    const data = `]C10109521234543213700329010112001${'0'}10ABC`;
    const result = parseGs1(data, { now });
    expect(result.errors.map((error) => [error.code, error.ai, error.position])).toEqual([
      ['missing_fnc1', '7003', 33],
    ]);
  });

  it('hints at a missing FNC1 when a variable value runs too long', () => {
    const result = parseGs1(`]C1010952123454321310ABCDEFGHIJKLMNOPQRS2112345`, { now });
    expect(result.errors[0]).toMatchObject({ code: 'bad_length', ai: '10' });
    expect(result.errors[0]?.message).toMatch(/FNC1/);
  });

  it('reads data without a symbology identifier, and ignores the Enter a wedge adds', () => {
    const result = parseGs1(`010952123454321310ABC${GS}17290101\r\n`, { now });
    expect(result).toMatchObject({ ok: true, symbology: 'none', syntax: 'element-string' });
    expect(result.elements).toEqual([
      { ai: '01', value: '09521234543213' },
      { ai: '10', value: 'ABC' },
      { ai: '17', value: '290101' },
    ]);
  });

  it('tolerates the FNC1 some scanners send first', () => {
    expect(parseGs1(`${GS}0109521234543213`, { now }).ok).toBe(true);
  });
});

describe('keyboard-wedge separators', () => {
  const expected = [
    { ai: '01', value: '09521234543213' },
    { ai: '10', value: 'ABC' },
    { ai: '21', value: 'XYZ' },
  ];

  it('reads # as FNC1, found on its own or when asked for', () => {
    for (const separator of ['auto', '#'] as const) {
      const result = parseGs1(']d2010952123454321310ABC#21XYZ', { now, separator });
      expect(result.ok, separator).toBe(true);
      expect(result.elements).toEqual(expected);
    }
  });

  it('reads the text Alt029 as FNC1 when the data has neither GS nor #', () => {
    expect(parseGs1('010952123454321310ABCAlt02921XYZ', { now }).elements).toEqual(expected);
    expect(parseGs1('010952123454321310ABCAlt02921XYZ', { now, separator: 'Alt029' }).elements).toEqual(
      expected,
    );
  });

  it('keeps Alt029 as data where GS separates, since it is valid CSET 82 text', () => {
    const result = parseGs1(`010952123454321310ABCAlt029${GS}21XYZ`, { now });
    expect(result.ok).toBe(true);
    expect(result.elements[1]).toEqual({ ai: '10', value: 'ABCAlt029' });
  });

  it('takes # as data only when told that GS alone separates, and then refuses it', () => {
    const result = parseGs1('010952123454321310ABC#21XYZ', { now, separator: 'gs' });
    expect(result.errors.map((error) => error.code)).toEqual(['bad_character']);
    expect(result.elements[1]).toEqual({ ai: '10', value: 'ABC#21XYZ' });
  });

  it('mixes GS and # when the wedge sends both', () => {
    expect(parseGs1(`010952123454321310ABC#21XYZ${GS}30100`, { now }).ok).toBe(true);
  });
});

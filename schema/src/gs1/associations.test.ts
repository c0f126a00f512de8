import { describe, expect, it } from 'vitest';
import { checkAssociations } from './associations.js';
import { parseGs1 } from './parse.js';
import type { Gs1Element } from './types.js';

/** Elements from the bracketed form, as the engine's tests write them. */
function elements(bracketed: string): Gs1Element[] {
  return [...bracketed.matchAll(/\((\d+)\)([^(]*)/g)].map(([, ai = '', value = '']) => ({ ai, value }));
}

const codes = (bracketed: string) => checkAssociations(elements(bracketed)).map((error) => error.code);

describe('combination rules', () => {
  // gs1/gs1-syntax-engine src/c-lib/ai.c, test_ai_validateAIs, "repeated attributes": the same AI
  // twice is fine with one value and refused with two.
  it.each([
    ['(400)ABC', true],
    ['(400)ABC(400)ABC', true],
    ['(400)ABC(99)DEF(400)ABC', true],
    ['(99)ABC(400)XYZ(400)XYZ', true],
    ['(400)ABC(400)AB', false],
    ['(400)ABC(400)ABCD', false],
    ['(400)ABC(400)ABC(400)XYZ', false],
    ['(400)ABC(400)XYZ(400)ABC', false],
    ['(400)ABC(99)DEF(400)XYZ', false],
  ])('repeats: %s → %s', (bracketed, valid) => {
    expect(codes(bracketed)).toEqual(valid ? [] : ['duplicate_ai']);
  });

  // The same test, "Ex" attribute (the cases within Plantline's table).
  it.each([
    ['(01)12345678901231(02)12345678901231'],
    ['(99)ABC123(01)12345678901231(02)12345678901231'],
    ['(01)12345678901231(99)ABC123(02)12345678901231'],
    ['(01)12345678901231(255)5412345000150'],
    ['(01)12345678901231(37)123'],
    ['(21)ABC123(235)XYZ'],
    ['(3103)000195(3102)001950'], // one measure with two decimal positions (`ex=310n`)
  ])('refuses the pair in %s', (bracketed) => {
    expect(codes(bracketed)).toContain('invalid_pairing');
  });

  it('does not exclude an AI from its own pattern', () => {
    expect(codes('(01)12345678901231(3103)000195')).toEqual([]);
    expect(codes('(01)12345678901231(3103)000195(3203)000430')).toEqual([]);
  });

  it('reports a refused pair once', () => {
    expect(checkAssociations(elements('(01)12345678901231(02)12345678901231(37)1'))).toEqual([
      { code: 'invalid_pairing', message: '(01) and (37) must not appear together', ai: '01' },
      { code: 'invalid_pairing', message: '(02) and (01) must not appear together', ai: '02' },
      { code: 'required_ai_missing', message: '(37) requires (00) with (02) or (00) with (8026)', ai: '37' },
    ]);
  });

  // The same test, "Req" attributes.
  it.each([
    ['(02)12345678901231', false],
    ['(02)12345678901231(37)123', false],
    ['(99)AAA(02)12345678901231(37)123', false],
    ['(02)12345678901231(37)123(00)123456789012345675', true],
    ['(91)XXX(02)12345678901231(92)YYY(37)123(93)ZZZ(00)123456789012345675', true],
    ['(21)ABC123', false],
    ['(21)ABC123(01)12345678901231', true],
    ['(21)ABC123(8006)123456789012310510', true],
    ['(01)12345678901231(250)ABC123', false],
    ['(01)12345678901231(21)XYZ999(250)ABC123', true],
  ])('requisites: %s → %s', (bracketed, valid) => {
    expect(codes(bracketed)).toEqual(valid ? [] : expect.arrayContaining(['required_ai_missing']));
  });

  it('needs (00) for a count of contained items, through (02) and (37)', () => {
    expect(checkAssociations(elements('(02)09521234543213(37)10'))).toEqual([
      { code: 'required_ai_missing', message: '(37) requires (00) with (02) or (00) with (8026)', ai: '37' },
    ]);
    expect(codes('(02)09521234543213')).toEqual(['required_ai_missing']);
  });

  it('needs a trade item for a batch, a date or a serial', () => {
    expect(checkAssociations(elements('(10)ABC(17)290101'))).toEqual([
      { code: 'required_ai_missing', message: '(10) requires (01), (02), (03), (8006) or (8026)', ai: '10' },
      {
        code: 'required_ai_missing',
        message: '(17) requires (01), (02), (03), (255), (8006) or (8026)',
        ai: '17',
      },
    ]);
    expect(codes('(01)09521234543213(10)ABC(17)290101')).toEqual([]);
  });

  it('needs (00) or (01) for logistic measures and (01) or (02) for trade measures', () => {
    expect(codes('(00)095287654321012346(3302)001234')).toEqual([]);
    expect(codes('(00)095287654321012346(3102)001234')).toEqual(['required_ai_missing']);
  });

  it('reports a duplicate with different values through parseGs1 too', () => {
    const result = parseGs1('(01)09521234543213(10)A(10)B', { now: new Date('2025-06-01') });
    expect(result.errors).toEqual([
      { code: 'duplicate_ai', message: '(10) appears with two values, A and B', ai: '10' },
    ]);
  });
});

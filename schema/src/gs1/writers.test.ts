import { describe, expect, it } from 'vitest';
import { parseGs1 } from './parse.js';
import type { Gs1Element } from './types.js';
import {
  bracketedString,
  digitalLinkUri,
  elementString,
  GS,
  hasPredefinedLength,
  percentEncode,
} from './writers.js';

const now = new Date('2025-06-01T00:00:00Z');

const el = (ai: string, value: string): Gs1Element => ({ ai, value });

describe('bracketedString', () => {
  it('writes the elements in their order', () => {
    expect(
      bracketedString([el('00', '095287654321012346'), el('02', '09521234543213'), el('37', '10')]),
    ).toBe('(00)095287654321012346(02)09521234543213(37)10');
  });

  it('escapes parentheses in values as asked', () => {
    const elements = [el('01', '09521234543213'), el('21', 'AB(C)D')];
    expect(bracketedString(elements)).toBe('(01)09521234543213(21)AB(C)D');
    expect(bracketedString(elements, { escape: 'backslash' })).toBe('(01)09521234543213(21)AB\\(C)D');
    expect(bracketedString(elements, { escape: 'bwipp' })).toBe('(01)09521234543213(21)AB^040C^041D');
  });

  it('is read back by parseGs1, escapes included', () => {
    const elements = [el('01', '09521234543213'), el('21', 'A(10)B')];
    const result = parseGs1(bracketedString(elements, { escape: 'backslash' }), { now });
    expect(result.ok).toBe(true);
    expect(result.elements).toEqual(elements);
  });
});

describe('elementString', () => {
  // gs1/gs1-syntax-engine src/c-lib/ai.c, test_ai_parseAIdata: FNC1 only after a value that is not
  // of predefined length and not last.
  it.each([
    [[el('01', '12345678901231'), el('10', '12345')], '01123456789012311012345'],
    [[el('3100', '123456'), el('10', '12345')], '31001234561012345'],
    [[el('01', '12345678901231'), el('235', 'XYZ')], '0112345678901231235XYZ'],
    [[el('01', '12345678901231'), el('235', 'XYZ'), el('10', 'BATCH')], `0112345678901231235XYZ${GS}10BATCH`],
  ])('%j', (elements, expected) => {
    expect(elementString(elements)).toBe(expected);
  });

  it('puts elements of predefined length first, which saves separators', () => {
    // Given order would need "10 GS 11"; predefined first needs none.
    expect(elementString([el('10', '12345'), el('11', '991225')])).toBe('119912251012345');
    expect(
      elementString([el('10', 'ABC'), el('01', '09521234543213'), el('21', 'S1'), el('17', '290101')]),
    ).toBe(`01095212345432131729010110ABC${GS}21S1`);
  });

  it('separates fixed-length AIs that are not of predefined length', () => {
    expect(elementString([el('7003', '2901011200'), el('01', '09521234543213'), el('10', 'A')])).toBe(
      `010952123454321370032901011200${GS}10A`,
    );
    expect(elementString([el('8006', '095212345432130102'), el('21', 'X')])).toBe(
      `8006095212345432130102${GS}21X`,
    );
  });

  it('writes the separator asked for', () => {
    expect(elementString([el('10', 'A'), el('21', 'B'), el('30', '5')], { separator: '#' })).toBe(
      '10A#21B#305',
    );
  });

  it('knows predefined length by prefix for AIs outside the table', () => {
    expect(hasPredefinedLength('04')).toBe(true);
    expect(hasPredefinedLength('19')).toBe(true);
    expect(hasPredefinedLength('3900')).toBe(false);
    expect(hasPredefinedLength('7003')).toBe(false);
    expect(elementString([el('3900', '12345'), el('11', '991225')])).toBe('11991225390012345');
  });

  it('is read back by parseGs1', () => {
    const elements = [
      el('00', '095287654321012346'),
      el('02', '09521234543213'),
      el('37', '100'),
      el('10', 'LOT-7'),
      el('15', '290100'),
      el('3302', '012500'),
    ];
    const result = parseGs1(`]C1${elementString(elements)}`, { now });
    expect(result.errors).toEqual([]);
    expect([...result.elements].sort((a, b) => a.ai.localeCompare(b.ai))).toEqual(
      [...elements].sort((a, b) => a.ai.localeCompare(b.ai)),
    );
  });
});

describe('digitalLinkUri', () => {
  // The reverse of gs1/gs1-syntax-engine src/c-lib/dl.c, test_dl_parseDLuri's examples.
  it.each([
    [[el('01', '09520123456788')], 'https://id.gs1.org/01/09520123456788'],
    [[el('01', '09520123456788'), el('22', '2A')], 'https://id.gs1.org/01/09520123456788/22/2A'],
    [
      [el('01', '09520123456788'), el('17', '180426'), el('21', '12345'), el('10', 'ABC1')],
      'https://id.gs1.org/01/09520123456788/10/ABC1/21/12345?17=180426',
    ],
    [
      [el('00', '952012345678912345'), el('02', '09520123456788'), el('37', '25'), el('10', 'ABC123')],
      'https://id.gs1.org/00/952012345678912345?02=09520123456788&37=25&10=ABC123',
    ],
    [[el('414', '9520123456788'), el('254', '32a/b')], 'https://id.gs1.org/414/9520123456788/254/32a%2Fb'],
    [
      [el('01', '09520123456788'), el('235', 'XYZ'), el('10', 'ABC123')],
      'https://id.gs1.org/01/09520123456788/235/XYZ?10=ABC123',
    ],
    [[el('01', '09520123456788'), el('3103', '000195')], 'https://id.gs1.org/01/09520123456788?3103=000195'],
  ])('%j', (elements, uri) => {
    expect(digitalLinkUri(elements)).toBe(uri);
  });

  it('uses the base given', () => {
    expect(digitalLinkUri([el('01', '09521234543213')], { base: 'https://example.com/dl/' })).toBe(
      'https://example.com/dl/01/09521234543213',
    );
  });

  it('percent-encodes what is not unreserved (RFC 3986)', () => {
    expect(percentEncode('ABC-1.2_3~')).toBe('ABC-1.2_3~');
    expect(percentEncode('A/B C+%')).toBe('A%2FB%20C%2B%25');
    expect(percentEncode('é')).toBe('%C3%A9');
  });

  it('is read back by parseGs1', () => {
    const elements = [el('01', '09521234543213'), el('10', 'AB/12'), el('21', "x'1"), el('17', '290101')];
    const result = parseGs1(digitalLinkUri(elements), { now });
    expect(result.errors).toEqual([]);
    expect(result.elements).toEqual(elements);
  });

  it('refuses elements without a primary key, or one that cannot be an attribute', () => {
    expect(() => digitalLinkUri([el('10', 'ABC')])).toThrow(RangeError);
    expect(() => digitalLinkUri([el('00', '095287654321012346'), el('21', 'X')])).toThrow(
      /\(21\) cannot be a Digital Link attribute/,
    );
  });
});

import { describe, expect, it } from 'vitest';
import {
  formatNumber,
  type LocalDate,
  type NumberPattern,
  parseNumberPattern,
  periodOf,
  usesPlant,
} from './numbering.js';

/*
 * Document number patterns (docs/configuration.md, "Numbering"): what the parser accepts and
 * refuses, in the words a form shows, how numbers are formatted, and the counter period a date
 * falls in.
 */

function parsed(source: string): NumberPattern {
  const check = parseNumberPattern(source);
  if (!check.ok) throw new Error(`${source} was refused: ${check.error}`);
  return check.pattern;
}

const errorOf = (source: string) => {
  const check = parseNumberPattern(source);
  return check.ok ? null : check.error;
};

const nov25: LocalDate = { year: 2026, month: 11, day: 25 };
const jan3: LocalDate = { year: 2027, month: 1, day: 3 };

describe('parseNumberPattern', () => {
  it('splits a pattern into literals and placeholders', () => {
    expect(parsed('NCR-{plant}-{yyyy}-{seq:5}').tokens).toEqual([
      { kind: 'literal', text: 'NCR-' },
      { kind: 'plant' },
      { kind: 'literal', text: '-' },
      { kind: 'yyyy' },
      { kind: 'literal', text: '-' },
      { kind: 'seq', width: 5 },
    ]);
  });

  it('takes {seq} without a width as one digit, and widths from 1 to 12', () => {
    expect(parsed('{seq}').tokens).toEqual([{ kind: 'seq', width: 1 }]);
    expect(parsed('{seq:1}').tokens).toEqual([{ kind: 'seq', width: 1 }]);
    expect(parsed('X{seq:12}').tokens).toEqual([
      { kind: 'literal', text: 'X' },
      { kind: 'seq', width: 12 },
    ]);
  });

  it('accepts letters, digits, spaces and _ . - / between placeholders', () => {
    expect(parseNumberPattern('Order no_1.{yy}/{mm} {seq:3}').ok).toBe(true);
  });

  it.each([
    ['PO-{seq:0}', '{seq:N} takes 1 to 12 digits'],
    ['PO-{seq:13}', '{seq:N} takes 1 to 12 digits'],
    ['PO-{yyyy:4}-{seq}', '{yyyy} takes no width'],
    ['{plant:2}-{seq}', '{plant} takes no width'],
    ['PO-{year}-{seq}', 'Unknown placeholder {year}; use {plant}, {yyyy}, {yy}, {mm}, {dd}, {seq:N}'],
    ['PO-{yyyy}', 'The pattern needs exactly one {seq} or {seq:N}'],
    ['', 'The pattern needs exactly one {seq} or {seq:N}'],
    ['{seq}-{seq:3}', 'The pattern needs exactly one {seq} or {seq:N}'],
    ['PO#{seq}', 'Between placeholders use letters, digits, spaces and _ . - /'],
    ['PO-{SEQ}-{seq}', 'Between placeholders use letters, digits, spaces and _ . - /'],
    ['PO-{seq}-{yyyy', 'Between placeholders use letters, digits, spaces and _ . - /'],
    ['PO-}{seq}', 'Between placeholders use letters, digits, spaces and _ . - /'],
  ])('refuses %j: %s', (source, message) => {
    expect(errorOf(source)).toBe(message);
  });

  it.each([
    ['PO-{seq:5}', 'never'],
    ['PO-{yyyy}-{seq:5}', 'year'],
    ['PO-{yy}-{seq:5}', 'year'],
    ['PO-{yyyy}{mm}-{seq:4}', 'month'],
    ['PO-{yyyy}{mm}{dd}-{seq:3}', 'day'],
    // The smallest date token decides, wherever it stands.
    ['{dd}{mm}-{seq}-{yyyy}', 'day'],
  ] as const)('resets %s every %s', (source, reset) => {
    expect(parsed(source).reset).toBe(reset);
  });

  it.each([
    ['{dd}-{seq}-{yyyy}', 'A pattern with {dd} also needs {mm} and {yyyy} or {yy}, or its numbers repeat'],
    ['PO-{mm}-{seq}', 'A pattern with {mm} also needs {yyyy} or {yy}, or its numbers repeat every year'],
  ])('refuses %s, whose numbers would come round again', (source, error) => {
    expect(parseNumberPattern(source)).toEqual({ ok: false, error });
  });

  it('knows whether numbers are counted per plant', () => {
    expect(usesPlant(parsed('{plant}-{seq}'))).toBe(true);
    expect(usesPlant(parsed('PO-{yyyy}-{seq}'))).toBe(false);
  });
});

describe('periodOf', () => {
  it('names the period a local date falls in, zero-padded', () => {
    expect(periodOf('never', nov25)).toBe('');
    expect(periodOf('year', nov25)).toBe('2026');
    expect(periodOf('month', jan3)).toBe('2027-01');
    expect(periodOf('day', jan3)).toBe('2027-01-03');
  });

  it('puts two dates of one year in one yearly period and a new year in the next', () => {
    expect(periodOf('year', { year: 2026, month: 1, day: 1 })).toBe(periodOf('year', nov25));
    expect(periodOf('year', jan3)).not.toBe(periodOf('year', nov25));
  });
});

describe('formatNumber', () => {
  it('fills placeholders from the plant code, the local date and the counter', () => {
    const pattern = parsed('NCR-{plant}-{yyyy}-{seq:5}');
    expect(formatNumber(pattern, { plantCode: 'ZW1', date: nov25, seq: 42 })).toBe('NCR-ZW1-2026-00042');
  });

  it('pads two-digit date parts and the year', () => {
    const pattern = parsed('{yy}{mm}{dd}/{yyyy}-{seq:2}');
    expect(formatNumber(pattern, { plantCode: '', date: jan3, seq: 7 })).toBe('270103/2027-07');
    expect(formatNumber(pattern, { plantCode: '', date: { year: 905, month: 2, day: 9 }, seq: 1 })).toBe(
      '050209/0905-01',
    );
  });

  it('keeps every digit of a counter wider than its {seq:N}', () => {
    const pattern = parsed('PO-{seq:3}');
    expect(formatNumber(pattern, { plantCode: '', date: nov25, seq: 999 })).toBe('PO-999');
    expect(formatNumber(pattern, { plantCode: '', date: nov25, seq: 1000 })).toBe('PO-1000');
    expect(formatNumber(pattern, { plantCode: '', date: nov25, seq: 123_456 })).toBe('PO-123456');
  });

  it('formats a pattern without placeholders other than {seq}', () => {
    expect(formatNumber(parsed('{seq}'), { plantCode: 'P', date: nov25, seq: 1 })).toBe('1');
  });
});

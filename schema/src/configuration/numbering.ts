/*
 * Document number patterns (docs/configuration.md, "Numbering"), such as
 * `NCR-{plant}-{yyyy}-{seq:5}`. The counter restarts with the smallest date token the pattern
 * shows: a pattern with {yyyy} counts per year, with {mm} per month, with {dd} per day, without a
 * date token never. Dates are the plant's local calendar.
 */

export type ResetPeriod = 'never' | 'year' | 'month' | 'day';

type Token =
  | { kind: 'literal'; text: string }
  | { kind: 'plant' }
  | { kind: 'yyyy' | 'yy' | 'mm' | 'dd' }
  | { kind: 'seq'; width: number };

export interface NumberPattern {
  tokens: Token[];
  reset: ResetPeriod;
}

export interface LocalDate {
  year: number;
  month: number;
  day: number;
}

const TOKEN = /\{([a-z]+)(?::(\d+))?\}/g;
const LITERAL = /^[A-Za-z0-9_.\-/ ]*$/;
export const MAX_NUMBER_LENGTH = 64;

export type PatternCheck = { ok: true; pattern: NumberPattern } | { ok: false; error: string };

export function parseNumberPattern(source: string): PatternCheck {
  const tokens: Token[] = [];
  let last = 0;
  let seqCount = 0;
  for (const match of source.matchAll(TOKEN)) {
    const literal = source.slice(last, match.index);
    if (literal) tokens.push({ kind: 'literal', text: literal });
    last = match.index + match[0].length;
    const [, name, width] = match;
    if (name === 'seq') {
      const digits = width === undefined ? 1 : Number(width);
      if (digits < 1 || digits > 12) return { ok: false, error: '{seq:N} takes 1 to 12 digits' };
      seqCount += 1;
      tokens.push({ kind: 'seq', width: digits });
    } else if (name === 'plant' || name === 'yyyy' || name === 'yy' || name === 'mm' || name === 'dd') {
      if (width !== undefined) return { ok: false, error: `{${name}} takes no width` };
      tokens.push({ kind: name });
    } else
      return {
        ok: false,
        error: `Unknown placeholder {${name}}; use {plant}, {yyyy}, {yy}, {mm}, {dd}, {seq:N}`,
      };
  }
  const rest = source.slice(last);
  if (rest) tokens.push({ kind: 'literal', text: rest });
  if (seqCount !== 1) return { ok: false, error: 'The pattern needs exactly one {seq} or {seq:N}' };
  for (const t of tokens)
    if (t.kind === 'literal' && (!LITERAL.test(t.text) || t.text.includes('{') || t.text.includes('}')))
      return { ok: false, error: 'Between placeholders use letters, digits, spaces and _ . - /' };
  const has = (kind: Token['kind']) => tokens.some((t) => t.kind === kind);
  // A day or month without the larger units would hand out the same numbers again next month/year.
  const year = has('yyyy') || has('yy');
  if (has('dd') && !(has('mm') && year))
    return {
      ok: false,
      error: 'A pattern with {dd} also needs {mm} and {yyyy} or {yy}, or its numbers repeat',
    };
  if (has('mm') && !year)
    return {
      ok: false,
      error: 'A pattern with {mm} also needs {yyyy} or {yy}, or its numbers repeat every year',
    };
  const reset: ResetPeriod = has('dd')
    ? 'day'
    : has('mm')
      ? 'month'
      : has('yyyy') || has('yy')
        ? 'year'
        : 'never';
  return { ok: true, pattern: { tokens, reset } };
}

/** The counter's period for a date: '' (never resets), '2026', '2026-11' or '2026-11-25'. */
export function periodOf(reset: ResetPeriod, date: LocalDate): string {
  const mm = String(date.month).padStart(2, '0');
  const dd = String(date.day).padStart(2, '0');
  if (reset === 'never') return '';
  if (reset === 'year') return String(date.year);
  if (reset === 'month') return `${date.year}-${mm}`;
  return `${date.year}-${mm}-${dd}`;
}

function formatToken(t: Token, input: { plantCode: string; date: LocalDate; seq: number }): string {
  const two = (n: number) => String(n).padStart(2, '0');
  switch (t.kind) {
    case 'literal':
      return t.text;
    case 'plant':
      return input.plantCode;
    case 'yyyy':
      return String(input.date.year).padStart(4, '0');
    case 'yy':
      return two(input.date.year % 100);
    case 'mm':
      return two(input.date.month);
    case 'dd':
      return two(input.date.day);
    case 'seq':
      return String(input.seq).padStart(t.width, '0');
  }
}

/** The document number for counter value `seq`. A value wider than {seq:N} keeps all its digits. */
export function formatNumber(
  pattern: NumberPattern,
  input: { plantCode: string; date: LocalDate; seq: number },
) {
  return pattern.tokens.map((t) => formatToken(t, input)).join('');
}

/** Whether a pattern needs a plant to be formatted (then numbers are counted per plant). */
export const usesPlant = (pattern: NumberPattern) => pattern.tokens.some((t) => t.kind === 'plant');

import { describe, expect, it } from 'vitest';
import { compileFieldPattern, MAX_PATTERN_INSTRUCTIONS } from './field-pattern.js';

const matcher = (pattern: string) => {
  const compiled = compileFieldPattern(pattern);
  if (!compiled.ok) throw new Error(`${pattern} was refused: ${compiled.error}`);
  return compiled.matches;
};

describe('compileFieldPattern', () => {
  it('matches the whole value, every branch of an alternation included', () => {
    const code = matcher('[A-Z]{2}-\\d{4}|X');
    expect(code('AB-1234')).toBe(true);
    expect(code('X')).toBe(true);
    expect(code('AB-12345')).toBe(false);
    expect(code('XAB-1234')).toBe(false);
    expect(code('AB-1234\n')).toBe(false);
  });

  it('reads characters, not UTF-16 units, as JavaScript’s u flag does', () => {
    expect(matcher('.')('😀')).toBe(true);
    expect(matcher('\\p{L}+')('Größe')).toBe(true);
  });

  // Each is exponential or polynomial on a backtracking engine; RE2 is linear in the value.
  it.each([
    ['(a|a)*', `${'a'.repeat(50_000)}b`, 'a'.repeat(50_000)],
    ['(a+)+$', `${'a'.repeat(50_000)}!`, 'a'.repeat(50_000)],
    ['\\d*\\d*\\d*x', '1'.repeat(50_000), `${'1'.repeat(50_000)}x`],
  ])('checks %s against 50 000 characters', (pattern, refused, accepted) => {
    const matches = matcher(pattern);
    expect(matches(refused)).toBe(false);
    expect(matches(accepted)).toBe(true);
  });

  it('refuses a program beyond the limit, and checks a long text quickly with one just below it', () => {
    expect(MAX_PATTERN_INSTRUCTIONS).toBe(500);
    // x{0,n} compiles to 2n instructions: 502 here, and 499 below.
    expect(compileFieldPattern('a{0,250}').ok).toBe(false);
    expect(matcher('.*.{0,247}b')('a'.repeat(20_000))).toBe(false);
    expect(matcher('.*.{0,247}b')(`${'a'.repeat(20_000)}b`)).toBe(true);
  });

  it('gives the same answer for a pattern asked again', () => {
    expect(compileFieldPattern('(?=a)')).toEqual(compileFieldPattern('(?=a)'));
    expect(compileFieldPattern('\\d+')).toBe(compileFieldPattern('\\d+'));
  });
});

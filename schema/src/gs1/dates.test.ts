import { describe, expect, it } from 'vitest';
import { gs1Century, isGs1Date, isGs1HourMinute, parseGs1Date } from './dates.js';

const at = (iso: string) => new Date(`${iso}T12:00:00Z`);

describe('GS1 dates (General Specifications §7.12)', () => {
  it('reads the century with the sliding window', () => {
    const now = at('2025-06-01');
    // Up to 50 years ahead is this century; 51 or more ahead is the last one.
    expect(gs1Century(75, now)).toBe(2075);
    expect(gs1Century(76, now)).toBe(1976);
    expect(gs1Century(99, now)).toBe(1999);
    expect(gs1Century(0, now)).toBe(2000);
    expect(gs1Century(25, now)).toBe(2025);
    // 50 or more years behind is the next century.
    expect(gs1Century(10, at('2060-01-01'))).toBe(2110);
    expect(gs1Century(11, at('2060-01-01'))).toBe(2011);
    expect(gs1Century(49, at('2099-12-31'))).toBe(2149);
    expect(gs1Century(50, at('2099-12-31'))).toBe(2050);
  });

  it('turns YYMMDD into a calendar date', () => {
    const now = at('2025-06-01');
    expect(parseGs1Date('290101', now)).toBe('2029-01-01');
    expect(parseGs1Date('991231', now)).toBe('1999-12-31');
    expect(parseGs1Date('000229', now)).toBe('2000-02-29');
  });

  it('reads DD = 00 as the last day of the month', () => {
    const now = at('2025-06-01');
    expect(parseGs1Date('290100', now)).toBe('2029-01-31');
    expect(parseGs1Date('240200', now)).toBe('2024-02-29');
    expect(parseGs1Date('250200', now)).toBe('2025-02-28');
    expect(parseGs1Date('250400', now)).toBe('2025-04-30');
  });

  it('refuses what is not a date', () => {
    const now = at('2025-06-01');
    for (const bad of ['200010', '201310', '200132', '210229', '20013x', '2001', '2001011'])
      expect(parseGs1Date(bad, now), bad).toBeNull();
  });

  // The `yymmd0` and `yymmdd` linters' vectors (gs1/gs1-syntax-dictionary src/lint_yymmd0.c,
  // src/lint_yymmdd.c): month and day bounds, leap years.
  it.each([
    ['000606', true],
    ['990606', true],
    ['200131', true],
    ['200132', false],
    ['200229', true],
    ['200230', false],
    ['200430', true],
    ['200431', false],
    ['210228', true],
    ['210229', false],
    ['240229', true],
    ['000229', true],
    ['000230', false],
    ['200010', false],
    ['201310', false],
  ] as const)('yymmdd %s is %s', (field, valid) => {
    expect(isGs1Date(field, false, at('2025-06-01'))).toBe(valid);
    expect(isGs1Date(field, true, at('2025-06-01'))).toBe(valid);
  });

  it('allows day 00 only where the AI does', () => {
    expect(isGs1Date('200100', true, at('2025-06-01'))).toBe(true);
    expect(isGs1Date('200100', false, at('2025-06-01'))).toBe(false);
  });

  it('checks times of day (the `hhmi` linter)', () => {
    expect(isGs1HourMinute('0000')).toBe(true);
    expect(isGs1HourMinute('2359')).toBe(true);
    expect(isGs1HourMinute('2400')).toBe(false);
    expect(isGs1HourMinute('2360')).toBe(false);
    expect(isGs1HourMinute('12a0')).toBe(false);
  });
});

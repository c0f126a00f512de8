import { describe, expect, it } from 'vitest';
import { fieldSettingsSchema } from './types.js';

const problems = (settings: unknown) => {
  const parsed = fieldSettingsSchema.safeParse(settings);
  return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('field settings', () => {
  it('take bounds in order, a unit and a pattern', () => {
    expect(problems({ min: 0, max: 10, unit: 'kg', pattern: 'DRW-\\d{4}' })).toEqual([]);
    expect(problems({ min: 5, max: 1 })).toEqual(['max: The minimum is above the maximum']);
  });

  it('take nested repetition: patterns run on RE2, whose matching time is linear in the value', () => {
    expect(problems({ pattern: '(a+)+b' })).toEqual([]);
    expect(problems({ pattern: '(x*)*' })).toEqual([]);
    expect(problems({ pattern: '(?i)[a-z]{2}\\x{2013}\\d+' })).toEqual([]);
  });

  it('refuse a pattern RE2 cannot read, naming what it does not support', () => {
    expect(problems({ pattern: '([a-z' })).toEqual([
      'pattern: Not a valid regular expression: missing closing ] in `[a-z`',
    ]);
    const lookaround = 'pattern: Lookahead and lookbehind ((?=, (?!, (?<=, (?<!) are not supported';
    expect(problems({ pattern: 'DRW-(?=\\d)\\d+' })).toEqual([lookaround]);
    expect(problems({ pattern: '(?!X)[A-Z]+' })).toEqual([lookaround]);
    expect(problems({ pattern: '(?<=A)B' })).toEqual([lookaround]);
    expect(problems({ pattern: '(?<!A)B' })).toEqual([lookaround]);
    const backreference = 'pattern: Backreferences (\\1, \\k<name>) are not supported';
    expect(problems({ pattern: '(a)\\1' })).toEqual([backreference]);
    expect(problems({ pattern: '(?<x>a)\\k<x>' })).toEqual([backreference]);
    expect(problems({ pattern: '\\u00e9' })).toEqual([
      'pattern: Write a character by its code as \\x{00E9}, not \\u00E9',
    ]);
  });

  it('refuse a pattern too large to check a long text quickly', () => {
    const tooLarge =
      'pattern: Too complex to check quickly: use smaller counts in {…} (min and max bound the length)';
    expect(problems({ pattern: '.*.{0,999}' })).toEqual([tooLarge]);
    expect(problems({ pattern: '[A-Z]{0,300}' })).toEqual([tooLarge]);
    expect(problems({ pattern: '[A-Za-z0-9 ]{1,200}' })).toEqual([]);
  });
});

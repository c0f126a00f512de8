import { describe, expect, it } from 'vitest';
import { fieldSettingsSchema } from './types.js';

const problems = (settings: unknown) => {
  const parsed = fieldSettingsSchema.safeParse(settings);
  return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('field settings', () => {
  it('take bounds in order, a unit and a pattern that matches in linear time', () => {
    expect(problems({ min: 0, max: 10, unit: 'kg', pattern: 'DRW-\\d{4}' })).toEqual([]);
    expect(problems({ min: 5, max: 1 })).toEqual(['max: The minimum is above the maximum']);
  });

  it('refuse a pattern that does not compile, or whose nested repetition could stall every check', () => {
    expect(problems({ pattern: '([a-z' })).toEqual(['pattern: Not a valid regular expression']);
    expect(problems({ pattern: '(a+)+b' })).toEqual([
      'pattern: Nested repetition (like (a+)+) could make checking a value take very long',
    ]);
    expect(problems({ pattern: '(x*)*' })).toHaveLength(1);
  });
});

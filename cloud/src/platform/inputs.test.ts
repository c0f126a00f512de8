import { describe, expect, it } from 'vitest';
import { countryInput, countryOrNoneInput, glnInput, glnProblem } from './inputs.js';

describe('a GLN', () => {
  it('is 13 digits with the GS1 check digit last', () => {
    // The GS1 example company prefix 0952876: check digits worked by hand (weights 3, 1, 3, … from the right).
    expect(glnProblem('0952876000014')).toBeNull();
    expect(glnProblem('0952876000106')).toBeNull();
    expect(glnProblem('0952876000015')).toBe('Wrong check digit: a GLN starting 095287600001 ends in 4');
    expect(glnProblem('095287600001')).toBe('A GLN has 13 digits');
    expect(glnProblem('09528760000140')).toBe('A GLN has 13 digits');
    expect(glnProblem('095287600001X')).toBe('A GLN has 13 digits');
  });

  it('is taken with spaces between digit groups, and stored without them', () => {
    expect(glnInput.parse(' 0952876 00001 4 ')).toBe('0952876000014');
    const wrong = glnInput.safeParse('0952876000013');
    expect(wrong.error?.issues[0]?.message).toBe('Wrong check digit: a GLN starting 095287600001 ends in 4');
    expect(glnInput.safeParse('0'.repeat(41)).error?.issues[0]?.message).toBe('A GLN has 13 digits');
  });
});

describe('a country', () => {
  it('is an ISO 3166-1 alpha-2 code, taken in either case', () => {
    expect(countryInput.parse(' de ')).toBe('DE');
    expect(countryInput.safeParse('EU').error?.issues[0]?.message).toBe(
      'Use an ISO 3166-1 country code such as DE or US',
    );
    expect(countryInput.safeParse('Germany').success).toBe(false);
    expect(countryInput.safeParse('').success).toBe(false);
  });

  it('may be left empty where it is not known yet', () => {
    expect(countryOrNoneInput.parse(' ')).toBe('');
    expect(countryOrNoneInput.parse('at')).toBe('AT');
    expect(countryOrNoneInput.safeParse('XX').error?.issues[0]?.message).toBe(
      'Use an ISO 3166-1 country code such as DE or US',
    );
  });
});

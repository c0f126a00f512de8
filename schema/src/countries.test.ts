import { describe, expect, it } from 'vitest';
import { COUNTRY_CODES, isCountryCode } from './countries.js';

describe('the country codes', () => {
  it('are the 249 officially assigned ISO 3166-1 alpha-2 codes, each once', () => {
    expect(COUNTRY_CODES).toHaveLength(249);
    expect(new Set(COUNTRY_CODES).size).toBe(249);
    expect(COUNTRY_CODES.every((code) => /^[A-Z]{2}$/.test(code))).toBe(true);
  });

  it('know countries and refuse groupings and user-assigned codes', () => {
    for (const code of ['DE', 'US', 'GB', 'JP', 'SS', 'CW']) expect(isCountryCode(code)).toBe(true);
    for (const code of ['EU', 'UN', 'UK', 'XK', 'ZZ', 'de', '']) expect(isCountryCode(code)).toBe(false);
  });
});

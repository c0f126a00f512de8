import { describe, expect, it } from 'vitest';
import { otdOverrideSchema, otdPolicySchema, readTenantSettings } from './settings.js';

describe('the OTD policy', () => {
  it('fills in every default for the tenant’s policy', () => {
    expect(otdPolicySchema.parse({})).toEqual({
      reference: 'requested',
      actual: 'shipped',
      earlyDays: 0,
      lateDays: 0,
      earlyIsLate: false,
      unit: 'line',
    });
  });

  it('keeps an override to the parts it names, so the rest stays the tenant’s', () => {
    expect(otdOverrideSchema.parse({})).toEqual({});
    expect(otdOverrideSchema.parse({ lateDays: 2 })).toEqual({ lateDays: 2 });
    expect(otdOverrideSchema.parse({ reference: 'first_promised', earlyIsLate: true })).toEqual({
      reference: 'first_promised',
      earlyIsLate: true,
    });
  });

  it('checks an override’s parts as the policy does', () => {
    expect(otdOverrideSchema.safeParse({ lateDays: 31 }).success).toBe(false);
    expect(otdOverrideSchema.safeParse({ lateDays: 1.5 }).success).toBe(false);
    expect(otdOverrideSchema.safeParse({ reference: 'someday' }).success).toBe(false);
    expect(otdOverrideSchema.safeParse({ unit: 'pallet' }).success).toBe(false);
  });

  it('reads a stored settings document without an otd section as the defaults', () => {
    expect(readTenantSettings({}).otd.reference).toBe('requested');
  });
});

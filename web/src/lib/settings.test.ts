import { describe, expect, it } from 'vitest';
import {
  daysInYears,
  draftOf,
  lastSaved,
  type SettingsDraft,
  settingsField,
  settingsPatch,
  settingsProblems,
  type TenantSettings,
} from './settings';

const stored: TenantSettings = {
  audit: { reasonRequired: false, retentionDays: 3650 },
  notifications: { emailByDefault: true, defaultDigest: 'off' },
  workflow: { signatureIdleMinutes: 15 },
  logistics: { gs1CompanyPrefix: null, ssccExtensionDigit: 0 },
  otd: {
    reference: 'requested',
    actual: 'shipped',
    earlyDays: 0,
    lateDays: 0,
    earlyIsLate: false,
    unit: 'line',
  },
};
const rules = { auditRetentionMinDays: 400, auditRetentionMinReason: 'At least 400 days: why' };
const draft = (changes: Partial<SettingsDraft> = {}) => ({ ...draftOf(stored), ...changes });

describe('settingsPatch', () => {
  it('sends only what changed, grouped by section', () => {
    expect(settingsPatch(stored, draft())).toBeNull();
    expect(settingsPatch(stored, draft({ retentionDays: ' 3650 ' }))).toBeNull();
    expect(settingsPatch(stored, draft({ retentionDays: '730' }))).toEqual({ audit: { retentionDays: 730 } });
    expect(settingsPatch(stored, draft({ reasonRequired: true, defaultDigest: 'daily' }))).toEqual({
      audit: { reasonRequired: true },
      notifications: { defaultDigest: 'daily' },
    });
    expect(settingsPatch(stored, draft({ emailByDefault: false }))).toEqual({
      notifications: { emailByDefault: false },
    });
    expect(settingsPatch(stored, draft({ signatureIdleMinutes: ' 15 ' }))).toBeNull();
    expect(settingsPatch(stored, draft({ signatureIdleMinutes: '30' }))).toEqual({
      workflow: { signatureIdleMinutes: 30 },
    });
  });
});

describe('the logistics and on-time delivery settings', () => {
  it('send only what changed, a cleared prefix as none', () => {
    expect(settingsPatch(stored, draft({ gs1CompanyPrefix: ' 0952876 ' }))).toEqual({
      logistics: { gs1CompanyPrefix: '0952876' },
    });
    const withPrefix = { ...stored, logistics: { gs1CompanyPrefix: '0952876', ssccExtensionDigit: 3 } };
    expect(settingsPatch(withPrefix, { ...draftOf(withPrefix), gs1CompanyPrefix: '' })).toEqual({
      logistics: { gs1CompanyPrefix: null },
    });
    expect(settingsPatch(withPrefix, { ...draftOf(withPrefix), ssccExtensionDigit: '0' })).toEqual({
      logistics: { ssccExtensionDigit: 0 },
    });
    expect(settingsPatch(stored, draft({ lateDays: ' 0 ', reference: 'requested' }))).toBeNull();
    expect(
      settingsPatch(stored, draft({ reference: 'latest_promised', lateDays: '2', earlyIsLate: true })),
    ).toEqual({ otd: { reference: 'latest_promised', lateDays: 2, earlyIsLate: true } });
    expect(settingsPatch(stored, draft({ unit: 'quantity', actual: 'delivered', earlyDays: '1' }))).toEqual({
      otd: { actual: 'delivered', earlyDays: 1, unit: 'quantity' },
    });
  });

  it('check the prefix and the window like the cloud', () => {
    expect(settingsProblems(draft({ gs1CompanyPrefix: '095287' }), rules)).toEqual({});
    expect(settingsProblems(draft({ gs1CompanyPrefix: '095287654321' }), rules)).toEqual({});
    for (const typed of ['09528', '0952876543210', '09528A6'])
      expect(settingsProblems(draft({ gs1CompanyPrefix: typed }), rules)).toEqual({
        gs1CompanyPrefix: 'A GS1 company prefix has 6 to 12 digits',
      });
    expect(settingsProblems(draft({ earlyDays: '30', lateDays: '0' }), rules)).toEqual({});
    expect(settingsProblems(draft({ earlyDays: '31', lateDays: '-1' }), rules)).toEqual({
      earlyDays: 'At most 30 days',
      lateDays: 'Enter a whole number of days',
    });
    expect(settingsField('patch.otd.lateDays')).toBe('lateDays');
  });
});

describe('settingsProblems', () => {
  it('checks the retention with the limits the cloud sent', () => {
    expect(settingsProblems(draft(), rules)).toEqual({});
    expect(settingsProblems(draft({ retentionDays: '400' }), rules)).toEqual({});
    expect(settingsProblems(draft({ retentionDays: '399' }), rules)).toEqual({
      retentionDays: 'At least 400 days: why',
    });
    for (const typed of ['', '1.5', '-400', 'ten years'])
      expect(settingsProblems(draft({ retentionDays: typed }), rules)).toEqual({
        retentionDays: 'Enter a whole number of days',
      });
    expect(settingsProblems(draft({ retentionDays: '36501' }), rules).retentionDays).toMatch(/^At most/);
  });

  it('keeps the signing idle time between a minute and a shift, like the cloud', () => {
    expect(settingsProblems(draft({ signatureIdleMinutes: '1' }), rules)).toEqual({});
    expect(settingsProblems(draft({ signatureIdleMinutes: '480' }), rules)).toEqual({});
    expect(settingsProblems(draft({ signatureIdleMinutes: '0' }), rules)).toEqual({
      signatureIdleMinutes: 'At least 1 minute',
    });
    expect(settingsProblems(draft({ signatureIdleMinutes: '481' }), rules)).toEqual({
      signatureIdleMinutes: 'At most 480 minutes (8 hours)',
    });
    expect(settingsProblems(draft({ signatureIdleMinutes: '2.5', retentionDays: 'x' }), rules)).toEqual({
      retentionDays: 'Enter a whole number of days',
      signatureIdleMinutes: 'Enter a whole number of minutes',
    });
  });
});

describe('the form around the values', () => {
  it('shows days in years', () => {
    expect(daysInYears('3650')).toBe('about 10 years');
    expect(daysInYears('400')).toBe('about 1.1 years');
    expect(daysInYears('365')).toBe('about 1 year');
    expect(daysInYears('x')).toBe('');
  });

  it('puts the server’s field errors at the form’s fields', () => {
    expect(settingsField('patch.audit.retentionDays')).toBe('retentionDays');
    expect(settingsField('reason')).toBe('reason');
  });

  it('says who saved last, or that the defaults apply', () => {
    expect(lastSaved({ updatedAt: null, updatedBy: null })).toBe('Never changed: the defaults apply.');
    expect(lastSaved({ updatedAt: '2026-01-02T03:04:05.000Z', updatedBy: 'Ada' })).toMatch(
      /^Last changed by Ada on .+\.$/,
    );
  });
});

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

import { readFileSync } from 'node:fs';
import { AUDIT_RETENTION_MIN_DAYS, readTenantSettings, tenantSettingsSchema } from '@plantline/schema';
import { migrationsFolder } from '@plantline/schema/migrations';
import { describe, expect, it } from 'vitest';
import {
  AUDIT_RETENTION_FLOOR_DAYS,
  applySettingsPatch,
  EVENT_RETENTION_DAYS,
  flatSettings,
  messageTime,
  namesNoSetting,
  sameSettings,
  settingsPatchInput,
  staleVersionMessage,
} from './settings-rules.js';

describe('the audit retention floor', () => {
  it('follows the retention of the machine events in the migrations', () => {
    const migration = readFileSync(`${migrationsFolder}/0004_events_rls_hypertables.sql`, 'utf8');
    const policies = [...migration.matchAll(/add_retention_policy.*?'(\d+) days'/g)].map((m) => Number(m[1]));
    expect(policies).toEqual([EVENT_RETENTION_DAYS]);
  });

  it('is the longer of the minimum and the events’ retention', () => {
    expect(AUDIT_RETENTION_FLOOR_DAYS).toBe(Math.max(AUDIT_RETENTION_MIN_DAYS, EVENT_RETENTION_DAYS));
    expect(AUDIT_RETENTION_FLOOR_DAYS).toBe(400);
  });
});

describe('a settings patch', () => {
  const fieldsOf = (input: unknown) => {
    const parsed = settingsPatchInput.safeParse(input);
    if (parsed.success) return null;
    return Object.fromEntries(parsed.error.issues.map((i) => [i.path.join('.') || '_', i.message]));
  };

  it('takes any setting of the document, alone', () => {
    expect(fieldsOf({ audit: { reasonRequired: true } })).toBeNull();
    expect(fieldsOf({ audit: { retentionDays: 400 } })).toBeNull();
    expect(fieldsOf({ notifications: { emailByDefault: false } })).toBeNull();
    expect(fieldsOf({ notifications: { defaultDigest: 'daily' } })).toBeNull();
    expect(fieldsOf({ workflow: { signatureIdleMinutes: 30 } })).toBeNull();
  });

  it('covers every setting the document has', () => {
    const defaults = tenantSettingsSchema.parse({});
    const full = {
      audit: { reasonRequired: true, retentionDays: 500 },
      notifications: { emailByDefault: false, defaultDigest: 'hourly' },
      workflow: { signatureIdleMinutes: 5 },
      logistics: { gs1CompanyPrefix: '0952876', ssccExtensionDigit: 3 },
      otd: {
        reference: 'first_promised',
        actual: 'delivered',
        earlyDays: 2,
        lateDays: 1,
        earlyIsLate: true,
        unit: 'quantity',
      },
    };
    expect(Object.keys(flatSettings(defaults)).sort()).toEqual(
      Object.keys(flatSettings(full as never)).sort(),
    );
    expect(fieldsOf(full)).toBeNull();
  });

  it('says what the shortest retention is and why', () => {
    expect(fieldsOf({ audit: { retentionDays: 399 } })).toEqual({
      'audit.retentionDays': expect.stringMatching(/^At least 400 days: .*machine events.* 400 days$/),
    });
    expect(fieldsOf({ audit: { retentionDays: 30 } })?.['audit.retentionDays']).toMatch(/^At least 400 days/);
    expect(fieldsOf({ audit: { retentionDays: 400.5 } })).toEqual({
      'audit.retentionDays': 'Enter a whole number of days',
    });
    expect(fieldsOf({ audit: { retentionDays: '3650' } })).toEqual({
      'audit.retentionDays': 'Enter a whole number of days',
    });
    expect(fieldsOf({ audit: { retentionDays: 36_501 } })?.['audit.retentionDays']).toMatch(/^At most/);
  });

  it('keeps the signing idle time between a minute and a shift', () => {
    expect(fieldsOf({ workflow: { signatureIdleMinutes: 1 } })).toBeNull();
    expect(fieldsOf({ workflow: { signatureIdleMinutes: 480 } })).toBeNull();
    expect(fieldsOf({ workflow: { signatureIdleMinutes: 0 } })).toEqual({
      'workflow.signatureIdleMinutes': 'At least 1 minute',
    });
    expect(fieldsOf({ workflow: { signatureIdleMinutes: 481 } })).toEqual({
      'workflow.signatureIdleMinutes': 'At most 480 minutes (8 hours)',
    });
    expect(fieldsOf({ workflow: { signatureIdleMinutes: 2.5 } })).toEqual({
      'workflow.signatureIdleMinutes': 'Enter a whole number of minutes',
    });
    expect(readTenantSettings({}).workflow.signatureIdleMinutes).toBe(15);
  });

  it('refuses unknown settings and sections rather than dropping them', () => {
    expect(fieldsOf({ audit: { retentionDay: 500 } })).toEqual({
      audit: expect.stringMatching(/retentionDay/),
    });
    expect(fieldsOf({ audit: { retentionDays: 500 }, audits: {} })).toEqual({
      _: expect.stringMatching(/audits/),
    });
    expect(fieldsOf({ notifications: { defaultDigest: 'weekly' } })).toEqual({
      'notifications.defaultDigest': 'One of off, hourly, daily',
    });
  });

  it('must name a setting', () => {
    expect(namesNoSetting(settingsPatchInput.parse({}))).toBe(true);
    expect(namesNoSetting(settingsPatchInput.parse({ audit: {}, notifications: {} }))).toBe(true);
    expect(namesNoSetting(settingsPatchInput.parse({ notifications: { emailByDefault: true } }))).toBe(false);
  });

  it('changes what it names and keeps the rest', () => {
    const current = readTenantSettings({
      audit: { retentionDays: 1000 },
      notifications: { defaultDigest: 'daily' },
    });
    const next = applySettingsPatch(current, settingsPatchInput.parse({ audit: { reasonRequired: true } }));
    expect(next).toEqual({
      audit: { reasonRequired: true, retentionDays: 1000 },
      notifications: { emailByDefault: true, defaultDigest: 'daily' },
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
    });
    expect(tenantSettingsSchema.parse(next)).toEqual(next);
    expect(sameSettings(current, next)).toBe(false);
    expect(sameSettings(current, applySettingsPatch(current, { audit: { retentionDays: 1000 } }))).toBe(true);
  });

  it('reads flat, one key per setting, for the audit trail', () => {
    expect(flatSettings(readTenantSettings({}))).toEqual({
      'audit.reasonRequired': false,
      'audit.retentionDays': 3650,
      'notifications.emailByDefault': true,
      'notifications.defaultDigest': 'off',
      'workflow.signatureIdleMinutes': 15,
      'logistics.gs1CompanyPrefix': null,
      'logistics.ssccExtensionDigit': 0,
      'otd.reference': 'requested',
      'otd.actual': 'shipped',
      'otd.earlyDays': 0,
      'otd.lateDays': 0,
      'otd.earlyIsLate': false,
      'otd.unit': 'line',
    });
  });

  it('keeps a GS1 company prefix to 6–12 digits and OTD windows to 30 days', () => {
    expect(fieldsOf({ logistics: { gs1CompanyPrefix: '0952876' } })).toBeNull();
    expect(fieldsOf({ logistics: { gs1CompanyPrefix: null } })).toBeNull();
    expect(fieldsOf({ logistics: { gs1CompanyPrefix: '09528' } })).toEqual({
      'logistics.gs1CompanyPrefix': 'A GS1 company prefix has 6 to 12 digits',
    });
    expect(fieldsOf({ otd: { earlyDays: 2, unit: 'quantity' } })).toBeNull();
    expect(Object.keys(fieldsOf({ otd: { lateDays: 31 } }) ?? {})).toEqual(['otd.lateDays']);
    expect(Object.keys(fieldsOf({ otd: { reference: 'whenever' } }) ?? {})).toEqual(['otd.reference']);
  });

  it('changes one OTD setting without resetting the others to their defaults', () => {
    const current = readTenantSettings({
      otd: { reference: 'latest_promised', actual: 'delivered', unit: 'quantity', earlyIsLate: true },
    });
    expect(settingsPatchInput.parse({ otd: { lateDays: 2 } })).toEqual({ otd: { lateDays: 2 } });
    const next = applySettingsPatch(current, settingsPatchInput.parse({ otd: { lateDays: 2 } }));
    expect(next.otd).toEqual({
      reference: 'latest_promised',
      actual: 'delivered',
      earlyDays: 0,
      lateDays: 2,
      earlyIsLate: true,
      unit: 'quantity',
    });
  });
});

describe('a stale save', () => {
  it('names who changed the settings, and when', () => {
    const at = new Date('2026-03-04T05:06:07.890Z');
    expect(messageTime(at)).toBe('2026-03-04 05:06 UTC');
    expect(staleVersionMessage({ updatedAt: at, updatedBy: 'Ada' })).toBe(
      'These settings were changed by Ada at 2026-03-04 05:06 UTC since you opened them; reload them and make your change again',
    );
    expect(staleVersionMessage({ updatedAt: at, updatedBy: null })).toMatch(/changed by an API key at/);
    expect(staleVersionMessage({ updatedAt: null, updatedBy: null })).toMatch(/not been saved yet; reload/);
  });
});

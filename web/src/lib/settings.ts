import type { SettingsRecord } from './api-types';
import type { FieldErrors } from './validation';

/*
 * The settings page's pure half (routes/(app)/admin/settings): the form's values from the stored
 * settings, its checks (the cloud's rules, cloud/src/modules/settings/settings-rules.ts), and the patch
 * of what the user changed.
 */

export type TenantSettings = SettingsRecord['settings'];
export type Digest = TenantSettings['notifications']['defaultDigest'];
export type OtdSettings = TenantSettings['otd'];

export const DIGEST_OPTIONS: readonly { value: Digest; label: string }[] = [
  { value: 'off', label: 'Off: each notification by itself' },
  { value: 'hourly', label: 'Hourly' },
  { value: 'daily', label: 'Daily' },
];

export const OTD_REFERENCE_OPTIONS: readonly { value: OtdSettings['reference']; label: string }[] = [
  { value: 'requested', label: 'The date the customer asked for' },
  { value: 'first_promised', label: 'The first date promised' },
  { value: 'latest_promised', label: 'The latest date promised' },
];

export const OTD_ACTUAL_OPTIONS: readonly { value: OtdSettings['actual']; label: string }[] = [
  { value: 'shipped', label: 'When it left the plant' },
  { value: 'delivered', label: 'When it arrived' },
];

export const OTD_UNIT_OPTIONS: readonly { value: OtdSettings['unit']; label: string }[] = [
  { value: 'line', label: 'Lines (delivery requests)' },
  { value: 'shipment', label: 'Shipments' },
  { value: 'quantity', label: 'Quantity' },
];

/** The SSCC extension digit's choices, 0–9. */
export const EXTENSION_DIGIT_OPTIONS = Array.from({ length: 10 }, (_, d) => ({
  value: String(d),
  label: String(d),
}));

/** The OTD window's bound (schema/src/settings.ts, OTD_WINDOW_MAX_DAYS). */
export const OTD_WINDOW_MAX_DAYS = 30;

/** The cloud's bound on input (settings-rules.ts, AUDIT_RETENTION_MAX_DAYS). */
export const RETENTION_MAX_DAYS = 36_500;

/** The signing idle time's bounds (schema/src/settings.ts, 21 CFR 11.200(a)(1)). */
export const SIGNATURE_IDLE_MIN_MINUTES = 1;
export const SIGNATURE_IDLE_MAX_MINUTES = 480;

export interface SettingsDraft {
  reasonRequired: boolean;
  /** As typed. */
  retentionDays: string;
  emailByDefault: boolean;
  defaultDigest: Digest;
  /** As typed. */
  signatureIdleMinutes: string;
  /** As typed; empty for none. */
  gs1CompanyPrefix: string;
  ssccExtensionDigit: string;
  reference: OtdSettings['reference'];
  actual: OtdSettings['actual'];
  /** As typed. */
  earlyDays: string;
  /** As typed. */
  lateDays: string;
  earlyIsLate: boolean;
  unit: OtdSettings['unit'];
}

export function draftOf(settings: TenantSettings): SettingsDraft {
  return {
    reasonRequired: settings.audit.reasonRequired,
    retentionDays: String(settings.audit.retentionDays),
    emailByDefault: settings.notifications.emailByDefault,
    defaultDigest: settings.notifications.defaultDigest,
    signatureIdleMinutes: String(settings.workflow.signatureIdleMinutes),
    gs1CompanyPrefix: settings.logistics.gs1CompanyPrefix ?? '',
    ssccExtensionDigit: String(settings.logistics.ssccExtensionDigit),
    reference: settings.otd.reference,
    actual: settings.otd.actual,
    earlyDays: String(settings.otd.earlyDays),
    lateDays: String(settings.otd.lateDays),
    earlyIsLate: settings.otd.earlyIsLate,
    unit: settings.otd.unit,
  };
}

const WHOLE_DAYS = /^\d+$/;

/** The form's problems; `rules` are the limits the cloud sent with the settings. */
export function settingsProblems(draft: SettingsDraft, rules: SettingsRecord['rules']): FieldErrors {
  return {
    ...retentionProblems(draft, rules),
    ...signatureIdleProblems(draft),
    ...prefixProblems(draft),
    ...windowProblems(draft, 'earlyDays'),
    ...windowProblems(draft, 'lateDays'),
  };
}

/** GS1 General Specifications, "GS1 Company Prefix": 6 to 12 digits. */
function prefixProblems(draft: SettingsDraft): FieldErrors {
  const prefix = draft.gs1CompanyPrefix.trim();
  if (prefix === '' || /^\d{6,12}$/.test(prefix)) return {};
  return { gs1CompanyPrefix: 'A GS1 company prefix has 6 to 12 digits' };
}

function windowProblems(draft: SettingsDraft, field: 'earlyDays' | 'lateDays'): FieldErrors {
  const days = draft[field].trim();
  if (!WHOLE_DAYS.test(days)) return { [field]: 'Enter a whole number of days' };
  if (Number(days) > OTD_WINDOW_MAX_DAYS) return { [field]: `At most ${OTD_WINDOW_MAX_DAYS} days` };
  return {};
}

function retentionProblems(draft: SettingsDraft, rules: SettingsRecord['rules']): FieldErrors {
  const days = draft.retentionDays.trim();
  if (!WHOLE_DAYS.test(days)) return { retentionDays: 'Enter a whole number of days' };
  if (Number(days) < rules.auditRetentionMinDays) return { retentionDays: rules.auditRetentionMinReason };
  if (Number(days) > RETENTION_MAX_DAYS)
    return { retentionDays: `At most ${RETENTION_MAX_DAYS} days (100 years)` };
  return {};
}

function signatureIdleProblems(draft: SettingsDraft): FieldErrors {
  const minutes = draft.signatureIdleMinutes.trim();
  if (!WHOLE_DAYS.test(minutes)) return { signatureIdleMinutes: 'Enter a whole number of minutes' };
  if (Number(minutes) < SIGNATURE_IDLE_MIN_MINUTES)
    return { signatureIdleMinutes: `At least ${SIGNATURE_IDLE_MIN_MINUTES} minute` };
  if (Number(minutes) > SIGNATURE_IDLE_MAX_MINUTES)
    return { signatureIdleMinutes: `At most ${SIGNATURE_IDLE_MAX_MINUTES} minutes (8 hours)` };
  return {};
}

export interface SettingsPatch {
  audit?: { reasonRequired?: boolean; retentionDays?: number };
  notifications?: { emailByDefault?: boolean; defaultDigest?: Digest };
  workflow?: { signatureIdleMinutes?: number };
  logistics?: { gs1CompanyPrefix?: string | null; ssccExtensionDigit?: number };
  otd?: Partial<OtdSettings>;
}

/** Only what the user changed, grouped as the cloud takes it; null when nothing was. */
export function settingsPatch(stored: TenantSettings, draft: SettingsDraft): SettingsPatch | null {
  const audit: NonNullable<SettingsPatch['audit']> = {};
  const notifications: NonNullable<SettingsPatch['notifications']> = {};
  if (draft.reasonRequired !== stored.audit.reasonRequired) audit.reasonRequired = draft.reasonRequired;
  const days = Number(draft.retentionDays.trim());
  if (days !== stored.audit.retentionDays) audit.retentionDays = days;
  if (draft.emailByDefault !== stored.notifications.emailByDefault)
    notifications.emailByDefault = draft.emailByDefault;
  if (draft.defaultDigest !== stored.notifications.defaultDigest)
    notifications.defaultDigest = draft.defaultDigest;
  const idle = Number(draft.signatureIdleMinutes.trim());
  const workflow = idle === stored.workflow.signatureIdleMinutes ? null : { signatureIdleMinutes: idle };
  const logistics = changed(stored.logistics, {
    gs1CompanyPrefix: draft.gs1CompanyPrefix.trim() === '' ? null : draft.gs1CompanyPrefix.trim(),
    ssccExtensionDigit: Number(draft.ssccExtensionDigit),
  });
  const otd = changed(stored.otd, {
    reference: draft.reference,
    actual: draft.actual,
    earlyDays: Number(draft.earlyDays.trim()),
    lateDays: Number(draft.lateDays.trim()),
    earlyIsLate: draft.earlyIsLate,
    unit: draft.unit,
  });
  const patch: SettingsPatch = {
    ...(Object.keys(audit).length > 0 ? { audit } : {}),
    ...(Object.keys(notifications).length > 0 ? { notifications } : {}),
    ...(workflow === null ? {} : { workflow }),
    ...(logistics === null ? {} : { logistics }),
    ...(otd === null ? {} : { otd }),
  };
  return Object.keys(patch).length > 0 ? patch : null;
}

/** The values of `next` that differ from `stored`; null when none do. */
function changed<T extends object>(stored: T, next: T): Partial<T> | null {
  const entries = Object.entries(next).filter(([key, value]) => stored[key as keyof T] !== value);
  return entries.length > 0 ? (Object.fromEntries(entries) as Partial<T>) : null;
}

/** A number of days in years, for the hint beside the field: "about 10 years". */
export function daysInYears(typed: string): string {
  const days = typed.trim();
  if (!WHOLE_DAYS.test(days)) return '';
  const years = Number(days) / 365.25;
  const shown = years >= 10 ? Math.round(years).toString() : (Math.round(years * 10) / 10).toString();
  return `about ${shown} year${shown === '1' ? '' : 's'}`;
}

/** The form's field for a server field path: `patch.audit.retentionDays` → `retentionDays`. */
export function settingsField(path: string): string {
  return path.split('.').at(-1) ?? path;
}

/** Who saved the settings last, and when, in the user's own time. */
export function lastSaved(record: Pick<SettingsRecord, 'updatedAt' | 'updatedBy'>): string {
  if (record.updatedAt === null) return 'Never changed: the defaults apply.';
  const when = new Date(record.updatedAt).toLocaleString();
  return `Last changed by ${record.updatedBy ?? 'an API key'} on ${when}.`;
}

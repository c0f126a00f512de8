import type { SettingsRecord } from './api-types';
import type { FieldErrors } from './validation';

/*
 * The settings page's pure half (routes/(app)/admin/settings): the form's values from the stored
 * settings, its checks (the cloud's rules, cloud/src/modules/settings/settings-rules.ts), and the patch
 * of what the user changed.
 */

export type TenantSettings = SettingsRecord['settings'];
export type Digest = TenantSettings['notifications']['defaultDigest'];

export const DIGEST_OPTIONS: readonly { value: Digest; label: string }[] = [
  { value: 'off', label: 'Off: each notification by itself' },
  { value: 'hourly', label: 'Hourly' },
  { value: 'daily', label: 'Daily' },
];

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
}

export function draftOf(settings: TenantSettings): SettingsDraft {
  return {
    reasonRequired: settings.audit.reasonRequired,
    retentionDays: String(settings.audit.retentionDays),
    emailByDefault: settings.notifications.emailByDefault,
    defaultDigest: settings.notifications.defaultDigest,
    signatureIdleMinutes: String(settings.workflow.signatureIdleMinutes),
  };
}

const WHOLE_DAYS = /^\d+$/;

/** The form's problems; `rules` are the limits the cloud sent with the settings. */
export function settingsProblems(draft: SettingsDraft, rules: SettingsRecord['rules']): FieldErrors {
  return { ...retentionProblems(draft, rules), ...signatureIdleProblems(draft) };
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
  const patch: SettingsPatch = {
    ...(Object.keys(audit).length > 0 ? { audit } : {}),
    ...(Object.keys(notifications).length > 0 ? { notifications } : {}),
    ...(workflow === null ? {} : { workflow }),
  };
  return Object.keys(patch).length > 0 ? patch : null;
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

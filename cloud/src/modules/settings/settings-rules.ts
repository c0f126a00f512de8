import {
  AUDIT_RETENTION_MIN_DAYS,
  emailDigests,
  gs1CompanyPrefixSchema,
  otdOverrideSchema,
  SIGNATURE_IDLE_MAX_MINUTES,
  SIGNATURE_IDLE_MIN_MINUTES,
  type TenantSettings,
} from '@plantline/schema';
import { z } from 'zod';

/*
 * The rules of a settings change, without I/O (docs/settings.md): the shortest audit retention a
 * tenant may choose, the patch an administrator sends, and the document it makes.
 */

/**
 * How long machine events are kept: the retention policy of the event hypertables (migration
 * 0004_events_rls_hypertables.sql; settings-rules.test.ts fails when the two drift apart).
 */
export const EVENT_RETENTION_DAYS = 400;

/**
 * The audit trail must outlive the records it covers. In Plantline today the records the trail
 * covers — master data, orders, inspections, users, roles, configuration, these settings — have no
 * retention of their own: they stay until deleted. What the trail explains reaches further back,
 * though: every OEE or yield figure over the machine events (kept EVENT_RETENTION_DAYS, and queried
 * that far back) depends on the master data in force at the time (ideal cycle times, the state-loss
 * mapping, shifts), so the trail of those changes is kept at least as long as the events are. The
 * floor is the larger of that and the tenant-independent minimum of one year.
 */
export const AUDIT_RETENTION_FLOOR_DAYS = Math.max(AUDIT_RETENTION_MIN_DAYS, EVENT_RETENTION_DAYS);

/** A century: a bound on input, not a policy. */
export const AUDIT_RETENTION_MAX_DAYS = 36_500;

export const retentionFloorMessage =
  `At least ${AUDIT_RETENTION_FLOOR_DAYS} days: the audit trail must outlive the records it covers, ` +
  `and machine events, whose figures depend on the changes it records, are kept ${EVENT_RETENTION_DAYS} days`;

const wholeDays = 'Enter a whole number of days';

const retentionDaysInput = z
  .number({ error: wholeDays })
  .int(wholeDays)
  .min(AUDIT_RETENTION_FLOOR_DAYS, retentionFloorMessage)
  .max(AUDIT_RETENTION_MAX_DAYS, `At most ${AUDIT_RETENTION_MAX_DAYS} days (100 years)`);

const wholeMinutes = 'Enter a whole number of minutes';

const signatureIdleInput = z
  .number({ error: wholeMinutes })
  .int(wholeMinutes)
  .min(SIGNATURE_IDLE_MIN_MINUTES, `At least ${SIGNATURE_IDLE_MIN_MINUTES} minute`)
  .max(SIGNATURE_IDLE_MAX_MINUTES, `At most ${SIGNATURE_IDLE_MAX_MINUTES} minutes (8 hours)`);

/**
 * A change to some settings, grouped by section like the document. Unknown keys are refused rather
 * than dropped: a misspelt setting would otherwise be reported saved while the old value stays in
 * force, which for a compliance setting is worse than an error.
 */
export const settingsPatchInput = z.strictObject({
  audit: z
    .strictObject({
      reasonRequired: z.boolean().optional(),
      retentionDays: retentionDaysInput.optional(),
    })
    .optional(),
  notifications: z
    .strictObject({
      emailByDefault: z.boolean().optional(),
      defaultDigest: z.enum(emailDigests, { error: `One of ${emailDigests.join(', ')}` }).optional(),
    })
    .optional(),
  workflow: z.strictObject({ signatureIdleMinutes: signatureIdleInput.optional() }).optional(),
  logistics: z
    .strictObject({
      gs1CompanyPrefix: gs1CompanyPrefixSchema.nullable().optional(),
      ssccExtensionDigit: z.number().int().min(0).max(9).optional(),
    })
    .optional(),
  otd: otdOverrideSchema.strict().optional(),
});

export type SettingsPatch = z.output<typeof settingsPatchInput>;

/**
 * Whether a patch names no setting. Checked by the caller rather than in the schema, which then has a
 * smallest valid input for the probe of every procedure (app-router.inputs.test.ts).
 */
export function namesNoSetting(patch: SettingsPatch): boolean {
  return Object.values(patch).every((section) => section === undefined || Object.keys(section).length === 0);
}

/** The document after the patch: each section keeps what the patch leaves out. */
export function applySettingsPatch(current: TenantSettings, patch: SettingsPatch): TenantSettings {
  return {
    audit: { ...current.audit, ...definedOnly(patch.audit) },
    notifications: { ...current.notifications, ...definedOnly(patch.notifications) },
    workflow: { ...current.workflow, ...definedOnly(patch.workflow) },
    logistics: { ...current.logistics, ...definedOnly(patch.logistics) },
    otd: { ...current.otd, ...definedOnly(patch.otd) },
  };
}

function definedOnly<T extends object>(section: T | undefined): Partial<T> {
  if (section === undefined) return {};
  return Object.fromEntries(Object.entries(section).filter(([, value]) => value !== undefined)) as Partial<T>;
}

/**
 * The settings as one flat record (`audit.retentionDays` → 3650) for the audit trail, which keeps
 * only the top-level keys that differ: a change then reads as the one setting that changed.
 */
export function flatSettings(settings: TenantSettings): Record<string, unknown> {
  const flat: Record<string, unknown> = {};
  for (const [section, values] of Object.entries(settings)) {
    for (const [key, value] of Object.entries(values as Record<string, unknown>)) {
      flat[`${section}.${key}`] = value;
    }
  }
  return flat;
}

/** Whether two documents hold the same values. */
export function sameSettings(a: TenantSettings, b: TenantSettings): boolean {
  const flatA = flatSettings(a);
  const flatB = flatSettings(b);
  return Object.keys({ ...flatA, ...flatB }).every((key) => flatA[key] === flatB[key]);
}

/** A moment as administrators read it in a message: minutes, UTC (settings are tenant-wide). */
export function messageTime(at: Date): string {
  return `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** The refusal of a save made from an older version than the stored one. */
export function staleVersionMessage(stored: { updatedAt: Date | null; updatedBy: string | null }): string {
  if (stored.updatedAt === null) {
    return 'These settings have not been saved yet; reload them and make your change again';
  }
  // No user: an API key with tenant.manage saved them.
  const who = stored.updatedBy ?? 'an API key';
  return `These settings were changed by ${who} at ${messageTime(stored.updatedAt)} since you opened them; reload them and make your change again`;
}

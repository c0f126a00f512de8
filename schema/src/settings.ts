import { z } from 'zod';

/*
 * The tenant settings document (table system_settings). Every key has a default, so an empty
 * document, an older one, or none at all parses to a complete set of settings.
 */

/** Ten years: GMP records are commonly kept for the product's shelf life plus years. */
export const AUDIT_RETENTION_DEFAULT_DAYS = 3650;
/** The shortest audit retention a tenant may set: the trail must outlive the records it covers. */
export const AUDIT_RETENTION_MIN_DAYS = 365;

export const emailDigests = ['off', 'hourly', 'daily'] as const;

/**
 * How long after a signing with both components (email and password) further signings in the same
 * session need the password only (21 CFR 11.200(a)(1), docs/workflows.md "Electronic signatures").
 */
export const SIGNATURE_IDLE_DEFAULT_MINUTES = 15;
export const SIGNATURE_IDLE_MIN_MINUTES = 1;
/** A working shift: beyond that a session is hardly one continuous period of controlled access. */
export const SIGNATURE_IDLE_MAX_MINUTES = 480;

/**
 * How on-time delivery is counted (docs/kpis.md, "OTD and OTIF"): against which date, by which
 * actual date, within which window, per what. A customer may override any of it (customers.otd_policy).
 */
export const otdReferences = ['requested', 'first_promised', 'latest_promised'] as const;
export const otdActuals = ['shipped', 'delivered'] as const;
export const otdUnits = ['shipment', 'line', 'quantity'] as const;
export const OTD_WINDOW_MAX_DAYS = 30;

const windowDays = z.number().int().min(0).max(OTD_WINDOW_MAX_DAYS);
/** The policy's fields without defaults: an override names only what differs from the tenant's. */
const otdPolicyFields = {
  reference: z.enum(otdReferences),
  actual: z.enum(otdActuals),
  /** Days before the reference date that still count as on time. */
  earlyDays: windowDays,
  /** Days after the reference date that still count as on time. */
  lateDays: windowDays,
  /** Earlier than the window counts as not on time (as some retailers count it); else early is on time. */
  earlyIsLate: z.boolean(),
  unit: z.enum(otdUnits),
};
export const otdPolicySchema = z.object({
  reference: otdPolicyFields.reference.default('requested'),
  actual: otdPolicyFields.actual.default('shipped'),
  earlyDays: otdPolicyFields.earlyDays.default(0),
  lateDays: otdPolicyFields.lateDays.default(0),
  earlyIsLate: otdPolicyFields.earlyIsLate.default(false),
  unit: otdPolicyFields.unit.default('line'),
});
export type OtdPolicy = z.infer<typeof otdPolicySchema>;
/**
 * A customer's exceptions to the tenant's policy, and a settings patch of it: only the keys given.
 * (Partial of the defaulted schema would fill every missing key with its default, and so reset what
 * the tenant chose.)
 */
export const otdOverrideSchema = z.object(otdPolicyFields).partial();
export type OtdOverride = z.infer<typeof otdOverrideSchema>;

/** A GS1 company prefix: 6 to 12 digits (GS1 General Specifications, "GS1 Company Prefix"). */
export const gs1CompanyPrefixSchema = z
  .string()
  .regex(/^[0-9]{6,12}$/, 'A GS1 company prefix has 6 to 12 digits');

export const tenantSettingsSchema = z.object({
  audit: z
    .object({
      /** EU GMP Annex 11 §9: the reason for a change or deletion of GMP-relevant data is documented. */
      reasonRequired: z.boolean().default(false),
      retentionDays: z.number().int().min(AUDIT_RETENTION_MIN_DAYS).default(AUDIT_RETENTION_DEFAULT_DAYS),
    })
    .prefault({}),
  notifications: z
    .object({
      /** Whether users receive email for a kind they have not chosen for themselves. */
      emailByDefault: z.boolean().default(true),
      /** The digest a user gets until they choose one. */
      defaultDigest: z.enum(emailDigests).default('off'),
    })
    .prefault({}),
  workflow: z
    .object({
      signatureIdleMinutes: z
        .number()
        .int()
        .min(SIGNATURE_IDLE_MIN_MINUTES)
        .max(SIGNATURE_IDLE_MAX_MINUTES)
        .default(SIGNATURE_IDLE_DEFAULT_MINUTES),
    })
    .prefault({}),
  logistics: z
    .object({
      /** The prefix SSCCs and GTINs are issued under; SSCCs cannot be issued until it is set. */
      gs1CompanyPrefix: gs1CompanyPrefixSchema.nullable().default(null),
      /** The SSCC's first digit, chosen by the company to widen its serial range. */
      ssccExtensionDigit: z.number().int().min(0).max(9).default(0),
    })
    .prefault({}),
  otd: otdPolicySchema.prefault({}),
});

export type TenantSettings = z.infer<typeof tenantSettingsSchema>;

/**
 * A key of the stored document that is no setting: the hash of the permission catalogue and built-in
 * roles the tenant's roles were last offered (cloud/src/db/builtin-roles.ts). Reading the settings
 * ignores it; saving them keeps it.
 */
export const BUILTIN_ROLES_HASH_KEY = 'builtinRolesHash';

/** A stored document read back: unknown or invalid keys fall back to their defaults. */
export function readTenantSettings(stored: unknown): TenantSettings {
  const parsed = tenantSettingsSchema.safeParse(stored ?? {});
  return parsed.success ? parsed.data : tenantSettingsSchema.parse({});
}

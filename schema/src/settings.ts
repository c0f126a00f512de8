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
});

export type TenantSettings = z.infer<typeof tenantSettingsSchema>;

/** A stored document read back: unknown or invalid keys fall back to their defaults. */
export function readTenantSettings(stored: unknown): TenantSettings {
  const parsed = tenantSettingsSchema.safeParse(stored ?? {});
  return parsed.success ? parsed.data : tenantSettingsSchema.parse({});
}

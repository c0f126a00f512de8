import { z } from 'zod';
import { emailInput, newPasswordInput } from '../identity/index.js';

/** A tenant's slug: how operators name it on the command line and in the system API. */
export const TENANT_SLUG = /^[a-z0-9][a-z0-9-]{1,62}$/;

function validTimezone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export const timezoneInput = z
  .string()
  .trim()
  .refine(validTimezone, { message: 'Not an IANA time zone (such as Europe/Berlin)' });

/** A new tenant as the system API takes it (docs/security.md, "Tenants"). */
export const newTenantInput = z.object({
  name: z.string().trim().min(1).max(200),
  slug: z
    .string()
    .regex(TENANT_SLUG, 'Use 2 to 63 lower-case letters, digits or dashes, starting with a letter or digit'),
  plants: z
    .array(
      z.object({
        code: z.string().trim().min(1).max(20),
        name: z.string().trim().min(1).max(200),
        timezone: timezoneInput,
      }),
    )
    .min(1, 'A tenant needs at least one plant')
    .max(100),
  admin: z.object({
    email: emailInput,
    displayName: z.string().trim().min(1).max(200),
    password: newPasswordInput,
  }),
});

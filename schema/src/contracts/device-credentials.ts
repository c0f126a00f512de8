import { z } from 'zod';
import { CODE_PATTERN } from './topics.js';

/*
 * What an edge learns from the cloud to let devices onto its embedded MQTT broker (edge.deviceCredentials).
 * A credential's scope is its topic rights: plant P (and optionally line L, machine M) may publish only
 * under plantline/v1/P/ (…/L/, …/L/M/).
 *
 * The password hash is scrypt (RFC 7914), which node:crypto offers on both sides, so the edge needs no
 * native dependency to verify it: `scrypt$N$r$p$<salt base64url>$<hash base64url>`. The parameters
 * travel with the hash so they can be raised later; the edge refuses values above its bounds
 * (DEVICE_SCRYPT_LIMITS) so a hash cannot make it spend unbounded memory.
 */
export const DEVICE_PASSWORD_HASH =
  /^scrypt\$(\d+)\$(\d+)\$(\d+)\$([A-Za-z0-9_-]{16,})\$([A-Za-z0-9_-]{32,})$/;
export const DEVICE_SCRYPT = { N: 16384, r: 8, p: 1, keyLength: 32, saltBytes: 16 } as const;
export const DEVICE_SCRYPT_LIMITS = { maxN: 65536, maxR: 16, maxP: 4 } as const;

/** MQTT usernames devices present: short, printable, no spaces. */
export const DEVICE_USERNAME_PATTERN = /^[A-Za-z0-9_.@-]{1,64}$/;

const code = z.string().regex(CODE_PATTERN);

export const deviceCredentialSchema = z.object({
  username: z.string().regex(DEVICE_USERNAME_PATTERN),
  passwordHash: z.string().regex(DEVICE_PASSWORD_HASH),
  plant: code,
  line: code.nullable(),
  machine: code.nullable(),
  revokedAt: z.string().nullable(),
});
export type DeviceCredential = z.infer<typeof deviceCredentialSchema>;

export const deviceCredentialSetSchema = z.object({
  credentials: z.array(deviceCredentialSchema),
});
export type DeviceCredentialSet = z.infer<typeof deviceCredentialSetSchema>;

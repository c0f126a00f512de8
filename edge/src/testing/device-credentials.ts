import { randomBytes, scryptSync } from 'node:crypto';
import { DEVICE_SCRYPT, type DeviceCredential } from '@plantline/schema';

/** What the cloud stores and sends for a device password (schema/src/contracts/device-credentials.ts). */
export function devicePasswordHash(password: string): string {
  const { N, r, p, keyLength, saltBytes } = DEVICE_SCRYPT;
  const salt = randomBytes(saltBytes);
  const hash = scryptSync(password, salt, keyLength, { N, r, p });
  return `scrypt$${N}$${r}$${p}$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

export function deviceCredential(
  username: string,
  password: string,
  scope: { plant: string; line?: string; machine?: string; revoked?: boolean },
): DeviceCredential {
  return {
    username,
    passwordHash: devicePasswordHash(password),
    plant: scope.plant,
    line: scope.line ?? null,
    machine: scope.machine ?? null,
    revokedAt: scope.revoked ? new Date().toISOString() : null,
  };
}

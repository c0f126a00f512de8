import { scrypt, timingSafeEqual } from 'node:crypto';
import {
  DEVICE_PASSWORD_HASH,
  DEVICE_SCRYPT_LIMITS,
  type DeviceCredential,
  type DeviceCredentialSet,
} from '@plantline/schema';
import { ALL_PLANTS, type DeviceRights } from './device-rights';

/** Who a connected device is, looked up again on every publish so a revocation applies at once. */
export type DeviceLogin =
  | { kind: 'credential'; username: string }
  | { kind: 'local'; username: string }
  | { kind: 'anonymous' };

export type AuthResult = { ok: true; login: DeviceLogin } | { ok: false; reason: string };

export interface DeviceAuthOptions {
  /** EDGE_MQTT_USERNAME / EDGE_MQTT_PASSWORD: the fallback for an edge without a cloud. */
  localLogin: { username: string; password: string } | undefined;
  /** EDGE_MQTT_ALLOW_ANONYMOUS: devices without a username are let in with every right. */
  allowAnonymous: boolean;
}

/**
 * Decides who may connect to the embedded broker, in this order (docs/device-integration.md,
 * "Device logins"):
 * 1. a device credential synced from the cloud (per device, revocable, scoped to plant/line/machine);
 * 2. the local login from the environment, unscoped at the broker (the edge's key limits its plants);
 * 3. no username at all, only when anonymous devices are explicitly allowed.
 * Anything else is refused: with no credentials and no local login, no device gets in.
 */
export class DeviceAuth {
  #credentials = new Map<string, DeviceCredential>();

  constructor(private readonly options: DeviceAuthOptions) {}

  /** The set last synced from the cloud (or read back from disk); replaces the previous one whole. */
  replace(set: DeviceCredentialSet): void {
    this.#credentials = new Map(set.credentials.map((credential) => [credential.username, credential]));
  }

  /** Whether any device at all can connect: for the warning at start. */
  get anyLoginPossible(): boolean {
    return this.#credentials.size > 0 || this.options.localLogin !== undefined || this.options.allowAnonymous;
  }

  async authenticate(username: string | undefined, password: Buffer | undefined): Promise<AuthResult> {
    if (username === undefined || username === '') {
      return this.options.allowAnonymous
        ? { ok: true, login: { kind: 'anonymous' } }
        : { ok: false, reason: 'anonymous devices are not allowed' };
    }
    const given = password ?? Buffer.alloc(0);
    const credential = this.#credentials.get(username);
    if (credential !== undefined) {
      if (credential.revokedAt !== null) return { ok: false, reason: 'device credential revoked' };
      return (await verifyDevicePassword(given, credential.passwordHash))
        ? { ok: true, login: { kind: 'credential', username } }
        : { ok: false, reason: 'wrong password' };
    }
    const local = this.options.localLogin;
    if (local !== undefined && username === local.username) {
      return sameBytes(given, Buffer.from(local.password))
        ? { ok: true, login: { kind: 'local', username } }
        : { ok: false, reason: 'wrong password' };
    }
    return { ok: false, reason: 'unknown username' };
  }

  /** Current rights of a login, or null when it is no longer valid (revoked or removed since). */
  rightsOf(login: DeviceLogin): DeviceRights | null {
    if (login.kind === 'credential') {
      const credential = this.#credentials.get(login.username);
      if (credential === undefined || credential.revokedAt !== null) return null;
      return { plants: [credential.plant], line: credential.line, machine: credential.machine };
    }
    // The edge's key confines these to its plants: the cloud rejects any other plant's events, and the
    // edge dead-letters them with the cloud's reason (docs/device-integration.md, "Unknown machines").
    return ALL_PLANTS;
  }
}

/** Constant-time for equal lengths; a length difference is no secret worth protecting here. */
function sameBytes(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function verifyDevicePassword(password: Buffer, encoded: string): Promise<boolean> {
  const match = DEVICE_PASSWORD_HASH.exec(encoded);
  if (!match) return false;
  const [N, r, p] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (N > DEVICE_SCRYPT_LIMITS.maxN || r > DEVICE_SCRYPT_LIMITS.maxR || p > DEVICE_SCRYPT_LIMITS.maxP) {
    return false;
  }
  const salt = Buffer.from(match[4]!, 'base64url');
  const expected = Buffer.from(match[5]!, 'base64url');
  const derived = await new Promise<Buffer | null>((resolve) =>
    scrypt(password, salt, expected.length, { N, r, p, maxmem: 256 * N * r + 1024 * 1024 }, (err, key) =>
      resolve(err ? null : key),
    ),
  );
  return derived !== null && sameBytes(derived, expected);
}

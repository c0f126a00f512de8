import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { type PublicKeyRecord, publicKeyRecord } from './checkpoint-document.js';

/*
 * The key that signs audit checkpoints (docs/audit.md, "The signing key"). It lives outside the
 * database on purpose: whoever can rewrite the database must not be able to sign. By default it is a
 * PEM file in the data folder, created with mode 0600 on first start; AUDIT_SIGNING_KEY names another
 * file or carries the PEM itself (README, configuration table).
 */

/** The default key file's name in the data folder. */
export const SIGNING_KEY_FILE = 'audit-signing-key.pem';

export interface AuditSigningKey extends PublicKeyRecord {
  privateKey: KeyObject;
}

/** Where the key comes from: a PEM given as text, or a file (created when missing only if asked). */
export type SigningKeySource = { pem: string } | { path: string; createIfMissing?: boolean };

/** An Ed25519 private key from PEM text, or an error that says what is wrong with it. */
export function signingKeyFromPem(pem: string, origin: string): AuditSigningKey {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(pem);
  } catch {
    throw new Error(`${origin} is not a PEM private key`);
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw new Error(`${origin} is not an Ed25519 key (it is ${privateKey.asymmetricKeyType ?? 'unknown'})`);
  }
  return { privateKey, ...publicKeyRecord(privateKey) };
}

/** A new key pair as PEM (PKCS #8), the form the key file holds. */
function newKeyPem(): string {
  const { privateKey } = generateKeyPairSync('ed25519');
  return privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

/** A key held in memory only, for a cloud without a data folder (tests): its checkpoints still check. */
export function ephemeralSigningKey(): AuditSigningKey {
  return signingKeyFromPem(newKeyPem(), 'the generated key');
}

export function loadSigningKey(source: SigningKeySource): AuditSigningKey {
  if ('pem' in source) return signingKeyFromPem(source.pem, 'AUDIT_SIGNING_KEY');
  const { path } = source;
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || !source.createIfMissing) {
      throw new Error(`The audit signing key ${path} cannot be read: ${(error as Error).message}`);
    }
    pem = createKeyFile(path);
  }
  return signingKeyFromPem(pem, `The audit signing key ${path}`);
}

/** Writes a new key readable by its owner only; a key written meanwhile by another process wins. */
function createKeyFile(path: string): string {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const pem = newKeyPem();
  try {
    writeFileSync(path, pem, { mode: 0o600, flag: 'wx' });
    return pem;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return readFileSync(path, 'utf8');
    throw error;
  }
}

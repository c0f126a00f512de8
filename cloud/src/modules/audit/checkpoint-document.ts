import { createHash, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';
import canonicalize from 'canonicalize';

/*
 * Signed checkpoints (docs/audit.md, "Signed checkpoints"): a statement of a tenant's chain head —
 * tenant, seq, head hash, the head entry's time — signed with Ed25519. The signed bytes are the
 * RFC 8785 canonical JSON of that statement, so anyone can rebuild them from the exported document and
 * check the signature with the public key in it (`openssl pkeyutl -verify`, shown in docs/audit.md).
 * Pure: no database, no key files.
 */

export const CHECKPOINT_FORMAT = 'plantline-audit-checkpoint/1';

export interface CheckpointStatement {
  tenantId: string;
  seq: number;
  headHash: string;
  /** The head entry's recordedAt, ISO 8601 in UTC with milliseconds. */
  headRecordedAt: string;
}

/** The bytes that are signed: RFC 8785 canonical JSON of the statement, UTF-8. */
export function checkpointMessage(statement: CheckpointStatement): string {
  const { tenantId, seq, headHash, headRecordedAt } = statement;
  const text = canonicalize({ tenantId, seq, headHash, headRecordedAt });
  if (text === undefined) throw new Error('A checkpoint statement has no canonical form');
  return text;
}

/** A public key as checkpoints store it: SPKI DER in base64, and its SHA-256 (hex) as its id. */
export interface PublicKeyRecord {
  publicKey: string;
  keyId: string;
}

export function publicKeyRecord(key: KeyObject): PublicKeyRecord {
  const der = createPublicKey(key).export({ type: 'spki', format: 'der' });
  return { publicKey: der.toString('base64'), keyId: createHash('sha256').update(der).digest('hex') };
}

/** The Ed25519 signature (base64) of the statement. */
export function signCheckpoint(privateKey: KeyObject, statement: CheckpointStatement): string {
  return sign(null, Buffer.from(checkpointMessage(statement), 'utf8'), privateKey).toString('base64');
}

/**
 * Whether `signature` is the signature of the statement by the key stored with it, and the stored
 * key id names that key. False, never a throw, for a malformed key or signature: a rewritten
 * checkpoint is a finding, not a failure of the check.
 */
export function checkpointSignatureValid(
  statement: CheckpointStatement,
  signed: PublicKeyRecord & { signature: string },
): boolean {
  try {
    const der = Buffer.from(signed.publicKey, 'base64');
    if (createHash('sha256').update(der).digest('hex') !== signed.keyId) return false;
    const key = createPublicKey({ key: der, format: 'der', type: 'spki' });
    if (key.asymmetricKeyType !== 'ed25519') return false;
    const message = Buffer.from(checkpointMessage(statement), 'utf8');
    return verify(null, message, key, Buffer.from(signed.signature, 'base64'));
  } catch {
    return false;
  }
}

export interface CheckpointDocument {
  format: typeof CHECKPOINT_FORMAT;
  tenantId: string;
  seq: number;
  headHash: string;
  headRecordedAt: string;
  signedAt: string;
  algorithm: 'Ed25519';
  keyId: string;
  publicKeyPem: string;
  signedMessage: string;
  signature: string;
}

/** The document a customer keeps: everything needed to check the checkpoint without Plantline. */
export function checkpointDocument(
  statement: CheckpointStatement,
  signed: PublicKeyRecord & { signature: string; signedAt: string },
): CheckpointDocument {
  const publicKeyPem = createPublicKey({
    key: Buffer.from(signed.publicKey, 'base64'),
    format: 'der',
    type: 'spki',
  })
    .export({ type: 'spki', format: 'pem' })
    .toString();
  return {
    format: CHECKPOINT_FORMAT,
    tenantId: statement.tenantId,
    seq: statement.seq,
    headHash: statement.headHash,
    headRecordedAt: statement.headRecordedAt,
    signedAt: signed.signedAt,
    algorithm: 'Ed25519',
    keyId: signed.keyId,
    publicKeyPem,
    signedMessage: checkpointMessage(statement),
    signature: signed.signature,
  };
}

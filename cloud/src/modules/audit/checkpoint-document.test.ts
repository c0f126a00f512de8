import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CHECKPOINT_FORMAT,
  checkpointDocument,
  checkpointMessage,
  checkpointSignatureValid,
  signCheckpoint,
} from './checkpoint-document.js';
import { ephemeralSigningKey } from './signing-key.js';

/*
 * Signed checkpoints without a database (docs/audit.md, "Signed checkpoints"): the signed bytes are
 * the canonical JSON of the statement, any change to the statement, key or signature fails the check,
 * and the exported document checks with openssl alone, as the docs show a customer.
 */

const statement = {
  tenantId: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
  seq: 40,
  headHash: 'ab'.repeat(32),
  headRecordedAt: '2026-03-01T12:00:00.123Z',
};

describe('checkpoint documents', () => {
  const key = ephemeralSigningKey();
  const signature = signCheckpoint(key.privateKey, statement);
  const signed = { publicKey: key.publicKey, keyId: key.keyId, signature };

  it('signs the RFC 8785 canonical JSON of the statement', () => {
    expect(checkpointMessage(statement)).toBe(
      '{"headHash":"' +
        'ab'.repeat(32) +
        '","headRecordedAt":"2026-03-01T12:00:00.123Z","seq":40,"tenantId":"0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"}',
    );
    expect(key.keyId).toMatch(/^[0-9a-f]{64}$/);
    expect(checkpointSignatureValid(statement, signed)).toBe(true);
  });

  it('fails the check for any change to the statement, the signature or the key', () => {
    expect(checkpointSignatureValid({ ...statement, seq: 41 }, signed)).toBe(false);
    expect(checkpointSignatureValid({ ...statement, headHash: 'cd'.repeat(32) }, signed)).toBe(false);
    expect(
      checkpointSignatureValid({ ...statement, headRecordedAt: '2026-03-01T12:00:00.124Z' }, signed),
    ).toBe(false);
    const other = ephemeralSigningKey();
    // Another key's signature fails, and so does another key stored under this key's id.
    const forged = signCheckpoint(other.privateKey, statement);
    expect(checkpointSignatureValid(statement, { ...signed, signature: forged })).toBe(false);
    expect(
      checkpointSignatureValid(statement, { ...signed, publicKey: other.publicKey, signature: forged }),
    ).toBe(false);
    expect(checkpointSignatureValid(statement, { ...signed, signature: 'not base64 at all' })).toBe(false);
    expect(checkpointSignatureValid(statement, { ...signed, publicKey: 'garbage' })).toBe(false);
  });

  describe('the exported document, checked with openssl as docs/audit.md shows', () => {
    const dir = mkdtempSync(join(tmpdir(), 'plantline-checkpoint-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const document = checkpointDocument(statement, { ...signed, signedAt: '2026-03-02T00:00:00.000Z' });

    /** The commands of docs/audit.md, with the document's fields written to files as jq would. */
    function opensslVerifies(doc: typeof document): boolean {
      writeFileSync(join(dir, 'message.json'), doc.signedMessage);
      writeFileSync(join(dir, 'public.pem'), doc.publicKeyPem);
      writeFileSync(join(dir, 'signature.bin'), Buffer.from(doc.signature, 'base64'));
      try {
        execFileSync(
          'openssl',
          [
            'pkeyutl',
            '-verify',
            '-pubin',
            '-inkey',
            'public.pem',
            '-rawin',
            '-in',
            'message.json',
            '-sigfile',
            'signature.bin',
          ],
          { cwd: dir, stdio: 'pipe' },
        );
        return true;
      } catch {
        return false;
      }
    }

    it('holds what a customer needs, and verifies with openssl', () => {
      expect(document).toMatchObject({
        format: CHECKPOINT_FORMAT,
        ...statement,
        signedAt: '2026-03-02T00:00:00.000Z',
        algorithm: 'Ed25519',
        keyId: key.keyId,
        signature,
      });
      expect(document.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
      expect(JSON.parse(document.signedMessage)).toEqual(statement);
      expect(opensslVerifies(document)).toBe(true);
      // The key id is the SHA-256 of the public key's DER form, which openssl can recompute.
      const der = execFileSync('openssl', [
        'pkey',
        '-pubin',
        '-in',
        join(dir, 'public.pem'),
        '-outform',
        'DER',
      ]);
      const digest = execFileSync('openssl', ['dgst', '-sha256', '-r'], { input: der }).toString();
      expect(digest.slice(0, 64)).toBe(key.keyId);
    });

    it('fails with openssl when the message was altered', () => {
      expect(
        opensslVerifies({
          ...document,
          signedMessage: document.signedMessage.replace('"seq":40', '"seq":39'),
        }),
      ).toBe(false);
    });
  });
});

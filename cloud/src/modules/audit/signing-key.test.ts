import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCloudEnv } from '../../env.js';
import { loadSigningKey, SIGNING_KEY_FILE } from './signing-key.js';

/*
 * The checkpoint signing key (docs/audit.md, "The signing key"): made once in the data folder,
 * readable by its owner only, read again on every start; or given by AUDIT_SIGNING_KEY, inline or as a
 * path, and refused when it is not an Ed25519 private key.
 */

const dir = mkdtempSync(join(tmpdir(), 'plantline-key-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const pemOf = (type: 'ed25519' | 'ed448') =>
  generateKeyPairSync(type as 'ed25519')
    .privateKey.export({ type: 'pkcs8', format: 'pem' })
    .toString();

describe('the audit signing key', () => {
  it('is created in the data folder with mode 0600 on first use and read back after', () => {
    const path = join(dir, 'data', SIGNING_KEY_FILE);
    const first = loadSigningKey({ path, createIfMissing: true });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    const again = loadSigningKey({ path, createIfMissing: true });
    expect(again.keyId).toBe(first.keyId);
    expect(again.publicKey).toBe(first.publicKey);
  });

  it('is never created where a file was named but is missing', () => {
    expect(() => loadSigningKey({ path: join(dir, 'mount', 'key.pem') })).toThrow(/cannot be read/);
  });

  it('refuses a file or text that is not an Ed25519 private key', () => {
    const ed448 = join(dir, 'other.pem');
    writeFileSync(ed448, pemOf('ed448'));
    expect(() => loadSigningKey({ path: ed448 })).toThrow(/other\.pem is not an Ed25519 key \(it is ed448\)/);
    expect(() => loadSigningKey({ pem: 'hello' })).toThrow('AUDIT_SIGNING_KEY is not a PEM private key');
    const inline = loadSigningKey({ pem: pemOf('ed25519') });
    expect(inline.keyId).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('AUDIT_SIGNING_KEY', () => {
  it('takes a PEM key inline, also with its newlines written as \\n', () => {
    const pem = pemOf('ed25519');
    expect(loadCloudEnv({ AUDIT_SIGNING_KEY: pem }).AUDIT_SIGNING_KEY).toEqual({ pem });
    expect(loadCloudEnv({ AUDIT_SIGNING_KEY: pem.replaceAll('\n', '\\n') }).AUDIT_SIGNING_KEY).toEqual({
      pem,
    });
  });

  it('takes the path of an existing file, and is absent when unset', () => {
    const path = join(dir, 'given.pem');
    writeFileSync(path, pemOf('ed25519'));
    expect(loadCloudEnv({ AUDIT_SIGNING_KEY: path }).AUDIT_SIGNING_KEY).toEqual({ path });
    expect(loadCloudEnv({}).AUDIT_SIGNING_KEY).toBeUndefined();
  });

  it('refuses a missing file, text that is no key, and a key of another kind', () => {
    expect(() => loadCloudEnv({ AUDIT_SIGNING_KEY: join(dir, 'nowhere.pem') })).toThrow(
      /AUDIT_SIGNING_KEY: no file at .*nowhere\.pem/,
    );
    expect(() => loadCloudEnv({ AUDIT_SIGNING_KEY: '-----BEGIN PRIVATE KEY-----\nxyz\n' })).toThrow(
      /AUDIT_SIGNING_KEY: not a PEM private key/,
    );
    expect(() => loadCloudEnv({ AUDIT_SIGNING_KEY: pemOf('ed448') })).toThrow(
      /AUDIT_SIGNING_KEY: not an Ed25519 key \(it is ed448\)/,
    );
  });
});

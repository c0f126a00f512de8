import { createHash, randomBytes } from 'node:crypto';

/** 256 random bits, URL-safe: session cookies and API key secrets. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/**
 * Session tokens and API keys carry 256 bits of entropy, so a fast hash is enough to store them
 * safely (a memory-hard KDF protects low-entropy passwords; here it would only slow every request).
 */
export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

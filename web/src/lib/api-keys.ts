import type { ApiKeyRow } from './api-types';

export type ApiKeyStatus = 'active' | 'revoked' | 'expired';

export function apiKeyStatus(key: Pick<ApiKeyRow, 'revokedAt' | 'expiresAt'>, now: Date): ApiKeyStatus {
  if (key.revokedAt !== null) return 'revoked';
  if (key.expiresAt !== null && new Date(key.expiresAt) <= now) return 'expired';
  return 'active';
}

/** Usable keys first (newest first), then the ones that no longer work. */
export function sortApiKeys<K extends Pick<ApiKeyRow, 'revokedAt' | 'expiresAt' | 'createdAt'>>(
  keys: readonly K[],
  now: Date,
): K[] {
  const rank = (k: K) => (apiKeyStatus(k, now) === 'active' ? 0 : 1);
  return [...keys].sort(
    (a, b) => rank(a) - rank(b) || new Date(b.createdAt).getTime() - new Date(a.createdAt).getTime(),
  );
}

/** The scopes an edge node needs to enrol and send events (cloud: ingest.push, edge.whoami). */
export const EDGE_SCOPES = ['ingest.write'] as const;

/** A datetime-local input value as the ISO instant the API takes, or undefined for "never". */
export function expiryInput(value: string): string | undefined {
  if (value === '') return undefined;
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? undefined : at.toISOString();
}

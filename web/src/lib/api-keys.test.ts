import { describe, expect, it } from 'vitest';
import { apiKeyStatus, expiryInput, sortApiKeys } from './api-keys';

const now = new Date('2026-05-01T12:00:00Z');

describe('API key status', () => {
  it.each([
    [{ revokedAt: null, expiresAt: null }, 'active'],
    [{ revokedAt: null, expiresAt: '2026-06-01T00:00:00Z' }, 'active'],
    [{ revokedAt: null, expiresAt: '2026-04-01T00:00:00Z' }, 'expired'],
    [{ revokedAt: '2026-04-01T00:00:00Z', expiresAt: null }, 'revoked'],
  ])('%j → %s', (key, expected) => {
    expect(apiKeyStatus(key as never, now)).toBe(expected);
  });

  it('lists usable keys first, newest first', () => {
    const keys = [
      { id: 'old', createdAt: '2026-01-01T00:00:00Z', revokedAt: null, expiresAt: null },
      {
        id: 'revoked',
        createdAt: '2026-04-01T00:00:00Z',
        revokedAt: '2026-04-02T00:00:00Z',
        expiresAt: null,
      },
      { id: 'new', createdAt: '2026-03-01T00:00:00Z', revokedAt: null, expiresAt: null },
    ];
    expect(sortApiKeys(keys as never[], now).map((k: { id: string }) => k.id)).toEqual([
      'new',
      'old',
      'revoked',
    ]);
  });

  it('turns a local date-time into an instant, or nothing for "never"', () => {
    expect(expiryInput('')).toBeUndefined();
    expect(expiryInput('garbage')).toBeUndefined();
    expect(expiryInput('2026-12-31T23:59')).toBe(new Date('2026-12-31T23:59').toISOString());
  });
});

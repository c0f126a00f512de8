import { describe, expect, it } from 'vitest';
import { PasswordConfirmations } from './password-confirmations.js';

const session = { sessionId: 's-1', userId: 'u-1', passwordHash: '$argon2id$one' };

describe('password confirmations of a signing period', () => {
  it('matches only the proved password of the same session, user and hash, until it expires', () => {
    let now = 0;
    const confirmations = new PasswordConfirmations({ now: () => now });
    expect(confirmations.matches(session, 'secret-password')).toBe(false);
    confirmations.remember(session, 'secret-password', 15 * 60_000);
    expect(confirmations.matches(session, 'secret-password')).toBe(true);
    expect(confirmations.matches(session, 'secret-passwordx')).toBe(false);
    expect(confirmations.matches({ ...session, sessionId: 's-2' }, 'secret-password')).toBe(false);
    expect(confirmations.matches({ ...session, userId: 'u-2' }, 'secret-password')).toBe(false);
    expect(confirmations.matches({ ...session, passwordHash: '$argon2id$two' }, 'secret-password')).toBe(
      false,
    );
    now = 15 * 60_000 - 1;
    expect(confirmations.matches(session, 'secret-password')).toBe(true);
    now = 15 * 60_000;
    expect(confirmations.matches(session, 'secret-password')).toBe(false);
    expect(confirmations.size).toBe(0);
  });

  it('keeps at most the configured number of sessions, forgetting the oldest first', () => {
    const confirmations = new PasswordConfirmations({ maxSessions: 2 });
    for (const id of ['a', 'b', 'c']) confirmations.remember({ ...session, sessionId: id }, 'pw', 60_000);
    expect(confirmations.size).toBe(2);
    expect(confirmations.matches({ ...session, sessionId: 'a' }, 'pw')).toBe(false);
    expect(confirmations.matches({ ...session, sessionId: 'c' }, 'pw')).toBe(true);
    confirmations.forget('c');
    expect(confirmations.matches({ ...session, sessionId: 'c' }, 'pw')).toBe(false);
  });
});

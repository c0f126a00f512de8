import { describe, expect, it } from 'vitest';
import { LoginLimiter } from './login-limiter.js';

function limiter() {
  let clock = 1_000_000;
  const l = new LoginLimiter({
    windowMs: 60_000,
    maxFailuresPerAccount: 3,
    maxFailuresPerAddress: 5,
    now: () => clock,
  });
  return { l, advance: (ms: number) => (clock += ms) };
}

describe('LoginLimiter', () => {
  it('blocks an account after the allowed failures until the oldest leaves the window', () => {
    const { l, advance } = limiter();
    for (let i = 0; i < 3; i++) {
      expect(l.check('a@x.test', '10.0.0.1').allowed).toBe(true);
      l.recordFailure('a@x.test', '10.0.0.1');
      advance(1_000);
    }
    // failures at t0, t0+1s, t0+2s; now t0+3s: the first leaves the window at t0+60s
    expect(l.check('A@X.test', '10.0.0.2')).toEqual({ allowed: false, retryAfterMs: 57_000 });
    advance(57_000);
    expect(l.check('a@x.test', '10.0.0.2').allowed).toBe(true);
  });

  it('blocks an address trying many accounts', () => {
    const { l } = limiter();
    for (let i = 0; i < 5; i++) l.recordFailure(`user${i}@x.test`, '10.0.0.9');
    expect(l.check('fresh@x.test', '10.0.0.9').allowed).toBe(false);
    expect(l.check('fresh@x.test', '10.0.0.10').allowed).toBe(true);
  });

  it('clears the account on success but not the address', () => {
    const { l } = limiter();
    for (let i = 0; i < 3; i++) l.recordFailure('a@x.test', '10.0.0.1');
    l.recordSuccess('a@x.test');
    expect(l.check('a@x.test', '10.0.0.3').allowed).toBe(true);
    l.recordFailure('b@x.test', '10.0.0.1');
    l.recordFailure('b@x.test', '10.0.0.1');
    // address 10.0.0.1 now has 5 failures
    expect(l.check('c@x.test', '10.0.0.1').allowed).toBe(false);
  });
});

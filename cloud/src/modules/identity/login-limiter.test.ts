import { describe, expect, it } from 'vitest';
import { LoginLimiter } from './login-limiter.js';

function limiter() {
  let clock = 1_000_000;
  const l = new LoginLimiter({
    windowMs: 60_000,
    maxFailuresPerAccountAndAddress: 3,
    maxFailuresPerAccount: 8,
    maxFailuresPerAddress: 5,
    now: () => clock,
  });
  return { l, advance: (ms: number) => (clock += ms) };
}

/** An attempt that fails: its reservation is never released. */
function fail(l: LoginLimiter, account: string, address: string) {
  const attempt = l.reserve(account, address);
  if (!attempt.allowed) throw new Error(`${account} from ${address} was throttled`);
}

describe('LoginLimiter', () => {
  it('counts an attempt when it is reserved, so concurrent attempts never pass the limit', () => {
    const { l } = limiter();
    // Ten attempts reserved before any of them has an answer: only the limit gets through.
    const attempts = Array.from({ length: 10 }, () => l.reserve('a@x.test', '10.0.0.1'));
    expect(attempts.filter((a) => a.allowed)).toHaveLength(3);
  });

  it('releases a reservation that succeeds and clears the account', () => {
    const { l } = limiter();
    fail(l, 'a@x.test', '10.0.0.1');
    fail(l, 'a@x.test', '10.0.0.1');
    const right = l.reserve('a@x.test', '10.0.0.1');
    if (!right.allowed) throw new Error('throttled too early');
    right.succeeded();
    // The pair starts over: three more failures are allowed.
    for (let i = 0; i < 3; i++) fail(l, 'a@x.test', '10.0.0.1');
    expect(l.reserve('a@x.test', '10.0.0.1').allowed).toBe(false);
  });

  it('blocks an account from one address until the oldest failure leaves the window', () => {
    const { l, advance } = limiter();
    for (let i = 0; i < 3; i++) {
      fail(l, 'a@x.test', '10.0.0.1');
      advance(1_000);
    }
    // failures at t0, t0+1s, t0+2s; now t0+3s: the first leaves the window at t0+60s
    expect(l.reserve('A@X.test', '10.0.0.1')).toEqual({ allowed: false, retryAfterMs: 57_000 });
    advance(56_999);
    expect(l.reserve('a@x.test', '10.0.0.1').allowed).toBe(false);
    advance(1);
    expect(l.reserve('a@x.test', '10.0.0.1').allowed).toBe(true);
  });

  it('lets the account in from another address after one address used up its attempts', () => {
    const { l } = limiter();
    for (let i = 0; i < 3; i++) fail(l, 'a@x.test', '203.0.113.9');
    expect(l.reserve('a@x.test', '203.0.113.9').allowed).toBe(false);
    expect(l.reserve('a@x.test', '10.0.0.2').allowed).toBe(true);
  });

  it('blocks the account everywhere only after the larger account limit, from many addresses', () => {
    const { l, advance } = limiter();
    // Eight failures from three addresses, none past its per-pair limit, reach the account's limit.
    for (const address of ['203.0.113.1', '203.0.113.2']) {
      for (let i = 0; i < 3; i++) fail(l, 'a@x.test', address);
    }
    fail(l, 'a@x.test', '203.0.113.3');
    fail(l, 'a@x.test', '203.0.113.3');
    advance(10_000);
    expect(l.reserve('a@x.test', '10.0.0.2')).toEqual({ allowed: false, retryAfterMs: 50_000 });
    expect(l.reserve('b@x.test', '10.0.0.2').allowed).toBe(true);
    advance(50_000);
    expect(l.reserve('a@x.test', '10.0.0.2').allowed).toBe(true);
  });

  it('blocks an address trying many accounts', () => {
    const { l } = limiter();
    for (let i = 0; i < 5; i++) fail(l, `user${i}@x.test`, '10.0.0.9');
    expect(l.reserve('fresh@x.test', '10.0.0.9').allowed).toBe(false);
    expect(l.reserve('fresh@x.test', '10.0.0.10').allowed).toBe(true);
  });

  it('does not count a refused attempt', () => {
    const { l, advance } = limiter();
    for (let i = 0; i < 3; i++) fail(l, 'a@x.test', '10.0.0.1');
    advance(30_000);
    for (let i = 0; i < 20; i++) expect(l.reserve('a@x.test', '10.0.0.1').allowed).toBe(false);
    // Still free once the three failures leave the window, however often it was refused meanwhile.
    advance(30_000);
    expect(l.reserve('a@x.test', '10.0.0.1').allowed).toBe(true);
  });

  it('keeps the address record after a success', () => {
    const { l } = limiter();
    for (let i = 0; i < 3; i++) fail(l, 'a@x.test', '10.0.0.1');
    fail(l, 'b@x.test', '10.0.0.1');
    const right = l.reserve('c@x.test', '10.0.0.1');
    if (!right.allowed) throw new Error('throttled too early');
    right.succeeded();
    fail(l, 'd@x.test', '10.0.0.1');
    // address 10.0.0.1 now has 5 failures; the success did not count
    expect(l.reserve('e@x.test', '10.0.0.1').allowed).toBe(false);
  });

  it('names one refusal per account and window for the audit trail, and starts over after a success', () => {
    const { l, advance } = limiter();
    expect(l.firstRefusalInWindow('a@x.test')).toBe(true);
    expect(l.firstRefusalInWindow('A@x.test')).toBe(false);
    expect(l.firstRefusalInWindow('b@x.test')).toBe(true);
    advance(59_999);
    expect(l.firstRefusalInWindow('a@x.test')).toBe(false);
    advance(1);
    expect(l.firstRefusalInWindow('a@x.test')).toBe(true);
    const right = l.reserve('a@x.test', '10.0.0.1');
    if (!right.allowed) throw new Error('throttled too early');
    right.succeeded();
    expect(l.firstRefusalInWindow('a@x.test')).toBe(true);
  });
});

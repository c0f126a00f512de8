import { describe, expect, it } from 'vitest';
import { loginPath, needsSignIn, safeRedirectTarget } from './redirect';

describe('safeRedirectTarget', () => {
  it.each([
    ['/', '/'],
    ['/plants/p1', '/plants/p1'],
    ['/kpi?line=L1&shift=2', '/kpi?line=L1&shift=2'],
    ['/board#oee', '/board#oee'],
    ['/a/../b', '/b'],
    ['/%2F%2Fevil.example', '/%2F%2Fevil.example'],
  ])('keeps the same-origin path %s', (raw, expected) => {
    expect(safeRedirectTarget(raw)).toBe(expected);
  });

  it.each([
    ['missing', null],
    ['empty', ''],
    ['absolute URL', 'https://evil.example/'],
    ['javascript: URL', 'javascript:alert(1)'],
    ['protocol-relative', '//evil.example'],
    ['backslash', '/\\evil.example'],
    ['leading backslashes', '\\\\evil.example'],
    ['tab inside', '/\t/evil.example'],
    ['newline inside', '/\n/evil.example'],
    ['dot segment to a host', '/.//evil.example'],
    ['encoded dot segment to a host', '/%2e//evil.example'],
    ['relative path', 'plants'],
    ['leading space', ' /plants'],
    ['the sign-in page', '/login?redirectTo=/'],
    ['below the sign-in page', '/login/x'],
  ])('falls back for %s', (_name, raw) => {
    expect(safeRedirectTarget(raw)).toBe('/');
  });

  it('uses the given fallback', () => {
    expect(safeRedirectTarget('//evil.example', '/home')).toBe('/home');
  });
});

describe('loginPath', () => {
  it('carries the path and query, encoded', () => {
    const path = loginPath(new URL('http://localhost:5173/kpi?line=L1&shift=2'));
    expect(path).toBe('/login?redirectTo=%2Fkpi%3Fline%3DL1%26shift%3D2');
  });

  it('round-trips through safeRedirectTarget', () => {
    const path = loginPath(new URL('http://localhost/kpi?line=L1&shift=2'));
    const redirectTo = new URL(path, 'http://localhost').searchParams.get('redirectTo');
    expect(safeRedirectTarget(redirectTo)).toBe('/kpi?line=L1&shift=2');
  });
});

describe('loginPath for an expired session', () => {
  it('says why', () => {
    const path = loginPath(new URL('http://localhost/admin/users?x=1'), { expired: true });
    expect(path).toBe('/login?redirectTo=%2Fadmin%2Fusers%3Fx%3D1&expired=1');
  });
});

describe('needsSignIn', () => {
  it.each([
    [{ unauthorized: true, optedOut: false, pathname: '/events' }, true],
    [{ unauthorized: false, optedOut: false, pathname: '/events' }, false],
    [{ unauthorized: true, optedOut: true, pathname: '/events' }, false],
    [{ unauthorized: true, optedOut: false, pathname: '/login' }, false],
  ])('%j → %s', (options, expected) => {
    expect(needsSignIn(options)).toBe(expected);
  });
});

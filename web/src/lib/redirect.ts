// Parsing against a placeholder origin lets the URL parser do the normalising ("/./", "%2e", "\") the way a
// browser would, so we judge the path the browser will actually visit rather than the raw string.
const PLACEHOLDER_ORIGIN = 'http://plantline.invalid';

/**
 * Where to go after sign-in. Only same-origin relative paths pass: anything else (absolute URLs,
 * protocol-relative "//host", backslash or control-character tricks) would make the sign-in page an
 * open redirect, so it falls back to `fallback`.
 */
export function safeRedirectTarget(raw: string | null | undefined, fallback = '/'): string {
  if (!raw?.startsWith('/') || raw.startsWith('//')) return fallback;
  // Browsers treat "\" as "/" and drop tabs and newlines inside URLs, so "/\evil.example" and
  // "/\t/evil.example" would both become "//evil.example".
  if (raw.includes('\\') || /\p{Cc}/u.test(raw)) return fallback;

  let url: URL;
  try {
    url = new URL(raw, PLACEHOLDER_ORIGIN);
  } catch {
    return fallback;
  }
  if (url.origin !== PLACEHOLDER_ORIGIN) return fallback;

  const target = url.pathname + url.search + url.hash;
  // "/.//evil.example" normalises to "//evil.example", which a browser reads as another host.
  if (target.startsWith('//')) return fallback;
  // Returning to the sign-in page after signing in would only loop.
  if (url.pathname === '/login' || url.pathname.startsWith('/login/')) return fallback;
  return target;
}

/** The sign-in page URL that brings the user back to `current` afterwards. */
export function loginPath(current: URL): string {
  const params = new URLSearchParams({ redirectTo: current.pathname + current.search });
  return `/login?${params}`;
}

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

/**
 * The sign-in page URL that brings the user back to `current` afterwards. `expired` makes the page say
 * why the user has to sign in again (the session ended while they were working).
 */
export function loginPath(current: URL, options: { expired?: boolean } = {}): string {
  const params = new URLSearchParams({ redirectTo: current.pathname + current.search });
  if (options.expired) params.set('expired', '1');
  return `/login?${params}`;
}

/**
 * Whether a failed call means "sign in again": the server said UNAUTHORIZED, the call did not opt out
 * (sign-in itself, and loads that redirect on their own), and the user is not on the sign-in page.
 */
export function needsSignIn(options: {
  unauthorized: boolean;
  optedOut: boolean;
  pathname: string;
}): boolean {
  if (!options.unauthorized || options.optedOut) return false;
  return options.pathname !== '/login' && !options.pathname.startsWith('/login/');
}

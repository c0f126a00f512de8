import type { IncomingMessage } from 'node:http';
import { describeRequest, firstHeader } from './request-info.js';

/**
 * Whether a browser page at the request's `Origin` may call the API with the user's cookie. The
 * session cookie is SameSite=Lax, which a WebSocket handshake from another site does not stop
 * (RFC 6455 §10.2 leaves checking `Origin` to the server); cross-site form posts are refused earlier
 * by their content type.
 *
 * Allowed: no `Origin` (clients that are not browsers: the edge, scripts; browsers always send it on
 * a handshake and on cross-origin calls), the cloud's own origin as the request addresses it (with
 * `X-Forwarded-Proto` / `-Host` when the proxy is trusted), and the configured origins.
 */
export function originAllowed(
  req: IncomingMessage,
  trustProxy: boolean,
  allowed: ReadonlySet<string>,
): boolean {
  const origin = firstHeader(req.headers.origin)?.toLowerCase();
  if (origin === undefined) return true;
  if (allowed.has(origin)) return true;
  const host = (trustProxy ? firstHeader(req.headers['x-forwarded-host']) : undefined) ?? req.headers.host;
  if (host === undefined) return false;
  const scheme = describeRequest(req, trustProxy).secure ? 'https' : 'http';
  return origin === `${scheme}://${host.toLowerCase()}`;
}

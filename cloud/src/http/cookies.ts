import type { ServerResponse } from 'node:http';
import { parse, serialize } from 'cookie';

export const SESSION_COOKIE = 'plantline_session';

export function readSessionCookie(header: string | undefined): string | null {
  if (header === undefined) return null;
  return parse(header)[SESSION_COOKIE] ?? null;
}

/**
 * Set-Cookie on the HTTP response being built. Over WebSocket there is no response to carry a
 * cookie, so `response` is null and setting is a no-op (the browser keeps the cookie it has).
 */
export class SessionCookieWriter {
  constructor(
    private readonly response: ServerResponse | null,
    private readonly secure: boolean,
  ) {}

  set(token: string, expiresAt: Date): void {
    this.response?.appendHeader(
      'set-cookie',
      serialize(SESSION_COOKIE, token, {
        httpOnly: true,
        sameSite: 'lax',
        secure: this.secure,
        path: '/',
        expires: expiresAt,
      }),
    );
  }

  clear(): void {
    this.response?.appendHeader(
      'set-cookie',
      serialize(SESSION_COOKIE, '', {
        httpOnly: true,
        sameSite: 'lax',
        secure: this.secure,
        path: '/',
        maxAge: 0,
      }),
    );
  }
}

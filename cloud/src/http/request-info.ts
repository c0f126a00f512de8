import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';

export interface RequestInfo {
  ip: string;
  userAgent: string | null;
  /** Whether the client reached us over TLS (directly or through a trusted proxy). */
  secure: boolean;
}

export function firstHeader(value: string | string[] | undefined): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return first?.split(',')[0]?.trim() || undefined;
}

export function describeRequest(req: IncomingMessage, trustProxy: boolean): RequestInfo {
  const forwardedFor = trustProxy ? firstHeader(req.headers['x-forwarded-for']) : undefined;
  const forwardedProto = trustProxy ? firstHeader(req.headers['x-forwarded-proto']) : undefined;
  return {
    ip: forwardedFor ?? req.socket.remoteAddress ?? 'unknown',
    userAgent: req.headers['user-agent'] ?? null,
    secure: forwardedProto === 'https' || Boolean((req.socket as TLSSocket).encrypted),
  };
}

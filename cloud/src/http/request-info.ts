import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';

export interface RequestInfo {
  ip: string;
  userAgent: string | null;
  /** Whether the client reached us over TLS (directly or through a trusted proxy). */
  secure: boolean;
  /** Names the request in logs and audit entries: a trusted proxy's X-Request-Id, or a new one. */
  requestId: string;
}

const REQUEST_ID = /^[\w.:-]{1,128}$/;

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
    requestId: (trustProxy ? proxyRequestId(req) : undefined) ?? randomUUID(),
  };
}

function proxyRequestId(req: IncomingMessage): string | undefined {
  const given = firstHeader(req.headers['x-request-id']);
  return given !== undefined && REQUEST_ID.test(given) ? given : undefined;
}

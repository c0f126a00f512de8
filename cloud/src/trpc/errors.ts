import { TRPCError } from '@trpc/server';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';
/** Domain errors (platform/errors.ts) and PostgreSQL's refusals mapped to tRPC codes, in one place. */
import { DomainError, type DomainErrorCode } from '../platform/index.js';

const trpcCodes: Record<DomainErrorCode, TRPC_ERROR_CODE_KEY> = {
  not_found: 'NOT_FOUND',
  conflict: 'CONFLICT',
  forbidden: 'FORBIDDEN',
  invalid: 'BAD_REQUEST',
  unauthenticated: 'UNAUTHORIZED',
  throttled: 'TOO_MANY_REQUESTS',
};

/**
 * Values PostgreSQL cannot take as given: invalid text representation (22P02), a NUL byte in text
 * (22021) or in jsonb (22P05, "unsupported Unicode escape sequence"), and dates it cannot read or
 * hold (22007, 22008, 22009); a year past 9999, which JavaScript writes as "+010000-…", reads as a
 * bad time zone offset (22009).
 */
const MALFORMED_VALUE_CODES = new Set(['22P02', '22021', '22P05', '22007', '22008', '22009']);

/** PostgreSQL's own refusals that are the caller's fault, in words a caller can act on. */
function fromPostgres(error: unknown): TRPCError | null {
  const pgError = (error as { cause?: { code?: unknown } } | null)?.cause ?? error;
  const code = (pgError as { code?: unknown } | null)?.code;
  if (code === '23505')
    return new TRPCError({ code: 'CONFLICT', message: 'That already exists', cause: error as Error });
  if (code === '23503')
    return new TRPCError({
      code: 'NOT_FOUND',
      message: 'A referenced record does not exist',
      cause: error as Error,
    });
  if (typeof code === 'string' && MALFORMED_VALUE_CODES.has(code))
    return new TRPCError({ code: 'BAD_REQUEST', message: 'Malformed value', cause: error as Error });
  return null;
}

export function toTRPCError(error: unknown): TRPCError | null {
  const cause = error instanceof TRPCError ? error.cause : error;
  if (cause instanceof DomainError) {
    return new TRPCError({ code: trpcCodes[cause.code], message: cause.message, cause });
  }
  return fromPostgres(cause);
}

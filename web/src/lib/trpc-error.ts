import { TRPCClientError } from '@trpc/client';

export const UNREACHABLE_MESSAGE =
  'Plantline could not reach the server. Check the connection and try again.';
export const SERVER_FAILURE_MESSAGE = 'Something went wrong on the server. Try again in a moment.';

interface ServerError {
  code: string;
  message: string;
  zodError: unknown;
  fieldErrors: unknown;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

// A TRPCClientError without `data.code` never got a tRPC answer: the fetch failed, or something in between
// (a proxy, a restarting cloud) answered with a page that is not tRPC JSON.
function serverError(err: unknown): ServerError | undefined {
  if (!(err instanceof TRPCClientError)) return undefined;
  const data: unknown = err.data;
  if (!isRecord(data) || typeof data.code !== 'string') return undefined;
  return { code: data.code, message: err.message, zodError: data.zodError, fieldErrors: data.fieldErrors };
}

/** The tRPC error code (`UNAUTHORIZED`, `TOO_MANY_REQUESTS`, …) the server answered with, if it did. */
export function errorCode(err: unknown): string | undefined {
  return serverError(err)?.code;
}

export function isUnauthorized(err: unknown): boolean {
  return errorCode(err) === 'UNAUTHORIZED';
}

/** The call got no tRPC answer: the cloud is down, restarting, or the network is. */
export function isUnreachable(err: unknown): boolean {
  return err instanceof TRPCClientError && serverError(err) === undefined;
}

function messagesOf(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

// The cloud may attach zod's flattened issues (`{ formErrors, fieldErrors }`) or nothing; without them
// tRPC's message for a failed input parse is zod's issue list serialised as JSON, which no one should read
// raw. Anything else is already meant for people.
function validationMessage({ message, zodError }: ServerError): string {
  if (isRecord(zodError)) {
    const fieldErrors = isRecord(zodError.fieldErrors) ? zodError.fieldErrors : {};
    const lines = [
      ...messagesOf(zodError.formErrors),
      ...Object.entries(fieldErrors).flatMap(([field, errors]) =>
        messagesOf(errors).map((text) => `${field}: ${text}`),
      ),
    ];
    if (lines.length > 0) return lines.join('\n');
  }
  try {
    const issues: unknown = JSON.parse(message);
    if (Array.isArray(issues)) {
      const lines = issues.filter(isRecord).flatMap((issue) => {
        if (typeof issue.message !== 'string') return [];
        const path = Array.isArray(issue.path) ? issue.path.join('.') : '';
        return [path ? `${path}: ${issue.message}` : issue.message];
      });
      if (lines.length > 0) return lines.join('\n');
    }
  } catch {
    // Not JSON: a message written for people.
  }
  return message;
}

/**
 * A message to show the user for a failed call. The server's own message is shown where it was written
 * for people (e.g. "Invalid email or password", or when to retry after too many attempts).
 */
export function errorMessage(err: unknown): string {
  if (isUnreachable(err)) return UNREACHABLE_MESSAGE;
  const server = serverError(err);
  // Internal errors may carry driver or stack details meant for the server log, not for operators; a
  // non-tRPC error is a bug in this app, and its text means nothing to them either.
  if (!server || server.code === 'INTERNAL_SERVER_ERROR') return SERVER_FAILURE_MESSAGE;
  if (server.code === 'BAD_REQUEST') return validationMessage(server);
  return server.message;
}

/**
 * The input fields the server named as at fault (field path → message), for showing next to the fields.
 * The cloud's error formatter (cloud/src/trpc/init.ts) puts them in `data.fieldErrors`: zod's issues by
 * path for invalid input, or a domain error's own (e.g. `{ email: 'Already in use' }`).
 */
export function fieldErrors(err: unknown): Record<string, string> {
  const found = serverError(err)?.fieldErrors;
  if (!isRecord(found)) return {};
  return Object.fromEntries(
    Object.entries(found).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  );
}

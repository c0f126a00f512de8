import { initTRPC } from '@trpc/server';
import { DomainError } from '../platform/index.js';
import type { Context } from './context.js';
import type { ProcedureMeta } from './meta.js';

export const t = initTRPC
  .context<Context>()
  .meta<ProcedureMeta>()
  .create({
    errorFormatter({ shape, error }) {
      // Internal failures are logged with their cause; the caller learns only that it failed.
      const internal = error.code === 'INTERNAL_SERVER_ERROR';
      const cause = error.cause;
      const inputErrors =
        cause !== undefined && 'issues' in cause && Array.isArray(cause.issues)
          ? zodFieldErrors(cause.issues as { path: PropertyKey[]; message: string }[])
          : null;
      return {
        ...shape,
        message: internal
          ? 'Internal server error'
          : inputErrors !== null
            ? `Invalid input: ${Object.entries(inputErrors)
                .map(([field, problem]) => `${field}: ${problem}`)
                .join('; ')}`
            : shape.message,
        data: {
          code: shape.data.code,
          httpStatus: shape.data.httpStatus,
          path: shape.data.path,
          fieldErrors: cause instanceof DomainError ? (cause.fieldErrors ?? null) : inputErrors,
        },
      };
    },
  });

/** Input validation failures, as one message per field path ("email" → "Invalid email address"). */
function zodFieldErrors(issues: { path: PropertyKey[]; message: string }[]): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of issues) {
    const key = issue.path.map(String).join('.') || '_';
    fields[key] ??= issue.message;
  }
  return fields;
}

import { TRPCClientError } from '@trpc/client';
import { errorCode, fieldErrors } from './trpc-error';

/*
 * The reason for a change (EU GMP Annex 11 §9), the pure half: when a tenant requires one, the cloud
 * refuses a change without it with `fieldErrors.reason`, and the client asks the user and sends the
 * same call again with `reason` in its input (reason-link.ts, docs/settings.md).
 */

/** The most the cloud keeps of a reason (cloud/src/trpc/procedures.ts, REASON_MAX). */
export const REASON_MAX_LENGTH = 1000;

export const REASON_CANCELLED_MESSAGE =
  'Not saved: this tenant requires a reason for every change, and none was given. ' +
  'Your edits are still here; save again to give one.';

/** Whether the cloud refused a call because it needs a reason for the change. */
export function needsReason(err: unknown): boolean {
  return errorCode(err) === 'BAD_REQUEST' && 'reason' in fieldErrors(err);
}

/**
 * Whether `reason` can be added to this input: only an object's members reach the cloud's reader of
 * reasons, and an input that already gave one was refused for something else.
 */
export function canCarryReason(input: unknown): input is Record<string, unknown> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return false;
  const prototype = Object.getPrototypeOf(input);
  if (prototype !== Object.prototype && prototype !== null) return false;
  const given = (input as { reason?: unknown }).reason;
  return typeof given !== 'string' || given.trim() === '';
}

/** The same input with the reason the user gave. */
export function withReason(input: Record<string, unknown>, reason: string): Record<string, unknown> {
  return { ...input, reason: reason.trim() };
}

/** A user's answer as the cloud will take it, or the problem to show in the dialog. */
export function reasonProblem(text: string): string | null {
  const reason = text.trim();
  if (reason === '') return 'Give a reason: this tenant requires one for every change';
  if (reason.length > REASON_MAX_LENGTH) return `Use at most ${REASON_MAX_LENGTH} characters`;
  return null;
}

const words = (name: string) =>
  name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[\s_-]+/)
    .filter(Boolean);

/**
 * What a call changes, in words, from its procedure's path: `settings.update` → "Update settings",
 * `users.setRoles` → "Set roles of users", `production.orders.release` → "Release orders".
 */
export function describeChange(path: string): string {
  const segments = path.split('.');
  const verb = words(segments.at(-1) ?? '');
  const subject = words(segments.at(-2) ?? '').join(' ');
  if (verb.length === 0) return path;
  const action = `${verb[0]!.charAt(0).toUpperCase()}${verb[0]!.slice(1)}${verb.length > 1 ? ` ${verb.slice(1).join(' ')}` : ''}`;
  if (subject === '') return action;
  return verb.length === 1 ? `${action} ${subject}` : `${action} of ${subject}`;
}

/**
 * The refusal a caller sees when the user declines to give a reason: the cloud's error with a message
 * that says nothing was saved and why (the field error stays, so it is still recognisably this one).
 */
export function cancelledError<E extends Error>(err: E): E {
  if (!(err instanceof TRPCClientError) || err.shape == null) return err;
  const shape = err.shape as Record<string, unknown> & { code: number };
  return new TRPCClientError(REASON_CANCELLED_MESSAGE, {
    result: { error: { ...shape, message: REASON_CANCELLED_MESSAGE } },
    cause: err,
    meta: err.meta,
  }) as unknown as E;
}

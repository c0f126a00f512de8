import { TRPCClientError } from '@trpc/client';
import { describe, expect, it } from 'vitest';
import {
  errorCode,
  errorMessage,
  fieldErrors,
  isUnauthorized,
  isUnreachable,
  SERVER_FAILURE_MESSAGE,
  UNREACHABLE_MESSAGE,
} from './trpc-error';

// The JSON error envelope a tRPC v11 server sends, as the client turns it into an error.
function fromServer(code: string, message: string, extra: Record<string, unknown> = {}) {
  return TRPCClientError.from({
    error: { code: -32600, message, data: { code, httpStatus: 400, path: 'auth.login', ...extra } },
  });
}

describe('errorCode, isUnauthorized and isUnreachable', () => {
  it('read the tRPC code from the server', () => {
    const err = fromServer('UNAUTHORIZED', 'Invalid email or password');
    expect(errorCode(err)).toBe('UNAUTHORIZED');
    expect(isUnauthorized(err)).toBe(true);
    expect(isUnreachable(err)).toBe(false);
  });

  it('give nothing for failures that never reached the server', () => {
    const err = TRPCClientError.from(new TypeError('Failed to fetch'));
    expect(errorCode(err)).toBeUndefined();
    expect(isUnauthorized(err)).toBe(false);
    expect(isUnreachable(err)).toBe(true);
  });

  it('do not mistake a bug for an unreachable server', () => {
    expect(isUnauthorized(new Error('bug'))).toBe(false);
    expect(isUnreachable(new Error('bug'))).toBe(false);
  });
});

describe('errorMessage', () => {
  it("shows the server's message for wrong credentials", () => {
    expect(errorMessage(fromServer('UNAUTHORIZED', 'Invalid email or password'))).toBe(
      'Invalid email or password',
    );
  });

  it('shows when to retry after too many attempts', () => {
    const text = 'Too many sign-in attempts. Try again in 5 minutes.';
    expect(errorMessage(fromServer('TOO_MANY_REQUESTS', text))).toBe(text);
  });

  it('reads flattened zod issues when the server attaches them', () => {
    const err = fromServer('BAD_REQUEST', 'ignored', {
      zodError: { formErrors: [], fieldErrors: { email: ['Invalid email address'] } },
    });
    expect(errorMessage(err)).toBe('email: Invalid email address');
  });

  it('turns the serialised zod issue list into readable lines', () => {
    const issues = [
      { code: 'invalid_format', path: ['email'], message: 'Invalid email address' },
      { code: 'too_small', path: ['password'], message: 'Too small: expected string to have >=1 characters' },
    ];
    const err = fromServer('BAD_REQUEST', JSON.stringify(issues, null, 2));
    expect(errorMessage(err)).toBe(
      'email: Invalid email address\npassword: Too small: expected string to have >=1 characters',
    );
  });

  it('shows a plain bad-request message as it is', () => {
    expect(errorMessage(fromServer('BAD_REQUEST', 'Email is required'))).toBe('Email is required');
  });

  it('hides internal error details', () => {
    expect(errorMessage(fromServer('INTERNAL_SERVER_ERROR', 'relation "users" does not exist'))).toBe(
      SERVER_FAILURE_MESSAGE,
    );
  });

  it('says the server is unreachable when the request failed', () => {
    expect(errorMessage(TRPCClientError.from(new TypeError('Failed to fetch')))).toBe(UNREACHABLE_MESSAGE);
  });

  it('stays generic for errors that are not from tRPC', () => {
    expect(errorMessage(new Error('x is undefined'))).toBe(SERVER_FAILURE_MESSAGE);
  });
});

describe('fieldErrors', () => {
  it("reads the server's field errors", () => {
    const err = fromServer('CONFLICT', 'A user with this email already exists', {
      fieldErrors: { email: 'Already in use', 'patch.code': 'Use letters', bogus: 3 },
    });
    expect(fieldErrors(err)).toEqual({ email: 'Already in use', 'patch.code': 'Use letters' });
  });

  it('gives none when the server named no field', () => {
    expect(fieldErrors(fromServer('FORBIDDEN', 'No', { fieldErrors: null }))).toEqual({});
    expect(fieldErrors(new Error('bug'))).toEqual({});
  });
});

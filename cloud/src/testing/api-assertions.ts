import { TRPCClientError } from '@trpc/client';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';
import { expect } from 'vitest';
import type { ApiError } from './api.js';

// Kept apart from api.ts so that non-test code reusing the API clients (the e2e benchmark) does not load vitest.

/**
 * The tRPC error a call fails with, after checking its code and (optionally) its message.
 * Fails the test when the call succeeds or fails with something other than a tRPC error.
 */
export async function expectApiError(
  call: Promise<unknown>,
  code: TRPC_ERROR_CODE_KEY,
  message?: string | RegExp,
): Promise<ApiError> {
  let failure: unknown = null;
  try {
    await call;
  } catch (error) {
    failure = error;
  }
  expect(failure, `expected ${code}, but the call succeeded`).toBeInstanceOf(TRPCClientError);
  const error = failure as ApiError;
  expect({ code: error.data?.code, message: error.message }).toMatchObject({ code });
  if (typeof message === 'string') expect(error.message).toBe(message);
  else if (message !== undefined) expect(error.message).toMatch(message);
  return error;
}

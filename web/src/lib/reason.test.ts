import { TRPCClientError } from '@trpc/client';
import { describe, expect, it } from 'vitest';
import {
  canCarryReason,
  cancelledError,
  describeChange,
  needsReason,
  REASON_CANCELLED_MESSAGE,
  reasonProblem,
  withReason,
} from './reason';
import { errorMessage, fieldErrors } from './trpc-error';

// The refusal the cloud sends for a change without a reason (cloud/src/platform/audit-trail.ts).
function reasonRefusal(path = 'settings.update') {
  return TRPCClientError.from({
    error: {
      code: -32600,
      message: 'Give a reason for this change: this tenant requires one',
      data: { code: 'BAD_REQUEST', httpStatus: 400, path, fieldErrors: { reason: 'Required' } },
    },
  });
}

describe('needsReason', () => {
  it('recognises the refusal of a change without a reason', () => {
    expect(needsReason(reasonRefusal())).toBe(true);
  });

  it('ignores other refusals and failures', () => {
    const other = TRPCClientError.from({
      error: {
        code: -32600,
        message: 'Invalid input',
        data: { code: 'BAD_REQUEST', httpStatus: 400, fieldErrors: { name: 'Required' } },
      },
    });
    const conflict = TRPCClientError.from({
      error: { code: -32009, message: 'x', data: { code: 'CONFLICT', fieldErrors: { reason: 'Required' } } },
    });
    expect(needsReason(other)).toBe(false);
    expect(needsReason(conflict)).toBe(false);
    expect(needsReason(TRPCClientError.from(new TypeError('Failed to fetch')))).toBe(false);
    expect(needsReason(new Error('bug'))).toBe(false);
  });
});

describe('canCarryReason and withReason', () => {
  it('add the reason to an object input, keeping the rest', () => {
    const input = { id: 'a', patch: { name: 'B' } };
    expect(canCarryReason(input)).toBe(true);
    expect(withReason(input, '  Typo  ')).toEqual({ id: 'a', patch: { name: 'B' }, reason: 'Typo' });
    expect(input).toEqual({ id: 'a', patch: { name: 'B' } });
    expect(canCarryReason({ id: 'a', reason: ' ' })).toBe(true);
  });

  it('leave alone inputs that cannot carry one or already did', () => {
    for (const input of [undefined, null, 'text', 42, ['a'], new Date(), new Map()]) {
      expect(canCarryReason(input)).toBe(false);
    }
    expect(canCarryReason({ id: 'a', reason: 'Given' })).toBe(false);
  });
});

describe('reasonProblem', () => {
  it('asks for text of at most 1000 characters', () => {
    expect(reasonProblem('   ')).toMatch(/^Give a reason/);
    expect(reasonProblem('x'.repeat(1001))).toBe('Use at most 1000 characters');
    expect(reasonProblem(` ${'x'.repeat(1000)} `)).toBeNull();
  });
});

describe('describeChange', () => {
  it('says in words what a procedure changes', () => {
    expect(describeChange('settings.update')).toBe('Update settings');
    expect(describeChange('production.orders.release')).toBe('Release orders');
    expect(describeChange('users.setRoles')).toBe('Set roles of users');
    expect(describeChange('apiKeys.revoke')).toBe('Revoke api keys');
    expect(describeChange('logout')).toBe('Logout');
  });
});

describe('cancelledError', () => {
  it('keeps the refusal but says nothing was saved', () => {
    const cancelled = cancelledError(reasonRefusal());
    expect(cancelled).toBeInstanceOf(TRPCClientError);
    expect(errorMessage(cancelled)).toBe(REASON_CANCELLED_MESSAGE);
    expect(fieldErrors(cancelled)).toEqual({ reason: 'Required' });
    expect(needsReason(cancelled)).toBe(true);
  });
});

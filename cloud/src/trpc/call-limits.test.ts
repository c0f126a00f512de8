import { TRPCError } from '@trpc/server';
import { describe, expect, it } from 'vitest';
import type { Principal } from '../platform/index.js';
import { CallBudget } from './call-limits.js';

const user = (userId: string): Principal => ({
  kind: 'user',
  tenantId: 't',
  userId,
  apiKeyId: null,
  sessionId: 's',
  permissions: new Set(),
  plantIds: [],
});

function budget() {
  return new CallBudget({
    callsPerConnection: 2,
    callsPerUser: 3,
    subscriptionsPerConnection: 1,
    subscriptionsPerUser: 2,
  });
}

function refusal(take: () => unknown): string {
  try {
    take();
  } catch (error) {
    expect(error).toBeInstanceOf(TRPCError);
    expect((error as TRPCError).code).toBe('TOO_MANY_REQUESTS');
    return (error as TRPCError).message;
  }
  throw new Error('expected a refusal');
}

describe('CallBudget', () => {
  it('bounds a connection and gives a place back once, however often it is released', () => {
    const connection = budget().connection(user('u1'));
    const release = connection.take('call');
    connection.take('call');
    expect(refusal(() => connection.take('call'))).toMatch(/already has 2 calls in progress/);
    release();
    release();
    connection.take('call');
    expect(refusal(() => connection.take('call'))).toMatch(/already has 2 calls in progress/);
  });

  it('bounds a user over all connections, and frees what a closed connection held', () => {
    const calls = budget();
    const first = calls.connection(user('u1'));
    const second = calls.connection(user('u1'));
    first.take('subscription');
    const held = second.take('subscription');
    expect(refusal(() => calls.connection(user('u1')).take('subscription'))).toBe(
      'You already have 2 open subscriptions, the most allowed; wait for one to end',
    );
    // Another user is not affected.
    calls.connection(user('u2')).take('subscription');

    first.close();
    // Closing twice does not give back twice.
    first.close();
    calls.connection(user('u1')).take('subscription');
    expect(refusal(() => calls.connection(user('u1')).take('subscription'))).toMatch(/You already have 2/);
    held();
    calls.connection(user('u1')).take('subscription');
    expect(refusal(() => calls.connection(user('u1')).take('subscription'))).toMatch(/You already have 2/);
  });

  it('bounds anonymous connections per connection only', () => {
    const calls = budget();
    for (let i = 0; i < 5; i++) {
      const connection = calls.connection(null);
      connection.take('call');
      connection.take('call');
      expect(refusal(() => connection.take('call'))).toMatch(/This connection/);
    }
  });
});

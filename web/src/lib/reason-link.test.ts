import type { AppRouter } from '@plantline/cloud';
import { createTRPCClient, type Operation, TRPCClientError, type TRPCLink } from '@trpc/client';
import { describe, expect, it } from 'vitest';
import { REASON_CANCELLED_MESSAGE } from './reason';
import { reasonLink } from './reason-link';
import { errorMessage } from './trpc-error';

// The refusal the cloud sends for a change without a reason (cloud/src/platform/audit-trail.ts).
const reasonRefusal = (path: string) =>
  TRPCClientError.from({
    error: {
      code: -32600,
      message: 'Give a reason for this change: this tenant requires one',
      data: { code: 'BAD_REQUEST', httpStatus: 400, path, fieldErrors: { reason: 'Required' } },
    },
  });

/**
 * A stand-in for the cloud behind the link: it refuses every call without a reason the way a tenant
 * that requires reasons does, answers the others with their input, and records what it was sent.
 */
function cloudRequiringReasons() {
  const sent: Operation[] = [];
  const link: TRPCLink<AppRouter> =
    () =>
    ({ op }) => {
      const observable = {
        subscribe(observer: {
          next?: (value: unknown) => void;
          error?: (err: unknown) => void;
          complete?: () => void;
        }) {
          sent.push(op);
          queueMicrotask(() => {
            const reason = (op.input as { reason?: unknown } | undefined)?.reason;
            if (typeof reason !== 'string' || reason.trim() === '') {
              observer.error?.(reasonRefusal(op.path));
              return;
            }
            observer.next?.({ result: { type: 'data', data: op.input } });
            observer.complete?.();
          });
          return { unsubscribe() {} };
        },
        pipe: () => observable,
      };
      return observable as unknown as ReturnType<ReturnType<TRPCLink<AppRouter>>>;
    };
  return { link, sent };
}

function clientAnswering(answer: string | null) {
  const cloud = cloudRequiringReasons();
  const asked: string[] = [];
  const client = createTRPCClient<AppRouter>({
    links: [
      reasonLink(async (change) => {
        asked.push(change);
        return answer;
      }),
      cloud.link,
    ],
  });
  return { client, asked, sent: cloud.sent };
}

const update = { version: 3, patch: { audit: { retentionDays: 500 } } };

describe('the reason link', () => {
  it('asks for a reason and sends the same mutation again with it', async () => {
    const { client, asked, sent } = clientAnswering('Customer contract');
    const saved = await client.settings.update.mutate(update);
    expect(asked).toEqual(['Update settings']);
    expect(sent.map((op) => op.input)).toEqual([update, { ...update, reason: 'Customer contract' }]);
    expect(saved).toEqual({ ...update, reason: 'Customer contract' });
  });

  it('gives the caller a clear refusal when the user cancels, and sends nothing more', async () => {
    const { client, sent } = clientAnswering(null);
    const failure = await client.settings.update.mutate(update).catch((err: unknown) => err);
    expect(errorMessage(failure)).toBe(REASON_CANCELLED_MESSAGE);
    expect(sent).toHaveLength(1);
  });

  it('passes on refusals it cannot help with: queries, inputs that are not objects, a second refusal', async () => {
    const { client, asked, sent } = clientAnswering('  ');
    await expect(client.settings.get.query()).rejects.toThrow(/Give a reason/);
    await expect(client.auth.logout.mutate()).rejects.toThrow(/Give a reason/);
    expect(asked).toEqual([]);
    // The user's answer was refused too (blank): the caller gets that refusal, not a second dialog.
    await expect(client.settings.update.mutate(update)).rejects.toThrow(/Give a reason/);
    expect(asked).toEqual(['Update settings']);
    expect(sent.map((op) => op.path)).toEqual([
      'settings.get',
      'auth.logout',
      'settings.update',
      'settings.update',
    ]);
  });
});

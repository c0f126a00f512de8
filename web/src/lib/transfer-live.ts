import type { TransferProgress } from './transfers';
import { trpc } from './trpc';
import { isUnauthorized } from './trpc-error';

/**
 * Follows a transfer's packing and receiving progress (`logistics.transfers.live`) until the
 * returned function is called, resubscribing five seconds after a failure (an ended session sends the
 * user to sign-in instead, lib/trpc.ts). The record page and both stations follow their transfer so.
 */
export function followTransfer(
  transferOrderId: string,
  onProgress: (progress: TransferProgress) => void,
): () => void {
  let retry: ReturnType<typeof setTimeout> | undefined;
  let subscription: { unsubscribe(): void } | undefined;
  let stopped = false;
  const follow = () => {
    subscription = trpc.logistics.transfers.live.subscribe(
      { transferOrderId },
      {
        onData: onProgress,
        onError: (err) => {
          if (!stopped && !isUnauthorized(err)) retry = setTimeout(follow, 5_000);
        },
      },
    );
  };
  follow();
  return () => {
    stopped = true;
    clearTimeout(retry);
    subscription?.unsubscribe();
  };
}

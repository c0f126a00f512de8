import type { LiveProgress } from './shipments';
import { trpc } from './trpc';
import { isUnauthorized } from './trpc-error';

/**
 * Follows a shipment's packing progress (`logistics.shipments.live`) until the returned function is
 * called: each message to `onProgress`, and after a failure a new subscription five seconds on (an
 * ended session sends the user to sign-in instead, lib/trpc.ts). The record page and the packing
 * station both follow their shipment this way.
 */
export function followShipment(shipmentId: string, onProgress: (progress: LiveProgress) => void): () => void {
  let retry: ReturnType<typeof setTimeout> | undefined;
  let subscription: { unsubscribe(): void } | undefined;
  let stopped = false;
  const follow = () => {
    subscription = trpc.logistics.shipments.live.subscribe(
      { shipmentId },
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

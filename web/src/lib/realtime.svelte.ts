import { createWSClient, type TRPCWebSocketClient } from '@trpc/client';
import { untrack } from 'svelte';
import { type ConnectionStatus, connectionStatus, type SocketObservation } from './connection';

const INITIAL: SocketObservation = {
  state: 'idle',
  failed: false,
  failures: 0,
  everConnected: false,
  online: true,
};

/**
 * The one WebSocket a tab uses for subscriptions, and what the header shows about it.
 *
 * The cloud authenticates a WebSocket once, from the session cookie sent with the upgrade request
 * (cloud/src/trpc/context.ts), so a socket opened before sign-in, or kept across a sign-out, would speak
 * for the wrong user: `reset()` drops it, and the next subscription opens a new one with the current
 * cookie. Nothing is opened until the first subscription (lazy), and the socket closes again a while
 * after the last one ends.
 */
class Realtime {
  #client: TRPCWebSocketClient | null = null;
  #stopWatching: (() => void) | null = null;
  #observed = $state<SocketObservation>({ ...INITIAL });

  readonly status: ConnectionStatus = $derived(connectionStatus(this.#observed));

  client(): TRPCWebSocketClient {
    if (this.#client !== null) return this.#client;
    const client = createWSClient({
      url: () => `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/trpc`,
      lazy: { enabled: true, closeMs: 10_000 },
      // First retry at once (a cloud restart is usually quick), then back off to at most 10 s.
      retryDelayMs: (attempt) => (attempt === 0 ? 0 : Math.min(1_000 * 2 ** (attempt - 1), 10_000)),
      // A socket can die silently (Wi-Fi roaming on the shop floor); pings notice within ~20 s.
      keepAlive: { enabled: true, intervalMs: 15_000, pongTimeoutMs: 5_000 },
    });
    const watching = client.connectionState.subscribe({
      // Untracked: the first state arrives synchronously, possibly inside a component's effect that
      // started a subscription, which must not come to depend on (and re-run for) the socket's state.
      next: (state) => untrack(() => this.#observe(state)),
    });
    this.#client = client;
    this.#stopWatching = () => watching.unsubscribe();
    return client;
  }

  #observe(state: { state: 'idle' | 'connecting' | 'pending'; error: unknown }) {
    const o = this.#observed;
    if (state.state === 'pending') {
      this.#observed = { ...o, state: 'pending', failed: false, failures: 0, everConnected: true };
    } else if (state.state === 'connecting') {
      const failed = state.error !== null;
      this.#observed = { ...o, state: 'connecting', failed, failures: o.failures + (failed ? 1 : 0) };
    } else {
      this.#observed = { ...o, state: 'idle', failed: false };
    }
  }

  /** Closes the socket (its subscriptions end); the next subscription opens a fresh one. */
  reset(): void {
    const client = this.#client;
    this.#stopWatching?.();
    this.#client = null;
    this.#stopWatching = null;
    this.#observed = { ...INITIAL, online: this.#observed.online };
    void client?.close();
  }

  setOnline(online: boolean): void {
    this.#observed = { ...this.#observed, online };
  }
}

export const realtime = new Realtime();

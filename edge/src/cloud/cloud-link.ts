import type { Logger } from '../logger';
import type { Unit } from '../unit';
import { type BackoffOptions, backoffDelay } from './backoff';
import { fetchCloudHealth, fetchWhoami } from './cloud-api';
import type { CloudStatus } from './cloud-status';

export interface CloudLinkOptions {
  cloudUrl: string;
  apiKey: string | undefined;
  log: Logger;
  /** Between checks while the cloud is healthy. */
  intervalMs?: number;
  /** While it is not. */
  backoff?: BackoffOptions;
  requestTimeoutMs?: number;
  random?: () => number;
  /** Called when the cloud answers again after being unreachable (the uplink retries at once). */
  onBackOnline?: () => void;
}

/**
 * Watches the cloud: is it reachable, which version, and who does it say this edge is. It feeds the
 * status page, so an operator can tell "cloud down" from "key revoked" without reading logs, and tells
 * the uplink the moment the cloud is back, so a replay does not wait out the uplink's own backoff.
 */
export class CloudLink implements Unit {
  readonly name = 'cloud-link';
  #status: CloudStatus;
  #timer: NodeJS.Timeout | undefined;
  #inFlight: Promise<void> | undefined;
  #stopController: AbortController | undefined;
  #failures = 0;

  constructor(private readonly options: CloudLinkOptions) {
    this.#status = {
      url: options.cloudUrl,
      reachable: false,
      lastCheckAt: null,
      lastError: null,
      cloudVersion: null,
      apiKeyConfigured: options.apiKey !== undefined,
      identity: null,
      authError: null,
    };
  }

  /** Returns at once: the edge must come up (and buffer) whether or not the cloud is there. */
  async start(): Promise<void> {
    this.#stopController = new AbortController();
    this.#schedule(0);
  }

  /** Cancels the next check and aborts the running one; resolves once nothing of this unit is pending. */
  async stop(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#stopController?.abort();
    await this.#inFlight;
  }

  status(): CloudStatus {
    return { ...this.#status };
  }

  #schedule(delayMs: number): void {
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#inFlight = this.#checkAndReschedule().finally(() => {
        this.#inFlight = undefined;
      });
    }, delayMs);
  }

  async #checkAndReschedule(): Promise<void> {
    const signal = this.#stopController?.signal;
    if (!signal || signal.aborted) return;
    let healthy = false;
    try {
      healthy = await this.#check(signal);
    } catch (err) {
      // #check is written not to throw; if it ever does, the link must keep checking, not die silently.
      this.options.log.error({ err }, 'cloud check failed unexpectedly');
    }
    if (signal.aborted) return;
    this.#failures = healthy ? 0 : this.#failures + 1;
    const delay = healthy
      ? (this.options.intervalMs ?? 5000)
      : backoffDelay(
          this.#failures,
          this.options.backoff ?? { baseMs: 1000, capMs: 10_000 },
          this.options.random,
        );
    this.options.log.debug({ healthy, nextCheckInMs: delay }, 'cloud checked');
    this.#schedule(delay);
  }

  /** Healthy means reachable and, when a key is configured, accepted. */
  async #check(signal: AbortSignal): Promise<boolean> {
    const request = { signal, timeoutMs: this.options.requestTimeoutMs ?? 3000 };
    const health = await fetchCloudHealth(this.options.cloudUrl, request);
    if (signal.aborted) return false;
    const wasReachable = this.#status.reachable;
    const lastCheckAt = new Date().toISOString();
    if (!health.ok) {
      if (wasReachable || this.#status.lastError === null) {
        this.options.log.warn({ cloudUrl: this.options.cloudUrl, error: health.error }, 'cloud unreachable');
      }
      this.#status = { ...this.#status, lastCheckAt, reachable: false, lastError: health.error };
      return false;
    }
    if (!wasReachable) {
      this.options.log.info(
        { cloudUrl: this.options.cloudUrl, cloudVersion: health.version },
        'cloud reachable',
      );
      if (this.#status.lastCheckAt !== null) this.options.onBackOnline?.();
    }
    this.#status = {
      ...this.#status,
      lastCheckAt,
      reachable: true,
      lastError: null,
      cloudVersion: health.version,
    };

    const { apiKey } = this.options;
    if (apiKey === undefined) return true;
    const whoami = await fetchWhoami(this.options.cloudUrl, apiKey, request);
    if (signal.aborted) return false;
    if (whoami.ok) {
      if (this.#status.identity?.keyId !== whoami.identity.keyId) {
        const { keyName, tenantName, plants } = whoami.identity;
        this.options.log.info({ keyName, tenantName, plants: plants.map((p) => p.code) }, 'edge identified');
      }
      this.#status = { ...this.#status, identity: whoami.identity, authError: null };
      return true;
    }
    if (this.#status.authError !== whoami.error) {
      this.options.log.warn({ error: whoami.error }, 'cloud did not confirm the edge identity');
    }
    // A transient failure keeps the last known identity; only a refusal of the key clears it.
    this.#status = {
      ...this.#status,
      identity: whoami.rejected ? null : this.#status.identity,
      authError: whoami.error,
    };
    return false;
  }
}

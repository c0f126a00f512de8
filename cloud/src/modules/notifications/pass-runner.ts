/*
 * Runs the email sender's passes: when asked (a notification committed) and on the scheduler's tick,
 * never two at once in one process. Requests that arrive while a pass runs are served by one more pass
 * after it, and a burst of requests close together by one pass, so a hundred notifications committed
 * at once cost a pass or two, not a hundred.
 */
export class PassRunner {
  readonly #pass: () => Promise<void>;
  readonly #onError: (error: unknown) => void;
  readonly #gatherMs: number;
  #running: Promise<void> | null = null;
  #again = false;
  #timer: NodeJS.Timeout | null = null;
  #stopped = false;

  /** `gatherMs`: how long a request waits for others to join it before the pass starts. */
  constructor(pass: () => Promise<void>, onError: (error: unknown) => void, gatherMs = 50) {
    this.#pass = pass;
    this.#onError = onError;
    this.#gatherMs = gatherMs;
  }

  /** Asks for a pass soon. */
  request(): void {
    if (this.#stopped) return;
    if (this.#running !== null) {
      this.#again = true;
      return;
    }
    if (this.#timer !== null) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#start();
    }, this.#gatherMs);
    this.#timer.unref();
  }

  /** Runs a pass now, or after the one running; resolves when no pass runs or is due. */
  async run(): Promise<void> {
    if (this.#stopped) return;
    if (this.#timer !== null) {
      clearTimeout(this.#timer);
      this.#timer = null;
    }
    if (this.#running !== null) this.#again = true;
    else this.#start();
    await this.idle();
  }

  /** Resolves once no pass runs or waits to run. */
  async idle(): Promise<void> {
    while (this.#running !== null) await this.#running;
  }

  /** No pass starts after this; the one running finishes. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    this.#again = false;
    await this.idle();
  }

  #start(): void {
    this.#again = false;
    this.#running = this.#pass()
      .catch((error: unknown) => this.#onError(error))
      .finally(() => {
        this.#running = null;
        if (this.#again && !this.#stopped) this.#start();
      });
  }
}

/**
 * A wake-up for a loop that waits for work: notify() before the loop waits is not lost (the next
 * wait returns at once), so work that lands while the loop is busy is always seen.
 */
export class Wakeup {
  #pending = false;
  #resolve: (() => void) | undefined;

  notify(): void {
    if (this.#resolve) this.#resolve();
    else this.#pending = true;
  }

  /** Resolves on notify(), after `ms`, or when `signal` aborts, whichever comes first. */
  wait(ms: number, signal: AbortSignal): Promise<void> {
    if (this.#pending || signal.aborted) {
      this.#pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        this.#resolve = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done);
      this.#resolve = done;
    });
  }
}

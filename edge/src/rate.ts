/** Events per second over the last `windowS` whole seconds (the current, partial second is left out). */
export class RateMeter {
  #buckets = new Map<number, number>();

  constructor(
    private readonly windowS = 10,
    private readonly now: () => number = Date.now,
  ) {}

  add(count = 1): void {
    const second = Math.floor(this.now() / 1000);
    this.#buckets.set(second, (this.#buckets.get(second) ?? 0) + count);
    if (this.#buckets.size > this.windowS + 2) {
      for (const key of this.#buckets.keys()) if (key < second - this.windowS - 1) this.#buckets.delete(key);
    }
  }

  perSecond(): number {
    const current = Math.floor(this.now() / 1000);
    let total = 0;
    for (let s = current - this.windowS; s < current; s++) total += this.#buckets.get(s) ?? 0;
    return Math.round((total / this.windowS) * 10) / 10;
  }
}

/**
 * The time a view formats against, moved on every `everyMs` once started. Event times show their
 * date only when not of today, and today moves at midnight. A component starts it in an effect,
 * whose teardown is the returned stop: `$effect(() => clock.start())`.
 */
export class Clock {
  now = $state(new Date());

  constructor(private readonly everyMs = 60_000) {}

  start(): () => void {
    this.now = new Date();
    const timer = setInterval(() => {
      this.now = new Date();
    }, this.everyMs);
    return () => clearInterval(timer);
  }
}

/**
 * When a live subscription re-checks its caller: on request (a bus event said their access changed)
 * and, as the safety net for what no event announces here — a session's expiry, a change made
 * through another cloud instance — every `intervalMs` after the last check. At most one check runs
 * at a time; requests during a check cost one more check after it, not one each. Once a check says
 * 'end', or after stop(), nothing is scheduled and no timer is left behind.
 */
export class RecheckSchedule {
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private again = false;
  private stopped = false;

  constructor(
    private readonly options: {
      intervalMs: number;
      check: () => Promise<'keep' | 'end'>;
      /** A check that failed (the database unreachable) is not a verdict: the next one decides. */
      onError: (error: unknown) => void;
    },
  ) {}

  start(): void {
    this.arm();
  }

  request(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    void this.run();
  }

  stop(): void {
    this.stopped = true;
    this.disarm();
  }

  private async run(): Promise<void> {
    this.disarm();
    this.running = true;
    let verdict: 'keep' | 'end' = 'keep';
    try {
      verdict = await this.options.check();
    } catch (error) {
      this.options.onError(error);
    }
    this.running = false;
    if (verdict === 'end') this.stopped = true;
    if (this.stopped) return;
    if (this.again) {
      this.again = false;
      void this.run();
      return;
    }
    this.arm();
  }

  private arm(): void {
    if (this.stopped) return;
    this.disarm();
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.run();
    }, this.options.intervalMs);
  }

  private disarm(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}

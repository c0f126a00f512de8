import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PassRunner } from './pass-runner.js';

/** A pass that stays open until the test ends it. */
function controlledPass() {
  const ends: (() => void)[] = [];
  let calls = 0;
  const pass = () => {
    calls++;
    return new Promise<void>((resolve) => ends.push(resolve));
  };
  return {
    pass,
    calls: () => calls,
    finish: async () => {
      ends.shift()?.();
      await vi.advanceTimersByTimeAsync(0);
    },
  };
}

describe('the email sender’s pass runner', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('serves a burst of requests with one pass, once they have had a moment to gather', async () => {
    const p = controlledPass();
    const runner = new PassRunner(p.pass, () => {}, 50);
    runner.request();
    runner.request();
    await vi.advanceTimersByTimeAsync(49);
    runner.request();
    expect(p.calls()).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(p.calls()).toBe(1);
    await p.finish();
    await vi.advanceTimersByTimeAsync(1000);
    expect(p.calls()).toBe(1);
  });

  it('runs one more pass for requests that came while a pass ran, never two at once', async () => {
    const p = controlledPass();
    const runner = new PassRunner(p.pass, () => {}, 50);
    runner.request();
    await vi.advanceTimersByTimeAsync(50);
    runner.request();
    runner.request();
    const ticked = runner.run();
    await vi.advanceTimersByTimeAsync(1000);
    expect(p.calls()).toBe(1);
    await p.finish();
    expect(p.calls()).toBe(2);
    await p.finish();
    await ticked;
    await vi.advanceTimersByTimeAsync(1000);
    expect(p.calls()).toBe(2);
  });

  it('keeps running after a failed pass, and reports the failure', async () => {
    const errors: unknown[] = [];
    let calls = 0;
    const runner = new PassRunner(
      async () => {
        calls++;
        if (calls === 1) throw new Error('smtp down');
      },
      (error) => errors.push(error),
    );
    await runner.run();
    await runner.run();
    expect(calls).toBe(2);
    expect(errors).toHaveLength(1);
  });

  it('starts nothing once stopped, and lets the running pass finish first', async () => {
    const p = controlledPass();
    const runner = new PassRunner(p.pass, () => {}, 50);
    void runner.run();
    runner.request();
    let stopped = false;
    const stopping = runner.stop().then(() => {
      stopped = true;
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(stopped).toBe(false);
    await p.finish();
    await stopping;
    runner.request();
    await runner.run();
    await vi.advanceTimersByTimeAsync(1000);
    expect(p.calls()).toBe(1);
  });
});

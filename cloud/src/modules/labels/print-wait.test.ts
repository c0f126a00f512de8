import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EventBus } from '../../platform/index.js';
import { listenForQueuedPrints } from './print-wait.js';

/*
 * The long poll's wait (print-wait.ts) on fake timers: woken by a print queued at one of the caller's
 * plants, not by another tenant's or plant's, by its timeout or by its caller going away; and a print
 * queued before the wait began is not missed.
 */
describe('waiting for a queued print', () => {
  const caller = { tenantId: 't1', plantIds: ['p1', 'p2'] };
  let bus: EventBus;

  beforeEach(() => {
    vi.useFakeTimers();
    bus = new EventBus((error) => {
      throw error;
    });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('wakes for a print at one of the caller’s plants, and ignores the others', async () => {
    const listener = listenForQueuedPrints(bus, caller);
    const woken = listener.until(25_000);
    bus.emit('labels.print-queued', { tenantId: 't2', plantId: 'p1' });
    bus.emit('labels.print-queued', { tenantId: 't1', plantId: 'p3' });
    await vi.advanceTimersByTimeAsync(10_000);
    bus.emit('labels.print-queued', { tenantId: 't1', plantId: 'p2' });
    expect(await woken).toBe('queued');
    listener.stop();
    expect(bus.listenerCount('labels.print-queued')).toBe(0);
  });

  it('remembers a print queued before the wait began', async () => {
    const listener = listenForQueuedPrints(bus, caller);
    bus.emit('labels.print-queued', { tenantId: 't1', plantId: 'p1' });
    expect(await listener.until(25_000)).toBe('queued');
    listener.stop();
  });

  it('ends with its timeout, or when its caller goes away', async () => {
    const listener = listenForQueuedPrints(bus, caller);
    const timedOut = listener.until(25_000);
    await vi.advanceTimersByTimeAsync(24_999);
    let settled = false;
    void timedOut.then(() => {
      settled = true;
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await timedOut).toBe('timeout');

    const gone = new AbortController();
    const aborted = listener.until(25_000, gone.signal);
    gone.abort();
    expect(await aborted).toBe('aborted');
    expect(await listener.until(25_000, gone.signal)).toBe('aborted');
    listener.stop();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('answers a wait that is still running when it stops', async () => {
    const all = { tenantId: 't1', plantIds: 'all' as const };
    const listener = listenForQueuedPrints(bus, all);
    const waiting = listener.until(25_000);
    listener.stop();
    expect(await waiting).toBe('aborted');
    bus.emit('labels.print-queued', { tenantId: 't1', plantId: 'any' });
    expect(vi.getTimerCount()).toBe(0);
  });
});

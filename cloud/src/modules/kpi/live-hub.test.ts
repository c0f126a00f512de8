import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EventBus } from '../../platform/index.js';
import {
  commit,
  countEvent,
  loadedPlant,
  M1,
  MIN,
  PLANT,
  SHIFT_END,
  SHIFT_START,
  TENANT,
} from './live-fixtures.js';
import {
  type LiveHubSubscriber,
  LiveKpiHub,
  LiveKpiHubs,
  RELOAD_DEBOUNCE_MS,
  RELOAD_RETRY_MS,
} from './live-hub.js';
import type { LoadedPlant } from './live-state.js';
import type { LiveKpiMessage } from './live-types.js';

/*
 * The hub's timing with fake timers and a loader in memory: when it loads, reloads and sends, and
 * that it leaves nothing running when it stops. What it computes is live-state.test.ts's.
 */

const log = pino({ level: 'silent' });

function recorder() {
  const messages: LiveKpiMessage[] = [];
  const errors: unknown[] = [];
  const subscriber: LiveHubSubscriber = {
    push: (message) => messages.push(message),
    fail: (error) => errors.push(error),
  };
  return { subscriber, messages, errors, types: () => messages.map((m) => m.type) };
}

describe('LiveKpiHub', () => {
  let bus: EventBus;
  let load: ReturnType<typeof vi.fn<(tenantId: string, plantId: string) => Promise<LoadedPlant>>>;
  let hub: LiveKpiHub;

  beforeEach(() => {
    vi.useFakeTimers({ now: SHIFT_START + 60 * MIN });
    bus = new EventBus((error) => {
      throw error;
    });
    load = vi.fn(async () => loadedPlant(Date.now()));
    hub = new LiveKpiHub({ bus, log, load }, TENANT, PLANT);
  });

  afterEach(async () => {
    await hub.stop();
    vi.useRealTimers();
  });

  it('sends the snapshot when loaded, then what changed at most once a second', async () => {
    const sub = recorder();
    hub.join(sub.subscriber);
    hub.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(sub.types()).toEqual(['snapshot']);
    // Ten commits in a second: one update carries them all.
    for (let k = 1; k <= 10; k++) {
      bus.emit('events.ingested', commit(10 + k, countEvent(M1, Date.now(), 1)));
      await vi.advanceTimersByTimeAsync(90);
    }
    await vi.advanceTimersByTimeAsync(100);
    expect(sub.types()).toEqual(['snapshot', 'update']);
    const update = sub.messages[1];
    expect(update?.type === 'update' && update.machines.find((m) => m.machineId === M1)?.goodQuantity).toBe(
      10,
    );
    // In a running shift the figures move with time: one update a second, not more.
    await vi.advanceTimersByTimeAsync(5000);
    expect(sub.messages).toHaveLength(7);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('holds the commits heard while it loads and applies those after the load', async () => {
    let finish: (loaded: LoadedPlant) => void = () => {};
    load.mockImplementationOnce(() => new Promise((resolve) => (finish = resolve)));
    const sub = recorder();
    hub.join(sub.subscriber);
    hub.start();
    bus.emit('events.ingested', commit(10, countEvent(M1, Date.now() - MIN, 100)));
    bus.emit('events.ingested', commit(11, countEvent(M1, Date.now() - MIN, 5)));
    finish(loadedPlant(Date.now(), { seq: 10 }));
    await vi.advanceTimersByTimeAsync(0);
    const snapshot = sub.messages[0];
    // Seq 10 was in the load already; seq 11 came after it.
    expect(
      snapshot?.type === 'snapshot' && snapshot.machines.find((m) => m.machineId === M1)?.goodQuantity,
    ).toBe(5);
  });

  it('reloads once for several master data changes in a row, and sends a new snapshot', async () => {
    const sub = recorder();
    hub.join(sub.subscriber);
    hub.start();
    await vi.advanceTimersByTimeAsync(0);
    bus.emit('masterdata.changed', { tenantId: TENANT });
    await vi.advanceTimersByTimeAsync(50);
    bus.emit('masterdata.changed', { tenantId: TENANT });
    bus.emit('masterdata.changed', { tenantId: 'another-tenant' });
    await vi.advanceTimersByTimeAsync(RELOAD_DEBOUNCE_MS);
    expect(load).toHaveBeenCalledTimes(2);
    expect(sub.types().filter((t) => t === 'snapshot')).toHaveLength(2);
  });

  it('reloads when the shift ends', async () => {
    const sub = recorder();
    hub.join(sub.subscriber);
    vi.setSystemTime(SHIFT_END - 2 * MIN);
    hub.start();
    await vi.advanceTimersByTimeAsync(0);
    load.mockImplementation(async () => loadedPlant(Date.now(), { inShift: false }));
    await vi.advanceTimersByTimeAsync(2 * MIN);
    expect(load).toHaveBeenCalledTimes(2);
    const last = sub.messages.at(-1);
    expect(last?.type === 'snapshot' && last.shift).toBeNull();
  });

  it('ends its subscribers when the first load fails, and tries again for a newcomer', async () => {
    load.mockRejectedValueOnce(new Error('database down'));
    const first = recorder();
    hub.join(first.subscriber);
    hub.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(first.errors).toEqual([new Error('database down')]);
    const second = recorder();
    hub.join(second.subscriber);
    await vi.advanceTimersByTimeAsync(0);
    expect(second.types()).toEqual(['snapshot']);
  });

  it('keeps serving what it holds when a reload fails, and tries again shortly', async () => {
    const sub = recorder();
    hub.join(sub.subscriber);
    hub.start();
    await vi.advanceTimersByTimeAsync(0);
    load.mockRejectedValueOnce(new Error('database down'));
    bus.emit('masterdata.changed', { tenantId: TENANT });
    await vi.advanceTimersByTimeAsync(RELOAD_DEBOUNCE_MS);
    expect(load).toHaveBeenCalledTimes(2);
    expect(sub.errors).toEqual([]);
    const sent = sub.messages.length;
    await vi.advanceTimersByTimeAsync(2000);
    expect(sub.messages.length).toBeGreaterThan(sent);
    await vi.advanceTimersByTimeAsync(RELOAD_RETRY_MS);
    expect(load).toHaveBeenCalledTimes(3);
    expect(sub.types().filter((t) => t === 'snapshot')).toHaveLength(2);
  });

  it('leaves no timer and no listener behind when it stops', async () => {
    hub.join(recorder().subscriber);
    hub.start();
    await vi.advanceTimersByTimeAsync(0);
    bus.emit('masterdata.changed', { tenantId: TENANT });
    expect(vi.getTimerCount()).toBeGreaterThan(0);
    await hub.stop();
    expect(vi.getTimerCount()).toBe(0);
    expect(bus.listenerCount('events.ingested')).toBe(0);
    expect(bus.listenerCount('masterdata.changed')).toBe(0);
  });
});

describe('LiveKpiHubs', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: SHIFT_START + 60 * MIN });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('shares one hub per plant, drops it with its last subscriber, and stops them all with the app', async () => {
    const bus = new EventBus((error) => {
      throw error;
    });
    const load = vi.fn(async () => loadedPlant(Date.now()));
    const hubs = new LiveKpiHubs({ bus, log, load });
    const [a, b, c] = [recorder(), recorder(), recorder()];
    const leaveA = hubs.join(TENANT, PLANT, a.subscriber);
    hubs.join(TENANT, PLANT, b.subscriber);
    await vi.advanceTimersByTimeAsync(0);
    expect(hubs.stats()).toEqual({ hubs: 1, subscribers: 2 });
    expect(load).toHaveBeenCalledTimes(1);
    leaveA();
    leaveA();
    expect(hubs.stats()).toEqual({ hubs: 1, subscribers: 1 });
    hubs.join(TENANT, 'plant-q', c.subscriber);
    await vi.advanceTimersByTimeAsync(1000);
    await hubs.stop();
    expect(hubs.stats()).toEqual({ hubs: 0, subscribers: 0 });
    expect(vi.getTimerCount()).toBe(0);
    expect(bus.listenerCount('events.ingested')).toBe(0);
    const late = recorder();
    hubs.join(TENANT, PLANT, late.subscriber);
    expect(late.errors).toHaveLength(1);
  });
});

import { describe, expect, it } from 'vitest';
import { EventBus } from './bus.js';

describe('the event bus', () => {
  it('delivers to every listener until it stops listening, even when one throws', () => {
    const failures: unknown[] = [];
    const bus = new EventBus((error) => failures.push(error));
    const seen: string[] = [];
    bus.on('masterdata.changed', () => {
      throw new Error('listener bug');
    });
    const stop = bus.on('masterdata.changed', ({ tenantId }) => seen.push(tenantId));
    bus.emit('masterdata.changed', { tenantId: 't1' });
    stop();
    bus.emit('masterdata.changed', { tenantId: 't2' });
    expect(seen).toEqual(['t1']);
    expect(failures).toHaveLength(2);
    expect(bus.listenerCount('masterdata.changed')).toBe(1);
    expect(bus.listenerCount('events.ingested')).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import { createLogger } from './logger';
import { type Unit, UnitGroup } from './unit';

const log = createLogger({ logLevel: 'silent', name: 'test' });

function recorder(events: string[], failStart?: string) {
  return (name: string): Unit => ({
    name,
    start: async () => {
      if (name === failStart) throw new Error('boom');
      events.push(`start ${name}`);
    },
    stop: async () => {
      events.push(`stop ${name}`);
    },
  });
}

describe('UnitGroup', () => {
  it('stops units in reverse start order', async () => {
    const events: string[] = [];
    const group = new UnitGroup(['a', 'b', 'c'].map(recorder(events)), log);
    await group.start();
    await group.stop();
    expect(events).toEqual(['start a', 'start b', 'start c', 'stop c', 'stop b', 'stop a']);
  });

  it('unwinds the started units when one fails to start', async () => {
    const events: string[] = [];
    const group = new UnitGroup(['a', 'b', 'c'].map(recorder(events, 'c')), log);
    await expect(group.start()).rejects.toThrow('unit c failed to start');
    expect(events).toEqual(['start a', 'start b', 'stop b', 'stop a']);
  });

  it('does not start the remaining units when stopped during start', async () => {
    const events: string[] = [];
    const make = recorder(events);
    let release = () => {};
    const slow: Unit = {
      ...make('slow'),
      start: () =>
        new Promise<void>((resolve) => {
          release = () => {
            events.push('start slow');
            resolve();
          };
        }),
    };
    const group = new UnitGroup([make('a'), slow, make('c')], log);
    const starting = group.start();
    await new Promise((resolve) => setImmediate(resolve));
    const stopping = group.stop();
    release();
    await Promise.all([starting, stopping]);
    expect(events).toEqual(['start a', 'start slow', 'stop slow', 'stop a']);
  });
});

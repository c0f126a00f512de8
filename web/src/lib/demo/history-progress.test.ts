import { describe, expect, it } from 'vitest';
import { describeHistory } from './history-progress';

const window = { from: '2026-11-27T15:27:56.936Z', to: '2026-12-04T15:27:56.936Z' };

describe('describeHistory', () => {
  it('shows nothing without a backfill or once it is done', () => {
    expect(
      describeHistory({ state: 'none', eventsDone: 0, eventsTotal: 0, from: null, to: null }),
    ).toBeNull();
    expect(describeHistory({ state: 'done', eventsDone: 10, eventsTotal: 10, ...window })).toBeNull();
  });

  it('shows how far a running backfill has come', () => {
    expect(
      describeHistory({ state: 'running', eventsDone: 154_321, eventsTotal: 376_289, ...window }),
    ).toEqual({
      percent: 41,
      text: 'Loading 7 days of demo history: 41 % (154,321 of 376,289 events)',
    });
    // Before the backfill has counted its events.
    expect(
      describeHistory({ state: 'running', eventsDone: 0, eventsTotal: 0, from: null, to: null }),
    ).toEqual({
      percent: 0,
      text: 'Loading the demo history: 0 % (0 of 0 events)',
    });
  });

  it('says where a failed backfill stopped', () => {
    expect(describeHistory({ state: 'failed', eventsDone: 50, eventsTotal: 200, ...window })?.text).toBe(
      'Loading 7 days of demo history stopped at 25 %; it resumes on the next start.',
    );
  });
});

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  DIGEST_LOOKBACK_MS,
  DIGEST_SETTLE_MS,
  dueDigestWindow,
  listedDigestWindow,
} from './digest-window.js';

const at = (iso: string) => new Date(iso);
const minutes = (n: number) => n * 60_000;

describe('digest windows', () => {
  // The clock is fake, so "now" is the instant the test says.
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(at('2026-03-02T12:00:00Z'));
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('waits an hour (or a day) after the previous digest', () => {
    const previous = at('2026-03-02T11:30:00Z');
    expect(dueDigestWindow('hourly', previous, new Date())).toBeNull();
    vi.advanceTimersByTime(minutes(30));
    // The settle time holds it back a minute more.
    expect(dueDigestWindow('hourly', previous, new Date())).toBeNull();
    vi.advanceTimersByTime(DIGEST_SETTLE_MS);
    expect(dueDigestWindow('hourly', previous, new Date())).toEqual({
      from: previous,
      until: at('2026-03-02T12:30:00Z'),
    });
    expect(dueDigestWindow('daily', previous, new Date())).toBeNull();
    vi.advanceTimersByTime(minutes(23 * 60));
    expect(dueDigestWindow('daily', previous, new Date())).toEqual({
      from: previous,
      until: at('2026-03-03T11:30:00Z'),
    });
  });

  it('gathers the last period at once for a user with no digest yet', () => {
    const window = dueDigestWindow('hourly', null, new Date());
    expect(window).toEqual({ from: at('2026-03-02T10:59:00Z'), until: at('2026-03-02T11:59:00Z') });
  });

  it('is due at once after a quiet spell, reaching back a day at most', () => {
    const window = dueDigestWindow('hourly', at('2026-02-20T00:00:00Z'), new Date());
    expect(window).toEqual({
      from: new Date(at('2026-03-02T11:59:00Z').getTime() - DIGEST_LOOKBACK_MS),
      until: at('2026-03-02T11:59:00Z'),
    });
  });

  it('lists what follows the previous digest, within the same reach', () => {
    const until = at('2026-03-02T11:59:00Z');
    expect(listedDigestWindow(until, at('2026-03-02T10:40:00Z'))).toEqual({
      from: at('2026-03-02T10:40:00Z'),
      until,
    });
    expect(listedDigestWindow(until, null).from).toEqual(new Date(until.getTime() - DIGEST_LOOKBACK_MS));
    expect(listedDigestWindow(until, at('2026-01-01T00:00:00Z')).from).toEqual(
      new Date(until.getTime() - DIGEST_LOOKBACK_MS),
    );
  });
});

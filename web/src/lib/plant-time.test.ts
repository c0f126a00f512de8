import { describe, expect, it } from 'vitest';
import { formatPlantTime, isoToWallTime, recordZone, wallTimeToIso } from './plant-time';

describe('plant time', () => {
  it('reads a wall time in the plant’s zone, not the browser’s', () => {
    expect(wallTimeToIso('2026-11-25T06:00', 'Europe/Berlin')).toBe('2026-11-25T05:00:00.000Z');
    expect(wallTimeToIso('2026-07-01T06:00', 'Europe/Berlin')).toBe('2026-07-01T04:00:00.000Z');
    expect(wallTimeToIso('2026-11-25T06:00', 'America/Chicago')).toBe('2026-11-25T12:00:00.000Z');
    expect(wallTimeToIso('2026-11-25T06:00', 'UTC')).toBe('2026-11-25T06:00:00.000Z');
  });

  it('refuses what is not a datetime-local value', () => {
    expect(wallTimeToIso('', 'UTC')).toBeNull();
    expect(wallTimeToIso('2026-11-25 06:00', 'UTC')).toBeNull();
    expect(wallTimeToIso('2026-11-25T06:00:00Z', 'UTC')).toBeNull();
  });

  it('shows an instant as the plant’s wall time, across a daylight-saving change', () => {
    expect(isoToWallTime('2026-11-25T05:00:00.000Z', 'Europe/Berlin')).toBe('2026-11-25T06:00');
    // 29 March 2026: Berlin's clocks go from 02:00 to 03:00 at 01:00 UTC.
    expect(isoToWallTime('2026-03-29T00:30:00.000Z', 'Europe/Berlin')).toBe('2026-03-29T01:30');
    expect(isoToWallTime('2026-03-29T01:30:00.000Z', 'Europe/Berlin')).toBe('2026-03-29T03:30');
  });

  it('round-trips every hour of a day with a daylight-saving change', () => {
    for (let h = 0; h < 24; h++) {
      const iso = new Date(Date.UTC(2026, 9, 24, 22 + h)).toISOString();
      expect(wallTimeToIso(isoToWallTime(iso, 'Europe/Berlin'), 'Europe/Berlin'), iso).toBe(
        // 25 Oct 2026 02:00–03:00 happens twice; a typed 02:30 means the second (standard time).
        iso === '2026-10-25T00:00:00.000Z' ? '2026-10-25T01:00:00.000Z' : iso,
      );
    }
  });
});

describe('a record’s zone', () => {
  it('is its plant’s, named with the plant, else the viewer’s own', () => {
    expect(recordZone({ name: 'Riverside', timeZone: 'Europe/Berlin' }, 'America/Chicago')).toEqual({
      timeZone: 'Europe/Berlin',
      label: 'Riverside time (Europe/Berlin)',
    });
    expect(recordZone(null, 'America/Chicago')).toEqual({
      timeZone: 'America/Chicago',
      label: 'your time (America/Chicago)',
    });
  });

  it('shows an instant as the plant’s date and time, whatever the viewer’s zone', () => {
    expect(formatPlantTime('2026-07-01T10:00:00.000Z', 'Europe/Berlin')).toBe('1 Jul 2026, 12:00');
    expect(formatPlantTime('2026-07-01T10:00:00.000Z', 'America/Chicago')).toBe('1 Jul 2026, 05:00');
  });
});

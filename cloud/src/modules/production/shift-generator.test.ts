import { describe, expect, it } from 'vitest';
import {
  firstOverlap,
  generateShiftInstances,
  instantOfWallClock,
  localDateOf,
  type ShiftDefinition,
} from './shift-generator.js';

const everyDay = [1, 2, 3, 4, 5, 6, 7];
const threeShifts: ShiftDefinition[] = [
  { id: 'E', name: 'Early', weekdays: everyDay, startTime: '06:00', durationMinutes: 480, breaks: [] },
  { id: 'L', name: 'Late', weekdays: everyDay, startTime: '14:00', durationMinutes: 480, breaks: [] },
  { id: 'N', name: 'Night', weekdays: everyDay, startTime: '22:00', durationMinutes: 480, breaks: [] },
];
const hours = (s: { startsAt: Date; endsAt: Date }) =>
  (s.endsAt.getTime() - s.startsAt.getTime()) / 3_600_000;

describe('shift generation', () => {
  it('keeps local wall times across the spring change in Berlin (2026-03-29 02:00 → 03:00)', () => {
    const shifts = generateShiftInstances({
      timezone: 'Europe/Berlin',
      definitions: threeShifts,
      from: '2026-03-28',
      to: '2026-03-29',
    });
    expect(shifts.map((s) => [s.businessDate, s.definitionId, s.startsAt.toISOString(), hours(s)])).toEqual([
      // Saturday, CET (UTC+1).
      ['2026-03-28', 'E', '2026-03-28T05:00:00.000Z', 8],
      ['2026-03-28', 'L', '2026-03-28T13:00:00.000Z', 8],
      // 22:00 CET = 21:00Z until 06:00 CEST = 04:00Z: the night loses the skipped hour, 7 h.
      ['2026-03-28', 'N', '2026-03-28T21:00:00.000Z', 7],
      // Sunday, CEST (UTC+2).
      ['2026-03-29', 'E', '2026-03-29T04:00:00.000Z', 8],
      ['2026-03-29', 'L', '2026-03-29T12:00:00.000Z', 8],
      ['2026-03-29', 'N', '2026-03-29T20:00:00.000Z', 8],
    ]);
    // Back to back: each shift ends where the next starts, across the change too.
    for (let i = 1; i < shifts.length; i++) expect(shifts[i]!.startsAt).toEqual(shifts[i - 1]!.endsAt);
    expect(firstOverlap(shifts)).toBeNull();
  });

  it('gives the autumn night shift the repeated hour (Berlin 2026-10-25 03:00 → 02:00)', () => {
    const shifts = generateShiftInstances({
      timezone: 'Europe/Berlin',
      definitions: threeShifts,
      from: '2026-10-24',
      to: '2026-10-25',
    });
    const night = shifts.find((s) => s.businessDate === '2026-10-24' && s.definitionId === 'N')!;
    // 22:00 CEST = 20:00Z until 06:00 CET = 05:00Z: 9 h.
    expect([night.startsAt.toISOString(), night.endsAt.toISOString(), hours(night)]).toEqual([
      '2026-10-24T20:00:00.000Z',
      '2026-10-25T05:00:00.000Z',
      9,
    ]);
    const planned = shifts.reduce((sum, s) => sum + hours(s), 0);
    // Six shifts of 8 h, plus the repeated hour.
    expect(planned).toBe(49);
  });

  it('does the same in Chicago (2026-03-08 and 2026-11-01)', () => {
    const night = (date: string) =>
      generateShiftInstances({
        timezone: 'America/Chicago',
        definitions: threeShifts.filter((d) => d.id === 'N'),
        from: date,
        to: date,
      })[0]!;
    // 22:00 CST (UTC−6) = 04:00Z; 06:00 CDT (UTC−5) = 11:00Z.
    expect([night('2026-03-07').startsAt.toISOString(), hours(night('2026-03-07'))]).toEqual([
      '2026-03-08T04:00:00.000Z',
      7,
    ]);
    expect(hours(night('2026-10-31'))).toBe(9);
  });

  it('moves a start inside the spring gap forward and takes the first of a repeated local time', () => {
    // 02:30 does not exist in Berlin on 2026-03-29: it is read as 03:30 CEST = 01:30Z.
    expect(instantOfWallClock(Date.UTC(2026, 2, 29, 2, 30), 'Europe/Berlin').toISOString()).toBe(
      '2026-03-29T01:30:00.000Z',
    );
    // 02:30 happens twice on 2026-10-25: first in CEST (00:30Z), then in CET (01:30Z).
    expect(instantOfWallClock(Date.UTC(2026, 9, 25, 2, 30), 'Europe/Berlin').toISOString()).toBe(
      '2026-10-25T00:30:00.000Z',
    );
  });

  it('generates only the weekdays of a definition and places breaks from the shift start', () => {
    const shifts = generateShiftInstances({
      timezone: 'UTC',
      definitions: [
        {
          id: 'D',
          name: 'Day',
          weekdays: [1, 2, 3, 4, 5],
          startTime: '08:00:00',
          durationMinutes: 480,
          breaks: [
            { offsetMinutes: 240, durationMinutes: 30, reason: 'LUNCH' },
            // Runs past the end of the shift: clipped to it.
            { offsetMinutes: 470, durationMinutes: 30, reason: 'BREAK' },
          ],
        },
      ],
      // Friday to Monday.
      from: '2026-11-27',
      to: '2026-11-30',
    });
    expect(shifts.map((s) => s.businessDate)).toEqual(['2026-11-27', '2026-11-30']);
    expect(
      shifts[0]!.breaks.map((b) => [b.reason, b.startsAt.toISOString(), b.endsAt.toISOString()]),
    ).toEqual([
      ['LUNCH', '2026-11-27T12:00:00.000Z', '2026-11-27T12:30:00.000Z'],
      ['BREAK', '2026-11-27T15:50:00.000Z', '2026-11-27T16:00:00.000Z'],
    ]);
  });

  it('finds overlapping shifts and local dates', () => {
    const at = (h: number) => new Date(Date.UTC(2026, 0, 1, h));
    expect(
      firstOverlap([
        { startsAt: at(0), endsAt: at(8) },
        { startsAt: at(8), endsAt: at(16) },
        { startsAt: at(15), endsAt: at(20) },
      ]),
    ).toEqual([1, 2]);
    expect(localDateOf(new Date('2026-03-28T23:30:00Z'), 'Europe/Berlin')).toBe('2026-03-29');
    expect(localDateOf(new Date('2026-03-29T03:30:00Z'), 'America/Chicago')).toBe('2026-03-28');
  });
});

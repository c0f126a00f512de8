import { describe, expect, it } from 'vitest';
import {
  blankPattern,
  blankShift,
  generationRange,
  type ShiftPatternValues,
  shiftPatternInput,
  shiftPatternValues,
  shiftSummary,
  shiftTimesLabel,
  shiftWhen,
  validateShiftPattern,
  weekdaysLabel,
} from './shift-patterns';

const early = (): ShiftPatternValues => ({
  code: 'TWO-SHIFT',
  name: 'Two shifts',
  shifts: [
    {
      code: 'E',
      name: 'Early',
      weekdays: ['5', '1', '2'],
      startTime: '06:00',
      duration: '480',
      breaks: [{ offset: '240', duration: '30', reason: 'BREAK' }],
    },
  ],
});

describe('validateShiftPattern', () => {
  it('accepts a complete pattern', () => {
    expect(validateShiftPattern(early())).toEqual({});
  });

  it('names each problem by the server field path', () => {
    const values = early();
    values.code = 'two shifts';
    values.shifts[0]!.weekdays = [];
    values.shifts[0]!.startTime = '6am';
    values.shifts[0]!.breaks[0]!.offset = '12.5';
    values.shifts.push({ ...blankShift(), code: 'E', name: '' });
    expect(validateShiftPattern(values)).toEqual({
      code: 'Use 1–64 letters, digits and _ . - / (no spaces)',
      'shifts.0.weekdays': 'Choose at least one weekday',
      'shifts.0.startTime': 'Use a local time like 06:00',
      'shifts.0.breaks.0.offsetMinutes': 'Enter whole minutes, e.g. 30',
      'shifts.1.code': 'Another shift of the pattern has this code',
      'shifts.1.name': 'Enter a name',
    });
  });

  it('keeps durations in range and breaks inside their shift', () => {
    const values = early();
    values.shifts[0]!.duration = '1500';
    expect(validateShiftPattern(values)['shifts.0.durationMinutes']).toBe('At most 1440');
    values.shifts[0]!.duration = '240';
    expect(validateShiftPattern(values)['shifts.0.breaks.0.durationMinutes']).toBe('Ends after the shift');
    values.shifts[0]!.breaks[0]!.reason = '';
    expect(validateShiftPattern(values)['shifts.0.breaks.0.reason']).toBe('Choose a reason');
  });

  it('starts a new pattern with one weekday shift that still needs a code and a name', () => {
    expect(Object.keys(validateShiftPattern(blankPattern())).sort()).toEqual([
      'code',
      'name',
      'shifts.0.code',
      'shifts.0.name',
    ]);
  });
});

describe('shiftPatternInput and shiftPatternValues', () => {
  it('turn the typed values into the API input and a stored pattern back into values', () => {
    const input = shiftPatternInput(early());
    expect(input.shifts[0]).toEqual({
      code: 'E',
      name: 'Early',
      weekdays: [1, 2, 5],
      startTime: '06:00',
      durationMinutes: 480,
      breaks: [{ offsetMinutes: 240, durationMinutes: 30, reason: 'BREAK' }],
    });
    const back = shiftPatternValues({
      ...input,
      shifts: input.shifts.map((s) => ({ ...s, startTime: `${s.startTime}:00` })),
    });
    expect(back.shifts[0]).toMatchObject({ weekdays: ['1', '2', '5'], startTime: '06:00', duration: '480' });
    expect(back.shifts[0]!.breaks).toEqual([{ offset: '240', duration: '30', reason: 'BREAK' }]);
  });
});

describe('labels', () => {
  it('says weekdays and times shortly', () => {
    expect(weekdaysLabel([1, 2, 3, 4, 5])).toBe('Mon–Fri');
    expect(weekdaysLabel([1, 3, 6])).toBe('Mon, Wed, Sat');
    expect(weekdaysLabel([7, 1, 2, 3, 4, 5, 6])).toBe('Every day');
    expect(shiftTimesLabel('06:00:00', 480)).toBe('06:00, 8 h');
    expect(shiftTimesLabel('22:00', 450)).toBe('22:00, 7 h 30 min');
    const shift = {
      code: 'E',
      name: 'Early',
      weekdays: [1, 2, 3, 4, 5],
      startTime: '06:00:00',
      durationMinutes: 480,
    };
    expect(shiftSummary({ ...shift, breaks: null })).toBe('Mon–Fri · 06:00, 8 h');
    expect(
      shiftSummary({ ...shift, breaks: [{ offsetMinutes: 240, durationMinutes: 30, reason: 'BREAK' }] }),
    ).toBe('Mon–Fri · 06:00, 8 h · 1 break');
  });

  it("shows generated shifts and the generation range in the plant's zone", () => {
    const start = Date.UTC(2026, 10, 25, 5);
    expect(
      shiftWhen({ startsAt: new Date(start), endsAt: new Date(start + 8 * 3_600_000) }, 'Europe/Berlin'),
    ).toBe('Wed 25 Nov 06:00–14:00');
    expect(generationRange(Date.UTC(2026, 10, 25, 23, 30), 'Europe/Berlin', 56)).toEqual({
      from: '2026-11-26',
      to: '2027-01-21',
    });
  });
});

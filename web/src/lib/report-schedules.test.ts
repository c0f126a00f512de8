import { describe, expect, it } from 'vitest';
import { triggerOf, triggerText } from './report-schedules';

const form = { kind: 'shiftEnd' as const, shiftName: '', time: '07:00', expression: '', timeZone: 'UTC' };

describe('the schedule form’s trigger', () => {
  it('means every shift, or one named shift', () => {
    expect(triggerOf(form)).toEqual({ trigger: { kind: 'shiftEnd', shiftName: null } });
    expect(triggerOf({ ...form, shiftName: ' Early ' })).toEqual({
      trigger: { kind: 'shiftEnd', shiftName: 'Early' },
    });
  });

  it('refuses a working-day time or a cron expression that cannot be one', () => {
    expect(triggerOf({ ...form, kind: 'firstWorkingDay', time: '7' })).toEqual({
      problem: 'Give the time as HH:MM',
    });
    expect(triggerOf({ ...form, kind: 'cron', expression: '0 6 *' })).toHaveProperty('problem');
    expect(
      triggerOf({ ...form, kind: 'cron', expression: '0 6 * * 1-5', timeZone: 'Europe/Berlin' }),
    ).toEqual({
      trigger: { kind: 'cron', expression: '0 6 * * 1-5', timeZone: 'Europe/Berlin' },
    });
  });

  it('reads back in words', () => {
    expect(triggerText({ kind: 'shiftEnd', shiftName: 'Night' })).toBe('End of every Night shift');
    expect(triggerText({ kind: 'firstWorkingDay', time: '07:00' })).toBe(
      'First working day of the month, 07:00',
    );
  });
});

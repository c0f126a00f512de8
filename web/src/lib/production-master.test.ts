import { describe, expect, it } from 'vitest';
import {
  bucketLabel,
  downtimeScope,
  masterCodeProblem,
  secondsPerUnitProblem,
  validateCycleTime,
  validateDowntimeReason,
  validatePlannedDowntime,
  validateProduct,
  validateStateCode,
} from './production-master';

describe('production master data checks', () => {
  it('accepts the codes devices send and refuses spaces and a leading symbol', () => {
    expect(masterCodeProblem('MICROSTOP')).toBeNull();
    expect(masterCodeProblem('WIDGET-A/2.1')).toBeNull();
    expect(masterCodeProblem('x'.repeat(64))).toBeNull();
    expect(masterCodeProblem('x'.repeat(65))).not.toBeNull();
    expect(masterCodeProblem('has space')).not.toBeNull();
    expect(masterCodeProblem('-lead')).not.toBeNull();
    expect(masterCodeProblem('  ')).toBe('Enter a code');
  });

  it('checks a state code: colour and bucket as the API does', () => {
    expect(
      validateStateCode({ code: 'DOWN', name: 'Down', colour: '#ef4444', bucket: 'availability_loss' }),
    ).toEqual({});
    expect(validateStateCode({ code: 'DOWN', name: '', colour: 'red', bucket: 'idle' })).toEqual({
      name: 'Enter a name',
      colour: 'Use a colour like #22c55e',
      bucket: 'Choose a loss bucket',
    });
  });

  it('checks a product unit', () => {
    const widget = { code: 'P1', name: 'Widget', unit: 'pcs', gtin: '' };
    expect(validateProduct(widget)).toEqual({});
    expect(validateProduct({ ...widget, unit: '' }).unit).toBe('Enter a unit, e.g. pcs');
    expect(validateProduct({ ...widget, unit: 'x'.repeat(17) }).unit).toBeDefined();
    expect(validateProduct({ ...widget, gtin: '9521234543213' })).toEqual({});
    expect(validateProduct({ ...widget, gtin: '09521234543214' }).gtin).toBe(
      'The check digit of 09521234543214 is wrong',
    );
    expect(validateProduct({ ...widget, gtin: '12345' }).gtin).toBe('A GTIN is 8, 12, 13 or 14 digits');
  });

  it('checks seconds per unit: positive, finite, at most a week', () => {
    expect(secondsPerUnitProblem('12.5')).toBeNull();
    expect(secondsPerUnitProblem('')).toBe('Enter the seconds per unit');
    expect(secondsPerUnitProblem('abc')).toBe('Enter a number, e.g. 12.5');
    expect(secondsPerUnitProblem('0')).toBe('Must be above zero');
    expect(secondsPerUnitProblem('604801')).not.toBeNull();
    expect(validateCycleTime({ productId: '', seconds: '-1' })).toEqual({ seconds: 'Must be above zero' });
  });

  it('names the loss buckets', () => {
    expect(bucketLabel('planned_stop')).toBe('Planned stop');
    expect(bucketLabel('unknown')).toBe('unknown');
  });
});

describe('planned downtime checks', () => {
  const valid = {
    scope: 'plant',
    kind: 'maintenance',
    reasonId: '',
    note: '',
    startsAt: '2026-11-26T06:00',
    endsAt: '2026-11-26T08:00',
  };

  it('accepts a window that ends after it starts', () => {
    expect(validatePlannedDowntime(valid)).toEqual({});
  });

  it('says, like the API, when the end is not after the start', () => {
    expect(validatePlannedDowntime({ ...valid, endsAt: '2026-11-26T06:00' })).toEqual({
      endsAt: 'Not after the start',
    });
    expect(validatePlannedDowntime({ ...valid, startsAt: '', kind: 'lunch', note: 'x'.repeat(501) })).toEqual(
      {
        startsAt: 'Enter a date and time',
        kind: 'Choose a kind',
        note: 'Use at most 500 characters',
      },
    );
  });

  it('turns the scope choice into the API’s scope fields', () => {
    expect(downtimeScope('p1', 'plant')).toEqual({ plantId: 'p1' });
    expect(downtimeScope('p1', 'line:l1')).toEqual({ lineId: 'l1' });
    expect(downtimeScope('p1', 'machine:m1')).toEqual({ machineId: 'm1' });
  });
});

describe('validateDowntimeReason', () => {
  it('needs a code, a name, a loss bucket other than running and a category', () => {
    expect(
      validateDowntimeReason({
        code: 'JAM',
        name: 'Jam',
        bucket: 'availability_loss',
        category: 'mechanical',
      }),
    ).toEqual({});
    expect(validateDowntimeReason({ code: '', name: ' ', bucket: 'running', category: '' })).toEqual({
      code: 'Enter a code',
      name: 'Enter a name',
      bucket: 'Choose a loss bucket',
      category: 'Enter a category, e.g. mechanical',
    });
  });
});
